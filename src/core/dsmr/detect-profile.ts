/**
 * Which country profile a DSMR telegram is in, from its content: a heuristic over the codes it
 * sends (the `profile` option overrides it).
 */
import { ObisCode, parseObisCode } from '../model/obis.js';
import type { CodedObjectStage } from '../model/objects.js';
import type { Profile } from '../model/profile.js';
import { continuesOnNextLine } from './grammar.js';

/** The codes detection looks for, as objects of their own (compared by value, not identity). */
const code = (text: string): ObisCode => {
  const { a, b, c, d, e } = parseObisCode(text)!;
  return new ObisCode(a, b, c, d, e);
};
const EMUCS_VERSION = /* @__PURE__ */ code('0-0:96.1.4');
const LOGICAL_DEVICE_NAME = /* @__PURE__ */ code('0-0:42.0.0');
const P1_VERSION = /* @__PURE__ */ code('1-3:0.2.8');
const HUNGARIAN_REACTIVE = /* @__PURE__ */ code('1-0:5.8.0');
const TIMESTAMP = /* @__PURE__ */ code('0-0:1.0.0');
const EQUIPMENT_ID = /* @__PURE__ */ code('0-0:96.1.1');
const IMPORT_TOTAL = /* @__PURE__ */ code('1-0:1.8.0');
const IMPORT_TARIFF_1 = /* @__PURE__ */ code('1-0:1.8.1');

/** Codes of DSMR 2.2/3.0 besides the continued readings (`0-n:24.3.x`): switch, and the 2.2 specification's own. */
const LEGACY_CODES: readonly ObisCode[] = /* @__PURE__ */ (() =>
  ['0-0:96.3.10', '0-0:24.4.0', '5-0:0.0.0', '5-0:1.0.0', '6-0:0.0.0', '6-0:1.0.0', '7-0:0.0.0', '7-0:1.0.0', '8-0:0.0.0', '8-0:1.0.0', '7-0:23.1.0', '7-0:23.2.0'].map(code))();

/** Detects the profile of a DSMR telegram with header `header` (without `/`), extended to SE, AT and CH. */
export function detectProfile(header: string, stage: CodedObjectStage, hasCrc: boolean): Profile {
  const { codes, objects } = stage;
  const has = (wanted: ObisCode): boolean => codes.some((c) => c.is(wanted));
  if (has(EMUCS_VERSION)) {
    // Sagemcom XT211 (Groupe E) sends e-MUCS-like telegrams with electricity on B = 1
    return /^GRE/i.test(header) || codes.some((c) => c.a === 1 && c.b === 1 && c.c === 1 && c.d === 8) ? 'ch' : 'be';
  }
  if (has(LOGICAL_DEVICE_NAME)) {
    if (/^Lux/i.test(header) || has(P1_VERSION)) return 'lu';
    if (has(HUNGARIAN_REACTIVE)) return 'hu';
    return hasCrc ? 'lu' : 'nl-legacy';
  }
  if (has(P1_VERSION)) {
    const unitOf = (wanted: ObisCode): string | null => objects[codes.findIndex((c) => c.is(wanted))]?.values[0]?.unit ?? null;
    const energyUnit = unitOf(IMPORT_TOTAL) ?? unitOf(IMPORT_TARIFF_1);
    return energyUnit !== null && energyUnit.trim().toLowerCase() === 'wh' ? 'at' : 'nl';
  }
  if (!hasCrc && !has(TIMESTAMP) && (has(EQUIPMENT_ID) || codes.some((c) => continuesOnNextLine(c) || LEGACY_CODES.some((legacy) => c.is(legacy))))) return 'nl-legacy';
  if (hasCrc && has(TIMESTAMP) && has(IMPORT_TOTAL)) return 'se';
  return 'generic';
}
