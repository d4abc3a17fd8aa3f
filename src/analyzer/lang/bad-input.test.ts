// Every language analyzer on garbage: it returns or throws a BosunError naming the file, never
// anything else, and never hangs.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BosunError } from '../../core/errors.js';
import { analyzeBytes } from './test-helpers.js';
import { langAnalyzers } from './index.js';

/** A path each analyzer accepts, so that required() and analyze() see realistic names. */
const PATH_FOR: Record<string, string> = {
  'npm-package-json': 'app/node_modules/x/package.json',
  'npm-package-lock': 'app/package-lock.json',
  'yarn-lock': 'app/yarn.lock',
  'pnpm-lock': 'app/pnpm-lock.yaml',
  'python-metadata': 'site/x-1.0.dist-info/METADATA',
  'poetry-lock': 'app/poetry.lock',
  'uv-lock': 'app/uv.lock',
  'pipfile-lock': 'app/Pipfile.lock',
  'pip-requirements': 'app/requirements.txt',
  'go-binary': 'usr/local/bin/app',
  'go-mod': 'src/go.mod',
  'java-archive': 'opt/app.jar',
  'ruby-gemspec': 'gems/specifications/x-1.0.gemspec',
  'ruby-gemfile-lock': 'app/Gemfile.lock',
  'cargo-lock': 'app/Cargo.lock',
  'rust-cargo-auditable': 'usr/local/bin/app',
  'composer-lock': 'app/composer.lock',
  'composer-installed': 'app/vendor/composer/installed.json',
  'dotnet-deps': 'app/App.deps.json',
  'nuget-packages-lock': 'app/packages.lock.json',
  'gradle-lockfile': 'app/gradle.lockfile',
};

function testdataFiles(): string[] {
  const out: string[] = [];
  for (const eco of readdirSync(import.meta.dirname)) {
    const dir = path.join(import.meta.dirname, eco, 'testdata');
    try {
      if (statSync(dir).isDirectory()) out.push(...readdirSync(dir).map((f) => path.join(dir, f)));
    } catch {
      // no testdata for this ecosystem
    }
  }
  return out;
}

describe('language analyzers on bad input', () => {
  const inputs: [string, Buffer][] = [
    ['empty', Buffer.alloc(0)],
    ['random', randomBytes(64 << 10)],
    ['NUL bytes', Buffer.alloc(4096)],
    ['JSON scalar', Buffer.from('42')],
    ...testdataFiles().map((f): [string, Buffer] => {
      const data = readFileSync(f);
      return [`first half of ${path.basename(f)}`, data.subarray(0, data.length >> 1)];
    }),
  ];

  it('every analyzer has a test path it requires', () => {
    for (const a of langAnalyzers) {
      const p = PATH_FOR[a.name];
      assert.ok(p, a.name);
      assert.ok(a.required(p, { path: p, type: 'file', size: 1 << 20, mode: 0o755 }), a.name);
    }
  });

  for (const a of langAnalyzers) {
    it(`${a.name}: returns or throws a BosunError naming the file`, async () => {
      const p = PATH_FOR[a.name] as string;
      for (const [label, data] of inputs) {
        try {
          const out = await analyzeBytes(a, p, data, 0o755);
          for (const e of out.errors ?? []) assert.ok(e.message.includes(p), `${label}: ${e.message}`);
        } catch (err) {
          assert.ok(err instanceof BosunError, `${label}: ${String(err)}`);
          assert.ok(err.message.includes(p), `${label}: ${err.message}`);
          assert.equal(err.kind, 'badInput');
        }
      }
    });
  }
});
