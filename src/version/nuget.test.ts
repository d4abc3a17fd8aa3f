import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nuGetComparator } from './nuget.js';
import { InvalidVersionError } from './types.js';
import { assertCases, loadCases } from '../../test/version-oracle/harness.js';

const nuget = nuGetComparator('NuGet');
const cases = loadCases(new URL('./testdata/nuget-versions.txt', import.meta.url));

describe('NuGet comparator', () => {
  it(`orders ${cases.length} hand-picked pairs both ways round`, () => {
    assertCases(nuget, cases);
  });

  it('rejects what NuGet.Versioning does not parse, naming the ecosystem', () => {
    for (const v of [
      '',
      'v1.0',
      '1.0.0.0.0',
      '1.0-',
      '1.0+',
      '1..0',
      '1.0.0-a..b',
      '1.0.0-a_b',
      ' 1.0',
      'latest',
      '2147483648.0',
    ]) {
      assert.equal(nuget.isValid?.(v), false, v);
      assert.throws(
        () => nuget.compare(v, '1.0'),
        (e: unknown) =>
          e instanceof InvalidVersionError && e.kind === 'badInput' && e.message.includes('NuGet'),
      );
    }
  });
});
