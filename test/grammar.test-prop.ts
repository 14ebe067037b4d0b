import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { formatTelegram } from '../src/index.js';
import { parseGrammar, parseGrammarSlowly } from '../src/core/dsmr/grammar.js';
import { anyTelegramArb } from './helpers/arbitraries.js';
import { latin1 } from './helpers/telegram.js';

// parseGrammar calls parsimmon's parse function directly for speed: it must agree with parse()
const textArb = fc.oneof(
  anyTelegramArb.map(formatTelegram),
  anyTelegramArb.chain((t) => fc.tuple(fc.constant(formatTelegram(t)), fc.nat(), fc.string({ maxLength: 3 })).map(([text, at, s]) => text.slice(0, at % (text.length + 1)) + s + text.slice(at % (text.length + 1)))),
  fc.string({ maxLength: 80 }),
);

test.prop([textArb])('parseGrammar gives what parsimmon parse() gives', (text) => {
  const bytes = latin1(text.replace(/[\u0100-\uffff]/g, '?'));
  const safe = text.replace(/[\u0100-\uffff]/g, '?');
  expect(parseGrammar(safe, bytes)).toEqual(parseGrammarSlowly(safe, bytes));
});
