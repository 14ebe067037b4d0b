/**
 * Type-level tests of the OBIS registry, checked by `tsc` (`npm run typecheck`), never run: a
 * registry entry's setter must name a field of the Telegram that holds its kind's value. Each
 * `@ts-expect-error` fails the type check if the line below it compiles.
 */
import { entry } from '../src/core/model/registry.js';

// the well-typed entry compiles
entry('1-0:14.7.0', 'quantity', 'Hz', 'Instantaneous frequency', (f, v) => (f.electricity.frequency = v));

// @ts-expect-error: a typo in a field ('electricty')
entry('1-0:14.7.0', 'quantity', 'Hz', 'Instantaneous frequency', (f, v) => (f.electricty.frequency = v));

// @ts-expect-error: a field that does not exist
entry('1-0:14.7.0', 'quantity', 'Hz', 'Instantaneous frequency', (f, v) => (f.electricity.frequncy = v));

// @ts-expect-error: a timestamp where a number goes
entry('1-0:14.7.0', 'timestamp', null, 'Instantaneous frequency', (f, v) => (f.electricity.frequency = v));

// @ts-expect-error: a number where a timestamp goes
entry('0-0:1.0.0', 'quantity', null, 'Date and time', (f, v) => (f.timestamp = v));

// @ts-expect-error: a kind that does not exist
entry('0-0:1.0.0', 'date', null, 'Date and time', (f, v) => (f.timestamp = v));
