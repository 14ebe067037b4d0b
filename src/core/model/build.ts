/**
 * From COSEM objects to the typed view, through the OBIS registry: whatever protocol read the
 * objects, the same code fills the same field.
 */
import type { Reporter } from '../report.js';
import { emptyFields, sortLists, type TypedFields } from './fields.js';
import { completeReadings, readingsByMedium, type PendingReading } from './mbus.js';
import type { ObjectStage } from './objects.js';
import type { Profile } from './profile.js';
import { ValueReader } from './read.js';
import { lookupObis, profileIndex } from './registry.js';
import { completeTotals, furtherTariffBit } from './totals.js';

/** Tells the objects of one parse from those of the others (duplicates: see ObisCode.seen). */
let parses = 0;

/**
 * The typed fields of a telegram's objects, read in `profile`. Warnings (strict: errors) go to
 * `report`; a code twice fills its field from the first.
 */
export function buildFields(stage: ObjectStage, profile: Profile, timeZone: string, report: Reporter): TypedFields {
  const fields = emptyFields();
  const reader = new ValueReader(report, stage.positions, timeZone);
  const { objects, codes } = stage;
  const parse = ++parses;
  const inProfile = profileIndex(profile);
  const readings: PendingReading[] = [];
  let furtherTariffs = 0;
  for (let i = 0; i < objects.length; i++) {
    const code = codes[i];
    const object = objects[i]!;
    if (code == null) continue;
    if (code.seen === parse) {
      report.warn('DUPLICATE_OBJECT', `${object.obis} appears twice; the typed fields keep the first`, stage.positions.object(i), object.obis);
      continue;
    }
    code.seen = parse;
    furtherTariffs |= furtherTariffBit(code.a, code.c, code.d, code.e);
    const entry = lookupObis(code, inProfile);
    if (entry === undefined || entry.set === null) continue;
    const value = reader.read(i, object.obis, object.values, entry);
    const channel = code.b;
    entry.set(fields, value, channel);
    if ((entry.kind === 'mbusReading' || entry.kind === 'legacyReading') && value !== null) readings.push({ channel, entry });
  }
  sortLists(fields);
  completeReadings(fields, readings, profile);
  readingsByMedium(fields);
  completeTotals(fields, furtherTariffs);
  return fields;
}
