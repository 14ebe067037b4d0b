/**
 * The npm DSMR parsers we measure against, each as "parse this telegram text". What each does is
 * not the same work: the table says so (CRC checked, typed model).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface Peer {
  name: string;
  /** what it does, for the table */
  does: string;
  /** parses one telegram; throws when it cannot */
  parse: (text: string) => unknown;
}

function dsmrParser(): Peer {
  const dsmr = require('dsmr-parser') as { parse: (text: string) => unknown };
  return { name: 'dsmr-parser', does: 'CRC, regex field picker', parse: (text) => dsmr.parse(text) };
}

function smartmeterObis(): Peer {
  const { D0Protocol } = require('smartmeter-obis') as { D0Protocol: new (options: object, store: (error: unknown, data: unknown) => void) => D0 };
  interface D0 {
    checkMessage(message: Buffer): boolean;
    handleMessage(message: Buffer): Buffer | null;
  }
  return {
    name: 'smartmeter-obis',
    does: 'no CRC, OBIS map',
    parse: (text) => {
      let result: unknown = null;
      const protocol = new D0Protocol({ debug: 0, logger: () => {} }, (error, data) => {
        if (error) throw error;
        result = data;
      });
      // D0 mode: the header is the sign-on message, the rest the data message
      const message = Buffer.from(text, 'latin1');
      if (protocol.checkMessage(message)) {
        const rest = protocol.handleMessage(message);
        if (rest !== null && protocol.checkMessage(rest)) protocol.handleMessage(rest);
      }
      if (result === null) throw new Error('smartmeter-obis read nothing');
      return result;
    },
  };
}

function p1Reader(): Peer {
  const parsePacket = require('p1-reader/lib/parsePacket') as (text: string) => unknown;
  return {
    name: 'p1-reader',
    does: 'no CRC, typed (ignores S/W)',
    parse: (text) => {
      // it logs every line it does not know (the "!CRC" line too) on stderr: keep the table readable
      const error = console.error;
      console.error = () => {};
      try {
        return parsePacket(text);
      } finally {
        console.error = error;
      }
    },
  };
}

export function peers(): Peer[] {
  return [dsmrParser(), smartmeterObis(), p1Reader()];
}
