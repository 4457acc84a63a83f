// Typed bodies of the seed SRVs: read from the duis-templates requests (read in place), built from values, and
// refused, with the element path, where a value breaks its XSD facet.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eui64 } from '../../../src/codec/eui64.js';
import { decodeGbcs } from '../../../src/codec/gbcs/frame.js';
import { messageCodesForUseCase } from '../../../src/codec/gbcs/message-codes.js';
import { parseXml } from '../../../src/codec/xml/parse.js';
import { serializeXml } from '../../../src/codec/xml/serialize.js';
import {
  TYPED_BODIES,
  chfFaultReturn,
  chfInstallSuccessNoSmWan,
  chfInstallSuccessSmWan,
  chfNoFaultReturn,
  readInventory,
  requestWanMatrix,
  returnLocalCommandResponse,
  topUpDevice,
  updateFirmware,
  updateHanDeviceLog,
  updatePpmidFirmware,
  type BodyCodec,
  type UpdateHanDeviceLogBody,
} from '../../../src/codec/duis/bodies.js';
import { buildDuisRequest, parseDuisRequest, type DuisRequest } from '../../../src/codec/duis/request.js';
import { srvInfo } from '../../../src/codec/duis/srv.js';
import { HAVE_VECTORS, vectorPath } from '../../vectors.js';

const template = (name: string): DuisRequest =>
  parseDuisRequest(parseXml(readFileSync(vectorPath('duis-templates', 'templates', name))));

/** Wraps a typed body in a request of its SRV, writes it out, reads it back, and returns the typed body again. */
function throughXml<T>(codec: BodyCodec<T>, value: T): T {
  const row = srvInfo(codec.srv)!;
  const req: DuisRequest = {
    schemaVersion: '5.4',
    header: {
      requestId: { originator: eui64('90B3D51F30010000'), target: eui64('90B3D51F30000002'), counter: 7n },
      commandVariant: row.commandVariants[0]!,
      serviceReference: row.serviceReference,
      serviceReferenceVariant: row.srv as DuisRequest['header']['serviceReferenceVariant'],
    },
    body: codec.encode(value),
  };
  return codec.read(parseDuisRequest(parseXml(serializeXml(buildDuisRequest(req)))));
}

