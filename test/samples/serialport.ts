/**
 * `dsmr-p1/serialport` for the documentation samples: the real entry on serialport's mock binding.
 * A sample's port sends the sample stream once the sample is listening, and is unplugged for good
 * after its telegrams, so samples that read forever end. A sample that passes its own binding
 * gets the real thing.
 */
import { SerialPortMock } from 'serialport';
import * as real from '../../src/serialport.js';
import { STREAM, STREAM_TELEGRAMS } from './meter.js';

export * from '../../src/serialport.js';

const MockBinding = SerialPortMock.binding;

export async function openP1Port(options: real.P1PortOptions): Promise<real.P1Port> {
  if (options.binding !== undefined) return real.openP1Port(options);
  MockBinding.createPort(options.path);
  const meter = await real.openP1Port({ ...options, binding: MockBinding, reconnect: false });
  let seen = 0;
  meter.on('telegram', () => {
    if (++seen === STREAM_TELEGRAMS) setImmediate(() => void meter.close());
  });
  setImmediate(() => (meter.port?.port as SerialPortMock['port'])?.emitData(Buffer.from(STREAM)));
  return meter;
}

export async function detectP1Settings(path: string, options: real.DetectOptions = {}): Promise<real.DetectedSettings> {
  if (options.binding !== undefined) return real.detectP1Settings(path, options);
  // a DSMR 5 meter: sends a telegram as soon as the port is opened
  MockBinding.createPort(path, { readyData: Buffer.from(STREAM) });
  return real.detectP1Settings(path, { ...options, binding: MockBinding });
}
