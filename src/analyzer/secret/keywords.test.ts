import { it } from 'node:test';
import assert from 'node:assert/strict';
import { KeywordFilter } from './keywords.js';

const groups = [['akia', 'asia'], ['password'], ['q~'], ['x'], [], ['ghp_', 'gho_'], ['password', 'pwd']];
const filter = new KeywordFilter(groups);

/** The same answer, the slow way: lower-case the text and look for each keyword. */
function oracle(text: string): Set<number> {
  const lower = text.toLowerCase();
  return new Set(
    groups.flatMap((keywords, g) =>
      keywords.length === 0 || keywords.some((k) => lower.includes(k)) ? [g] : [],
    ),
  );
}

it('finds keywords anywhere, in any ASCII case, including at the very start and end', () => {
  for (const text of [
    'AKIA at the start',
    'ends with PassWord',
    'asia',
    'a Q~ b',
    'X',
    'nothing here',
    '',
    'g',
    'ghp_ and GHO_ and PWD',
    'pas\nsword split by a newline',
    'passwor',
  ]) {
    assert.deepEqual(filter.matchingGroups(Buffer.from(text)), oracle(text), JSON.stringify(text));
  }
});

it('agrees with the slow way on random text built from keyword fragments', () => {
  const pieces = [
    'ak',
    'ia',
    'AS',
    'Ia',
    'pass',
    'WORD',
    'q',
    '~',
    'gh',
    'p_',
    'o_',
    'pw',
    'd',
    ' ',
    '\n',
    'é',
  ];
  let seed = 7;
  for (let n = 0; n < 500; n++) {
    let text = '';
    for (let i = 0; i < 12; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      text += pieces[seed % pieces.length];
    }
    assert.deepEqual(filter.matchingGroups(Buffer.from(text)), oracle(text), JSON.stringify(text));
  }
});
