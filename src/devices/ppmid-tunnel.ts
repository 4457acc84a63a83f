// The PPMID as a tunnel (SECMP0038): a GBCS command arriving over the customer's PPMID's alternative channel
// (internet / mobile) is tunnelled over ZigBee to the CH, which accepts or refuses it under the policy's rule
// (src/hub/chf-relay.ts tunnelledFromPpmid); the device's response, which the CH routes back to the PPMID, goes up
// the channel to the DCC, and so does the CH's refusal. The PPMID checks nothing itself: the target device runs every
// check it runs on a WAN command.
import { peekRouting } from '../hub/routing.js';
import type { PpmidState } from './ppmid.js';
import { unchanged, type ActorInput, type Effect, type Step } from './types.js';

function note(state: PpmidState, text: string): Effect {
  return { kind: 'note', text: `PPMID ${state.eui}: ${text}` };
}

/** The tunnel's part of an input, or undefined when the input is not the tunnel's. */
export function tunnelStep(state: PpmidState, input: ActorInput): Step<PpmidState> | undefined {
  if (input.type === 'tunnel') {
    if (!state.hanJoined)
      return unchanged(state, {
        kind: 'tunnel',
        message: { type: 'refused', bytes: input.bytes, reason: 'the PPMID is not on the SMHAN' },
      });
    return unchanged(
      state,
      { kind: 'han', to: state.hub, frame: { type: 'tunnelled', bytes: input.bytes } },
      note(state, 'tunnelled a command from its alternative channel to the CH'),
    );
  }
  if (input.type !== 'han' || input.from !== state.hub) return undefined;
  const frame = input.frame;
  if (frame.type === 'tunnel-refused')
    return unchanged(state, {
      kind: 'tunnel',
      message: { type: 'refused', bytes: frame.bytes, reason: frame.reason },
    });
  if (frame.type !== 'gbcs') return undefined;
  // A device's answer to a tunnelled command: addressed to its originator (a User or the ACB), not to this PPMID.
  const routing = peekRouting(frame.bytes);
  if (routing === undefined || routing.cra !== 2 || routing.recipient === state.eui) return undefined;
  return unchanged(
    state,
    { kind: 'tunnel', message: { type: 'gbcs', bytes: frame.bytes } },
    note(state, `sent ${routing.originator}'s response up its alternative channel`),
  );
}
