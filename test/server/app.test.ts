// The HTTP edge (code review): a POST with neither body nor content-type never reaches the DSP. It is refused
// with a 4xx status and a JSON reason, like every other input that is not a DUIS request, not a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDcc, type DccHarness } from '../support/dcc.js';

let h: DccHarness;
beforeAll(async () => {
  h = await startDcc({ fleet: 1 });
});
afterAll(async () => {
  await h.close();
});

describe('an empty POST with no content-type', () => {
  it.each(['/api/v1/serviceS', '/api/v1/serviceT', '/api/v1/serviceD'])(
    '%s: 415 with a JSON reason',
    async (path) => {
      const res = await fetch(`${h.url}${path}`, { method: 'POST' });
      expect(res.status).toBe(415);
      expect(await res.json()).toEqual({
        error: 'unsupported-media-type',
        detail: expect.stringContaining('XML'),
      });
    },
  );
});
