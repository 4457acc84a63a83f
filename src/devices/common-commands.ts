// Handlers for the use cases every HAN device shares (joins CS03x, unjoins CS04x, CS07 read join details,
// CS06 activate firmware, CS11 clear event log). Filled in by the HAN use-case work; empty until then.
import type { CommandTable, DeviceCore } from './device.js';

export function commonCommands<S extends DeviceCore>(): CommandTable<S> {
  return new Map();
}
