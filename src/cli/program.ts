// The `smets-twin` command: one builder, output injected, so tests run it in-process.
import { Command, CommanderError } from 'commander';
import { DecodeError, EncodeError } from '../codec/bytes.js';
import { DuisError } from '../codec/duis/common.js';
import { XsdCompileError } from '../codec/duis/schema/index.js';
import { XmlError } from '../codec/xml/types.js';
import { runDemo } from './demo.js';
import { runPremise } from './premise.js';
import { serve, resolveKeys, DEFAULT_DB } from './serve.js';
import { runReceiver } from './receiver.js';
import { DEFAULT_ACB, gbcsCheck, gbcsDecode, gbcsSegment, gbcsSignPreCommand } from './gbcs.js';
import type { Io } from './io.js';
import { utrnGenerate, utrnVerify } from './utrn.js';
import { duisCheck, duisShow, duisSign, duisValidate, duisVerify } from './duis.js';
import { riskScoreCommand } from './risk.js';
import { runScenarioCommand } from './run.js';
import type { ScenarioKind, ScenarioKindName } from '../scenario/model.js';
import { SCENARIO_KINDS } from '../scenario/kinds/index.js';
import { dccBoxedKeystorePath } from '../shared-vectors.js';

export const VERSION = '0.1.0';

/** What the commands use that tests may replace. */
export interface CliDeps {
  /** The scenario kinds `run` knows (default: SCENARIO_KINDS). */
  readonly scenarioKinds?: ReadonlyMap<ScenarioKindName, ScenarioKind>;
  /** The folder relative paths are read against (default: process.cwd()). */
  readonly cwd?: string;
}

