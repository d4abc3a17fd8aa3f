import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidVersionError, memoizeParse } from './types.js';

describe('memoizeParse', () => {
  const counting = () => {
    const calls: string[] = [];
    const parse = (v: string) => {
      calls.push(v);
      if (!/^\d+$/.test(v)) throw new InvalidVersionError('Test', v, 'not digits');
      return { digits: v };
    };
    return { calls, parse };
  };

  it('parses each version once and hands back the same value', () => {
    const { calls, parse } = counting();
    const memo = memoizeParse(parse);
    const first = memo('12');
    assert.equal(memo('12'), first);
    assert.deepEqual(memo('3'), { digits: '3' });
    assert.deepEqual(calls, ['12', '3']);
  });

  it('keeps no failure: an invalid version throws every time', () => {
    const { calls, parse } = counting();
    const memo = memoizeParse(parse);
    for (let i = 0; i < 2; i++) assert.throws(() => memo('x'), InvalidVersionError);
    assert.deepEqual(calls, ['x', 'x']);
  });

  it('drops everything when full, then parses again', () => {
    const { calls, parse } = counting();
    const memo = memoizeParse(parse, 2);
    for (const v of ['1', '2', '3', '1']) memo(v);
    assert.deepEqual(calls, ['1', '2', '3', '1']);
    memo('3');
    assert.deepEqual(calls, ['1', '2', '3', '1']);
  });
});
