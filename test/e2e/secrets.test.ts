// Secret scanning through the CLI on the fixture images: the "secrets" image must yield exactly
// what test/fixtures/build-images.sh planted in it (one secret per planted fact, the deleted PEM
// with the layer that deleted it, the ENV password from the image config), and the Debian image,
// whose only PEM files are CA certificates, nothing at all.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Report, SecretFinding } from '../../src/core/report.js';
import { runBosun } from '../helpers/cli.js';
import { fixtureImages, fixtureTestOptions } from '../helpers/fixture-images.js';

const work = mkdtempSync(path.join(tmpdir(), 'bosun-e2e-secrets-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The planted kinds are named after the rule that must find them. */
const RULE_OF_KIND: Record<string, string> = {
  'aws-access-key-id': 'aws-access-key-id',
  'aws-secret-access-key': 'aws-secret-access-key',
  'github-pat': 'github-pat',
  'private-key': 'private-key',
};

async function scanSecrets(archive: string, cacheDir: string): Promise<{ report: Report; stderr: string }> {
  const run = await runBosun([
    'image',
    '--input',
    archive,
    '--scanners',
    'secret',
    '--format',
    'json',
    '--cache-dir',
    cacheDir,
    '--offline',
  ]);
  assert.equal(run.code, 0, run.stderr);
  return { report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
}

function secretsOf(report: Report): SecretFinding[] {
  return report.results.flatMap((r) => r.secrets ?? []);
}

/** Every file under a directory, gunzipped when gzipped: what the layer cache holds. */
function cacheText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const data = readFileSync(path.join(e.parentPath, e.name));
      return (data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data) : data).toString('utf8');
    })
    .join('\n');
}

describe('secret scanning of the fixture images', fixtureTestOptions(), () => {
  it('the secrets image: exactly the planted secrets, masked, with their layers; the same from the cache', async () => {
    const { secrets: image } = (await fixtureImages()).images;
    const cacheDir = path.join(work, 'cache-secrets');
    const { report, stderr } = await scanSecrets(image.dockerArchive, cacheDir);
    const layers = report.artifact.layers!;
    assert.equal(layers.length, image.layerCount);

    const expected = [
      ...image.planted.map((p) => ({
        ruleId: RULE_OF_KIND[p.kind],
        path: p.path.replace(/^\//, ''),
        line: p.line,
        layer: layers[p.layer - 1]!.diffId,
        removedInLayer: p.removedInLayer ? layers[p.removedInLayer - 1]!.diffId : undefined,
      })),
      ...Object.keys(image.config.env).map(() => ({
        ruleId: 'generic-password',
        path: 'image config: ENV',
        line: undefined,
        layer: undefined,
        removedInLayer: undefined,
      })),
    ];
    const actual = secretsOf(report).map((s) => ({
      ruleId: s.ruleId,
      path: s.path,
      line: s.line,
      layer: s.layer?.diffId,
      removedInLayer: s.removedInLayer?.diffId,
    }));
    const order = (a: { path: string; line?: number }, b: { path: string; line?: number }) =>
      a.path.localeCompare(b.path) || (a.line ?? 0) - (b.line ?? 0);
    assert.deepEqual(actual.sort(order), expected.sort(order));

    // Masked everywhere: the report, and the layer cache it was written from.
    const raw = [
      ...image.planted.filter((p) => p.kind !== 'private-key').map((p) => p.value),
      ...Object.values(image.config.env),
    ];
    const cached = cacheText(cacheDir);
    for (const value of raw) {
      assert.ok(!JSON.stringify(report).includes(value), `report holds ${value}`);
      assert.ok(!cached.includes(value), `layer cache holds ${value}`);
    }
    const byRule = new Map(secretsOf(report).map((s) => [s.ruleId, s.match]));
    assert.equal(byRule.get('aws-secret-access-key'), `aws_secret_access_key = ${'*'.repeat(40)}`);
    assert.equal(byRule.get('github-pat'), `GITHUB_TOKEN=${'*'.repeat(40)}`);
    assert.equal(byRule.get('private-key'), image.planted.find((p) => p.kind === 'private-key')!.value);

    // Binary files were skipped, and said so.
    assert.match(report.notices?.join('\n') ?? '', /secret scan skipped [1-9]\d* binary file\(s\)/);
    assert.match(stderr, /secret scan skipped/);

    const again = await scanSecrets(image.dockerArchive, cacheDir);
    assert.deepEqual(secretsOf(again.report), secretsOf(report));

    // A table on stdout carries the notice itself, so it is not said twice.
    const table = await runBosun([
      'image',
      '--input',
      image.dockerArchive,
      '--scanners',
      'secret',
      '--cache-dir',
      cacheDir,
      '--offline',
    ]);
    assert.equal(table.code, 0, table.stderr);
    assert.equal(`${table.stdout}${table.stderr}`.match(/secret scan skipped/g)?.length, 1);
  });

  it('the Debian image: no secrets at all', async () => {
    const { debian } = (await fixtureImages()).images;
    const { report } = await scanSecrets(debian.dockerArchive, path.join(work, 'cache-debian'));
    assert.deepEqual(secretsOf(report), []);
    assert.equal(report.artifact.layers?.length, debian.layerCount);
  });
});