/** Builds the program; each action stores its exit code in `result.code`. */
export function buildProgram(io: Io, result: { code: number }, deps: CliDeps = {}): Command {
  const program = new Command('smets-twin')
    .description('A digital twin of GB smart metering: GBCS, DUIS, DCC, hubs and meters')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  const run = (f: () => number) => {
    result.code = f();
  };

  const gbcs = program.command('gbcs').description('GBCS messages: decode, check, sign, segment');
  gbcs
    .command('decode <message>')
    .description(
      'decode a GBCS message (hex, base64 or a file) into a readable tree; verify MAC and signature with --keys',
    )
    .option('--json', 'print the typed value as JSON')
    .option('--keys <path>', 'key store: an RTDS-layout key folder or a DCC Boxed keystore.json')
    .option('--acb <eui>', 'EUI-64 of the Access Control Broker', DEFAULT_ACB)
    .action((message: string, opts) => run(() => gbcsDecode(io, message, opts)));
  gbcs
    .command('check <dir>')
    .description(
      'decode, re-encode and verify every message file under a folder; one summary (exit 1 on a decode or round-trip failure)',
    )
    .option('--keys <path>', 'key store: an RTDS-layout key folder or a DCC Boxed keystore.json')
    .option('--acb <eui>', 'EUI-64 of the Access Control Broker', DEFAULT_ACB)
    .option('--json', 'print one JSON summary line')
    .action((dir: string, opts) => run(() => gbcsCheck(io, dir, opts)));
  gbcs
    .command('sign-precommand <precommand>')
    .description(
      "sign a Pre-Command as its originator (the User's DS key) and print the signed Pre-Command in hex",
    )
    .option('--key <file>', 'PKCS#8 private key (PEM or DER)')
    .option('--keys <path>', "key store holding the originator's DS private key")
    .option('--base64', 'print base64, as a DUIS SignedPreCommand carries it')
    .option('--json', 'print JSON')
    .action((pre: string, opts) => run(() => gbcsSignPreCommand(io, pre, opts)));
  gbcs
    .command('segment <message>')
    .description(
      'split a message into General Block Transfer blocks (at most 63 of 1,149 octets), one hex block per line',
    )
    .option('--block-octets <n>', 'block data octets per block')
    .action((message: string, opts) => run(() => gbcsSegment(io, message, opts)));

  const utrn = program
    .command('utrn')
    .description("UTRN top-up codes (GBCS 14.8): make one with the supplier's prepayment key, or check one");
  utrn
    .command('generate')
    .description('make a 20-digit UTRN')
    .requiredOption(
      '--keys <path>',
      "key store with the supplier's prepayment KA private key and the device's KA certificate",
    )
    .requiredOption('--originator <eui>', 'the supplier')
    .requiredOption('--target <eui>', 'the meter')
    .requiredOption(
      '--counter <n>',
      'UTRN counter, a multiple of 2^32 above the last one used (decimal or 0x hex)',
    )
    .requiredOption('--value <n>', 'credit value, 0–8191')
    .option('--value-class <class>', 'pence or pounds', 'pounds')
    .option('--json', 'print JSON')
    .action((opts) => run(() => utrnGenerate(io, opts)));
  utrn
    .command('verify <utrn>')
    .description(
      'check a UTRN as the meter would: authentic, not authentic, wrong device, duplicate or old counter',
    )
    .requiredOption('--keys <path>', 'key store')
    .requiredOption('--originator <eui>', 'the supplier')
    .requiredOption('--target <eui>', 'the meter it was entered on')
    .option('--last-counter <n>', 'the highest UTRN counter the meter has accepted from this supplier', '0')
    .option('--json', 'print JSON')
    .action((token: string, opts) => run(() => utrnVerify(io, token, opts)));

  const duis = program
    .command('duis')
    .description('DUIS XML: sign, verify, validate against the DUIS XSD, show, check a folder');
  const keysHelp =
    "DCC Boxed keystore.json or a folder like the signing tool's resources (default: the shared vectors' keystore.json)";
  duis
    .command('sign <file>')
    .description(
      'sign a DUIS request (as its originator) or response (as the DSP); the RequestID counter becomes the wall-clock ms unless --preserve-counter',
    )
    .option('--keys <path>', keysHelp)
    .option('--preserve-counter', 'keep the RequestID counter as written')
    .option('-o, --output <file>', 'write the signed document here instead of stdout')
    .action((file: string, opts) =>
      run(() => duisSign(io, file, { ...opts, keys: opts.keys ?? dccBoxedKeystorePath() })),
    );
  duis
    .command('verify <file>')
    .description('verify the XML signature (exit 0 only when valid)')
    .option('--keys <path>', keysHelp)
    .option('--json', 'print JSON')
    .action((file: string, opts) =>
      run(() => duisVerify(io, file, { ...opts, keys: opts.keys ?? dccBoxedKeystorePath() })),
    );
  duis
    .command('validate <file>')
    .description(
      'validate against the DUIS XSD (SMETS_DUIS_XSD, or the shared vectors copy), naming the element path and the rule broken',
    )
    .option('--json', 'print JSON')
    .action((file: string, opts) => run(() => duisValidate(io, file, opts)));
  duis
    .command('show <file>')
    .description('print the typed value of a DUIS request or response as JSON')
    .action((file: string) => run(() => duisShow(io, file)));
  duis
    .command('check <dir>')
    .description(
      'parse, schema-check and round-trip every XML file under a folder; one summary (exit 1 on any failure)',
    )
    .option('--json', 'print one JSON summary line')
    .action((dir: string, opts) => run(() => duisCheck(io, dir, opts)));

  const risk = program
    .command('risk')
    .description(
      "risk registers scored as SECMP0038's: (likelihood + capability × motivation) × max(C, I, A)",
    );
  risk
    .command('score <register>')
    .description(
      'score a CSV risk register and print the summary per deliverable, the total and the unique risks (exit 2 on a bad file)',
    )
    .option(
      '--bands <file>',
      'JSON {"critical":n,"high":n,"moderate":n,"low":n}, each the lowest score of its band',
    )
    .option('--json', 'print {"risks","deliverables","total","unique"} as JSON')
    .option('--results <results.json>', "a scenario run's results.json, to take likelihoods from")
    .option('--policy <name>', 'the policy of --results whose figures are used')
    .option(
      '--likelihood <risk=metric>',
      'the risk (id, or name for all its rows) whose likelihood comes from the metric, a yearly rate (repeatable)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option(
      '--thresholds <a,b,c,d>',
      'the rates at which the likelihood reaches 2, 3, 4, 5 (default 0.1,1,10,100 a year)',
    )
    .action((file: string, opts) => run(() => riskScoreCommand(io, file, opts)));

  program
    .command('run <scenario>')
    .description(
      'run a scenario file (YAML or JSON): its kind measures each policy variant; writes report.html, results.json and metrics.csv (exit 1 on a bad file)',
    )
    .option('--out <dir>', 'output folder (default: out/<scenario name>)')
    .option('--premises <n>', "override the file's fleet.premises (every variant's too), to run small")
    .option('--days <n>', "override the file's durationDays")
    .option('--quiet', 'no progress, no timing on stderr')
    .action(async (file: string, opts) => {
      result.code = await runScenarioCommand(io, file, opts, {
        kinds: deps.scenarioKinds ?? SCENARIO_KINDS,
        cwd: deps.cwd ?? process.cwd(),
      });
    });

  program
    .command('demo')
    .description(
      'build a small fleet with a seeded test PKI, seal a command, its response and an alert, then decode and verify them',
    )
    .option('--seed <text>', 'seed of the test PKI', 'smets-twin demo')
    .action((opts) => run(() => runDemo(io, opts)));

  program
    .command('serve')
    .description(
      'run the DCC: DUIS web services on the DCC Boxed paths (/api/v1/serviceS|T|D) with a demo fleet behind them; runs until Ctrl-C',
    )
    .option('--port <n>', 'HTTP port', '8079')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option(
      '--fleet <n>',
      'demo premises built on first start (premise 0 has the public test identities)',
      '1',
    )
    .option(
      '--keys <path>',
      'DCC Boxed keystore.json, or a folder of keys (repeatable); default: the shared vectors keystore when present',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--test-pki', "use the twin's own seeded test PKI even when the shared keystore is present")
    .option('--receiver <url>', 'where responses and alerts are pushed (the demo Users receiver)')
    .option('--db <location>', `SQLite file or postgres:// URL (default: $DATABASE_URL, else ${DEFAULT_DB})`)
    .option('--seed <text>', 'fleet seed (identities and keys)', 'smets-twin-demo')
    .option('--wan-latency <ms>', 'one-way SM WAN latency in ms', '0')
    .option('--policy <file>', "the seeds' rules as a JSON policy file (default: today's rules)")
    .action(async (opts) => {
      result.code = await serve(io, opts);
    });

  program
    .command('receiver')
    .description(
      "a User's receiver: prints each response and alert the DCC pushes, its XML signature checked and its GBCS decoded",
    )
    .option('--port <n>', 'HTTP port', '8099')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option(
      '--keys <path>',
      "where the DSP's XML signing certificate is (repeatable); default as for serve",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--test-pki', "the DSP uses the twin's own test PKI (serve --test-pki)")
    .option('--seed <text>', 'the seed serve was given', 'smets-twin-demo')
    .action(async (opts) => {
      result.code = await runReceiver(io, opts, resolveKeys(io, opts).xml);
    });

  program
    .command('premise')
    .description(
      'run one premise in virtual time from nothing: CH power-up, CCS01 whitelisting, SMHAN joins, supplier commands to the ESME, the GSME waking; print every message, decoded and verified',
    )
    .option('--seed <text>', 'fleet seed: keys and install codes derive from it', 'smets-twin demo fleet')
    .option('--hours <n>', 'virtual hours to run', '2')
    .option('--json', 'print one JSON object: summary, devices, messages')
    .action((opts) => run(() => runPremise(io, opts)));
  return program;
}

/** Runs the command line; returns the exit code. Codec and input errors print one clear line, not a stack. */
export async function runCli(argv: string[], io: Io, deps: CliDeps = {}): Promise<number> {
  const result = { code: 0 };
  try {
    await buildProgram(io, result, deps).parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (
      e instanceof DecodeError ||
      e instanceof EncodeError ||
      e instanceof XmlError ||
      e instanceof DuisError ||
      e instanceof XsdCompileError ||
      isKnownUserError(e)
    ) {
      io.err(`error: ${(e as Error).message}`);
      return 2;
    }
    throw e;
  }
}

function isKnownUserError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  return (
    ['CryptoInputError', 'MissingKeyError', 'AuthenticationError', 'SmkiCertificateError'].includes(e.name) ||
    ('code' in e && (e as NodeJS.ErrnoException).code === 'ENOENT')
  );
}
