/**
 * Object assembly: the grammar's lines to COSEM objects. A data line is an object; a value line
 * continues the object before it (the DSMR 2.2/3.0 gas reading); malformed lines, non-standard
 * OBIS spellings and wrapped values are kept and reported.
 */
import type { DsmrPosition } from '../errors.js';
import type { CodedObjectStage, ObjectPositions } from '../model/objects.js';
import type { ObisCode } from '../model/obis.js';
import type { CosemObject, CosemValue } from '../model/telegram.js';
import { Reporter, dsmrErrorAt } from '../report.js';
import { continuesOnNextLine, groupOffsets, hasPlainObis, isMalformed, LineKind, lineKind, type LineNode } from './grammar.js';

/** Assembles the objects of a telegram's lines; reports what it tolerates on `report`. */
export function assembleObjects(text: string, bytes: ArrayLike<number>, lines: readonly LineNode[], report: Reporter): CodedObjectStage {
  const objects: CosemObject[] = [];
  const codes: ObisCode[] = [];
  /** the line of each object, and the value lines that continue it (rare, so kept aside) */
  const dataLines: LineNode[] = [];
  let valueLines: Map<number, LineNode[]> | null = null;
  for (const node of lines) {
    if (lineKind(node) === LineKind.Blank) continue;
    const obis = node.code === null ? '' : node.code.text;
    if (isMalformed(node)) {
      report.warn(
        'MALFORMED_LINE',
        `the values of ${obis || 'this line'} are not well-formed "(…)" groups; kept as raw text`,
        Reporter.on(node.line, node.offset, node.groupsAt),
        obis || null,
      );
    }
    if (node.wraps !== null) {
      report.warn('WRAPPED_VALUE', `a value of ${obis || 'this line'} goes on over the next line; joined`, Reporter.on(node.line + 1, node.wraps[0]!, node.wraps[0]!), obis || null);
    }
    if (node.object !== null) {
      if (!hasPlainObis(node)) {
        report.warn('OBIS_FORMAT', `OBIS code "${text.slice(node.offset, node.groupsAt)}" read as ${obis}`, Reporter.on(node.line, node.offset, node.offset), obis);
      }
      objects.push(node.object);
      codes.push(node.code!);
      dataLines.push(node);
      continue;
    }
    // a value line: the continuation of the object before it
    const index = objects.length - 1;
    const previous = objects[index];
    if (previous === undefined) {
      throw dsmrErrorAt(text, 'SYNTAX', 'a value line "(…)" must follow the data line it continues', Reporter.on(node.line, node.offset, node.offset));
    }
    if (!continuesOnNextLine(codes[index]!)) {
      report.warn(
        'CONTINUATION_LINE',
        `a value line after ${previous.obis}, which does not continue on the next line; appended to it`,
        Reporter.on(node.line, node.offset, node.offset),
        previous.obis,
      );
    }
    valueLines ??= new Map();
    const continued = valueLines.get(index);
    if (continued === undefined) valueLines.set(index, [node]);
    else continued.push(node);
  }
  // objects continued on value lines: their values and text, joined once (not per line)
  if (valueLines !== null) {
    for (const [index, continued] of valueLines) {
      const object = objects[index]!;
      const values: CosemValue[] = object.values.slice();
      for (const node of continued) for (const group of node.groups) values.push(group);
      object.values = values;
      object.raw = text.slice(dataLines[index]!.offset, continued[continued.length - 1]!.end);
    }
  }
  return { objects, codes, positions: new LinePositions(text, bytes, dataLines, valueLines) };
}

/** Positions of objects and values on the telegram's lines, found when a warning asks. */
class LinePositions implements ObjectPositions {
  /** the lines and value offsets of the object asked about last (warnings come object by object) */
  private cached: { index: number; lines: LineNode[]; offsets: number[] } | null = null;

  constructor(
    private readonly text: string,
    private readonly bytes: ArrayLike<number>,
    private readonly dataLines: readonly LineNode[],
    private readonly valueLines: ReadonlyMap<number, LineNode[]> | null,
  ) {}

  object(index: number): DsmrPosition {
    const node = this.dataLines[index]!;
    return Reporter.on(node.line, node.offset, node.offset);
  }

  value(index: number, value: number): DsmrPosition {
    if (this.cached?.index !== index) {
      const lines = [this.dataLines[index]!, ...(this.valueLines?.get(index) ?? [])];
      // the `(` of each value on the object's lines; a value's text starts just past it
      const offsets: number[] = [];
      for (const node of lines) for (const offset of groupOffsets(this.text, this.bytes, node)) offsets.push(offset);
      this.cached = { index, lines, offsets };
    }
    const { lines, offsets } = this.cached;
    const offset = value < offsets.length ? offsets[value]! + 1 : lines[lines.length - 1]!.end;
    // the last of the object's lines that starts at or before the offset
    let low = 0;
    let high = lines.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lines[middle]!.offset <= offset) low = middle;
      else high = middle - 1;
    }
    const node = lines[low]!;
    // on a line a wrapped value goes on over
    const wraps = node.wraps;
    if (wraps !== null) {
      for (let k = wraps.length - 1; k >= 0; k--) if (offset >= wraps[k]!) return Reporter.on(node.line + k + 1, wraps[k]!, offset);
    }
    return Reporter.on(node.line, node.offset, offset);
  }
}
