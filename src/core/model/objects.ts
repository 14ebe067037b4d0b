/**
 * The COSEM object stage: what a protocol's reader hands to the model, whatever the protocol. The
 * DSMR parser builds it from text lines; any other reader of COSEM objects builds the same, and
 * the same registry turns it into the same typed telegram.
 */
import type { DsmrPosition } from '../errors.js';
import type { ObisCode } from './obis.js';
import type { CosemObject } from './telegram.js';

/** The objects of a telegram, in order, with their codes as numbers and where they are. */
export interface ObjectStage {
  /** The objects (what `telegram.objects` becomes). */
  readonly objects: readonly CosemObject[];
  /** Their codes (interned, see obis.ts), in the same order; `null` for an object the typed view does not read. */
  readonly codes: readonly (ObisCode | null)[];
  /** Where each object and value is, for warnings; asked only when one is reported. */
  readonly positions: ObjectPositions;
}

/** A stage whose every object has a code (the DSMR parser's: every data line starts with one). */
export interface CodedObjectStage extends ObjectStage {
  readonly codes: readonly ObisCode[];
}

export interface ObjectPositions {
  /** Where object `index` starts. */
  object(index: number): DsmrPosition;
  /** Where value `value` of object `index` starts, or the object's end when it has fewer values. */
  value(index: number, value: number): DsmrPosition;
}
