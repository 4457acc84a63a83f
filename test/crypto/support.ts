// Shared test inputs for the crypto layer, read in place from the shared vectors (never copied).
import { readFileSync } from 'node:fs';
import { fromHex } from '../../src/codec/bytes.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { HAVE_VECTORS, RTDS_DIR, vectorPath } from '../vectors.js';

interface HexMessage {
  hex: string;
}
interface InlineMacVector extends HexMessage {
  acbEui: string;
  expectedMAC: string;
  signatureLength: number;
}

/** The parts of extracted/gbcs-crypto-test-vectors.json these tests read. */
export interface CryptoVectors {
  gbcs_18_4: {
    SupplierA: { id: string; counter: string; dsPrivateKey: string; dsPublicKey: string };
    ACB: { kaPrivateKey: string };
    DeviceA: { id: string; dsPublicKey: string; kaPublicKey: string };
    criticalCommand_ECS04b_SupplierA_to_DeviceA: HexMessage;
  };
  nist_gcm_example6: {
    key: string;
    iv: string;
    aad: string;
    plaintext: string;
    ciphertext: string;
    tag: string;
  };
  gbcs_parser_inline: {
    'gbcs-sme.c.nc command': InlineMacVector;
    'gbcs-sme.c.nc response': InlineMacVector;
    'gfi-ecs01a (ECS01a command, signed, from GFI)': InlineMacVector;
  };
  utrn: {
    cases: {
      counter: string;
      originator: string;
      target: string;
      value: number;
      valueClass: 'pounds' | 'pennies';
      pptd: string;
      utrn?: string;
    }[];
  };
  gfi_text_format_example: { line: string };
}

export const CRYPTO_VECTORS_FILE = vectorPath('extracted', 'gbcs-crypto-test-vectors.json');

export function cryptoVectors(): CryptoVectors {
  return JSON.parse(readFileSync(CRYPTO_VECTORS_FILE, 'utf8')) as CryptoVectors;
}

/** A GBCS message split by the project's frame codec into the MAC-covered APDU, the signed span and the MAC. */
export interface MessageParts {
  bytes: Uint8Array;
  /** 0xDF … end of signature element. */
  apdu: Uint8Array;
  /** After 0xDF … end of content. */
  signedSpan: Uint8Array;
  signature: Uint8Array | undefined;
  mac: Uint8Array | undefined;
  originator: string;
  recipient: string;
  counter: bigint;
  cra: number;
}

export function messageParts(hexOrBytes: string | Uint8Array): MessageParts {
  const bytes = typeof hexOrBytes === 'string' ? fromHex(hexOrBytes) : hexOrBytes;
  const { message, spans } = parseGbcs(bytes);
  return {
    bytes,
    apdu: bytes.subarray(spans.apduStart, spans.apduEnd),
    signedSpan: bytes.subarray(spans.apduStart + 1, spans.contentEnd),
    signature: message.signature.kind === 'present' ? message.signature.value : undefined,
    mac: message.mac ?? undefined,
    originator: message.header.originator,
    recipient: message.header.recipient,
    counter: message.header.originatorCounter,
    cra: message.header.cra,
  };
}

/** One RTDS file's bytes: `<folder>/<file>`. */
export function rtdsMessage(name: string): Uint8Array {
  return fromHex(readFileSync(`${RTDS_DIR}/${name}`, 'utf8'));
}

export { HAVE_VECTORS };
