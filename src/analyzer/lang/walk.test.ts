// The language analyzers as the scan runs them: registered, behind the real layer walker, on a
// tar layer (with large files spilled to disk) and on a directory.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { analyzers } from '../registry.js';
import { walkLayer, type LayerAnalysis } from '../../layer/index.js';

const here = import.meta.dirname;
let root = '';

before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'bosun-lang-walk-'));
  const put = (from: string, to: string): void => {
    mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
    copyFileSync(from, path.join(root, to));
  };
  put(path.join(here, 'npm/testdata/package-lock-v1.json'), 'srv/web/package-lock.json');
  put(path.join(here, 'python/testdata/poetry.lock'), 'srv/api/poetry.lock');
  put(path.join(here, 'ruby/testdata/Gemfile.lock'), 'srv/rb/Gemfile.lock');
  put(path.join(here, 'rust/testdata/Cargo.lock'), 'srv/rs/Cargo.lock');
  put(path.join(here, 'php/testdata/installed-v2.json'), 'srv/php/vendor/composer/installed.json');
  put(path.join(here, 'dotnet/testdata/webapp.deps.json'), 'srv/net/WebApp.deps.json');
  put('/usr/bin/umoci', 'usr/local/bin/umoci');
  put('/usr/share/java/commons-io-2.11.0.jar', 'opt/lib/commons-io-2.11.0.jar');
  const meta = path.join(root, 'usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA');
  mkdirSync(path.dirname(meta), { recursive: true });
  writeFileSync(
    meta,
    'Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\nLicense: MIT\n\nPython 2 and 3 compatibility utilities\n',
  );
});
after(() => rmSync(root, { recursive: true, force: true }));

function packagesByType(analysis: LayerAnalysis): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of analysis.files)
    for (const p of f.output.packages ?? []) (out[p.type] ??= []).push(`${p.name}@${p.version}`);
  for (const list of Object.values(out)) list.sort();
  return out;
}

const EXPECTED = {
  npm: ['debug@2.6.9', 'is-number@7.0.0', 'ms@2.0.0', 'ms@2.1.3', 'string-width@4.2.3'],
  python: [
    'certifi@2023.7.22',
    'charset-normalizer@3.2.0',
    'idna@3.4',
    'iniconfig@2.0.0',
    'requests@2.31.0',
    'six@1.16.0',
    'urllib3@2.0.4',
  ],
  gem: ['mini_portile2@2.8.5', 'nokogiri@1.15.4', 'racc@1.7.3', 'rack@2.2.8'],
  cargo: ['proc-macro2@1.0.69', 'serde@1.0.193', 'syn@1.0.109', 'syn@2.0.39', 'unicode-ident@1.0.12'],
  composer: ['phpunit/php-timer@6.0.0', 'psr/log@3.0.0'],
  nuget: ['Newtonsoft.Json@13.0.1', 'Serilog.AspNetCore@8.0.0', 'Serilog@3.1.1'],
  gobinary: ['stdlib@1.19.8'],
  jar: ['commons-io:commons-io@2.11.0'],
};

describe('language analyzers behind the layer walker', () => {
  it('a directory layer', async () => {
    const layer = {
      diffId: 'sha256:dir',
      directory: root,
      open: () => Promise.reject(new Error('a directory')),
    };
    const analysis = await walkLayer(layer, 0, analyzers);
    assert.deepEqual(analysis.errors, []);
    const got = packagesByType(analysis);
    for (const [type, list] of Object.entries(EXPECTED)) assert.deepEqual(got[type], list, type);
  });

  it('a tar layer, with a small memory limit so that the binary and jar spill to disk', async () => {
    const layer = {
      diffId: 'sha256:tar',
      open: async () =>
        spawn('tar', ['-c', '-C', root, '.'], { stdio: ['ignore', 'pipe', 'inherit'] }).stdout,
    };
    const analysis = await walkLayer(layer, 0, analyzers, { memoryLimit: 64 << 10 });
    assert.deepEqual(analysis.errors, []);
    const got = packagesByType(analysis);
    for (const [type, list] of Object.entries(EXPECTED)) assert.deepEqual(got[type], list, type);
    const go = analysis.files.find((f) => f.analyzer === 'go-binary' && f.output.packages);
    assert.equal(go?.path, 'usr/local/bin/umoci');
  });
});
