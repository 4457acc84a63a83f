import { describe, expect, it } from 'vitest';
import { DecodeError, Reader, fromHex } from '../../../../src/codec/bytes.js';
import {
  decodeDlmsApdu,
  formatDlmsApdu,
  formatObis,
  parseObis,
  type DlmsApdu,
} from '../../../../src/codec/gbcs/dlms/index.js';
import { apduFromHex, apduToHex, hex } from './support.js';

const bytes = (h: string) => fromHex(h);
const CHF_DEVICE_LOG = bytes('00001E0300FF');

// Hand-written, shaped like a CHF device-log command: register a device (action), set an attribute,
// and read an event log with selective access; one Data per specification.
const ACCESS_REQUEST = `
  D9 20000007 00
  03
    03 0068 00001E0300FF 01
    02 0068 00001E0300FF 03
    04 0007 0000636200FF 02  01 02 02 06 00000001 06 00000002
  03
    02 02 09 08 0011223344556677 16 01
    12 0078
    00`;

const ACCESS_RESPONSE = `
  DA 20000007 00
  00
  03 00 00 12 0005
  03 03 01  02 00  01 FA`;

const ACCESS_RESPONSE_WITH_ECHO = `
  DA 00000001 0C 07E8010F010A1E0000800000
  01 01  01 0001 0000010000FF 02
  01 09 02 0102
  01 01 00`;

const DATA_NOTIFICATION = `
  0F 00000010 0C 07E8010F010A1E00FF800000
  02 02 12 8F66 09 0C 07E8010F010A1E0000800000`;

describe('DLMS access-request', () => {
  it('reads action, set and get-with-selection specifications and one Data per specification', () => {
    const apdu = apduFromHex(hex(ACCESS_REQUEST));
    expect(apdu).toEqual<DlmsApdu>({
      type: 'access-request',
      invokeIdAndPriority: 0x20000007,
      dateTime: null,
      specifications: [
        { type: 'action', classId: 104, instanceId: CHF_DEVICE_LOG, methodId: 1 },
        { type: 'set', classId: 104, instanceId: CHF_DEVICE_LOG, attributeId: 3 },
        {
          type: 'get-with-selection',
          classId: 7,
          instanceId: bytes('0000636200FF'),
          attributeId: 2,
          accessSelection: {
            accessSelector: 1,
            accessParameters: {
              type: 'structure',
              value: [
                { type: 'double-long-unsigned', value: 1 },
                { type: 'double-long-unsigned', value: 2 },
              ],
            },
          },
        },
      ],
      data: [
        {
          type: 'structure',
          value: [
            { type: 'octet-string', value: bytes('0011223344556677') },
            { type: 'enum', value: 1 },
          ],
        },
        { type: 'long-unsigned', value: 120 },
        { type: 'null-data' },
      ],
    });
    expect(apduToHex(apdu)).toBe(hex(ACCESS_REQUEST));
  });

  it('prints one line per field, indented by nesting', () => {
    expect(formatDlmsApdu(apduFromHex(hex(ACCESS_REQUEST)))).toEqual([
      'access-request',
      '  invoke-id-and-priority 0x20000007',
      '  date-time absent',
      '  access-request-specification (3)',
      '    [0] action 104 0-0:30.3.0.255 method 1',
      '    [1] set 104 0-0:30.3.0.255 attribute 3',
      '    [2] get-with-selection 7 0-0:99.98.0.255 attribute 2',
      '      access-selector 1',
      '      access-parameters structure (2)',
      '        [0] double-long-unsigned 1 (0x00000001)',
      '        [1] double-long-unsigned 2 (0x00000002)',
      '  access-request-list-of-data (3)',
      '    [0] structure (2)',
      '      [0] octet-string 0011223344556677',
      '      [1] enum 1',
      '    [1] long-unsigned 120 (0x0078)',
      '    [2] null-data',
    ]);
  });
});

