// The key that orders a DUIS request's arrival (Dsp.decide): its RequestID's originator and target, read from the
// raw text before any check. It orders requests; it is never trusted.

/** `ORIGINATOR:TARGET` of the request's RequestID, upper case; undefined when none is found in its first 4 KiB. */
export function orderKey(input: string | Uint8Array): string | undefined {
  const head =
    typeof input === 'string'
      ? input.slice(0, 4096)
      : Buffer.from(input.buffer, input.byteOffset, Math.min(input.length, 4096)).toString('latin1');
  const m = /<(?:[\w.-]+:)?RequestID>\s*([^:<\s]+):([^:<\s]+):/.exec(head);
  return m === null ? undefined : `${m[1]!.toUpperCase()}:${m[2]!.toUpperCase()}`;
}
