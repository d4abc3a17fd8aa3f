import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mavenComparator } from './maven.js';
import { InvalidVersionError } from './types.js';
import {
  assertAgrees,
  assertCases,
  hasTool,
  loadCases,
  randomPairs,
  runOracle,
  type Gen,
} from '../../test/version-oracle/harness.js';

const maven = mavenComparator('Maven');
const cases = loadCases(new URL('./testdata/maven-versions.txt', import.meta.url));
// Debian's `maven` package ships maven-artifact, which holds ComparableVersion
const jar = '/usr/share/maven/lib/maven-artifact-3.x.jar';
const oracleMissing = !hasTool('java', ['-version'])
  ? 'java is not installed'
  : !existsSync(jar)
    ? `${jar} is missing (apt install maven)`
    : false;

function mavenVersion(g: Gen): string {
  const part = () =>
    g.pick([
      '0',
      '1',
      '2',
      '10',
      '00',
      '01',
      '2147483648',
      '99999999999999999999',
      'a',
      'b',
      'm',
      'alpha',
      'beta',
      'milestone',
      'rc',
      'cr',
      'snapshot',
      'SNAPSHOT',
      'ga',
      'final',
      'Final',
      'release',
      'sp',
      'x',
      'abc',
      'v2023',
      '',
    ]);
  return String(g.int(4)) + g.repeat(0, 5, () => g.pick(['.', '-', '', '', '.', '-']) + part());
}

describe('Maven comparator (ComparableVersion)', () => {
  it(`orders ${cases.length} hand-picked pairs both ways round`, () => {
    assertCases(maven, cases);
  });

  it('rejects empty, spaced or non-ASCII versions, naming the ecosystem', () => {
    for (const v of ['', ' ', '1.0 ', '1.0\n', '1.\u00e9']) {
      assert.equal(maven.isValid?.(v), false, JSON.stringify(v));
      assert.throws(
        () => maven.compare(v, '1.0'),
        (e: unknown) =>
          e instanceof InvalidVersionError && e.kind === 'badInput' && e.message.includes('Maven'),
      );
    }
  });

  const pairs = [...cases.map((c) => [c.a, c.b] as const), ...randomPairs(6607, 5000, mavenVersion)];
  it(
    `agrees with maven-artifact's ComparableVersion on ${pairs.length} pairs`,
    { skip: oracleMissing },
    async () => {
      const source = new URL('../../test/version-oracle/MavenCompare.java', import.meta.url).pathname;
      // C1 JIT and serial GC: the JVM starts faster, which is most of this test's time
      const expected = await runOracle(
        'java',
        ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', jar, source],
        pairs,
      );
      assertAgrees(maven, pairs, expected);
    },
  );
});
