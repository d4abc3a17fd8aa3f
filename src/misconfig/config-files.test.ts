import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FileInfo } from '../analyzer/types.js';
import { configFilesAnalyzer } from './config-files.js';

async function run(path: string, text: string): Promise<string[] | undefined> {
  const info: FileInfo = { path, type: 'file', size: Buffer.byteLength(text), mode: 0o644 };
  if (!configFilesAnalyzer.required(path, info)) return undefined;
  const content = {
    size: info.size,
    buffer: async () => Buffer.from(text),
    stream: () => {
      throw new Error('unused');
    },
  };
  const out = await configFilesAnalyzer.analyze({ info, content, layer: { diffId: 'sha256:x', index: 0 } });
  return (out?.misconfigurations ?? []).map((m) => `${m.path}:${m.line} ${m.id}`);
}

describe('configFilesAnalyzer', () => {
  it('checks Dockerfiles by name, with path and line', async () => {
    assert.deepEqual(
      await run('app/Dockerfile.prod', 'FROM alpine:3.20\nHEALTHCHECK CMD true\nUSER root\n'),
      ['app/Dockerfile.prod:3 BOSUN-DF-001'],
    );
  });

  it('checks Kubernetes workloads in YAML; other YAML and broken YAML give nothing', async () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers: []\n';
    assert.ok((await run('deploy/pod.yaml', pod))!.includes('deploy/pod.yaml:5 BOSUN-K8S-002'));
    assert.deepEqual(await run('etc/app/config.yml', 'log: {level: info}\n'), []);
    assert.deepEqual(await run('etc/app/broken.yml', 'a: [\n'), []);
  });

  it('other files are not read', async () => {
    assert.equal(await run('usr/bin/ls', 'x'), undefined);
    assert.equal(await run('README.md', 'x'), undefined);
  });
});
