// `bosun sbom` on every image we have: each shared archive from public test suites and the fixture
// images built from Debian's packages. The CycloneDX output is checked by the CycloneDX library's
// strict validator against the official 1.6 JSON schema, the SPDX output against the official SPDX 2.3
// JSON schema (test/fixtures/schemas); both against bosun's own JSON report of the same run.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { main } from '../../src/cli/main.js';
import type { Package } from '../../src/core/package.js';
import type { Report } from '../../src/core/report.js';
import { runBosun } from '../helpers/cli.js';
import { fixtureImages, fixtureTestOptions } from '../helpers/fixture-images.js';
import { sharedFixtures } from '../helpers/paths.js';
import { parseSpdx } from '../helpers/schemas.js';

const imagesDir = path.join(sharedFixtures, 'images');
const outDir = mkdtempSync(path.join(tmpdir(), 'bosun-sbom-e2e-'));
const SOURCE_DATE_EPOCH = '1700000000';
// The in-process runs read it from here; the spawned ones get it in their environment.
process.env.SOURCE_DATE_EPOCH = SOURCE_DATE_EPOCH;
after(() => rmSync(outDir, { recursive: true, force: true }));

/** Shared archives that hold no image: bad input, exit code 4. */
const notImages = new Set([
  // dive's compression variants are stored as placeholders holding only dive's README.md.
  'dive-test-estargz-image.tar',
  'dive-test-gzip-image.tar',
  'dive-test-uncompressed-image.tar',
  'dive-test-zstd-image.tar',
  'ggcr-no_manifest.tar',
  'ggcr-null_manifest.tar',
  'scalibr-empty.tar',
  // Single layer tars, not images.
  'claircore-whiteout.layer',
  'claircore-whiteout_advanced.layer',
  'claircore-whiteout_opaque.layer',
]);
/** Archives holding several images: the tag picks one. */
const tagged: Record<string, string> = { 'ggcr-test_link.tar': 'bazel/v1/tarball:test_image_3' };
/** The OS each image is known to have (SOURCES.md and the fixture script); absent: none detected. */
const knownOs: Record<string, { family: string; version: string }> = {
  'alpine-3.10.docker.tar.gz': { family: 'alpine', version: '3.10.4' },
  debian: { family: 'debian', version: '12' },
  'debian (OCI archive)': { family: 'debian', version: '12' },
  multi: { family: 'debian', version: '12' },
  secrets: { family: 'debian', version: '12' },
};

const sharedArchives = readdirSync(imagesDir)
  .filter((f) => /\.(tar|tar\.gz|layer)$/.test(f))
  .sort();

interface Outputs {
  json: string;
  cdx: string;
  spdx: string;
}

/** The three formats of one `bosun sbom` run, written to files by the repeatable `--format F=FILE`. */
function sbomArgs(target: string, prefix: string): string[] {
  return [
    'sbom',
    '--input',
    target,
    '--format',
    `cyclonedx=${prefix}.cdx.json`,
    '--format',
    `spdx-json=${prefix}.spdx.json`,
    '--format',
    `json=${prefix}.json`,
  ];
}

function readOutputs(prefix: string): Outputs {
  const read = (suffix: string) => readFileSync(`${prefix}${suffix}`, 'utf8');
  return { json: read('.json'), cdx: read('.cdx.json'), spdx: read('.spdx.json') };
}

let runs = 0;

/** Runs `bosun sbom` in this process; main() reports a failure as its exit code. */
async function sbomInProcess(target: string): Promise<{ code: number; prefix: string }> {
  const prefix = path.join(outDir, `run${++runs}`);
  return { code: await main(sbomArgs(target, prefix)), prefix };
}

/**
 * Runs the CLI twice on TARGET and checks both wrote byte-identical SBOMs (SOURCE_DATE_EPOCH pins
 * the timestamps). With `spawn`, the first run is a child process as a user would start it;
 * otherwise both run in-process (a spawned tsx start-up costs seconds of CPU per run).
 */
async function sbomTwice(target: string, { spawn }: { spawn: boolean }): Promise<Outputs> {
  let first: string;
  if (spawn) {
    first = path.join(outDir, `run${++runs}`);
    const run = await runBosun(sbomArgs(target, first), { env: { SOURCE_DATE_EPOCH } });
    assert.equal(run.code, 0, run.stderr);
  } else {
    first = (await sbomInProcess(target)).prefix;
  }
  const second = (await sbomInProcess(target)).prefix;
  const [a, b] = [readOutputs(first), readOutputs(second)];
  assert.equal(b.cdx, a.cdx, 'CycloneDX differs between two runs');
  assert.equal(b.spdx, a.spdx, 'SPDX differs between two runs');
  return a;
}

