// Comparing DUIS values in tests: source offsets differ after re-serialising; everything else must not.
export function withoutOffsets<T>(v: T): T {
  return JSON.parse(
    JSON.stringify(v, (k, x: unknown) =>
      k === 'offset' ? -1 : typeof x === 'bigint' ? `${x}n` : x instanceof Uint8Array ? [...x] : x,
    ),
  ) as T;
}
