/** Test helpers that write telegram text by hand (independently of formatTelegram). */
import { crc16 } from '../../src/core/checksum.js';

export interface TextOptions {
  header?: string;
  eol?: string;
  blankLine?: boolean;
  /** `true` (default): a correct CRC; a string: exactly these characters after `!`; `false`: none. */
  crc?: boolean | string;
}

/** Latin-1 bytes of a string (test inputs only use chars ≤ U+00FF). */
export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export function hex(crc: number): string {
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** A telegram around the given data lines, with a correct CRC unless told otherwise. */
export function telegramText(lines: readonly string[], options: TextOptions = {}): string {
  const { header = '/TST5\\2TEST-METER', eol = '\r\n', blankLine = true, crc = true } = options;
  let text = header + eol + (blankLine ? eol : '');
  for (const line of lines) text += line + eol;
  text += '!';
  if (crc === true) text += hex(crc16(latin1(text)));
  else if (typeof crc === 'string') text += crc;
  return text + eol;
}

/** The DSMR 5 telegram of appendix A.1 of the protocol notes (CRC 95A8). */
export const APPENDIX_A1_LINES = [
  '1-3:0.2.8(50)',
  '0-0:1.0.0(240315143000W)',
  '0-0:96.1.1(4530303132333435363738393031323334)',
  '1-0:1.8.1(001234.567*kWh)',
  '1-0:1.8.2(002345.678*kWh)',
  '1-0:2.8.1(000123.456*kWh)',
  '1-0:2.8.2(000234.567*kWh)',
  '0-0:96.14.0(0002)',
  '1-0:1.7.0(00.450*kW)',
  '1-0:2.7.0(00.000*kW)',
  '0-0:96.7.21(00007)',
  '0-0:96.7.9(00002)',
  '1-0:99.97.0(2)(0-0:96.7.19)(240110083015W)(0000000240*s)(231028221102S)(0000012345*s)',
  '1-0:32.32.0(00001)',
  '1-0:32.36.0(00000)',
  '0-0:96.13.0()',
  '1-0:32.7.0(231.4*V)',
  '1-0:31.7.0(002*A)',
  '1-0:21.7.0(00.450*kW)',
  '1-0:22.7.0(00.000*kW)',
  '0-1:24.1.0(003)',
  '0-1:96.1.0(4730303132333435363738393031323334)',
  '0-1:24.2.1(240315142500W)(01234.567*m3)',
];

export const APPENDIX_A1 = telegramText(APPENDIX_A1_LINES, { header: '/XYZ5\\2EXAMPLE-0001' });
