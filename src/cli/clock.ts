// The live clock adapter of the command line: the one place the CLI reads the wall clock (actors never do).
export function wallClockMillis(): bigint {
  // eslint-disable-next-line no-restricted-properties -- the CLI signs requests now, as the DCC Boxed tool does
  return BigInt(Date.now());
}
