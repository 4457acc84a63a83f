import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError } from '../../../../src/codec/bytes.js';
import { formatGbz, type GbzComponent, type GbzPayload } from '../../../../src/codec/gbcs/gbz/index.js';
import {
  BARE_ALERT,
  ENCRYPTED_RESPONSE,
  FUTURE_DATED_COMMAND,
  READ_METERING,
  READ_METERING_RESPONSE,
  TWO_DEFAULT_RESPONSES,
  clean,
  decodeHex,
  encodeToHex,
} from './support.js';

function roundTrip(hex: string, cra: 1 | 2 | 3 = 1): GbzPayload {
  const gbz = decodeHex(hex, cra);
  expect(encodeToHex(gbz, cra)).toBe(clean(hex));
  return gbz;
}

function decodeError(hex: string, cra: 1 | 2 | 3 = 1): string {
  try {
    decodeHex(hex, cra);
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return (e as Error).message;
  }
  throw new Error('decoded without error');
}

function only(gbz: GbzPayload): GbzComponent {
  const components =
    gbz.kind === 'alert' ? (gbz.body.kind === 'components' ? gbz.body.components : []) : gbz.components;
  expect(components).toHaveLength(1);
  return components[0]!;
}

describe('GBZ payload', () => {
  it('reads a Read Attributes command as its list of attribute ids', () => {
    const gbz = roundTrip(READ_METERING);
    expect(gbz).toEqual({
      kind: 'components',
      components: [
        {
          encrypted: false,
          lastComponent: true,
          clusterId: 0x0702,
          fromDateTime: null,
          header: {
            frameType: 'global',
            manufacturerSpecific: false,
            direction: 'client-to-server',
            disableDefaultResponse: false,
            manufacturerCode: null,
            sequenceNumber: 5,
            commandId: 0x00,
          },
          payload: { kind: 'read-attributes', attributeIds: [0x0000, 0x0014] },
        },
      ],
    });
  });

  it('reads a Read Attributes Response as attribute records, with a value only for SUCCESS', () => {
    const c = only(roundTrip(READ_METERING_RESPONSE, 2));
    expect(c.header).toMatchObject({
      frameType: 'global',
      direction: 'server-to-client',
      sequenceNumber: 5,
      commandId: 0x01,
    });
    expect(!c.encrypted && c.payload).toEqual({
      kind: 'read-attributes-response',
      records: [
        { attributeId: 0x0000, status: 0x00, value: { kind: 'number', type: 0x25, value: 1234567 } },
        { attributeId: 0x0014, status: 0x86, value: null },
      ],
    });
  });

  it('reads the From Date Time of a future-dated component and keeps a cluster command payload raw', () => {
    const c = only(roundTrip(FUTURE_DATED_COMMAND));
    expect(c).toMatchObject({
      encrypted: false,
      lastComponent: true,
      clusterId: 0x0705,
      fromDateTime: 0x2a296880,
    });
    expect(c.header).toMatchObject({
      frameType: 'cluster-specific',
      direction: 'client-to-server',
      sequenceNumber: 7,
      commandId: 0x09,
    });
    expect(!c.encrypted && c.payload).toEqual({
      kind: 'raw',
      bytes: Uint8Array.from([0x40, 0x4b, 0x4c, 0x00]),
    });
  });

  it('keeps the ciphertext of an encrypted component with the fields around it', () => {
    const c = only(roundTrip(ENCRYPTED_RESPONSE, 2));
    expect(c).toEqual({
      encrypted: true,
      lastComponent: true,
      clusterId: 0x0702,
      additionalHeaderControl: 0x00,
      additionalFrameCounter: 0x02,
      header: {
        frameType: 'cluster-specific',
        manufacturerSpecific: false,
        direction: 'server-to-client',
        disableDefaultResponse: true,
        manufacturerCode: null,
        sequenceNumber: 4,
        commandId: 0x06,
      },
      ciphered: {
        securityControl: 0x31,
        invocationCounter: 0,
        ciphertext: Uint8Array.from([0xde, 0xad, 0xbe, 0xef]),
        mac: Uint8Array.from({ length: 12 }, (_, i) => i),
      },
    });
  });

  it('marks only the final component as last and reads Default Responses', () => {
    const gbz = roundTrip(TWO_DEFAULT_RESPONSES, 2);
    expect(
      gbz.kind === 'components' &&
        gbz.components.map((c) => [c.lastComponent, c.clusterId, !c.encrypted && c.payload]),
    ).toEqual([
      [false, 0x0700, { kind: 'default-response', commandId: 0x02, status: 0x00 }],
      [true, 0x0707, { kind: 'default-response', commandId: 0x00, status: 0x81 }],
    ]);
  });

  it('reads a manufacturer code and keeps a manufacturer-specific global command raw', () => {
    const c = only(roundTrip('0109 01 01 0702 0007 04 1E10 09 00 0000', 1));
    expect(c.header).toMatchObject({
      manufacturerSpecific: true,
      manufacturerCode: 0x101e,
      sequenceNumber: 9,
      commandId: 0x00,
    });
    expect(!c.encrypted && c.payload).toEqual({ kind: 'raw', bytes: Uint8Array.from([0, 0]) });
  });

  it('reads the alert header: alert code and time stamp, with no components', () => {
    expect(roundTrip(BARE_ALERT, 3)).toEqual({
      kind: 'alert',
      alertCode: 0x8f35,
      timestamp: 0x2a296880,
      body: { kind: 'components', components: [] },
    });
  });

  it('reads the future-dated command an 0x8F67 alert reports on', () => {
    const gbz = roundTrip('0109 01 8F67 2A296880 0E 0070 00000000000004D2 0705 01 03', 3);
    expect(gbz.kind === 'alert' && gbz.body).toEqual({
      kind: 'future-dated-outcome',
      messageCode: 0x0070,
      originatorCounter: 1234n,
      clusterId: 0x0705,
      frameControl: 0x01,
      commandId: 0x03,
    });
  });

  it('reads the firmware hash of an 0x8F72 alert, the integrity warning of 0x81A0 and the command of 0x8161', () => {
    const hash = '5A'.repeat(32);
    const fw = roundTrip(`0109 01 8F72 2A296880 0920 ${hash}`, 3);
    expect(fw.kind === 'alert' && fw.body.kind === 'firmware-hash' && fw.body.hash.length).toBe(32);
    const warning = roundTrip('0109 01 81A0 2A296880 0008', 3);
    expect(warning.kind === 'alert' && warning.body).toEqual({ kind: 'integrity-issue-warning', warning: 8 });
    const ui = roundTrip('0109 01 8161 2A296880 0018', 3);
    expect(ui.kind === 'alert' && ui.body).toEqual({ kind: 'user-interface-command', command: 0x18 });
  });

  it('reads ordinary components after the header of other alerts', () => {
    const c = only(roundTrip(`0109 01 8F0A 2A296880 ${ENCRYPTED_RESPONSE.replace(/\s/g, '').slice(6)}`, 3));
    expect(c.encrypted).toBe(true);
  });

  it('prints clusters and commands by name and ids in hex', () => {
    expect(formatGbz(decodeHex(READ_METERING))).toEqual([
      'GBZ payload, 1 component',
      '  component 1 of 1 (last): cluster 0x0702 Metering',
      '    ZCL global client-to-server, seq 5, command 0x00 Read Attributes',
      '    attributes 0x0000, 0x0014',
    ]);
    expect(formatGbz(decodeHex(READ_METERING_RESPONSE, 2)).slice(3)).toEqual([
      '    attribute 0x0000: uint48 1234567',
      '    attribute 0x0014: 0x86 UNSUPPORTED_ATTRIBUTE',
    ]);
    expect(formatGbz(decodeHex(FUTURE_DATED_COMMAND)).slice(1, 4)).toEqual([
      '  component 1 of 1 (last): cluster 0x0705 Prepayment',
      '    from date time 2022-06-01T00:00:00Z (0x2A296880)',
      '    ZCL cluster-specific client-to-server, seq 7, command 0x09 Set Low Credit Warning Level',
    ]);
    expect(formatGbz(decodeHex('0109 01 8F67 2A296880 0E 0070 00000000000004D2 0705 01 03', 3))).toEqual([
      'GBZ alert 0x8F67 at 2022-06-01T00:00:00Z (0x2A296880)',
      '  future-dated command: message code 0x0070, originator counter 1234',
      '    cluster 0x0705 Prepayment, frame control 0x01, command 0x03 Emergency Credit Setup',
    ]);
  });
});

