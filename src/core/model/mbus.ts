/**
 * M-Bus assembly: what a device's reading means depends on the device type, which may come
 * after the reading. Done once all objects are read.
 */
import { deviceOf, type TypedFields } from './fields.js';
import type { Profile } from './profile.js';
import { GAS, HEAT, MBUS_MEDIA, WATER, type RegistryEntry } from './registry.js';
import type { MbusReading } from './telegram.js';

/** A reading that was read, and the entry it was read by. */
export interface PendingReading {
  channel: number;
  entry: RegistryEntry;
}

/**
 * Completes the readings: the unit by device type when the meter sent none, and whether a gas
 * volume is temperature corrected (a registry attribute of the reading's code, by profile).
 */
export function completeReadings(fields: TypedFields, readings: readonly PendingReading[], profile: Profile): void {
  for (const { channel, entry } of readings) {
    const device = deviceOf(fields, channel);
    const reading = device.reading;
    if (reading === null) continue;
    if (reading.unit === null && device.deviceType !== null) reading.unit = MBUS_MEDIA.get(device.deviceType)?.unit ?? null;
    const corrected = entry.temperatureCorrected;
    if (corrected === false) reading.temperatureCorrected = false;
    else if (corrected !== undefined) reading.temperatureCorrected = corrected.includes(profile) && device.deviceType === GAS ? true : null;
  }
}

/**
 * `gas`, `water` and `heat`: the reading of the device of that type, whatever its channel; of
 * several, the most recent (a reading without time counts as the oldest).
 */
export function readingsByMedium(fields: TypedFields): void {
  fields.gas = latestOfType(fields, GAS);
  fields.water = latestOfType(fields, WATER);
  fields.heat = latestOfType(fields, HEAT);
}

function latestOfType(fields: TypedFields, deviceType: number): MbusReading | null {
  let latest: MbusReading | null = null;
  for (const { deviceType: type, reading } of fields.mbus) {
    if (type !== deviceType || reading === null) continue;
    if (latest === null || (reading.timestamp?.getTime() ?? -Infinity) > (latest.timestamp?.getTime() ?? -Infinity)) latest = reading;
  }
  return latest;
}
