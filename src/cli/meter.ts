/** How the CLI names a meter, whatever its protocol: one home, for the views, the dashboard and MQTT. */
import type { Telegram } from '../index.js';

/** The meter's model: DSMR's identification line without `/`; DLMS's meter type, list id or logical device name. */
export function meterModel(t: Telegram): string {
  if (t.protocol === 'dsmr') return t.header.raw.slice(1);
  return [t.meterType, t.dlms.listId].filter((part) => part !== null).join(' ') || t.logicalDeviceName || 'DLMS meter';
}

/** The manufacturer's 3-letter FLAG id: from the DSMR header, or a DLMS logical device name or system title. */
export function meterManufacturer(t: Telegram): string | null {
  if (t.protocol === 'dsmr') return t.header.manufacturer;
  const flag = /^[A-Z]{3}/.exec(t.logicalDeviceName ?? '')?.[0];
  if (flag !== undefined) return flag;
  const title = t.encryption?.systemTitle;
  return title === undefined ? null : String.fromCharCode(...[0, 2, 4].map((i) => Number.parseInt(title.slice(i, i + 2), 16))).replace(/[^A-Za-z]/g, '') || null;
}
