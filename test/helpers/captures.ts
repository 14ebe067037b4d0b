/** The real captures of test/fixtures/captures with their manifest. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CAPTURES_DIR = fileURLToPath(new URL('../fixtures/captures/', import.meta.url));

export interface ExpectedReading {
  obis: string;
  timestamp_raw: string;
  timestamp_iso: string | null;
  raw?: string;
  value: number;
  unit?: string;
  value_raw?: string;
  period_min?: string;
}

export interface ExpectedText {
  raw: string;
  decoded?: string;
}

export interface Expected {
  header: string;
  crc_field: string | null;
  terminated: boolean;
  object_count: number;
  objects: Record<string, string | string[]>;
  p1_version_raw?: string;
  be_version_raw?: string;
  timestamp?: { raw: string; iso: string | null };
  equipment_id?: ExpectedText;
  logical_device_name?: ExpectedText;
  tariff_indicator?: string;
  registers?: Record<string, { raw: string; value: number; unit?: string }>;
  power_failures?: number;
  long_power_failures?: number;
  power_failure_log?: {
    raw: string;
    count: number;
    count_mismatch?: boolean;
    events?: { end_raw: string; end_iso: string | null; duration_raw: string; duration_s: number }[];
  };
  sag_swell_counters?: Record<string, number>;
  text_message?: ExpectedText;
  numeric_message?: ExpectedText;
  mbus?: {
    channel: number;
    device_type?: string;
    equipment_id?: ExpectedText;
    reading?: ExpectedReading;
    valve?: string;
  }[];
}

export interface Capture {
  file: string;
  country: string;
  dsmr_version: string;
  /** the header line without its `/` */
  meter_header: string;
  provenance: string;
  has_crc: boolean;
  crc_field: string | null;
  crc_valid: boolean | null;
  encrypted: boolean;
  key: string | null;
  aad: string | null;
  malformed: boolean;
  expected: Expected;
  plaintext_file?: string;
}

export const CAPTURES: readonly Capture[] = JSON.parse(readFileSync(`${CAPTURES_DIR}manifest.json`, 'utf8')) as Capture[];

export function captureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(CAPTURES_DIR + file));
}
