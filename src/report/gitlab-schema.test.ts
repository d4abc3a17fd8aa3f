// The GitLab container-scanning output against GitLab's official report schema, v15.2.4: written
// directly, and by the CLI on real scans against a database imported from the shared OSV fixtures.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPORT_SCHEMA_VERSION, type Report, type VulnerabilityFinding } from '../core/report.js';
import { runBosun } from '../../test/helpers/cli.js';
import { fixtureImages, fixtureTestOptions } from '../../test/helpers/fixture-images.js';
import { repoRoot, sharedFixtures } from '../../test/helpers/paths.js';
import { assertValid, gitlabSchema } from '../../test/helpers/schemas.js';
import { writeGitlab } from './gitlab.js';

function vuln(over: Partial<VulnerabilityFinding> & Pick<VulnerabilityFinding, 'id'>): VulnerabilityFinding {
  return {
    aliases: [],
    pkgId: 'apk:openssl@1.1.1d-r2',
    pkgName: 'openssl',
    installedVersion: '1.1.1d-r2',
    status: 'fixed',
    fixedVersion: '1.1.1g-r0',
    severity: 'HIGH',
    ...over,
  };
}

function report(vulnerabilities: VulnerabilityFinding[], os = true): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    createdAt: '2026-03-04T05:06:07.890Z',
    artifact: {
      name: 'registry.test/app:1',
      type: 'container_image',
      ...(os ? { os: { family: 'alpine', version: '3.10.4' } } : {}),
    },
    results: [{ target: 'alpine 3.10.4', class: 'os-pkgs', type: 'apk', vulnerabilities }],
    errors: [],
  };
}

const findings = [
  vuln({
    id: 'ALPINE-CVE-2020-1967',
    aliases: ['CVE-2020-1967'],
    severity: 'CRITICAL',
    title: 'Segmentation fault in SSL_check_chain',
    description: 'Server or client applications that call SSL_check_chain() ...',
    references: ['https://www.openssl.org/news/secadv/20200421.txt'],
  }),
  vuln({
    id: 'GHSA-aaaa-bbbb-cccc',
    pkgName: 'lodash',
    severity: 'UNKNOWN',
    status: 'affected',
    fixedVersion: undefined,
  }),
];

test('GitLab output with findings is valid against the official 15.2.4 schema', () => {
  const doc = JSON.parse(writeGitlab(report(findings)));
  assertValid(gitlabSchema, doc);
  assert.equal(doc.version, '15.2.4');
  assert.deepEqual(
    doc.vulnerabilities.map((v: { severity: string }) => v.severity),
    ['Critical', 'Unknown'],
  );
  assert.deepEqual(
    doc.vulnerabilities[0].identifiers.map((i: { type: string; value: string }) => [i.type, i.value]),
    [
      ['alpine', 'ALPINE-CVE-2020-1967'],
      ['cve', 'CVE-2020-1967'],
    ],
  );
  assert.deepEqual(doc.vulnerabilities[0].location, {
    dependency: { package: { name: 'openssl' }, version: '1.1.1d-r2' },
    operating_system: 'alpine 3.10.4',
    image: 'registry.test/app:1',
  });
});

test('GitLab output without findings, or without a detected OS, is valid too', () => {
  const empty = JSON.parse(writeGitlab(report([])));
  assertValid(gitlabSchema, empty);
  assert.deepEqual(empty.vulnerabilities, []);
  assertValid(gitlabSchema, JSON.parse(writeGitlab(report(findings, false))));
});

test('GitLab output keeps within the schema: long titles are cut, malformed links dropped', () => {
  // Both happen in real records: GO-2026-5126's summary is 270 characters and PYSEC-2021-865 lists
  // a reference `ttps://bugzilla.mozilla.org/...`.
  const long = vuln({
    id: 'GO-2026-5126',
    title: 'x'.repeat(270),
    references: ['ttps://bugzilla.mozilla.org/show_bug.cgi?id=1689399', 'https://example.test/advisory'],
  });
  const doc = JSON.parse(writeGitlab(report([long])));
  assertValid(gitlabSchema, doc);
  assert.equal(Array.from(doc.vulnerabilities[0].name as string).length, 255);
  assert.ok(doc.vulnerabilities[0].name.endsWith('…'));
  assert.deepEqual(doc.vulnerabilities[0].links, [{ url: 'https://example.test/advisory' }]);
});

test('the GitLab schema does reject broken documents', () => {
  const doc = JSON.parse(writeGitlab(report(findings)));
  const first = doc.vulnerabilities[0];
  const broken = [
    // What bosun wrote before it cut titles and dropped malformed links:
    { ...doc, vulnerabilities: [{ ...first, name: 'x'.repeat(256) }] },
    { ...doc, vulnerabilities: [{ ...first, links: [{ url: 'ttps://bugzilla.mozilla.org/' }] }] },
    { ...doc, scan: { ...doc.scan, start_time: '2026-03-04T05:06:07.890Z' } },
    { ...doc, scan: { ...doc.scan, analyzer: { id: 'bosun', name: 'bosun', version: '1' } } },
    { ...doc, vulnerabilities: [{ ...first, identifiers: [] }] },
    { ...doc, vulnerabilities: [{ ...first, location: { image: 'x' } }] },
    { ...doc, version: '15.2' },
  ];
  for (const b of broken) assert.equal(gitlabSchema(b), false, JSON.stringify(b).slice(0, 200));
});

const work = mkdtempSync(path.join(tmpdir(), 'bosun-gitlab-schema-'));
const cacheDir = path.join(work, 'cache');
describe('real scans through the CLI', () => {
  before(async () => {
    const run = await runBosun(['db', 'import', path.join(sharedFixtures, 'osv'), '--cache-dir', cacheDir]);
    assert.equal(run.code, 0, run.stderr);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /** `bosun ARGS --format gitlab` offline: the parsed report, checked against the schema. */
  async function scanGitlab(
    args: string[],
  ): Promise<{ vulnerabilities: { location: { operating_system: string } }[] }> {
    const run = await runBosun([...args, '--cache-dir', cacheDir, '--offline', '--format', 'gitlab']);
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout);
    assertValid(gitlabSchema, doc, args.join(' '));
    return doc;
  }

  test('bosun image --format gitlab on the Alpine 3.10 archive: valid, no findings', async () => {
    const doc = await scanGitlab([
      'image',
      '--input',
      path.join(sharedFixtures, 'images/alpine-3.10.docker.tar.gz'),
    ]);
    assert.deepEqual(doc.vulnerabilities, []);
  });

  test("bosun fs --format gitlab on an npm lockfile: valid, with the real records' findings", async () => {
    const doc = await scanGitlab(['fs', path.join(repoRoot, 'test/e2e/projects/npm')]);
    assert.equal(doc.vulnerabilities.length, 2); // lodash and minimist: test/e2e/scan.test.ts
  });

  test(
    'bosun image --format gitlab on the Debian fixture image: valid, OS findings',
    fixtureTestOptions(),
    async () => {
      const debian = (await fixtureImages()).images.debian;
      const doc = await scanGitlab(['image', '--input', debian.dockerArchive]);
      assert.ok(doc.vulnerabilities.length > 0);
      for (const v of doc.vulnerabilities) {
        assert.equal(v.location.operating_system, 'debian 12');
      }
    },
  );
});
