/**
 * What the public functions check of their arguments: the mistakes the types catch for a
 * TypeScript caller and nothing catches for a JavaScript one (`null` options, a string where bytes
 * go, a callback that is not a function). Each is a {@link DsmrError} with one message form, at
 * the call, instead of a `TypeError` from deep inside, or later, or never.
 */
import { DsmrError } from './errors.js';

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}

/** The names of a function's options, every one of them (the compiler checks it against the type). */
export type OptionNames<T> = Readonly<Record<keyof T, true>>;

/**
 * Options to read: `{}` when absent; `INVALID_OPTION` when they are not an object (`null`
 * included) or name an option that `names` does not have: a misspelt `timezone` would otherwise
 * be ignored, and its default used without a word.
 */
export function optionsOf<T extends object>(options: T, names: OptionNames<T>): T;
export function optionsOf<T extends object>(options: T | undefined, names: OptionNames<T>): Partial<T>;
export function optionsOf<T extends object>(options: T | undefined, names: OptionNames<T>): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw new DsmrError('INVALID_OPTION', `options must be an object, got ${describe(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (Object.hasOwn(names, name)) continue;
    const known = Object.keys(names);
    const sameLetters = known.find((k) => k.toLowerCase() === name.toLowerCase());
    throw new DsmrError('INVALID_OPTION', `unknown option ${JSON.stringify(name)}: ${sameLetters === undefined ? `the options are ${known.join(', ')}` : `did you mean ${sameLetters}?`}`);
  }
  return options;
}

/** `INVALID_INPUT` unless `value` is a `Uint8Array` (Node's buffers are too). */
export function expectBytes(value: unknown, caller: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new DsmrError('INVALID_INPUT', `${caller} expects a Uint8Array, got ${describe(value)}`);
}

/** `INVALID_INPUT` unless `[start, end)` is a range of integers within `0..length`. */
export function expectRange(start: unknown, end: unknown, length: number, caller: string): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || (start as number) < 0 || (start as number) > (end as number) || (end as number) > length) {
    throw new DsmrError('INVALID_INPUT', `${caller}: start and end must be integers with 0 ≤ start ≤ end ≤ ${length} (the length), got ${describe(start)} and ${describe(end)}`);
  }
}

/** `INVALID_OPTION` unless `value` is a function or absent. */
export function expectCallback(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'function') throw new DsmrError('INVALID_OPTION', `${name} must be a function, got ${describe(value)}`);
}
