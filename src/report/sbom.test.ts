import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import type { Package } from '../core/package.js';
import { REPORT_SCHEMA_VERSION, type Report, type VulnerabilityFinding } from '../core/report.js';
import { writeCycloneDx } from './cyclonedx.js';
import { writeSpdx } from './spdx.js';
import { parseSpdx, spdxSchema } from '../../test/helpers/schemas.js';

function pkg(over: Partial<Package> & Pick<Package, 'name' | 'version' | 'type' | 'purl'>): Package {
  return { id: `${over.type}:${over.name}@${over.version}`, ecosystem: 'Debian:12', locations: [], ...over };
}

const libc = pkg({
  name: 'libc6',
  version: '2.36-9+deb12u4',
  type: 'dpkg',
  purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12',
  srcName: 'glibc',
  srcVersion: '2.36-9+deb12u4',
  licenses: ['LGPL-2.1-only'],
  locations: [{ path: 'var/lib/dpkg/status', layerDiffId: 'sha256:aaa' }],
});
const curl = pkg({
  name: 'curl',
  version: '7.88.1-10',
  type: 'dpkg',
  purl: 'pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12',
  dependsOn: [libc.id],
  licenses: ['curl', 'some licence text that is no SPDX id'],
  locations: [{ path: 'var/lib/dpkg/status', layerDiffId: 'sha256:bbb' }],
});
const requests = pkg({
  id: 'python:requests@2.28.1:usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA',
  name: 'requests',
  version: '2.28.1',
  type: 'python',
  ecosystem: 'PyPI',
  purl: 'pkg:pypi/requests@2.28.1',
  ownerId: curl.id,
  locations: [{ path: 'usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA' }],
});

function report(packages: Package[]): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    createdAt: '2026-01-02T03:04:05.000Z',
    artifact: {
      name: 'example.test/app:1.0',
      type: 'container_image',
      digest: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      os: { family: 'debian', version: '12', ecosystem: 'Debian:12' },
    },
    results: [
      {
        target: 'debian 12',
        class: 'os-pkgs',
        type: 'dpkg',
        packages: packages.filter((p) => p.type === 'dpkg'),
      },
      {
        target: 'python',
        class: 'lang-pkgs',
        type: 'python',
        packages: packages.filter((p) => p.type !== 'dpkg'),
      },
    ],
    errors: [],
  };
}

test('CycloneDX output is valid against the official 1.6 JSON schema', async () => {
  const json = writeCycloneDx(report([libc, curl, requests]));
  const error = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(json);
  assert.equal(error, null, JSON.stringify(error));
  const bom = JSON.parse(json);
  assert.equal(bom.specVersion, '1.6');
  assert.equal(bom.metadata.component.type, 'container');
  const names = bom.components.map((c: { name: string }) => c.name).sort();
  assert.deepEqual(names, ['curl', 'debian', 'libc6', 'requests']);
  const curlDeps = bom.dependencies.find((d: { ref: string }) => d.ref === curl.id);
  assert.deepEqual(curlDeps.dependsOn, [libc.id]);
  const libcComponent = bom.components.find((c: { name: string }) => c.name === 'libc6');
  assert.deepEqual(libcComponent.licenses, [{ license: { id: 'LGPL-2.1-only' } }]);
  assert.ok(
    libcComponent.properties.some(
      (p: { name: string; value: string }) => p.name === 'bosun:layer:diffId' && p.value === 'sha256:aaa',
    ),
  );
});