describe('DLMS access-response', () => {
  it('reads the absent request echo, the list of data and a result per specification', () => {
    const apdu = apduFromHex(hex(ACCESS_RESPONSE));
    expect(apdu).toEqual<DlmsApdu>({
      type: 'access-response',
      invokeIdAndPriority: 0x20000007,
      dateTime: null,
      specifications: null,
      data: [{ type: 'null-data' }, { type: 'null-data' }, { type: 'long-unsigned', value: 5 }],
      responseSpecifications: [
        { type: 'action', actionResult: 1 },
        { type: 'set', dataAccessResult: 0 },
        { type: 'get', dataAccessResult: 250 },
      ],
    });
    expect(apduToHex(apdu)).toBe(hex(ACCESS_RESPONSE));
    expect(formatDlmsApdu(apdu)).toEqual([
      'access-response',
      '  invoke-id-and-priority 0x20000007',
      '  date-time absent',
      '  access-request-specification absent',
      '  access-response-list-of-data (3)',
      '    [0] null-data',
      '    [1] null-data',
      '    [2] long-unsigned 5 (0x0005)',
      '  access-response-specification (3)',
      '    [0] action hardware-fault (1)',
      '    [1] set success (0)',
      '    [2] get other-reason (250)',
    ]);
  });

  it('reads a present date-time and a present access-request-specification echo', () => {
    const apdu = apduFromHex(hex(ACCESS_RESPONSE_WITH_ECHO));
    expect(apdu).toMatchObject({
      dateTime: bytes('07E8010F010A1E0000800000'),
      specifications: [{ type: 'get', classId: 1, instanceId: bytes('0000010000FF'), attributeId: 2 }],
      data: [{ type: 'octet-string', value: bytes('0102') }],
      responseSpecifications: [{ type: 'get', dataAccessResult: 0 }],
    });
    expect(apduToHex(apdu)).toBe(hex(ACCESS_RESPONSE_WITH_ECHO));
    expect(formatDlmsApdu(apdu).slice(2, 5)).toEqual([
      '  date-time 2024-01-15 10:30:00.00 dow 1 status 0x00',
      '  access-request-specification (1)',
      '    [0] get 1 0-0:1.0.0.255 attribute 2',
    ]);
  });
});

describe('DLMS data-notification', () => {
  it('reads the notification body as one Data', () => {
    const apdu = apduFromHex(hex(DATA_NOTIFICATION));
    expect(apdu).toEqual<DlmsApdu>({
      type: 'data-notification',
      invokeIdAndPriority: 0x10,
      dateTime: bytes('07E8010F010A1E00FF800000'),
      notificationBody: {
        type: 'structure',
        value: [
          { type: 'long-unsigned', value: 0x8f66 },
          { type: 'octet-string', value: bytes('07E8010F010A1E0000800000') },
        ],
      },
    });
    expect(apduToHex(apdu)).toBe(hex(DATA_NOTIFICATION));
    expect(formatDlmsApdu(apdu)).toEqual([
      'data-notification',
      '  invoke-id-and-priority 0x00000010',
      '  date-time 2024-01-15 10:30:00.* dow 1 status 0x00',
      '  notification-body structure (2)',
      '    [0] long-unsigned 36710 (0x8F66)',
      '    [1] octet-string 07E8010F010A1E0000800000 (2024-01-15 10:30:00.00 dow 1 status 0x00)',
    ]);
  });
});

