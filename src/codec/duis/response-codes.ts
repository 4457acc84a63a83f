// DUIS response codes: one list, one row per code, in the order of the ResponseCode enumeration of DUIS Schema V5.4
// (every code the schema allows is here [O]). Meanings of I0, I99, E1-E5, E11-E13, E17, E19-E21 and E30 are DUIS's
// (domain brief §3.2, confirmed against the smets2reference DCC Systems Response Codes page) [C], paraphrased; E65
// was seen answering SR 11.2 in DCC Boxed, meaning unknown [O]. Every other meaning is null: the DUIS Appendix AD
// table was not available [gap]. The six-digit codes appear to carry a Service Reference in their digits (E081101
// beside SR 8.11, E110401 beside 11.4) [A: inferred, unconfirmed]; W codes are warnings.

export type ResponseCodeKind = 'success' | 'acknowledgement' | 'error' | 'warning';

/** A DUIS ResponseCode as the grammar writes it: I0, I99, E<digits>, W<digits>. */
export type ResponseCode = 'I0' | 'I99' | `E${number}` | `W${number}`;

export interface ResponseCodeRow {
  readonly code: string;
  /** null: the meaning is not in the sources used. */
  readonly meaning: string | null;
}

// prettier-ignore
export const RESPONSE_CODES = [
  { code: 'I0', meaning: 'Success: the request had a successful outcome' },
  { code: 'I99', meaning: 'Acknowledgement: accepted for sending to the Device and passed access control; or a successful non-device request with no XML data in the response' },
  { code: 'E1', meaning: 'Failed authorisation: User / User Role combination is not a valid SEC Party and role' },
  { code: 'E2', meaning: 'Failed authorisation: User Role not permitted to send this Service Reference' },
  { code: 'E3', meaning: 'Failed authorisation: User status does not permit this Service Reference' },
  { code: 'E4', meaning: 'Failed authorisation: User Role not authorised for the Device at the required date and time' },
  { code: 'E5', meaning: 'Failed authorisation: Device SMI status incompatible with the Service Reference' },
  { code: 'E11', meaning: 'Failed validation: Service Reference not compatible with the Device type' },
  { code: 'E12', meaning: 'Failed validation: Command Variant not applicable to the request' },
  { code: 'E13', meaning: 'Failed validation: request type not valid for the URL (e.g. a non-device request sent to Transform)' },
  { code: 'E17', meaning: 'Failed authorisation: command for local delivery not available for this User Role / Device status' },
  { code: 'E19', meaning: 'Failed authorisation: Device does not exist (invalid Device ID)' },
  { code: 'E20', meaning: 'Communications failure: unable to communicate with the Device' },
  { code: 'E21', meaning: 'Communications failure: no response from the Device to an on-demand or future-dated command' },
  { code: 'E30', meaning: 'Time-out of a future-dated command' },
  { code: 'E31', meaning: null }, { code: 'E40', meaning: null }, { code: 'E41', meaning: null }, { code: 'E42', meaning: null },
  { code: 'E43', meaning: null }, { code: 'E44', meaning: null }, { code: 'E45', meaning: null }, { code: 'E46', meaning: null },
  { code: 'E47', meaning: null }, { code: 'E48', meaning: null }, { code: 'E49', meaning: null }, { code: 'E50', meaning: null },
  { code: 'E51', meaning: null }, { code: 'E52', meaning: null }, { code: 'E53', meaning: null }, { code: 'E54', meaning: null },
  { code: 'E55', meaning: null }, { code: 'E56', meaning: null }, { code: 'E57', meaning: null }, { code: 'E58', meaning: null },
  { code: 'E59', meaning: null }, { code: 'E60', meaning: null }, { code: 'E61', meaning: null }, { code: 'E62', meaning: null },
  { code: 'E63', meaning: null }, { code: 'E64', meaning: null }, { code: 'E65', meaning: null }, { code: 'E66', meaning: null },
  { code: 'E67', meaning: null }, { code: 'E68', meaning: null }, { code: 'E69', meaning: null }, { code: 'E70', meaning: null },
  { code: 'E71', meaning: null }, { code: 'E100', meaning: null }, { code: 'E1000', meaning: null }, { code: 'E1001', meaning: null },
  { code: 'E1003', meaning: null }, { code: 'E1004', meaning: null }, { code: 'E1006', meaning: null }, { code: 'E1007', meaning: null },
  { code: 'E1008', meaning: null }, { code: 'E1010', meaning: null }, { code: 'E1011', meaning: null },
  { code: 'E010101', meaning: null }, { code: 'E010102', meaning: null }, { code: 'E010201', meaning: null },
  { code: 'E030301', meaning: null }, { code: 'E030302', meaning: null }, { code: 'E040101', meaning: null },
  { code: 'E041701', meaning: null }, { code: 'E050101', meaning: null }, { code: 'E050102', meaning: null },
  { code: 'E050103', meaning: null }, { code: 'E050105', meaning: null }, { code: 'E050107', meaning: null },
  { code: 'E050108', meaning: null }, { code: 'E050109', meaning: null }, { code: 'E050110', meaning: null },
  { code: 'E050111', meaning: null }, { code: 'E050112', meaning: null }, { code: 'E050201', meaning: null },
  { code: 'E050202', meaning: null }, { code: 'W050201', meaning: null }, { code: 'E050301', meaning: null },
  { code: 'E050302', meaning: null }, { code: 'W050301', meaning: null }, { code: 'E060501', meaning: null },
  { code: 'E060502', meaning: null }, { code: 'E060701', meaning: null }, { code: 'E060801', meaning: null },
  { code: 'E060802', meaning: null }, { code: 'E060803', meaning: null }, { code: 'E061301', meaning: null },
  { code: 'E061304', meaning: null }, { code: 'E061305', meaning: null }, { code: 'E061501', meaning: null },
  { code: 'E061504', meaning: null }, { code: 'E061505', meaning: null }, { code: 'E061506', meaning: null },
  { code: 'E061507', meaning: null }, { code: 'E061508', meaning: null }, { code: 'E061509', meaning: null },
  { code: 'E061801', meaning: null }, { code: 'E061802', meaning: null }, { code: 'E061803', meaning: null },
  { code: 'E062101', meaning: null }, { code: 'E062102', meaning: null }, { code: 'E062103', meaning: null },
  { code: 'E062105', meaning: null }, { code: 'E062201', meaning: null }, { code: 'E062202', meaning: null },
  { code: 'E062203', meaning: null }, { code: 'E062301', meaning: null }, { code: 'E062302', meaning: null },
  { code: 'E062303', meaning: null }, { code: 'E062304', meaning: null }, { code: 'E062305', meaning: null },
  { code: 'E062306', meaning: null }, { code: 'E062401', meaning: null }, { code: 'E062402', meaning: null },
  { code: 'E062403', meaning: null }, { code: 'E062801', meaning: null }, { code: 'E062802', meaning: null },
  { code: 'E062803', meaning: null }, { code: 'E080201', meaning: null }, { code: 'E080202', meaning: null },
  { code: 'E080301', meaning: null }, { code: 'E080302', meaning: null }, { code: 'E080405', meaning: null },
  { code: 'E080406', meaning: null }, { code: 'E080407', meaning: null }, { code: 'E080408', meaning: null },
  { code: 'E080409', meaning: null }, { code: 'E080410', meaning: null }, { code: 'E080411', meaning: null },
  { code: 'E080412', meaning: null }, { code: 'E080413', meaning: null }, { code: 'E080414', meaning: null },
  { code: 'E080415', meaning: null }, { code: 'E080501', meaning: null }, { code: 'E080502', meaning: null },
  { code: 'E080503', meaning: null }, { code: 'E080601', meaning: null }, { code: 'E080602', meaning: null },
  { code: 'E080604', meaning: null }, { code: 'E080606', meaning: null }, { code: 'E080607', meaning: null },
  { code: 'E080702', meaning: null }, { code: 'E080721', meaning: null }, { code: 'E080722', meaning: null },
  { code: 'E080723', meaning: null }, { code: 'E080801', meaning: null }, { code: 'E080821', meaning: null },
  { code: 'E080822', meaning: null }, { code: 'E080901', meaning: null }, { code: 'E080902', meaning: null },
  { code: 'E080903', meaning: null }, { code: 'E081101', meaning: null }, { code: 'E081102', meaning: null },
  { code: 'E081104', meaning: null }, { code: 'E081105', meaning: null }, { code: 'E081106', meaning: null },
  { code: 'E081107', meaning: null }, { code: 'E081108', meaning: null }, { code: 'E081109', meaning: null },
  { code: 'E081110', meaning: null }, { code: 'E081111', meaning: null }, { code: 'E081202', meaning: null },
  { code: 'E081204', meaning: null }, { code: 'E081205', meaning: null }, { code: 'E081221', meaning: null },
  { code: 'E081222', meaning: null }, { code: 'E081223', meaning: null }, { code: 'E081301', meaning: null },
  { code: 'E081302', meaning: null }, { code: 'E081303', meaning: null }, { code: 'E081401', meaning: null },
  { code: 'E081402', meaning: null }, { code: 'E081405', meaning: null }, { code: 'E081406', meaning: null },
  { code: 'W081401', meaning: null }, { code: 'E110101', meaning: null }, { code: 'E110102', meaning: null },
  { code: 'E110103', meaning: null }, { code: 'E110105', meaning: null }, { code: 'E110106', meaning: null },
  { code: 'W110101', meaning: null }, { code: 'E110401', meaning: null }, { code: 'E110402', meaning: null },
  { code: 'E110403', meaning: null }, { code: 'E110405', meaning: null }, { code: 'W110401', meaning: null },
  { code: 'E120101', meaning: null }, { code: 'E120102', meaning: null }, { code: 'E120103', meaning: null },
  { code: 'E120201', meaning: null }, { code: 'E120203', meaning: null }, { code: 'E120204', meaning: null },
  { code: 'E120207', meaning: null },
] as const satisfies readonly ResponseCodeRow[];