test('CycloneDX carries the findings: one vulnerability per id affecting each package, with ratings', async () => {
  const finding = (p: Package, over: Partial<VulnerabilityFinding>): VulnerabilityFinding => ({
    id: 'CVE-2023-0001',
    aliases: ['DSA-5555-1'],
    pkgId: p.id,
    pkgName: p.name,
    installedVersion: p.version,
    status: 'fixed',
    severity: 'HIGH',
    ...over,
  });
  const withFindings = report([libc, curl, requests]);
  withFindings.results[0]!.vulnerabilities = [
    finding(libc, {
      fixedVersion: '2.36-9+deb12u7',
      cvss: [
        { source: 'nvd', version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
      ],
      severitySource: 'debian',
      title: 'glibc: buffer overflow',
      references: ['https://security-tracker.debian.org/tracker/CVE-2023-0001', 'ttps://typo.example'],
    }),
    finding(curl, { fixedVersion: '7.88.1-10+deb12u5', aliases: ['DLA-1-1'] }),
  ];
  withFindings.results[1]!.vulnerabilities = [
    finding(requests, { id: 'GHSA-j8r2-6x86-q33q', aliases: [], status: 'affected', severity: 'MEDIUM' }),
  ];
  const json = writeCycloneDx(withFindings);
  const error = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(json);
  assert.equal(error, null, JSON.stringify(error));
  const vulns = JSON.parse(json).vulnerabilities as {
    id: string;
    'bom-ref': string;
    references?: { id: string }[];
    ratings: {
      source?: { name: string };
      score?: number;
      severity?: string;
      method?: string;
      vector?: string;
    }[];
    advisories?: { url: string }[];
    recommendation?: string;
    affects: { ref: string; versions: { version: string; status: string }[] }[];
  }[];
  assert.deepEqual(
    vulns.map((v) => v.id),
    ['CVE-2023-0001', 'GHSA-j8r2-6x86-q33q'],
  );
  const [cve, ghsa] = vulns as [(typeof vulns)[0], (typeof vulns)[0]];
  assert.deepEqual(cve.affects.map((a) => [a.ref, a.versions]).sort(), [
    [curl.id, [{ version: curl.version, status: 'affected' }]],
    [libc.id, [{ version: libc.version, status: 'affected' }]],
  ]);
  assert.deepEqual(cve.references?.map((r) => r.id).sort(), ['DLA-1-1', 'DSA-5555-1']);
  assert.ok(
    cve.ratings.some(
      (r) => r.method === 'CVSSv31' && r.score === 9.8 && r.source?.name === 'nvd' && r.vector,
    ),
  );
  assert.ok(cve.ratings.some((r) => r.severity === 'high' && r.source?.name === 'debian'));
  assert.deepEqual(cve.advisories, [{ url: 'https://security-tracker.debian.org/tracker/CVE-2023-0001' }]);
  assert.match(cve.recommendation ?? '', /Upgrade libc6 2\.36-9\+deb12u4 to 2\.36-9\+deb12u7\./);
  assert.match(cve.recommendation ?? '', /Upgrade curl 7\.88\.1-10 to 7\.88\.1-10\+deb12u5\./);
  assert.equal(ghsa.recommendation, undefined, 'no fix, no recommendation');
  assert.deepEqual(ghsa.ratings, [{ severity: 'medium' }]);
  assert.deepEqual(
    ghsa.affects.map((a) => a.ref),
    [requests.id],
  );
  assert.equal(JSON.parse(writeCycloneDx(report([libc, curl, requests]))).vulnerabilities, undefined);
});

test('SBOMs are deterministic: package order and ids do not depend on scan order', () => {
  const a = report([libc, curl, requests]);
  const b = report([requests, curl, libc]);
  assert.equal(writeCycloneDx(a), writeCycloneDx(b));
  assert.equal(writeSpdx(a), writeSpdx(b));
  assert.notEqual(writeSpdx(a), writeSpdx(report([libc, curl])), 'different content, different document');
});

test('SOURCE_DATE_EPOCH pins the SBOM timestamps', () => {
  process.env.SOURCE_DATE_EPOCH = '1700000000';
  try {
    assert.equal(JSON.parse(writeSpdx(report([libc]))).creationInfo.created, '2023-11-14T22:13:20Z');
    assert.equal(JSON.parse(writeCycloneDx(report([libc]))).metadata.timestamp, '2023-11-14T22:13:20.000Z');
  } finally {
    delete process.env.SOURCE_DATE_EPOCH;
  }
});

test('SPDX output is valid against the official SPDX 2.3 JSON schema and links packages', () => {
  const doc = parseSpdx(writeSpdx(report([libc, curl, requests])));
  const ids = new Set(doc.packages.map((p) => p.SPDXID));
  assert.equal(ids.size, doc.packages.length, 'SPDXIDs are unique');
  for (const rel of doc.relationships) {
    assert.ok(rel.spdxElementId === 'SPDXRef-DOCUMENT' || ids.has(rel.spdxElementId), rel.spdxElementId);
    assert.ok(ids.has(rel.relatedSpdxElement), rel.relatedSpdxElement);
  }
  const byName = new Map(doc.packages.map((p) => [p.name, p]));
  assert.equal(byName.get('libc6')?.licenseDeclared, 'LGPL-2.1-only');
  assert.equal(
    byName.get('curl')?.licenseDeclared,
    'NOASSERTION',
    'a licence that is no SPDX id is not asserted',
  );
  const dependsOn = doc.relationships.filter((r) => r.relationshipType === 'DEPENDS_ON');
  assert.deepEqual(
    dependsOn.map((r) => [r.spdxElementId, r.relatedSpdxElement]),
    [[byName.get('curl')!.SPDXID, byName.get('libc6')!.SPDXID]],
  );
  const osContains = doc.relationships
    .filter((r) => r.spdxElementId === 'SPDXRef-OperatingSystem')
    .map((r) => r.relatedSpdxElement);
  assert.deepEqual(osContains.sort(), [byName.get('curl')!.SPDXID, byName.get('libc6')!.SPDXID].sort());
});

test('the SPDX schema does reject broken documents', () => {
  const doc = JSON.parse(writeSpdx(report([libc])));
  const [artifact, ...rest] = doc.packages;
  const broken = [
    { ...doc, creationInfo: undefined },
    { ...doc, packages: [{ ...artifact, downloadLocation: undefined }, ...rest] },
    { ...doc, packages: [{ ...artifact, primaryPackagePurpose: 'IMAGE' }, ...rest] },
    { ...doc, packages: [{ ...artifact, purl: 'pkg:oci/app' }, ...rest] },
    { ...doc, relationships: [{ ...doc.relationships[0], relationshipType: 'HAS' }] },
  ];
  for (const b of broken) assert.equal(spdxSchema(JSON.parse(JSON.stringify(b))), false, JSON.stringify(b));
});
