import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedFixtures } from '../../test/helpers/paths.js';
import { normaliseSeverity, scoreCvss } from './index.js';

// Base scores as published by NVD (and FIRST's v4 examples) — an oracle independent of the
// calculator library.
const published: [cve: string, vector: string, score: number, rating: string][] = [
  ['CVE-2021-44228', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10.0, 'CRITICAL'],
  ['CVE-2021-44228', 'AV:N/AC:M/Au:N/C:C/I:C/A:C', 9.3, 'HIGH'],
  ['CVE-2014-0160', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5, 'HIGH'],
  ['CVE-2014-0160', 'AV:N/AC:L/Au:N/C:P/I:N/A:N', 5.0, 'MEDIUM'],
  ['CVE-2023-4911', 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8, 'HIGH'],
  ['CVE-2023-38545', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CRITICAL'],
  ['CVE-2017-5638', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CRITICAL'],
  ['CVE-2023-4863', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 8.8, 'HIGH'],
  ['v4 example', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3, 'CRITICAL'],
  ['v4 example', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 6.9, 'MEDIUM'],
];

for (const [cve, vector, score, rating] of published) {
  test(`CVSS ${vector} scores ${score} (${cve})`, () => {
    const result = scoreCvss(vector);
    assert.ok(result, 'vector parsed');
    assert.equal(result.score, score);
    assert.equal(result.rating, rating);
  });
}

test('incomplete or garbage vectors have no score', () => {
  assert.equal(scoreCvss('CVSS:3.1/AV:N'), undefined);
  assert.equal(scoreCvss('garbage'), undefined);
  assert.equal(scoreCvss('CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), undefined);
});

test('GHSA database_specific.severity wins over CVSS; MODERATE is MEDIUM', () => {
  const s = normaliseSeverity({
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    database_specific: { severity: 'MODERATE' },
  });
  assert.equal(s.level, 'MEDIUM');
  assert.equal(s.source, 'ghsa');
  assert.deepEqual(
    s.scores.map((x) => [x.source, x.level, x.score]),
    [
      ['cvss', 'CRITICAL', 9.8],
      ['ghsa', 'MEDIUM', undefined],
    ],
  );
});

test('the newest CVSS version decides when nothing else is stated', () => {
  const s = normaliseSeverity({
    severity: [
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
      { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N' },
    ],
  });
  assert.deepEqual([s.level, s.source], ['MEDIUM', 'cvss']);
});

test('Debian urgency and Ubuntu priority are the distro ratings', () => {
  const debian = normaliseSeverity({
    affected: [{ ecosystem_specific: { urgency: 'low**' } }, { ecosystem_specific: { urgency: 'high' } }],
  });
  assert.deepEqual([debian.level, debian.source], ['HIGH', 'debian']);
  assert.equal(
    normaliseSeverity({ affected: [{ ecosystem_specific: { urgency: 'not yet assigned' } }] }).level,
    'UNKNOWN',
  );
  const ubuntu = normaliseSeverity({
    severity: [
      { type: 'Ubuntu', score: 'medium' },
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
    ],
  });
  assert.deepEqual([ubuntu.level, ubuntu.source], ['MEDIUM', 'ubuntu']);
});

test('a record without severity is UNKNOWN', () => {
  assert.deepEqual(normaliseSeverity({}), { level: 'UNKNOWN', scores: [] });
});

test('real fixture records: the GHSA npm record keeps its published rating', () => {
  const file = path.join(sharedFixtures, 'osv/npm/GHSA-35jh-r3h4-6jhm.json');
  const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const s = normaliseSeverity(record);
  const stated = (record.database_specific as { severity: string }).severity;
  assert.equal(s.source, 'ghsa');
  assert.equal(s.level, stated === 'MODERATE' ? 'MEDIUM' : stated);
  assert.ok(s.scores.some((x) => x.source === 'cvss' && typeof x.score === 'number'));
});
