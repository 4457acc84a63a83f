// The field: the premises on their kernel, seen from outside (the DCC, its routes). In a simulation the kernel runs
// on virtual time alone; in the live server a WallClockDriver runs the same kernel against the wall clock
// (ARCHITECTURE principle 1). Field hides which: `now()` and `at()` mean the same model time either way.
import type { Eui64 } from '../codec/eui64.js';
import type { DeviceKind } from '../devices/types.js';
import type { EventId } from '../sim/kernel.js';
import type { WallClockDriver } from '../sim/clock.js';
import type { PremiseEvent, PremiseRunner } from './runner.js';

export class Field {
  private driver: WallClockDriver<PremiseEvent> | undefined;

  constructor(readonly runner: PremiseRunner) {}

  /** From now on the wall clock drives the kernel (the live server). */
  driveWith(driver: WallClockDriver<PremiseEvent>): void {
    this.driver = driver;
  }

  /** Model time now: the kernel's, or in real time the wall clock's corresponding virtual time. */
  now(): number {
    const kernelNow = this.runner.kernel.now;
    return this.driver?.running === true ? Math.max(kernelNow, this.driver.virtualNow()) : kernelNow;
  }

  /** Schedules an event at model time `atMs` (not before now). */
  at(atMs: number, event: PremiseEvent): EventId {
    this.runner.noteInFlight(event);
    if (this.driver?.running === true) return this.driver.postAt(atMs, event);
    return this.runner.kernel.at(Math.max(this.runner.kernel.now, atMs), event);
  }

  /** The first actor of `kind` at a premise (its PPMID, for the tunnel), or undefined. */
  memberOf(premise: number, kind: DeviceKind): Eui64 | undefined {
    return this.runner.premise(premise).members.find((m) => m.kind === kind)?.eui;
  }

  /** The premise's PPMID on the SMHAN (a posted replacement may sit beside an old one), else its first PPMID. */
  pairedPpmidOf(premise: number): Eui64 | undefined {
    const ppmids = this.runner.premise(premise).members.filter((m) => m.kind === 'PPMID');
    return (ppmids.find((m) => m.hanJoined) ?? ppmids[0])?.eui;
  }

  /** The CHF of a premise: where WAN messages for it arrive. */
  chfOf(premise: number): Eui64 {
    const chf = this.runner.premise(premise).members.find((m) => m.kind === 'CHF');
    if (chf === undefined) throw new RangeError(`premise ${premise} has no CHF`);
    return chf.eui;
  }
}