export type KnownResponseCode = (typeof RESPONSE_CODES)[number]['code'];

const BY_CODE = new Map<string, ResponseCodeRow>();
for (const row of RESPONSE_CODES as readonly ResponseCodeRow[]) {
  if (BY_CODE.has(row.code)) throw new Error(`response code table: ${row.code} listed twice`);
  BY_CODE.set(row.code, row);
}

const RESPONSE_CODE = /^(?:I0|I99|[EW][0-9]{1,7})$/;

/** Whether `text` has the form of a response code (the table need not list it). */
export function isResponseCode(text: string): text is ResponseCode {
  return RESPONSE_CODE.test(text);
}

/** The row for a code the schema enumerates; undefined otherwise. */
export function responseCodeInfo(code: string): ResponseCodeRow | undefined {
  return BY_CODE.get(code);
}

export function responseCodeKind(code: ResponseCode): ResponseCodeKind {
  if (code === 'I0') return 'success';
  if (code === 'I99') return 'acknowledgement';
  return code[0] === 'W' ? 'warning' : 'error';
}

/** `E12 Failed validation: …`; `E65 (meaning unknown)`; `E9999 (not in DUIS Schema V5.4)`. */
export function formatResponseCode(code: string): string {
  const row = BY_CODE.get(code);
  if (row === undefined) return `${code} (not in DUIS Schema V5.4)`;
  return row.meaning === null ? `${code} (meaning unknown)` : `${code} ${row.meaning}`;
}
