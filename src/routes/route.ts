// The delivery route port (issue 6 adds the HHT and PPMID-tunnel routes behind it): the DSP hands a sealed GBCS
// command to a route for a premise; the route carries it to the premise's CHF or says it cannot (E20). Messages the
// CHF sends back reach the DSP through the callback the route was given.

import type { FirmwareDistribution } from '../devices/types.js';

export type RouteOutcome =
  | { readonly kind: 'sent'; readonly atMs: number }
  | { readonly kind: 'unreachable'; readonly reason: string };

export interface DeliveryRoute {
  readonly name: string;
  /** Sends `bytes` towards premise `premise`'s CHF at model time `nowMs`. */
  send(premise: number, bytes: Uint8Array, nowMs: number): RouteOutcome;
  /**
   * The CSP's delivery of a firmware image to the premise's CH (CS05: not a Remote Party message, so not `send`): it
   * arrives after the route's latency plus the image's own transfer time. Absent: the route cannot carry images.
   */
  distribute?(premise: number, distribution: FirmwareDistribution, nowMs: number): RouteOutcome;
}

/** Where a route hands what the CHF sends to the WAN (responses, alerts). */
export type InboundHandler = (premise: number, bytes: Uint8Array, atMs: number) => void;
