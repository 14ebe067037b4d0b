/**
 * The typed part of a telegram, as the registry's setters fill it: an empty structure to start
 * from, and the lists (phases, relays, M-Bus devices) whose members appear as their codes come.
 */
import type { Electricity, EnergyRegisters, MbusDevice, Phase, Telegram, TelegramFields } from './telegram.js';

/** Everything of a Telegram that the registry fills. */
export type TypedFields = Omit<TelegramFields, 'profile' | 'objects' | 'warnings' | 'encryption'>;

/** What a protocol's parser adds to the typed fields. */
type TelegramParts<T extends Telegram> = Omit<T, keyof TypedFields>;

/**
 * A telegram of either protocol from its parts and its typed fields, in the one key order (JSON
 * output keeps it). Written out, not spread: a literal of known keys is what V8 builds fastest
 * (the form bench/ measured; side by side, a spread was no faster and in most runs slower).
 */
export function telegramOf<T extends Telegram>(parts: TelegramParts<T>, fields: TypedFields): T {
  return {
    protocol: parts.protocol,
    header: parts.header,
    dlms: parts.dlms,
    profile: parts.profile,
    version: fields.version,
    timestamp: fields.timestamp,
    equipmentId: fields.equipmentId,
    logicalDeviceName: fields.logicalDeviceName,
    meterType: fields.meterType,
    electricity: fields.electricity,
    mbus: fields.mbus,
    gas: fields.gas,
    water: fields.water,
    heat: fields.heat,
    messages: fields.messages,
    checksum: parts.checksum,
    warnings: parts.warnings,
    encryption: parts.encryption,
    objects: parts.objects,
  } as T;
}

function emptyRegisters(): EnergyRegisters {
  return { total: null, tariff1: null, tariff2: null, allTariffs: null, allTariffsComputed: false };
}

export function emptyFields(): TypedFields {
  const electricity: Electricity = {
    tariff: null,
    imported: emptyRegisters(),
    exported: emptyRegisters(),
    power: { imported: null, exported: null },
    reactiveEnergy: { imported: emptyRegisters(), exported: emptyRegisters() },
    reactivePower: { imported: null, exported: null },
    apparentPower: { imported: null, exported: null },
    frequency: null,
    powerFactor: null,
    phases: [],
    powerFailures: { count: null, longCount: null, log: [] },
    threshold: null,
    switchPosition: null,
    relays: [],
    currentThreshold: null,
    demand: { current: null, monthPeak: null, history: [] },
  };
  return {
    version: null,
    timestamp: null,
    equipmentId: null,
    logicalDeviceName: null,
    meterType: null,
    electricity,
    mbus: [],
    gas: null,
    water: null,
    heat: null,
    messages: { code: null, text: null },
  };
}

/** Phase `phase` of the telegram, added (empty) the first time one of its codes comes. */
export function phaseOf(fields: TypedFields, phase: 1 | 2 | 3): Phase {
  const phases = fields.electricity.phases;
  for (const p of phases) if (p.phase === phase) return p;
  const created: Phase = {
    phase,
    voltage: null,
    current: null,
    powerImported: null,
    powerExported: null,
    reactivePowerImported: null,
    reactivePowerExported: null,
    voltageSags: null,
    voltageSwells: null,
    powerFactor: null,
    currentLimit: null,
  };
  phases.push(created);
  return created;
}

/** The M-Bus device on `channel`, added (empty) the first time one of its codes comes. */
export function deviceOf(fields: TypedFields, channel: number): MbusDevice {
  for (const d of fields.mbus) if (d.channel === channel) return d;
  const created: MbusDevice = { channel, deviceType: null, equipmentId: null, reading: null, valvePosition: null };
  fields.mbus.push(created);
  return created;
}

/** Relay `relay` (Luxembourg), added the first time its code comes. */
export function relayOf(fields: TypedFields, relay: number): { relay: number; state: number | null } {
  const relays = fields.electricity.relays;
  for (const r of relays) if (r.relay === relay) return r;
  const created = { relay, state: null };
  relays.push(created);
  return created;
}

/** Lists in the order of their members' numbers, whatever order the codes came in. */
export function sortLists(fields: TypedFields): void {
  const { phases, relays } = fields.electricity;
  if (!inOrder(phases, 'phase')) phases.sort((a, b) => a.phase - b.phase);
  if (!inOrder(relays, 'relay')) relays.sort((a, b) => a.relay - b.relay);
  if (!inOrder(fields.mbus, 'channel')) fields.mbus.sort((a, b) => a.channel - b.channel);
}

/** Whether a list is already in order (as meters send them): no sort, and no comparator to call. */
function inOrder<K extends string>(list: readonly Record<K, number>[], key: K): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]![key] > list[i]![key]) return false;
  return true;
}
