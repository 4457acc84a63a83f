// A Policy (src/policy.ts) from a file: a JSON object whose fields override DEFAULT_POLICY's, each checked. Unknown
// fields and bad values are refused with a PolicyError listing every problem by its field path (`ppmidTunnelUseCases[1]`),
// so a scenario never runs under a policy other than the one its file meant. JSON only: the project has no YAML parser
// among its dependencies. Checked by hand: zod, which the issue suggested, is not among the dependencies either.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { UserRole } from './codec/duis/srv.js';
import { messageCodesForUseCase } from './codec/gbcs/message-codes.js';
import { DEFAULT_POLICY, type Policy, type PpmidTunnelMode } from './policy.js';

/** One problem with a policy: where (a field path, '' for the whole value) and what. */
export interface PolicyIssue {
  readonly path: string;
  readonly message: string;
}

/** A policy refused: every issue found, each naming its field. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(
    readonly issues: readonly PolicyIssue[],
    /** The file it came from, when it came from one. */
    readonly source?: string,
  ) {
    super(
      `${source === undefined ? 'policy' : `policy ${source}`}: ` +
        issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`)).join('; '),
    );
  }
}

export const PPMID_TUNNEL_MODES: readonly PpmidTunnelMode[] = ['han-only', 'subset', 'any'];
export const TRIAGE_MODES: readonly Policy['triage'][] = ['none', 'reset'];
export const USER_ROLES: readonly UserRole[] = ['IS', 'ES', 'GS', 'ED', 'GT', 'RSA', 'OU'];
export const LOCAL_FIRMWARE_UPGRADE: readonly Policy['localFirmwareUpgrade'][] = ['banned', 'allowed'];

/** [A] Upper bounds that catch unit slips (minutes for hours, ms for minutes) without limiting any real debate. */
export const MAX_INTER_PAN_WINDOW_MINUTES = 366 * 24 * 60;
export const MAX_HHT_COMMAND_VALIDITY_HOURS = 366 * 24;

type Checker = (value: unknown, path: string, issues: PolicyIssue[]) => unknown;

/** The DUIS XSD's FirmwareImage maxLength, 10,240,000 octets, in kB of 1,000. */
export const MAX_FIRMWARE_IMAGE_KB = 10_240;
export const FIRMWARE_CONSUMER_REFUSAL = ['not-offered', 'allowed'] as const;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function oneOf<T extends string>(values: readonly T[]): Checker {
  return (value, path, issues) => {
    if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value;
    issues.push({
      path,
      message: `expected one of ${values.map((v) => `'${v}'`).join(', ')}, got ${describe(value)}`,
    });
    return undefined;
  };
}

const CHECKS: { readonly [K in keyof Policy]: Checker } = {
  interPanWindowMinutes(value, path, issues) {
    if (value === null) return null;
    if (
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= 0 &&
      value <= MAX_INTER_PAN_WINDOW_MINUTES
    )
      return value;
    issues.push({
      path,
      message: `expected a whole number of minutes from 0 to ${MAX_INTER_PAN_WINDOW_MINUTES}, or null for no limit, got ${describe(value)}`,
    });
    return undefined;
  },
  hhtCommandValidityHours(value, path, issues) {
    if (
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value > 0 &&
      value <= MAX_HHT_COMMAND_VALIDITY_HOURS
    )
      return value;
    issues.push({
      path,
      message: `expected a number of hours above 0 and at most ${MAX_HHT_COMMAND_VALIDITY_HOURS}, got ${describe(value)}`,
    });
    return undefined;
  },
  localFirmwareUpgrade: oneOf(LOCAL_FIRMWARE_UPGRADE),
  firmwareImageLimitKb(value, path, issues) {
    // DUIS caps FirmwareImage at 10,240,000 octets (XSD maxLength): a limit above it would never bite.
    if (typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_FIRMWARE_IMAGE_KB)
      return value;
    issues.push({
      path,
      message: `expected kB above 0 and at most ${MAX_FIRMWARE_IMAGE_KB}, got ${describe(value)}`,
    });
    return undefined;
  },
  firmwareConsumerRefusal: oneOf(FIRMWARE_CONSUMER_REFUSAL),
  ppmidTunnel: oneOf(PPMID_TUNNEL_MODES),
  ppmidTunnelUseCases(value, path, issues) {
    if (!Array.isArray(value)) {
      issues.push({ path, message: `expected an array of GBCS use-case names, got ${describe(value)}` });
      return undefined;
    }
    const seen = new Set<string>();
    value.forEach((name: unknown, i) => {
      const at = `${path}[${i}]`;
      if (typeof name !== 'string')
        issues.push({ path: at, message: `expected a use-case name, got ${describe(name)}` });
      else if (messageCodesForUseCase(name).length === 0)
        issues.push({ path: at, message: `'${name}' is not a GBCS use case the message-code table knows` });
      else if (seen.has(name)) issues.push({ path: at, message: `'${name}' is listed twice` });
      else seen.add(name);
    });
    return Object.freeze([...seen]);
  },
  triage: oneOf(TRIAGE_MODES),
  triageRoles(value, path, issues) {
    if (!Array.isArray(value)) {
      issues.push({ path, message: `expected an array of DUIS user roles, got ${describe(value)}` });
      return undefined;
    }
    const seen = new Set<UserRole>();
    value.forEach((role: unknown, i) => {
      const at = `${path}[${i}]`;
      if (typeof role !== 'string' || !(USER_ROLES as readonly string[]).includes(role))
        issues.push({ path: at, message: `expected one of ${USER_ROLES.join(', ')}, got ${describe(role)}` });
      else if (seen.has(role as UserRole)) issues.push({ path: at, message: `'${role}' is listed twice` });
      else seen.add(role as UserRole);
    });
    return Object.freeze([...seen]);
  },
};

const FIELDS = Object.keys(CHECKS) as (keyof Policy)[];

/**
 * The policy `input` describes: a plain object whose fields, all optional, replace DEFAULT_POLICY's. Throws a
 * PolicyError naming every unknown field and every bad value; use cases listed for `ppmidTunnelUseCases` must be
 * ones the message-code table knows, and apply only under `ppmidTunnel: 'subset'`.
 */
export function parsePolicy(input: unknown, source?: string): Policy {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new PolicyError(
      [{ path: '', message: `expected a JSON object of policy fields, got ${describe(input)}` }],
      source,
    );
  const issues: PolicyIssue[] = [];
  const given = input as Record<string, unknown>;
  for (const key of Object.keys(given))
    if (!(FIELDS as string[]).includes(key))
      issues.push({ path: key, message: `unknown field (the policy's fields: ${FIELDS.join(', ')})` });
  const policy: Record<string, unknown> = { ...DEFAULT_POLICY };
  for (const field of FIELDS) {
    if (!Object.hasOwn(given, field)) continue;
    const value = CHECKS[field](given[field], field, issues);
    if (value !== undefined) policy[field] = value;
  }
  const result = policy as unknown as Policy;
  if (
    result.ppmidTunnelUseCases.length > 0 &&
    result.ppmidTunnel !== 'subset' &&
    Object.hasOwn(given, 'ppmidTunnelUseCases')
  )
    issues.push({
      path: 'ppmidTunnelUseCases',
      message: `use cases apply only under ppmidTunnel 'subset', not '${result.ppmidTunnel}'`,
    });
  if (issues.length > 0) throw new PolicyError(issues, source);
  return Object.freeze(result);
}

/** The policy in a JSON file (fields over DEFAULT_POLICY's); PolicyError for an unreadable, non-JSON or bad file. */
export function loadPolicyFile(path: string): Policy {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml')
    throw new PolicyError([{ path: '', message: 'YAML is not supported: write the policy as JSON' }], path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PolicyError([{ path: '', message: `cannot read the file: ${(e as Error).message}` }], path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PolicyError([{ path: '', message: `not JSON: ${(e as Error).message}` }], path);
  }
  return parsePolicy(json, path);
}