describe('GBZ decoding refuses malformed payloads with field, absolute offset and reason', () => {
  // The content starts at byte 100: profile 100-101, count 102, control 103, cluster 104-105, length 106-107.
  it('refuses another profile id', () => {
    expect(decodeError('0104 00')).toBe(
      'gbz: profile-id at byte 100: expected 0x0109 (ZigBee Smart Energy), got 0x0104',
    );
  });

  it('refuses a component whose declared command length exceeds the bytes left', () => {
    expect(decodeError('0109 01 01 0702 0009 00 05 00 0000')).toBe(
      'gbz: components[0].command-length at byte 106: declares 9 bytes, but only 5 are left',
    );
  });

  it('refuses a command length too short for the ZCL header or the From Date Time', () => {
    expect(decodeError('0109 01 01 0702 0002 00 05')).toBe(
      'gbz: components[0].command-length at byte 106: declares 2 bytes, too few for a ZCL header (at least 3)',
    );
    expect(decodeError('0109 01 11 0705 0006 2A296880 01 07')).toBe(
      'gbz: components[0].command-length at byte 106: declares 6 bytes, too few for a From Date Time and a ZCL header (at least 7)',
    );
  });

  it('refuses a payload truncated inside the component header', () => {
    expect(decodeError('0109 01 01 07')).toBe(
      'gbz: components[0].cluster-id at byte 104: truncated: needs 2 bytes, 1 left',
    );
  });

  it('refuses a component count larger than the components present', () => {
    expect(decodeError(`0109 02 ${READ_METERING.replace(/\s/g, '').slice(6)}`)).toBe(
      'gbz: components[1] at byte 115: header declares 2 components, but the payload ends after 1',
    );
  });

  it('refuses a component count smaller than the components present', () => {
    expect(decodeError(`0109 01 ${TWO_DEFAULT_RESPONSES.replace(/\s/g, '').slice(6)}`, 2)).toBe(
      'gbz: components[1] at byte 113: header declares 1 component, but 10 more bytes follow',
    );
  });

  it('refuses bytes after the last component', () => {
    expect(decodeError(`${READ_METERING} FF`)).toBe(
      'gbz: components[1] at byte 115: header declares 1 component, but 1 more byte follow',
    );
  });

  it('refuses a last-component flag that is missing on the final component or set on an earlier one', () => {
    expect(decodeError('0109 01 00 0702 0007 00 05 00 0000 1400')).toBe(
      'gbz: components[0].control at byte 103: last-component flag (0x01) missing on the final component (1 of 1)',
    );
    expect(decodeError('0109 02 01 0700 0005 00 01 0B 02 00 01 0707 0005 00 02 0B 00 81', 2)).toBe(
      'gbz: components[0].control at byte 103: last-component flag (0x01) set on component 1 of 2',
    );
  });

  it('refuses reserved control bits and an encrypted component with a From Date Time', () => {
    expect(decodeError('0109 01 05 0702 0003 00 05 00')).toBe(
      'gbz: components[0].control at byte 103: reserved bits set (0x05)',
    );
    expect(decodeError('0109 01 13 0702 0003 00 05 00')).toBe(
      'gbz: components[0].control at byte 103: an encrypted component cannot carry a From Date Time (0x13)',
    );
  });

  it('refuses a ciphered length that disagrees with the component length', () => {
    const hex = clean(ENCRYPTED_RESPONSE).replace('0015310000', '0014310000');
    expect(decodeError(hex, 2)).toBe(
      'gbz: components[0].ciphered-length at byte 113: declares 20 bytes, but the component has 21 left',
    );
  });

  it('refuses a reserved ZCL frame type and reserved frame control bits', () => {
    expect(decodeError('0109 01 01 0702 0003 02 05 00')).toBe(
      'gbz: components[0].zcl.frame-control at byte 108: reserved frame type 2 (0x02)',
    );
    expect(decodeError('0109 01 01 0702 0003 20 05 00')).toBe(
      'gbz: components[0].zcl.frame-control at byte 108: reserved bits set (0x20)',
    );
  });

  it('refuses global command payloads of the wrong length', () => {
    expect(decodeError('0109 01 01 0702 0006 00 05 00 0000 14')).toBe(
      'gbz: components[0].zcl.payload.attribute-ids at byte 111: 3 bytes are not a whole number of 2-byte attribute identifiers',
    );
    expect(decodeError('0109 01 01 0702 0006 08 05 0B 06 00 FF', 2)).toBe(
      'gbz: components[0].zcl.payload at byte 113: 1 unexpected byte(s) left over: FF',
    );
    expect(decodeError('0109 01 01 0702 0009 08 05 01 0000 00 23 0102', 2)).toBe(
      'gbz: components[0].zcl.payload.records[0].value at byte 115: truncated: needs 4 bytes, 2 left',
    );
  });

  it('refuses an unknown ZCL data type, whose size cannot be known', () => {
    expect(decodeError('0109 01 01 0702 0009 08 05 01 0000 00 05 0102', 2)).toBe(
      'gbz: components[0].zcl.payload.records[0].value.type at byte 114: unknown ZCL data type 0x05',
    );
  });

  it('refuses malformed alert structures', () => {
    expect(decodeError('0109 01 8F66 2A296880 0D 0070 00000000000004D2 0705 01', 3)).toBe(
      'gbz: components[0].length at byte 109: expected 0x0E, got 0x0D',
    );
    expect(decodeError('0109 02 81A0 2A296880 0008 0009', 3)).toBe(
      'gbz: component-count at byte 102: alert 0x81A0 carries one integrity-issue-warning component, header declares 2',
    );
    expect(decodeError('0109 01 81A0 2A296880 0008 00', 3)).toBe(
      'gbz: components[1] at byte 111: header declares 1 component, but 1 more byte follow',
    );
    expect(decodeError('0109 01 8F72 2A296880 0910 00', 3)).toBe(
      'gbz: components[0].length at byte 110: expected 0x20, got 0x10',
    );
  });
});

