import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { formatTelegram } from '../src/index.js';
import { parseGrammar, parseGrammarSlowly } from '../src/core/grammar.js';
import { anyTelegramArb } from './helpers/arbitraries.js';

// parseGrammar calls parsimmon's parse function directly for speed: it must agree with parse()
const textArb = fc.oneof(
  anyTelegramArb.map(formatTelegram),
  anyTelegramArb.chain((t) => fc.tuple(fc.constant(formatTelegram(t)), fc.nat(), fc.string({ maxLength: 3 })).map(([text, at, s]) => text.slice(0, at % (text.length + 1)) + s + text.slice(at % (text.length + 1)))),
  fc.string({ maxLength: 80 }),
);

test.prop([textArb])('parseGrammar gives what parsimmon parse() gives', (text) => {
  expect(parseGrammar(text)).toEqual(parseGrammarSlowly(text));
});
