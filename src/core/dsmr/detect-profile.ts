/**
 * Which country profile a DSMR telegram is in, from its content: a heuristic over the codes it
 * sends (the `profile` option overrides it).
 */
import { keyOfObis } from '../model/obis.js';
import type { ObjectStage } from '../model/objects.js';
import type { Profile } from '../model/profile.js';
import { continuesOnNextLine } from './grammar.js';

/** The keys of the few codes detection asks about, computed once each. */
const KEYS = new Map<string, number>();
function key(code: string): number {
  let k = KEYS.get(code);
  if (k === undefined) KEYS.set(code, (k = keyOfObis(code)!));
  return k;
}

/** Codes of DSMR 2.2/3.0 besides the continued readings (`0-n:24.3.x`): switch, and the 2.2 specification's own. */
const LEGACY_KEYS: ReadonlySet<number> = /* @__PURE__ */ (() =>
  new Set(
    ['0-0:96.3.10', '0-0:24.4.0', '5-0:0.0.0', '5-0:1.0.0', '6-0:0.0.0', '6-0:1.0.0', '7-0:0.0.0', '7-0:1.0.0', '8-0:0.0.0', '8-0:1.0.0', '7-0:23.1.0', '7-0:23.2.0'].map(key),
  ))();

/** Detects the profile of a DSMR telegram with header `header` (without `/`), extended to SE, AT and CH. */
export function detectProfile(header: string, stage: ObjectStage, hasCrc: boolean): Profile {
  const { keys, objects } = stage;
  const has = (code: string): boolean => keys.includes(key(code));
  if (has('0-0:96.1.4')) {
    // Sagemcom XT211 (Groupe E) sends e-MUCS-like telegrams with electricity on B = 1
    return /^GRE/i.test(header) || objects.some((o) => o.obis.startsWith('1-1:1.8.')) ? 'ch' : 'be';
  }
  if (has('0-0:42.0.0')) {
    if (/^Lux/i.test(header) || has('1-3:0.2.8')) return 'lu';
    if (has('1-0:5.8.0')) return 'hu';
    return hasCrc ? 'lu' : 'nl-legacy';
  }
  if (has('1-3:0.2.8')) {
    const unitOf = (code: string): string | null => objects.find((o) => o.obis === code)?.values[0]?.unit ?? null;
    const energyUnit = unitOf('1-0:1.8.0') ?? unitOf('1-0:1.8.1');
    return energyUnit !== null && energyUnit.trim().toLowerCase() === 'wh' ? 'at' : 'nl';
  }
  if (!hasCrc && !has('0-0:1.0.0') && (has('0-0:96.1.1') || keys.some((k) => continuesOnNextLine(k) || LEGACY_KEYS.has(k)))) return 'nl-legacy';
  if (hasCrc && has('0-0:1.0.0') && has('1-0:1.8.0')) return 'se';
  return 'generic';
}
