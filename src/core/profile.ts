/**
 * Country profiles. The same OBIS code means different things in different countries
 * (`0-0:42.0.0`, `0-0:98.1.0`, `0-1:96.3.10`, `1-1:…`), so the registry reads some codes only in
 * some profiles. The profile is detected from the telegram's content (protocol notes §9.2) and can
 * be overridden with the `profile` option, because detection is a heuristic.
 */

/** A country or protocol variant. */
export type Profile =
  /** Netherlands, DSMR 4.x/5.x */
  | 'nl'
  /** Netherlands, DSMR 2.2/3.0 (no CRC, two-line gas reading) */
  | 'nl-legacy'
  /** Belgium, e-MUCS (Fluvius, Sibelga, ORES/RESA) */
  | 'be'
  /** Luxembourg, Smarty */
  | 'lu'
  /** Sweden (H1 port) */
  | 'se'
  /** Austria (Sagemcom T210-D-r: registers in Wh) */
  | 'at'
  /** Switzerland (Sagemcom XT211: electricity on B = 1) */
  | 'ch'
  /** Hungary (E.ON) */
  | 'hu'
  /** anything else: read by OBIS code, no country-specific codes */
  | 'generic';

/** Every {@link Profile}, in the order the docs list them. */
export const PROFILES: readonly Profile[] = ['nl', 'nl-legacy', 'be', 'lu', 'se', 'at', 'ch', 'hu', 'generic'];

/** What detection looks at (functions, so a telegram pays only for what is asked). */
export interface ProfileClues {
  /** the header line without `/` */
  header: string;
  /** whether the telegram has a data line with this OBIS code */
  has: (obis: string) => boolean;
  /** the OBIS codes of the data lines */
  codes: () => readonly string[];
  /** the unit of the first value of a code, if any */
  unitOf: (obis: string) => string | null;
  hasCrc: boolean;
}

const LEGACY_CODES = /^(?:0-\d:24\.3\.[01]|0-0:96\.3\.10|0-0:24\.4\.0|[5-8]-0:[01]\.0\.0|7-0:23\.[12]\.0)$/;

/** Detects the profile of a telegram (protocol notes §9.2, extended to SE, AT and CH). */
export function detectProfile(clues: ProfileClues): Profile {
  const { header, has, hasCrc } = clues;
  const any = (test: (code: string) => boolean): boolean => clues.codes().some(test);
  if (has('0-0:96.1.4')) {
    // Sagemcom XT211 (Groupe E) sends e-MUCS-like telegrams with electricity on B = 1
    return /^GRE/i.test(header) || any((c) => c.startsWith('1-1:1.8.')) ? 'ch' : 'be';
  }
  if (has('0-0:42.0.0')) {
    if (/^Lux/i.test(header) || has('1-3:0.2.8')) return 'lu';
    if (has('1-0:5.8.0')) return 'hu';
    return hasCrc ? 'lu' : 'nl-legacy';
  }
  if (has('1-3:0.2.8')) {
    const energyUnit = clues.unitOf('1-0:1.8.0') ?? clues.unitOf('1-0:1.8.1');
    return energyUnit !== null && energyUnit.trim().toLowerCase() === 'wh' ? 'at' : 'nl';
  }
  if (!hasCrc && !has('0-0:1.0.0') && (has('0-0:96.1.1') || any((c) => LEGACY_CODES.test(c)))) return 'nl-legacy';
  if (hasCrc && has('0-0:1.0.0') && has('1-0:1.8.0')) return 'se';
  return 'generic';
}

/** What tariff 1 and tariff 2 are called in a profile. */
export interface TariffNames {
  /** The name of tariff 1 (`1-0:1.8.1`, `0-0:96.14.0` = 1): `'low'` in NL, `'day'` in BE. */
  tariff1: string;
  /** The name of tariff 2 (`1-0:1.8.2`, `0-0:96.14.0` = 2): `'normal'` in NL, `'night'` in BE. */
  tariff2: string;
}

/**
 * What tariff 1 and tariff 2 mean in a profile, where it is known (protocol notes §9.3).
 *
 * @returns the names, or `null` for profiles where the tariffs have no fixed meaning.
 */
export function tariffNames(profile: Profile): TariffNames | null {
  if (profile === 'nl' || profile === 'nl-legacy') return { tariff1: 'low', tariff2: 'normal' };
  if (profile === 'be') return { tariff1: 'day', tariff2: 'night' };
  return null;
}
