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

it('finds keywords inside and overlapping other keywords', () => {
  const nested = [['aws_secret'], ['secret'], ['secret_access_key'], ['access_key'], ['key'], ['ss']];
  const overlapping = new KeywordFilter(nested);
  const found = (text: string) => [...overlapping.matchingGroups(Buffer.from(text))].sort();
  assert.deepEqual(found('AWS_SECRET_ACCESS_KEY=x'), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(found('aws_secre secret_access_ke'), [1, 5]);
  assert.deepEqual(found('access_kex'), [5]);
});

it('a keyword set too large for 16-bit tables (many custom rules) gives the same answers', () => {
  // 3000 ten-letter keywords: about 25,000 states over 27 byte classes, past 65,536 table entries.
  let seed = 11;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
  const word = () => Array.from({ length: 10 }, () => String.fromCharCode(0x61 + random(26))).join('');
  const many = Array.from({ length: 3000 }, () => [word()]);
  const large = new KeywordFilter(many);
  for (const g of [0, 1234, 2999]) {
    const text = `prefix ${many[g]![0]!.toUpperCase()} suffix`;
    assert.ok(large.matchingGroups(Buffer.from(text)).has(g), text);
  }
  const text = many
    .slice(0, 50)
    .map(([w]) => w!.slice(1))
    .join(' ');
  const lower = text.toLowerCase();
  const expected = new Set(many.flatMap(([w], g) => (lower.includes(w!) ? [g] : [])));
  assert.deepEqual(large.matchingGroups(Buffer.from(text)), expected);
});