describe('DLMS APDU: refusals', () => {
  const refuse =
    (spaced: string, base = 0) =>
    () =>
      apduFromHex(hex(spaced), base);

  it('refuses a truncated octet-string with the path, the absolute offset and what was missing', () => {
    // The content starts at byte 4 of its message.
    expect(refuse('D9 00000001 00 00 01 09 0C AABBCC', 4)).toThrow(
      new DecodeError('dlms', 14, 'data[0].octet-string', 'truncated: needs 12 bytes, 3 left'),
    );
    expect(refuse('D9 00000001 00 00 01 09 0C AABBCC', 4)).toThrow(
      'dlms: data[0].octet-string at byte 14: truncated: needs 12 bytes, 3 left',
    );
  });

  it('refuses an unknown APDU tag', () => {
    expect(refuse('C0 0100')).toThrow(
      'dlms: tag at byte 0: unknown DLMS APDU tag 0xC0 (expected D9 access-request, DA access-response or 0F data-notification)',
    );
  });

  it('refuses a truncated header, a missing body and a missing list', () => {
    expect(refuse('D9 0000')).toThrow(
      'dlms: invokeIdAndPriority at byte 1: truncated: needs 4 bytes, 2 left',
    );
    expect(refuse('0F 00000001 00')).toThrow(
      'dlms: notificationBody at byte 6: truncated: needs 1 byte, 0 left',
    );
    expect(refuse('D9 00000001 00 00')).toThrow(
      'dlms: data.length at byte 7: truncated: needs 1 byte, 0 left',
    );
  });

  it('refuses a date-time that is neither empty nor 12 octets, and a truncated one', () => {
    expect(refuse('D9 00000001 0B 0102030405060708090A0B 00 00')).toThrow(
      'dlms: dateTime at byte 5: must be empty or 12 octets, got length 11',
    );
    expect(refuse('D9 00000001 0C 0102')).toThrow(
      'dlms: dateTime at byte 6: truncated: needs 12 bytes, 2 left',
    );
  });

  it('refuses access-request-specification choices outside get/set/action and their with-selection forms', () => {
    expect(refuse('D9 00000001 00 01 06 0001 0000010000FF 02 00 00')).toThrow(
      'dlms: specifications[0] at byte 7: unknown access-request-specification choice 6',
    );
    expect(refuse('D9 00000001 00 01 01 0003 0000')).toThrow(
      'dlms: specifications[0].instanceId at byte 10: truncated: needs 6 bytes, 2 left',
    );
  });

  it('refuses a presence flag other than 0x00/0x01 and unknown access-response-specification choices', () => {
    expect(refuse('DA 00000001 00 02')).toThrow(
      'dlms: specifications at byte 6: OPTIONAL presence flag must be 0x00 or 0x01, got 0x02',
    );
    expect(refuse('DA 00000001 00 00 00 01 04 00')).toThrow(
      'dlms: responseSpecifications[0] at byte 9: unknown access-response-specification choice 4',
    );
  });

  it('stops at the end of the APDU, so the caller refuses an over-long payload', () => {
    const r: Reader = new Reader(fromHex(hex(DATA_NOTIFICATION) + 'AB'), 'gbcs.payload', 30);
    decodeDlmsApdu(r);
    expect(r.remaining).toBe(1);
    expect(() => r.finish('payload')).toThrow(
      'gbcs.payload: payload at byte 67: 1 unexpected byte(s) left over: AB',
    );
  });
});

describe('DLMS APDU: encoding refusals', () => {
  const request = apduFromHex(hex(ACCESS_REQUEST));
  if (request.type !== 'access-request') throw new Error('fixture');

  it('refuses out-of-range and wrong-length header fields, naming them', () => {
    expect(() => apduToHex({ ...request, invokeIdAndPriority: -1 })).toThrow(
      'dlms: cannot encode invokeIdAndPriority: -1 is not an unsigned 32-bit integer',
    );
    expect(() => apduToHex({ ...request, dateTime: new Uint8Array(11) })).toThrow(
      'dlms: cannot encode dateTime: expected 12 bytes, got 11',
    );
  });

  it('refuses an instance-id that is not 6 octets and an unknown specification', () => {
    const spec = { type: 'set', classId: 1, instanceId: bytes('0000010000'), attributeId: 2 } as const;
    expect(() => apduToHex({ ...request, specifications: [spec] })).toThrow(
      'dlms: cannot encode specifications[0].instanceId: expected 6 bytes, got 5',
    );
    const unknown = { ...spec, type: 'action-with-selection' } as unknown as typeof spec;
    expect(() => apduToHex({ ...request, specifications: [unknown] })).toThrow(
      'dlms: cannot encode specifications[0]: unknown access-request-specification action-with-selection',
    );
  });

  it('refuses an unknown APDU type', () => {
    expect(() => apduToHex({ ...request, type: 'get-request' } as unknown as DlmsApdu)).toThrow(
      'dlms: cannot encode apdu: unknown DLMS APDU type get-request',
    );
  });
});

describe('OBIS codes', () => {
  it('formats and parses A-B:C.D.E.F', () => {
    expect(formatObis(CHF_DEVICE_LOG)).toBe('0-0:30.3.0.255');
    expect(parseObis('0-0:30.3.0.255')).toEqual(CHF_DEVICE_LOG);
    expect(() => parseObis('1-0:256.0.0.255')).toThrow(DecodeError);
    expect(() => parseObis('1.0.1.8.0.255')).toThrow('"1.0.1.8.0.255" is not an OBIS code');
  });
});
