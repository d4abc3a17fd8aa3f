import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configKindOf, scanConfigPath } from './config-scan.js';

describe('scanConfigPath', () => {
  it('configKindOf: Dockerfile names and YAML', () => {
    for (const name of ['Dockerfile', 'Containerfile', 'Dockerfile.dev', 'api.Dockerfile', 'x/Dockerfile'])
      assert.equal(configKindOf(name), 'dockerfile', name);
    for (const name of ['k.yaml', 'k.YML']) assert.equal(configKindOf(name), 'kubernetes', name);
    for (const name of ['Dockerfile-notes.txt', 'dockerfile.md', 'values.json'])
      assert.equal(configKindOf(name), undefined);
  });

  it('a directory: broken YAML is a report error and the scan goes on; non-Kubernetes YAML gives no result', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bosun-config-'));
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.git/Dockerfile'), 'FROM x\n');
    writeFileSync(path.join(dir, 'Containerfile'), 'FROM alpine:3.20\nHEALTHCHECK CMD true\nUSER 1000\n');
    writeFileSync(path.join(dir, 'broken.yaml'), 'kind: Pod\nspec: [\n');
    writeFileSync(path.join(dir, 'values.yaml'), 'replicaCount: 2\n');
    const report = await scanConfigPath(dir);
    assert.deepEqual(
      report.results.map((r) => [r.target, r.type, r.misconfigurations?.length]),
      [['Containerfile', 'dockerfile', 0]],
    );
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]!.path, 'broken.yaml');
    assert.match(report.errors[0]!.message, /^YAML error at line 3: Flow sequence/);
  });

  it('a file given directly is read whatever its name; a missing path is notFound', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bosun-config-'));
    const file = path.join(dir, 'manifest.txt');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostIPC: true\n  containers: []\n',
    );
    const report = await scanConfigPath(file);
    assert.ok(report.results[0]!.misconfigurations!.some((m) => m.id === 'BOSUN-K8S-002' && m.line === 5));
    await assert.rejects(scanConfigPath(path.join(dir, 'nope')), { kind: 'notFound' });
  });
});
