// Typed failures of the virtual-time kernel: a bad time or argument, a call in the wrong state, a live run
// that fell behind the wall clock.

/** A time, delay, priority or random-source argument outside what the kernel accepts. */
export class SchedulingError extends RangeError {
  override readonly name = 'SchedulingError';
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly got: unknown,
  ) {
    super(`"${field}" expected ${expected}, got ${String(got)}`);
  }
}

/** A call the kernel or its driver refuses in its current state (e.g. `step` from inside a handler). */
export class KernelStateError extends Error {
  override readonly name = 'KernelStateError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Strict wall-clock mode: an event ran later than the tolerance allows (SimPy's RealtimeEnvironment strict). */
export class RealtimeLagError extends Error {
  override readonly name = 'RealtimeLagError';
  constructor(
    readonly eventTimeMs: number,
    readonly lateMs: number,
    readonly toleranceMs: number,
  ) {
    super(
      `model fell behind the wall clock: event at virtual ${eventTimeMs} ms ran ${lateMs.toFixed(1)} ms late ` +
        `(tolerance ${toleranceMs} ms)`,
    );
  }
}
