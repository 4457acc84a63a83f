// SR 11.4 at the largest sizes the schema allows still validates, and one octet more is refused.
// (Speed is measured by `npm run bench:duis`, not by tests.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DuisSchema } from '../../../../src/codec/duis/schema/index.js';
import { parseXml } from '../../../../src/codec/xml/parse.js';
import { HAVE_VECTORS, vectorPath } from '../../../vectors.js';
import { DUIS_XSD, child } from './support.js';

describe.skipIf(!HAVE_VECTORS)('validation at the size limits', () => {
  it('handles SR 11.4 at the schema limits: a 10,240,000-byte image and 49,999 devices in DeviceIDList', () => {
    const schema = DuisSchema.load(DUIS_XSD);
    const doc = parseXml(
      readFileSync(vectorPath('duis-templates/templates/11.4_UPDATE_PPMID_FIRMWARE_REQUEST_DUIS.XML')),
    );
    const update = child(child(doc.root, 'Body'), 'UpdatePPMIDFirmware');
    const image = `${'AAAA'.repeat(3_413_333)}AA==`; // 3 × 3,413,333 + 1 = 10,240,000 octets
    const devices = Array.from({ length: 49_999 }, (_, i) =>
      `00-DB-12-34-56-78-${((i >> 8) & 0xff).toString(16).padStart(2, '0')}-${(i & 0xff).toString(16).padStart(2, '0')}`.toUpperCase(),
    );
    child(update, 'FirmwareImage').children = [{ kind: 'text', value: image }];
    child(update, 'DeviceIDList').children = [{ kind: 'text', value: devices.join(',') }];
    expect(schema.validate(doc)).toEqual({ valid: true });
    child(update, 'FirmwareImage').children = [{ kind: 'text', value: 'AAAA'.repeat(3_413_334) }];
    expect(schema.validate(doc)).toMatchObject({ valid: false, errors: [{ rule: 'maxLength 10240000' }] });
  });
});
