import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeBytes, analyzeFile, analyzeTree, nameVersions } from '../test-helpers.js';
import { cachedFixture } from '../fixture-cache.js';
import { npmPackageJsonAnalyzer } from './package-json.js';
import { npmPackageLockAnalyzer } from './package-lock.js';
import { pnpmLockAnalyzer } from './pnpm-lock.js';
import { yarnLockAnalyzer } from './yarn-lock.js';
import { npmAnalyzers } from './index.js';

const testdata = path.join(import.meta.dirname, 'testdata');

// debug@2.6.9 needs ms@2.0.0 while the project pins ms@2.1.3: npm nests one copy under debug/.
const manifest = {
  name: 'fixture',
  version: '1.0.0',
  private: true,
  dependencies: { debug: '2.6.9', ms: '2.1.3', '@types/ms': '0.7.34' },
  devDependencies: { 'is-number': '7.0.0' },
};
const quiet = { stdio: 'pipe' as const, timeout: 120_000 };

function project(dir: string): void {
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
}

/** Flattens `npm ls --all --json` into name@version strings. */
function npmLsSet(tree: {
  dependencies?: Record<string, { version: string; dependencies?: unknown }>;
}): string[] {
  const out = new Set<string>();
  const walk = (deps: Record<string, { version: string; dependencies?: unknown }> | undefined): void => {
    for (const [name, d] of Object.entries(deps ?? {})) {
      out.add(`${name}@${d.version}`);
      walk(d.dependencies as typeof deps);
    }
  };
  walk(tree.dependencies);
  return [...out].sort();
}

/** A real `npm install` of the manifest, with `npm ls --all --json` saved as the oracle. */
function npmInstallFixture(): string {
  return cachedFixture('lang-npm-v1', (dir) => {
    project(dir);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, ...quiet });
    writeFileSync(
      path.join(dir, 'npm-ls.json'),
      execFileSync('npm', ['ls', '--all', '--json'], { cwd: dir, ...quiet }),
    );
  });
}

