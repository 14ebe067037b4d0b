/**
 * What `dsmr-p1 mqtt` publishes: one topic per reading, and how Home Assistant should see it
 * (device class, state class, unit), so its Energy dashboard takes them without configuration.
 */
import type { Phase, Telegram } from '../../index.js';
import { meterModel } from '../meter.js';

/** Home Assistant's sensor attributes (https://www.home-assistant.io/integrations/sensor/). */
export interface Sensor {
  /** the topic's last segment and the entity's object id */
  key: string;
  name: string;
  value: (t: Telegram) => number | null;
  unit: (t: Telegram) => string | null;
  deviceClass: 'power' | 'energy' | 'voltage' | 'current' | 'gas' | 'water' | null;
  stateClass: 'measurement' | 'total_increasing' | null;
}

const fixed = (unit: string | null) => () => unit;

function power(key: string, name: string, value: (t: Telegram) => number | null): Sensor {
  return { key, name, value, unit: fixed('kW'), deviceClass: 'power', stateClass: 'measurement' };
}

/** Meter registers only grow: `total_increasing`, which the Energy dashboard needs. */
function energy(key: string, name: string, value: (t: Telegram) => number | null): Sensor {
  return { key, name, value, unit: fixed('kWh'), deviceClass: 'energy', stateClass: 'total_increasing' };
}

function perPhase(phase: 1 | 2 | 3): Sensor[] {
  const of = (t: Telegram): Phase | undefined => t.electricity.phases.find((p) => p.phase === phase);
  return [
    { key: `voltage_l${phase}`, name: `Voltage L${phase}`, value: (t) => of(t)?.voltage ?? null, unit: fixed('V'), deviceClass: 'voltage', stateClass: 'measurement' },
    { key: `current_l${phase}`, name: `Current L${phase}`, value: (t) => of(t)?.current ?? null, unit: fixed('A'), deviceClass: 'current', stateClass: 'measurement' },
    power(`power_imported_l${phase}`, `Power imported L${phase}`, (t) => of(t)?.powerImported ?? null),
    power(`power_exported_l${phase}`, `Power exported L${phase}`, (t) => of(t)?.powerExported ?? null),
  ];
}

/** Home Assistant writes cubic metres as `m³`; the library's unit is `m3`. */
const volumeUnit = (unit: string | null | undefined): string | null => (unit === 'm3' ? 'm³' : (unit ?? null));

export const SENSORS: readonly Sensor[] = [
  power('power_imported', 'Power imported', (t) => t.electricity.power.imported),
  power('power_exported', 'Power exported', (t) => t.electricity.power.exported),
  energy('energy_imported', 'Energy imported', (t) => t.electricity.imported.allTariffs),
  energy('energy_exported', 'Energy exported', (t) => t.electricity.exported.allTariffs),
  energy('energy_imported_tariff1', 'Energy imported tariff 1', (t) => t.electricity.imported.tariff1),
  energy('energy_imported_tariff2', 'Energy imported tariff 2', (t) => t.electricity.imported.tariff2),
  energy('energy_exported_tariff1', 'Energy exported tariff 1', (t) => t.electricity.exported.tariff1),
  energy('energy_exported_tariff2', 'Energy exported tariff 2', (t) => t.electricity.exported.tariff2),
  { key: 'tariff', name: 'Tariff', value: (t) => t.electricity.tariff, unit: fixed(null), deviceClass: null, stateClass: null },
  ...perPhase(1),
  ...perPhase(2),
  ...perPhase(3),
  power('demand_current', 'Demand (15 min average)', (t) => t.electricity.demand.current),
  power('demand_month_peak', 'Demand peak this month', (t) => t.electricity.demand.monthPeak?.value ?? null),
  { key: 'gas', name: 'Gas', value: (t) => t.gas?.value ?? null, unit: (t) => volumeUnit(t.gas?.unit ?? 'm3'), deviceClass: 'gas', stateClass: 'total_increasing' },
  { key: 'water', name: 'Water', value: (t) => t.water?.value ?? null, unit: (t) => volumeUnit(t.water?.unit ?? 'm3'), deviceClass: 'water', stateClass: 'total_increasing' },
  { key: 'heat', name: 'Heat', value: (t) => t.heat?.value ?? null, unit: (t) => t.heat?.unit ?? 'GJ', deviceClass: 'energy', stateClass: 'total_increasing' },
];

/** A topic segment from a meter id: letters, digits, `_` and `-` only (MQTT wildcards never). */
export function meterId(t: Telegram): string {
  const id = t.equipmentId ?? t.logicalDeviceName ?? (t.protocol === 'dsmr' ? t.header.identification : meterModel(t));
  return id.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'meter';
}
