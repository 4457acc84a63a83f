// What a refused command may change in an actor's state: only its security log and its alert counter (a refusal
// raises its security alert and logs it, src/devices/device.ts receiveCommand).

/** The state with the fields a refusal may change (security log, alert counter) set aside. */
export function withoutRefusalFields<
  S extends { readonly securityLog: unknown; readonly alertCounter: bigint },
>(state: S): Omit<S, 'securityLog' | 'alertCounter'> {
  const { securityLog: _log, alertCounter: _counter, ...rest } = state;
  return rest;
}
