/**
 * Country profiles. The same OBIS code means different things in different countries
 * (`0-0:42.0.0`, `0-0:98.1.0`, `0-1:96.3.10`, `1-1:…`), so the registry reads some codes only in
 * some profiles. A DSMR telegram's profile is detected from its content (dsmr/detect-profile.ts)
 * and can be overridden with the `profile` option, because detection is a heuristic.
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
export const PROFILES: readonly Profile[] = /* @__PURE__ */ Object.freeze(['nl', 'nl-legacy', 'be', 'lu', 'se', 'at', 'ch', 'hu', 'generic'] as const);

/** What tariff 1 and tariff 2 are called in a profile. */
export interface TariffNames {
  /** The name of tariff 1 (`1-0:1.8.1`, `0-0:96.14.0` = 1): `'low'` in NL, `'day'` in BE. */
  tariff1: string;
  /** The name of tariff 2 (`1-0:1.8.2`, `0-0:96.14.0` = 2): `'normal'` in NL, `'night'` in BE. */
  tariff2: string;
}

/**
 * What tariff 1 and tariff 2 mean in a profile, where it is known (docs/profiles.md).
 *
 * @returns the names, or `null` for profiles where the tariffs have no fixed meaning.
 */
export function tariffNames(profile: Profile): TariffNames | null {
  if (profile === 'nl' || profile === 'nl-legacy') return { tariff1: 'low', tariff2: 'normal' };
  if (profile === 'be') return { tariff1: 'day', tariff2: 'night' };
  return null;
}