function error(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

/** ZigBee OTA upgrade file identifier 0x0BEEF11E, little-endian, opens every OTA image (domain brief §4.5). */
const OTA_FILE_ID = [0x1e, 0xf1, 0xee, 0x0b];

describe.skipIf(!HAVE_VECTORS)('typed bodies read from the duis-templates requests', () => {
  it('8.11 Update HAN Device Log (CCS02): remove 00-DB-12-34-56-78-90-A0 from the CHF device log', () => {
    expect(updateHanDeviceLog.read(template('CCS02_8.11_SUCCESS_REQUEST_DUIS.XML'))).toEqual({
      deviceId: eui64('00DB1234567890A0'),
      requestType: 'Remove',
    });
  });

  it('11.4 Update PPMID Firmware: a 295-byte ZigBee OTA image, version 00000000, for the PPMID 00-DB-…-A4', () => {
    const v = updatePpmidFirmware.read(template('11.4_UPDATE_PPMID_FIRMWARE_REQUEST_DUIS.XML'));
    expect(v.firmwareImage).toHaveLength(295);
    expect([...v.firmwareImage.subarray(0, 4)]).toEqual(OTA_FILE_ID);
    expect(v.firmwareVersion).toBe('00000000');
    expect(v.deviceIdList).toEqual([eui64('00DB1234567890A4')]);
    expect(throughXml(updatePpmidFirmware, v)).toEqual(v);
  });

  it('11.1 Update Firmware: a 361-byte OTA image for the ESME 00-DB-…-A0', () => {
    const v = updateFirmware.read(template('11.1_UPDATE_FIRMWARE_REQUEST_DUIS.XML'));
    expect(v.firmwareImage).toHaveLength(361);
    expect([...v.firmwareImage.subarray(0, 4)]).toEqual(OTA_FILE_ID);
    expect(v.deviceIdList).toEqual([eui64('00DB1234567890A0')]);
  });

  it('2.2 Top Up Device: the 20-digit UTRN of CS01a and CS01b', () => {
    expect(topUpDevice.read(template('CS01a_2.2_SUCCESS_REQUEST_DUIS.XML'))).toEqual({
      utrn: '73946144332040217315',
    });
    expect(topUpDevice.read(template('CS01b_2.2_SUCCESS_REQUEST_DUIS.XML')).utrn).toMatch(/^[0-9]{20}$/);
  });

  it('8.13 Return Local Command Response: the original RequestID and a CS06 GBCS response decodeGbcs reads', () => {
    const v = returnLocalCommandResponse.read(
      template('8.13_RETURN_LOCAL_COMMAND_RESPONSE_CS06_REQUEST_DUIS.XML'),
    );
    expect(v.originalRequestId).toEqual({
      originator: eui64('90B3D51F30010000'),
      target: eui64('00DB1234567890A0'),
      counter: 1000n,
    });
    const m = decodeGbcs(v.deviceGbcsResponse);
    expect(m.header).toMatchObject({
      cra: 2,
      originator: eui64('00DB1234567890A0'),
      originatorCounter: 1000n,
    });
    expect(messageCodesForUseCase('CS06').map((c) => c.code)).toContain(m.header.messageCode);
    expect(throughXml(returnLocalCommandResponse, v)).toEqual(v);
  });

  it('8.14.2 CH Status Update, install without SM WAN: location, premises and obstruction checks', () => {
    expect(
      chfInstallSuccessNoSmWan.read(
        template('8.14.2_COMMUNICATIONS_HUB_STATUS_UPDATE_INSTALL_NO_SM_WAN_REQUEST_DUIS.XML'),
      ),
    ).toEqual({
      deviceId: eui64('00DB1234567890A2'),
      chfInstallType: 'CHF Install - no SM WAN',
      mpxn: '1000999888',
      aerialInstall: true,
      chfLocation: 'Basement or Cellar',
      premiseType: 'Low Rise Apartment (MDU <= 5 floors)',
      metalObstructionCheck: false,
      connectivityObstructionCheck: false,
      sharedObstructionCheck: false,
    });
  });

  it('8.14.3 CH Status Update, fault return: a damaged case found before installation', () => {
    expect(
      chfFaultReturn.read(template('8.14.3_COMMUNICATIONS_HUB_STATUS_UPDATE_FAULT_RETURN_REQUEST_DUIS.XML')),
    ).toEqual({
      deviceId: eui64('00DB1234567890A2'),
      chfFaultReturnType: 'Fault identified prior to installation',
      otherDeviceId: eui64('00DB1234567890A0'),
      chfConnectionMethod: 'Hot-shoe',
      chfFaultReason: 'Damaged case',
    });
  });

  it('8.14.4 CH Status Update, no-fault return (general)', () => {
    expect(
      chfNoFaultReturn.read(
        template('8.14.4_COMMUNICATIONS_HUB_STATUS_UPDATE_NO_FAULT_RETURN_REQUEST_DUIS.XML'),
      ),
    ).toEqual({ deviceId: eui64('00DB1234567890A2'), chfNoFaultReturnType: 'No Fault Return (general)' });
  });

  it('12.1 Request WAN Matrix: by partial address', () => {
    expect(requestWanMatrix.read(template('12.1_REQUEST_WAN_MATRIX_ADDRESS_REQUEST_DUIS.XML'))).toEqual({
      kind: 'PartialAddress',
      value: { postCode: 'M22 0RR', addressIdentifier: 'Threapwood Road' },
    });
  });

  it('8.2 Read Inventory (duis-sign-wrap sample): by device ID', () => {
    const req = parseDuisRequest(
      parseXml(
        readFileSync(vectorPath('duis-sign-wrap', 'test', 'data', '8.2_READ_INVENTORY_REQUEST_DUIS.XML')),
      ),
    );
    expect(readInventory.read(req)).toEqual({ kind: 'DeviceID', value: eui64('00DB1234567890A2') });
  });
});

describe('typed bodies built from values', () => {
  const add: UpdateHanDeviceLogBody = {
    executionDateTime: '2025-06-01T00:00:00Z',
    deviceId: eui64('00DB1234567890A0'),
    requestType: 'Add',
    addDeviceToChfWhitelist: {
      joinTimePeriod: 90,
      installCode: new TextEncoder().encode('0123456789ABCDEF'),
      importMpxn: '1234567890123',
    },
  };

  it('8.11 Add with the CHF whitelist entry, written in XSD order with the install code in hex', () => {
    const body = updateHanDeviceLog.encode(add);
    expect(body).toEqual({
      element: 'UpdateHANDeviceLog',
      children: [
        { name: 'ExecutionDateTime', text: '2025-06-01T00:00:00Z' },
        { name: 'DeviceID', text: '00-DB-12-34-56-78-90-A0' },
        { name: 'RequestType', text: 'Add' },
        {
          name: 'AddDeviceToCHFWhitelist',
          children: [
            { name: 'JoinTimePeriod', text: '90' },
            { name: 'InstallCode', text: '30313233343536373839414243444546' },
            { name: 'ImportMPxN', text: '1234567890123' },
          ],
        },
      ],
    });
    expect(throughXml(updateHanDeviceLog, add)).toEqual(add);
  });

  it('8.14.1 install with SM WAN, 8.2 by UPRN and by property, 12.1 by UPRN', () => {
    const install = {
      deviceId: eui64('00DB1234567890A2'),
      chfInstallType: 'New CHF Install',
      installDateTime: '2025-06-01T09:30:00Z',
      userRefId: 'job-42',
      mpxn: '1000999888',
      gisData: '53.38,-2.25',
      aerialInstall: false,
      chfLocation: 'Deep indoors',
      additionalInformation: 'meter cupboard',
    } as const;
    expect(throughXml(chfInstallSuccessSmWan, install)).toEqual(install);
    expect(throughXml(readInventory, { kind: 'UPRN', value: 123456789012 })).toEqual({
      kind: 'UPRN',
      value: 123456789012,
    });
    const byProperty = {
      kind: 'PropertyFilter',
      value: { postCode: 'M22 0RR', addressIdentifier: '12' },
    } as const;
    expect(throughXml(readInventory, byProperty)).toEqual(byProperty);
    expect(throughXml(requestWanMatrix, { kind: 'UPRN', value: 1 })).toEqual({ kind: 'UPRN', value: 1 });
  });

  it('one codec per seed SRV: 2.2, 8.2, 8.11, 8.13, 8.14.1-4, 11.1, 11.4, 12.1', () => {
    expect([...TYPED_BODIES.keys()].sort()).toEqual(
      ['2.2', '8.2', '8.11', '8.13', '8.14.1', '8.14.2', '8.14.3', '8.14.4', '11.1', '11.4', '12.1'].sort(),
    );
  });
});

describe('typed bodies refuse values their XSD facets refuse', () => {
  const body = (children: DuisRequest['body']['children']) => ({ element: 'UpdateHANDeviceLog', children });
  const device = { name: 'DeviceID', text: '00-DB-12-34-56-78-90-A0' };
  const path = 'duis: Request/Body/UpdateHANDeviceLog';

  it('an install code of 17 bytes', () => {
    const whitelist = {
      name: 'AddDeviceToCHFWhitelist',
      children: [
        { name: 'JoinTimePeriod', text: '90' },
        { name: 'InstallCode', text: '00'.repeat(17) },
      ],
    };
    expect(
      error(() => updateHanDeviceLog.decode(body([device, { name: 'RequestType', text: 'Add' }, whitelist]))),
    ).toBe(`${path}/AddDeviceToCHFWhitelist/InstallCode: expected 6..16 bytes of hex, got 17`);
  });

  it('a join time over 3600', () => {
    const whitelist = {
      name: 'AddDeviceToCHFWhitelist',
      children: [
        { name: 'JoinTimePeriod', text: '3601' },
        { name: 'InstallCode', text: '00'.repeat(16) },
      ],
    };
    expect(
      error(() => updateHanDeviceLog.decode(body([device, { name: 'RequestType', text: 'Add' }, whitelist]))),
    ).toBe(`${path}/AddDeviceToCHFWhitelist/JoinTimePeriod: value 3601 is outside 1..3600`);
  });

  it('a RequestType other than Add or Remove', () => {
    expect(error(() => updateHanDeviceLog.decode(body([device, { name: 'RequestType', text: 'add' }])))).toBe(
      `${path}/RequestType: "add" is not one of "Add", "Remove"`,
    );
  });

  it('elements out of order, missing or extra', () => {
    expect(error(() => updateHanDeviceLog.decode(body([{ name: 'RequestType', text: 'Add' }, device])))).toBe(
      `${path}: expected sr:DeviceID, got sr:RequestType`,
    );
    expect(error(() => updateHanDeviceLog.decode(body([device])))).toBe(`${path}: missing sr:RequestType`);
    expect(
      error(() =>
        updateHanDeviceLog.decode(
          body([device, { name: 'RequestType', text: 'Remove' }, { name: 'X', text: '1' }]),
        ),
      ),
    ).toBe(`${path}: unexpected sr:X`);
  });

  it('a UTRN of 19 digits and a device list with a malformed entry', () => {
    expect(
      error(() =>
        topUpDevice.decode({ element: 'TopUpDevice', children: [{ name: 'UTRN', text: '7'.repeat(19) }] }),
      ),
    ).toBe('duis: Request/Body/TopUpDevice/UTRN: "7777777777777777777" is not a 20-digit UTRN');
    const firmware = {
      element: 'UpdateFirmware',
      children: [
        { name: 'FirmwareImage', text: 'AAAA' },
        { name: 'FirmwareVersion', text: '1' },
        { name: 'DeviceIDList', text: '00-DB-12-34-56-78-90-A0,00DB1234567890A1' },
      ],
    };
    expect(error(() => updateFirmware.decode(firmware))).toBe(
      'duis: Request/Body/UpdateFirmware/DeviceIDList: device 2 "00DB1234567890A1" is not an EUI-64 written XX-XX-XX-XX-XX-XX-XX-XX',
    );
  });

  it('base64 that is not canonical xs:base64Binary', () => {
    const image = (text: string) => ({
      element: 'UpdatePPMIDFirmware',
      children: [
        { name: 'FirmwareImage', text },
        { name: 'FirmwareVersion', text: '1' },
        { name: 'DeviceIDList', text: '00-DB-12-34-56-78-90-A0' },
      ],
    });
    expect(error(() => updatePpmidFirmware.decode(image('AAA')))).toBe(
      'duis: Request/Body/UpdatePPMIDFirmware/FirmwareImage: "AAA" is not xs:base64Binary (length 3 after whitespace)',
    );
    expect(error(() => updatePpmidFirmware.decode(image('AB==')))).toBe(
      'duis: Request/Body/UpdatePPMIDFirmware/FirmwareImage: base64 final quantum has non-zero unused bits',
    );
    expect(updatePpmidFirmware.decode(image('AA\r\nAA')).firmwareImage).toEqual(new Uint8Array(3));
  });

  it('a request of another SRV, or a Signed Pre-Command body', () => {
    const req = (srv: '2.2' | '8.11', element: string): DuisRequest => ({
      schemaVersion: '5.4',
      header: {
        requestId: { originator: eui64('90B3D51F30010000'), target: eui64('00DB1234567890A0'), counter: 1n },
        commandVariant: 1,
        serviceReference: srv,
        serviceReferenceVariant: srv,
      },
      body: { element, children: [] },
    });
    expect(error(() => updateHanDeviceLog.read(req('2.2', 'TopUpDevice')))).toBe(
      'duis: Request/Header/ServiceReferenceVariant: expected SRV 8.11, got 2.2',
    );
    expect(error(() => updateHanDeviceLog.read(req('8.11', 'SignedPreCommand')))).toBe(
      'duis: Request/Body: expected sr:UpdateHANDeviceLog, got sr:SignedPreCommand',
    );
  });

  it('a choice alternative named like an Object property, and attributes where the XSD has none', () => {
    expect(
      error(() =>
        readInventory.decode({ element: 'ReadInventory', children: [{ name: 'toString', text: '1' }] }),
      ),
    ).toBe(
      'duis: Request/Body/ReadInventory: expected one of sr:UPRN, sr:DeviceID, sr:MPxN, sr:PropertyFilter, got sr:toString',
    );
    expect(
      error(() =>
        topUpDevice.decode({
          element: 'TopUpDevice',
          attributes: { id: '1' },
          children: [{ name: 'UTRN', text: '0'.repeat(20) }],
        }),
      ),
    ).toBe('duis: Request/Body/TopUpDevice: unexpected attributes');
  });

  it('a value missing when writing', () => {
    expect(error(() => topUpDevice.encode({} as never))).toBe(
      'duis: Request/Body/TopUpDevice/UTRN: missing value for utrn',
    );
  });
});
