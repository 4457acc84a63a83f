// `smets-twin utrn …`: make a UTRN with the supplier's prepayment key, or check one as the meter would.
import { eui64 } from '../codec/eui64.js';
import { SharedSecretCache } from '../crypto/ecdh.js';
import { generateUtrn, verifyUtrn, type UtrnValueClass } from '../crypto/utrn.js';
import type { Io } from './io.js';
import { stringifyJson } from './json.js';
import { loadKeys } from './keys.js';

export interface UtrnOptions {
  keys: string;
  originator: string;
  target: string;
  json?: boolean;
}

function prepaymentSecret(opts: UtrnOptions): (device: string) => Uint8Array {
  const keys = loadKeys(opts.keys);
  const cache = new SharedSecretCache();
  const supplier = eui64(opts.originator);
  // GBCS 14.8: the supplier's prepayment KA key with the device's KA key.
  return (device) =>
    cache.between(
      keys,
      { eui: supplier, usage: 'KA', prepayment: true },
      { eui: eui64(device), usage: 'KA' },
    );
}

export function utrnGenerate(
  io: Io,
  opts: UtrnOptions & { counter: string; value: string; valueClass: string },
): number {
  const secret = prepaymentSecret(opts);
  const utrn = generateUtrn(secret(opts.target), {
    originator: eui64(opts.originator),
    device: eui64(opts.target),
    counter: BigInt(opts.counter),
    value: Number(opts.value),
    valueClass: opts.valueClass as UtrnValueClass,
  });
  io.out(opts.json ? stringifyJson(utrn) : utrn.utrn);
  return 0;
}

export function utrnVerify(io: Io, token: string, opts: UtrnOptions & { lastCounter: string }): number {
  const secret = prepaymentSecret(opts);
  const result = verifyUtrn(token, {
    originator: eui64(opts.originator),
    device: eui64(opts.target),
    lastAcceptedCounter: BigInt(opts.lastCounter),
    sharedSecret: (device) => secret(device),
  });
  if (opts.json) io.out(stringifyJson(result));
  else if (result.outcome === 'authentic')
    io.out(`authentic: ${result.value} ${result.valueClass}, counter 0x${result.counter.toString(16)}`);
  else io.out(`${result.outcome}: ${result.reason}`);
  return result.outcome === 'authentic' ? 0 : 1;
}