interface CdxComponent {
  type: string;
  name: string;
  version?: string;
  'bom-ref': string;
  properties?: { name: string; value: string }[];
}

/** Every check that holds for any image; returns the report for image-specific checks. */
async function checkSboms(label: string, out: Outputs): Promise<{ report: Report; packages: Package[] }> {
  const report = JSON.parse(out.json) as Report;
  const packages = report.results.flatMap((r) => r.packages ?? []);
  const diffIds = new Set((report.artifact.layers ?? []).map((l) => l.diffId));
  assert.ok(diffIds.size > 0, `${label}: the report lists the image's layers`);

  // CycloneDX: the official schema, one component per package, layer properties, the OS.
  const error = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(out.cdx);
  assert.equal(error, null, `${label}: ${JSON.stringify(error)}`);
  const bom = JSON.parse(out.cdx) as {
    components?: CdxComponent[];
    dependencies?: { ref: string; dependsOn?: string[] }[];
  };
  const components = bom.components ?? [];
  const libraries = components.filter((c) => c.type === 'library');
  assert.equal(libraries.length, packages.length, `${label}: one component per package`);
  for (const c of libraries) {
    const layers = (c.properties ?? []).filter((p) => p.name === 'bosun:layer:diffId').map((p) => p.value);
    assert.ok(layers.length > 0, `${label}: ${c['bom-ref']} has a layer property`);
    for (const layer of layers)
      assert.ok(diffIds.has(layer), `${label}: ${c['bom-ref']}: unknown layer ${layer}`);
  }
  const osComponents = components.filter((c) => c.type === 'operating-system');
  const os = report.artifact.os;
  assert.deepEqual(
    os ? { family: os.family, version: os.version } : undefined,
    knownOs[label],
    `${label}: detected OS`,
  );
  assert.deepEqual(
    osComponents.map((c) => ({ family: c.name, version: c.version })),
    os ? [{ family: os.family, version: os.version }] : [],
    `${label}: the OS is a component`,
  );

  // SPDX: the official 2.3 schema, ids that resolve, the OS and every package present.
  const doc = parseSpdx(out.spdx, label);
  const spdxIds = new Set(doc.packages.map((p) => p.SPDXID));
  assert.equal(spdxIds.size, doc.packages.length, `${label}: SPDXIDs are unique`);
  for (const rel of doc.relationships) {
    assert.ok(rel.spdxElementId === 'SPDXRef-DOCUMENT' || spdxIds.has(rel.spdxElementId), rel.spdxElementId);
    assert.ok(spdxIds.has(rel.relatedSpdxElement), `${label}: ${rel.relatedSpdxElement}`);
  }
  assert.equal(doc.packages.length, packages.length + 1 + (os ? 1 : 0), `${label}: artifact, OS, packages`);
  assert.equal(
    doc.packages.filter((p) => p.primaryPackagePurpose === 'OPERATING_SYSTEM').length,
    os ? 1 : 0,
    `${label}: the OS is a package`,
  );
  for (const p of doc.packages.filter(
    (p) => p.primaryPackagePurpose === 'INSTALL' || p.primaryPackagePurpose === 'LIBRARY',
  )) {
    const layer = /layer=(sha256:[0-9a-f]{64})/.exec(p.comment ?? '')?.[1];
    assert.ok(layer && diffIds.has(layer), `${label}: ${p.name} names its layer`);
  }

  // Dependencies of OS packages: what the package database recorded, in both formats.
  const ids = new Set(packages.map((p) => p.id));
  const osPackages = new Set(packages.filter((p) => p.type === 'dpkg' || p.type === 'apk').map((p) => p.id));
  const edges = new Set(
    packages
      .filter((p) => osPackages.has(p.id))
      .flatMap((p) =>
        (p.dependsOn ?? []).filter((d) => d !== p.id && ids.has(d)).map((d) => `${p.id} -> ${d}`),
      ),
  );
  if (osPackages.size > 1) assert.ok(edges.size > 0, `${label}: OS packages have recorded dependencies`);
  const cdxEdges = (bom.dependencies ?? []).flatMap((d) =>
    osPackages.has(d.ref) ? (d.dependsOn ?? []).map((t) => `${d.ref} -> ${t}`) : [],
  );
  assert.deepEqual(cdxEdges.sort(), [...edges].sort(), `${label}: CycloneDX dependencies`);
  const installIds = new Set(
    doc.packages.filter((p) => p.primaryPackagePurpose === 'INSTALL').map((p) => p.SPDXID),
  );
  const spdxOsEdges = doc.relationships.filter(
    (r) => r.relationshipType === 'DEPENDS_ON' && installIds.has(r.spdxElementId),
  );
  assert.equal(spdxOsEdges.length, edges.size, `${label}: SPDX DEPENDS_ON relationships`);
  return { report, packages };
}