describe('GBZ encoding refuses values that cannot be written as given', () => {
  const components = (decodeHex(TWO_DEFAULT_RESPONSES, 2) as Extract<GbzPayload, { kind: 'components' }>)
    .components;

  function encodeError(gbz: GbzPayload, cra: 1 | 2 | 3 = 2): string {
    try {
      encodeToHex(gbz, cra);
    } catch (e) {
      expect(e).toBeInstanceOf(EncodeError);
      return (e as Error).message;
    }
    throw new Error('encoded without error');
  }

  it('derives the component count and insists the last flag marks the final component', () => {
    expect(encodeError({ kind: 'components', components: [components[1]!, components[0]!] })).toBe(
      'gbz: cannot encode components[0].lastComponent: must be false for component 1 of 2',
    );
  });

  it('refuses a payload kind that does not fit the command id', () => {
    const c = components[0]!;
    const wrong = { ...c, payload: { kind: 'read-attributes', attributeIds: [1] } } as GbzComponent;
    expect(encodeError({ kind: 'components', components: [wrong, components[1]!] })).toBe(
      "gbz: cannot encode components[0].zcl.payload: a 'read-attributes' payload does not fit command 0x0B of a global frame (expects 'default-response')",
    );
  });

  it('refuses a payload kind that disagrees with the CRA flag', () => {
    expect(encodeError({ kind: 'components', components }, 3)).toBe(
      'gbz: cannot encode kind: a command or response payload needs CRA flag 1 or 2, got 3',
    );
    expect(encodeError(decodeHex(BARE_ALERT, 3), 1)).toBe(
      'gbz: cannot encode kind: an alert payload needs CRA flag 3, got 1',
    );
  });

  it('refuses a MAC that is not 12 bytes and a manufacturer code without the flag', () => {
    const enc = only(decodeHex(ENCRYPTED_RESPONSE, 2)) as Extract<GbzComponent, { encrypted: true }>;
    expect(
      encodeError({
        kind: 'components',
        components: [{ ...enc, ciphered: { ...enc.ciphered, mac: new Uint8Array(11) } }],
      }),
    ).toBe('gbz: cannot encode components[0].mac: expected 12 bytes, got 11');
    expect(
      encodeError({
        kind: 'components',
        components: [{ ...enc, header: { ...enc.header, manufacturerCode: 0x1234 } }],
      }),
    ).toBe(
      'gbz: cannot encode components[0].zcl.manufacturer-code: must be present exactly when the frame is manufacturer-specific',
    );
  });

  it('refuses an alert structure that belongs to another alert code', () => {
    const alert = decodeHex('0109 01 81A0 2A296880 0008', 3) as Extract<GbzPayload, { kind: 'alert' }>;
    expect(encodeError({ ...alert, alertCode: 0x8f35 }, 3)).toBe(
      'gbz: cannot encode body: a integrity-issue-warning structure does not belong to alert 0x8F35',
    );
  });
});
