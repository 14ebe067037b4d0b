/**
 * M-Bus assembly: what a device's reading means depends on the device type, which may come
 * after the reading. Done once all objects are read.
 */
import { deviceOf, type TypedFields } from './fields.js';
import type { Profile } from './profile.js';
import { GAS, MBUS_MEDIA, type RegistryEntry } from './registry.js';

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
