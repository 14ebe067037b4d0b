/**
 * Deviations that lenient parsing tolerates and records as a {@link DsmrWarning}; strict parsing
 * throws them as a {@link DsmrError} with the same code (except the informational ones marked below).
 */
export type DsmrWarningCode =
  /** Lines end in LF or CR only instead of CR LF. */
  | 'LINE_ENDING'
  /** No empty line after the header line. */
  | 'MISSING_BLANK_LINE'
  /** An empty line somewhere other than right after the header. */
  | 'EXTRA_BLANK_LINE'
  /** The header is not `/` + 3-letter manufacturer + baud character + identification, or has control bytes. */
  | 'HEADER_FORMAT'
  /** The CRC is in lower case or has fewer than 4 hex digits. */
  | 'CRC_FORMAT'
  /** The CRC matched only after restoring CR LF line ends that a bridge had stripped. */
  | 'CRC_LINE_ENDINGS_REPAIRED'
  /** An OBIS code in a non-standard form (`.255` / `*255` suffix, `:` as separator), normalised. */
  | 'OBIS_FORMAT'
  /** A data line whose value groups are not well formed (unbalanced parentheses); kept as raw text. */
  | 'MALFORMED_LINE'
  /** A value-only line `(…)` that does not follow a DSMR 2.2/3.0 `24.3.0` object. */
  | 'CONTINUATION_LINE'
  /** A value group that goes on over the next line (long text messages, as the DSMR spec examples print them); joined. */
  | 'WRAPPED_VALUE'
  /** A number, integer or hex value that is not one; the typed field is `null`. */
  | 'INVALID_VALUE'
  /** An empty value `()` where a number is expected; the typed field is `null`. */
  | 'EMPTY_VALUE'
  /** A value without a unit where one is expected; the expected unit is assumed. */
  | 'MISSING_UNIT'
  /** A unit written right after the number, without `*` (`000123.456kWh`, some Fluvius meters); read as if it had one. */
  | 'UNIT_SEPARATOR'
  /** A unit that is not the expected one and cannot be converted to it; the typed field is `null`. */
  | 'UNIT_MISMATCH'
  /** A timestamp that is not a valid date or has an unknown DST flag; the typed field is `null`. */
  | 'INVALID_TIMESTAMP'
  /** A timestamp whose DST flag is in lower case (`s`, `w`); read as `S`, `W`. */
  | 'TIMESTAMP_FORMAT'
  /** A placeholder timestamp meters send for "not set" (`632525252525W`, `000101000000W`, …). Informational: never an error. */
  | 'TIMESTAMP_NOT_SET'
  /** A timestamp without DST flag that falls in the hour that occurs twice (autumn) or not at all (spring). Informational. */
  | 'AMBIGUOUS_TIMESTAMP'
  /** A power-failure duration that is a placeholder (≥ 2^31 − 1 s); `durationSeconds` is `null`. */
  | 'INVALID_DURATION'
  /** A profile object whose entry count differs from the entries it lists. */
  | 'COUNT_MISMATCH'
  /** The same OBIS code twice; the typed fields take the first, `objects` keeps both. */
  | 'DUPLICATE_OBJECT'
  /** Bytes before the header that are not whitespace. */
  | 'LEADING_DATA'
  /** Bytes after the checksum line that are not whitespace, NUL or 0xFF. Informational. */
  | 'TRAILING_DATA'
  /** 7E1 characters read on an 8N1 port: the parity bit was stripped from every byte. */
  | 'PARITY_BIT_STRIPPED'
  /** A DLMS list whose OBIS codes (a list of values only) or scalers are not known: its values are kept as sent in `objects` and fill no typed field. Informational. */
  | 'UNKNOWN_LIST';

/** Codes of a {@link DsmrError}: every warning code (strict mode) plus the hard failures. */
export type DsmrErrorCode =
  | DsmrWarningCode
  /** The text is not a telegram: a line is neither header, data line, value line nor checksum line. */
  | 'SYNTAX'
  /** The CRC the telegram carries differs from the CRC of its bytes: the telegram is damaged. */
  | 'CRC_MISMATCH'
  /** A telegram without CRC that is not DSMR 2.2/3.0: it has a version (`1-3:0.2.8`, `0-0:96.1.4`) or timestamp (`0-0:1.0.0`) line. */
  | 'CRC_MISSING'
  /** A frame grew past `maxTelegramBytes` before its checksum line arrived. */
  | 'FRAME_TOO_LARGE'
  /** A frame ended (stream end, or a new header) before its checksum line. */
  | 'TRUNCATED'
  /** An encrypted frame could not be decrypted: wrong key, wrong authentication key or tampered data. */
  | 'DECRYPTION'
  /** An encrypted frame without authentication tag (security byte `0x20`) while authentication is required (the default). */
  | 'AUTHENTICATION_REQUIRED'
  /** Encrypted frames (`DB 08 …`) reached a decoder without `decryption`: pass the key. Reported once a stream. */
  | 'ENCRYPTED_NO_KEY'
  /** Plain telegrams reached a decoder with `decryption`: they are not read, as nothing authenticates them. Reported once a stream. */
  | 'UNENCRYPTED_TELEGRAM'
  /** A link (serial port, TCP bridge) brought no byte for `idleTimeout` ms; a reconnect follows. */
  | 'LINK_IDLE'
  /** An option has a value the library cannot use. */
  | 'INVALID_OPTION'
  /** Serial settings detection found no setting at which a telegram arrives. */
  | 'DETECTION_FAILED'
  /** A serial port or TCP bridge could not be opened (no such device, no permission, connection refused, unknown host, timeout); the error it gave is the `cause`. */
  | 'LINK_FAILED'
  /** An entry point's optional peer dependency (`serialport` for `dsmr-p1/serialport`) is not installed, or does not load. */
  | 'PEER_DEPENDENCY'
  /** An argument (other than options) the library cannot use, e.g. a value with `(` given to `formatTelegram`. */
  | 'INVALID_INPUT';