describe('npm analyzers against real npm, pnpm and yarn output', () => {
  let npmDir = '';
  let pnpmDir = '';
  let yarnDir = '';
  let oracle: string[] = [];
  before(() => {
    npmDir = npmInstallFixture();
    pnpmDir = cachedFixture('lang-pnpm9-v1', (dir) => {
      project(dir);
      execFileSync('npx', ['--yes', 'pnpm@9.15.0', 'install', '--lockfile-only'], { cwd: dir, ...quiet });
    });
    yarnDir = cachedFixture('lang-yarn1-v1', (dir) => {
      project(dir);
      execFileSync('npx', ['--yes', 'yarn@1.22.22', 'install', '--ignore-scripts', '--no-progress'], {
        cwd: dir,
        ...quiet,
      });
    });
    oracle = npmLsSet(JSON.parse(readFileSync(path.join(npmDir, 'npm-ls.json'), 'utf8')));
  });

  it('finds exactly what `npm ls --all` lists in the installed node_modules', async () => {
    assert.equal(oracle.length, 5);
    const { packages, errors } = await analyzeTree(
      npmAnalyzers,
      path.join(npmDir, 'node_modules'),
      'app/node_modules',
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(nameVersions(packages), oracle);
    const nested = packages.find((p) => p.name === 'ms' && p.version === '2.0.0');
    assert.equal(nested?.locations[0]?.path, 'app/node_modules/debug/node_modules/ms/package.json');
    assert.equal(nested?.origin, 'installed');
    assert.deepEqual(nested?.licenses, ['MIT']);
    const types = packages.find((p) => p.name === '@types/ms');
    assert.equal(types?.purl, 'pkg:npm/%40types/ms@0.7.34');
  });

  it('reads package-lock.json v3 with dev flags and node-style nested resolution', async () => {
    const out = await analyzeFile(
      npmPackageLockAnalyzer,
      path.join(npmDir, 'package-lock.json'),
      'app/package-lock.json',
    );
    const pkgs = out.packages ?? [];
    assert.deepEqual(nameVersions(pkgs), oracle);
    const byName = (n: string, v: string) => pkgs.find((p) => p.name === n && p.version === v);
    assert.equal(byName('is-number', '7.0.0')?.dev, true);
    assert.equal(byName('debug', '2.6.9')?.dev, undefined);
    assert.deepEqual(byName('debug', '2.6.9')?.dependsOn, ['npm:ms@2.0.0:app/package-lock.json']);
    assert.equal(byName('ms', '2.1.3')?.id, 'npm:ms@2.1.3:app/package-lock.json');
    assert.ok(pkgs.every((p) => p.origin === 'declared' && p.ecosystem === 'npm'));
  });

  it('reads a real pnpm v9 lockfile, deriving dev-only packages from importers', async () => {
    const out = await analyzeFile(pnpmLockAnalyzer, path.join(pnpmDir, 'pnpm-lock.yaml'), 'pnpm-lock.yaml');
    const pkgs = out.packages ?? [];
    assert.deepEqual(nameVersions(pkgs), oracle);
    assert.equal(pkgs.find((p) => p.name === 'is-number')?.dev, true);
    assert.equal(pkgs.filter((p) => p.dev).length, 1);
    assert.deepEqual(pkgs.find((p) => p.name === 'debug')?.dependsOn, ['npm:ms@2.0.0:pnpm-lock.yaml']);
  });

  it('reads a real yarn v1 lockfile', async () => {
    const out = await analyzeFile(yarnLockAnalyzer, path.join(yarnDir, 'yarn.lock'), 'yarn.lock');
    const pkgs = out.packages ?? [];
    assert.deepEqual(nameVersions(pkgs), oracle);
    assert.deepEqual(pkgs.find((p) => p.name === 'debug')?.dependsOn, ['npm:ms@2.0.0:yarn.lock']);
  });
});

/** Older lockfile formats written by the real older tools, fetched from the npm registry with npx. */
const OLDER_TOOLS = [
  {
    fixture: 'lang-npm6-v1',
    file: 'package-lock.json',
    analyzer: npmPackageLockAnalyzer,
    cmd: ['npm@6.14.18', 'install', '--package-lock-only', '--no-audit'],
  },
  {
    fixture: 'lang-pnpm8-v1',
    file: 'pnpm-lock.yaml',
    analyzer: pnpmLockAnalyzer,
    cmd: ['pnpm@8.15.9', 'install', '--lockfile-only'],
  },
  {
    fixture: 'lang-yarn4-v1',
    file: 'yarn.lock',
    analyzer: yarnLockAnalyzer,
    cmd: ['-p', '@yarnpkg/cli-dist@4.5.3', 'yarn', 'install', '--mode=update-lockfile'],
  },
];

describe('lockfiles written by npm 6 (v1), pnpm 8 (v6) and yarn 4 (berry)', () => {
  for (const tool of OLDER_TOOLS) {
    it(`${tool.fixture}: the same packages as npm ls, debug linked to its own ms`, async () => {
      const dir = cachedFixture(tool.fixture, (d) => {
        project(d);
        execFileSync('npx', ['--yes', ...tool.cmd], {
          cwd: d,
          ...quiet,
          env: { ...process.env, YARN_ENABLE_TELEMETRY: '0', YARN_ENABLE_GLOBAL_CACHE: '0' },
        });
      });
      const oracle = npmLsSet(
        JSON.parse(readFileSync(path.join(npmInstallFixture(), 'npm-ls.json'), 'utf8')),
      );
      const pkgs = (await analyzeFile(tool.analyzer, path.join(dir, tool.file), tool.file)).packages ?? [];
      assert.deepEqual(nameVersions(pkgs), oracle);
      assert.deepEqual(pkgs.find((p) => p.name === 'debug')?.dependsOn, [`npm:ms@2.0.0:${tool.file}`]);
      if (tool.fixture !== 'lang-yarn4-v1')
        assert.deepEqual(
          pkgs.filter((p) => p.dev).map((p) => p.name),
          ['is-number'],
        );
    });
  }
});

describe('npm lockfile formats from testdata', () => {
  it('package-lock v1: nested dependencies, aliases, requires resolved up the tree', async () => {
    const out = await analyzeFile(
      npmPackageLockAnalyzer,
      path.join(testdata, 'package-lock-v1.json'),
      'package-lock.json',
    );
    const pkgs = out.packages ?? [];
    assert.deepEqual(nameVersions(pkgs), [
      'debug@2.6.9',
      'is-number@7.0.0',
      'ms@2.0.0',
      'ms@2.1.3',
      'string-width@4.2.3',
    ]);
    assert.deepEqual(pkgs.find((p) => p.name === 'debug')?.dependsOn, ['npm:ms@2.0.0:package-lock.json']);
    assert.equal(pkgs.find((p) => p.name === 'is-number')?.dev, true);
  });

  it('package-lock v2: workspace link entries take the linked folder version', async () => {
    const out = await analyzeFile(
      npmPackageLockAnalyzer,
      path.join(testdata, 'package-lock-v2-workspace.json'),
      'package-lock.json',
    );
    const pkgs = out.packages ?? [];
    assert.deepEqual(nameVersions(pkgs), ['@acme/lib@0.3.0', 'left-pad@1.3.0']);
    assert.deepEqual(pkgs.find((p) => p.name === '@acme/lib')?.dependsOn, [
      'npm:left-pad@1.3.0:package-lock.json',
    ]);
  });

  it('pnpm v5 and v6 key formats, with peer suffixes', async () => {
    for (const file of ['pnpm-lock-v5.yaml', 'pnpm-lock-v6.yaml']) {
      const out = await analyzeFile(pnpmLockAnalyzer, path.join(testdata, file), 'pnpm-lock.yaml');
      const pkgs = out.packages ?? [];
      assert.deepEqual(
        nameVersions(pkgs),
        ['@babel/core@7.0.0', 'react-dom@18.2.0', 'react@18.2.0', 'scheduler@0.23.0'],
        file,
      );
      assert.deepEqual(pkgs.find((p) => p.name === 'react-dom')?.dependsOn, [
        'npm:react@18.2.0:pnpm-lock.yaml',
        'npm:scheduler@0.23.0:pnpm-lock.yaml',
      ]);
      assert.equal(pkgs.find((p) => p.name === '@babel/core')?.dev, true, file);
    }
  });

  it('yarn berry: resolution names the package, workspaces are skipped', async () => {
    const out = await analyzeFile(yarnLockAnalyzer, path.join(testdata, 'yarn-berry.lock'), 'yarn.lock');
    const pkgs = out.packages ?? [];
    assert.deepEqual(nameVersions(pkgs), [
      '@babel/helper-plugin-utils@7.22.5',
      'js-tokens@4.0.0',
      'loose-envify@1.4.0',
    ]);
    assert.deepEqual(pkgs.find((p) => p.name === 'loose-envify')?.dependsOn, [
      'npm:js-tokens@4.0.0:yarn.lock',
    ]);
  });

  it('required(): only package.json directly in a node_modules package dir or Debian nodejs dirs', () => {
    const f = { path: '', type: 'file' as const, size: 10, mode: 0o644 };
    const yes = [
      'app/node_modules/ms/package.json',
      'node_modules/@types/ms/package.json',
      'usr/share/nodejs/debug/package.json',
      'usr/lib/nodejs/@babel/core/package.json',
    ];
    const no = [
      'app/package.json',
      'node_modules/ms/lib/package.json',
      'node_modules/@types/package.json',
      'node_modules/.bin/package.json',
    ];
    for (const p of yes) assert.ok(npmPackageJsonAnalyzer.required(p, { ...f, path: p }), p);
    for (const p of no) assert.ok(!npmPackageJsonAnalyzer.required(p, { ...f, path: p }), p);
    assert.ok(
      npmPackageLockAnalyzer.required('app/package-lock.json', { ...f, path: 'app/package-lock.json' }),
    );
    assert.ok(!npmPackageLockAnalyzer.required('node_modules/.package-lock.json', f));
    assert.ok(!npmPackageLockAnalyzer.required('app/node_modules/x/package-lock.json', f));
  });

  it('bad input: corrupt JSON and YAML throw errors naming the file; versionless manifests are skipped', async () => {
    await assert.rejects(
      analyzeBytes(npmPackageLockAnalyzer, 'app/package-lock.json', '{"packages": {'),
      /app\/package-lock.json: invalid JSON/,
    );
    await assert.rejects(
      analyzeBytes(pnpmLockAnalyzer, 'pnpm-lock.yaml', 'a: [\n'),
      /pnpm-lock.yaml: invalid YAML/,
    );
    const tpl = await analyzeBytes(
      npmPackageJsonAnalyzer,
      'node_modules/x/package.json',
      '{"name":"x","private":true}',
    );
    assert.deepEqual(tpl, {});
  });
});