/** Asserts that the OS packages' dependency graph has the given edge in CycloneDX. */
function assertEdge(out: Outputs, packages: Package[], from: string, to: string): void {
  const fromPkg = packages.find((p) => p.name === from && (p.type === 'dpkg' || p.type === 'apk'));
  const toPkg = packages.find((p) => p.name === to && p.type === fromPkg?.type);
  assert.ok(fromPkg && toPkg, `${from} and ${to} are listed`);
  const deps = (JSON.parse(out.cdx) as { dependencies: { ref: string; dependsOn?: string[] }[] })
    .dependencies;
  assert.ok(
    deps.find((d) => d.ref === fromPkg.id)?.dependsOn?.includes(toPkg.id),
    `${from} depends on ${to}`,
  );
}

/** Archives also run as a child process, as a user would: one with an OS, one that is no image. */
const spawned = new Set(['alpine-3.10.docker.tar.gz', 'ggcr-no_manifest.tar']);

describe('bosun sbom on every shared image archive', { concurrency: 2 }, () => {
  for (const file of sharedArchives) {
    const archive = path.join(imagesDir, file);
    if (notImages.has(file)) {
      test(`${file}: no image, exit code 4`, async () => {
        if (spawned.has(file)) {
          const run = await runBosun(['sbom', '--input', archive, '--format', 'cyclonedx']);
          assert.equal(run.code, 4, run.stderr);
          assert.match(run.stderr, new RegExp(`${file.replace(/\./g, '\\.')}: `));
          assert.equal(run.stdout, '');
        }
        assert.equal((await sbomInProcess(archive)).code, 4);
      });
      continue;
    }
    test(`${file}: valid, deterministic CycloneDX 1.6 and SPDX 2.3`, async () => {
      const target = tagged[file] ? `${archive}:${tagged[file]}` : archive;
      const out = await sbomTwice(target, { spawn: spawned.has(file) });
      const { packages } = await checkSboms(file, out);
      if (file.startsWith('alpine')) {
        // The image's lib/apk/db/installed holds 14 records (P: lines); the OS is one more component.
        assert.equal(packages.length, 14);
        assertEdge(out, packages, 'busybox', 'musl');
        assertEdge(out, packages, 'apk-tools', 'zlib');
      }
    });
  }
});

describe('bosun sbom on the fixture images', { ...fixtureTestOptions(), concurrency: 2 }, () => {
  test('debian: dpkg dependencies, the purged package absent', async () => {
    const { debian } = (await fixtureImages()).images;
    const out = await sbomTwice(debian.dockerArchive, { spawn: true });
    const { packages } = await checkSboms('debian', out);
    const dpkg = packages.filter((p) => p.type === 'dpkg');
    assert.ok(!dpkg.some((p) => p.name === debian.purged.name), `${debian.purged.name} was purged`);
    for (const { name, version } of debian.installed.filter((p) => p.name !== debian.purged.name))
      assert.ok(
        dpkg.some((p) => p.name === name && p.version === version),
        `${name} ${version}`,
      );
    assertEdge(out, packages, 'curl', 'libcurl4');
    assertEdge(out, packages, 'libxml2', 'libc6');
    // The OCI archive of the same image (one run: determinism is checked above): the same packages.
    const oci = readOutputs((await sbomInProcess(debian.ociArchive)).prefix);
    const ociPackages = (await checkSboms('debian (OCI archive)', oci)).packages;
    assert.deepEqual(ociPackages.map((p) => p.id).sort(), packages.map((p) => p.id).sort());
  });

  test('multi: every ecosystem in valid SBOMs', async () => {
    const { multi } = (await fixtureImages()).images;
    const out = await sbomTwice(multi.dockerArchive, { spawn: true });
    const { packages } = await checkSboms('multi', out);
    const types = new Set(packages.map((p) => p.type));
    for (const type of ['dpkg', 'python', 'npm', 'jar', 'gobinary', 'gem']) assert.ok(types.has(type), type);
    assertEdge(out, packages, 'python3-requests', 'python3-urllib3');
  });

  test('secrets: an image with no packages of its own still gets the base OS', async () => {
    const { secrets } = (await fixtureImages()).images;
    const out = await sbomTwice(secrets.dockerArchive, { spawn: false });
    const { packages } = await checkSboms('secrets', out);
    assert.ok(packages.some((p) => p.name === 'libc6'));
  });
});