/** Informational warnings: strict mode records them too instead of throwing. */
export const INFORMATIONAL_WARNINGS: ReadonlySet<DsmrWarningCode> = new Set<DsmrWarningCode>([
  'TIMESTAMP_NOT_SET',
  'AMBIGUOUS_TIMESTAMP',
  'TRAILING_DATA',
  'UNKNOWN_LIST',
]);

/** Where something is in the parsed input. `line` and `column` are 1-based, `offset` 0-based. */
export interface DsmrPosition {
  /** 1-based line number. */
  line: number;
  /** 1-based column in that line. */
  column: number;
  /** 0-based character (= byte) offset in the parsed input. */
  offset: number;
}

/** A deviation that lenient parsing tolerated. */
export interface DsmrWarning extends DsmrPosition {
  /** What was tolerated; see {@link DsmrWarningCode}. */
  code: DsmrWarningCode;
  /** A human-readable explanation. */
  message: string;
  /** The OBIS code of the object concerned, if any. */
  obis: string | null;
}

/** A CRC16 the telegram carries and the one computed over its bytes. */
export interface CrcPair {
  /** The CRC after `!`. */
  expected: number;
  /** The CRC-16/ARC computed over the bytes from `/` to `!` inclusive. */
  actual: number;
}

/** The optional details of a {@link DsmrError}. */
export interface DsmrErrorDetails {
  /** 1-based line in the parsed input. */
  line?: number | undefined;
  /** 1-based column in that line. */
  column?: number | undefined;
  /** 0-based character (= byte) offset in the parsed input. */
  offset?: number | undefined;
  /** What the grammar expected at the position. */
  expected?: readonly string[] | undefined;
  /** The OBIS code of the object concerned. */
  obis?: string | undefined;
  /** For `CRC_MISMATCH`: the CRC the telegram carries and the one computed over its bytes. */
  checksum?: CrcPair | undefined;
  /** For stream errors: the bytes of the bad frame. */
  frame?: Uint8Array | undefined;
  /** For stream errors: the byte offset in the stream where the bad frame started. */
  frameOffset?: number | undefined;
  /** The underlying error (e.g. the WebCrypto failure of a `DECRYPTION` error). */
  cause?: unknown;
}

/** The one error type of dsmr-p1. `code` says what went wrong; the other fields say where. */
export class DsmrError extends Error {
  /** Always `'DsmrError'`. */
  override readonly name = 'DsmrError';
  /** What went wrong; see {@link DsmrErrorCode} and docs/errors.md. */
  readonly code: DsmrErrorCode;
  /** 1-based line in the parsed input. */
  readonly line: number | undefined;
  /** 1-based column in that line. */
  readonly column: number | undefined;
  /** 0-based character (= byte) offset in the parsed input. */
  readonly offset: number | undefined;
  /** For `SYNTAX` and `TRUNCATED` from the parser: what the grammar expected at the position. */
  readonly expected: readonly string[] | undefined;
  /** The OBIS code of the object concerned, if any. */
  readonly obis: string | undefined;
  /** For `CRC_MISMATCH`: the CRC the telegram carries and the one computed over its bytes. */
  readonly checksum: CrcPair | undefined;
  /** For errors reported by a stream: the bytes of the bad frame. */
  readonly frame: Uint8Array | undefined;
  /** For errors reported by a stream: the byte offset in the stream where the bad frame started. */
  readonly frameOffset: number | undefined;

  /**
   * @param code - What went wrong.
   * @param message - A human-readable explanation (with position and excerpt when known).
   * @param details - Where it went wrong, and the data that goes with the code.
   */

  constructor(code: DsmrErrorCode, message: string, details: DsmrErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.line = details.line;
    this.column = details.column;
    this.offset = details.offset;
    this.expected = details.expected;
    this.obis = details.obis;
    this.checksum = details.checksum;
    this.frame = details.frame;
    this.frameOffset = details.frameOffset;
  }

  /** A copy of this error that also says which frame of a stream it came from. */
  withFrame(frame: Uint8Array, frameOffset: number): DsmrError {
    const copy = new DsmrError(this.code, this.message, {
      line: this.line,
      column: this.column,
      offset: this.offset,
      expected: this.expected,
      obis: this.obis,
      checksum: this.checksum,
      cause: this.cause,
      frame,
      frameOffset,
    });
    if (this.stack !== undefined) copy.stack = this.stack;
    return copy;
  }
}

/** Narrows an unknown thrown value to a {@link DsmrError}. */
export function isDsmrError(value: unknown): value is DsmrError {
  return value instanceof DsmrError;
}
