import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeBytes, analyzeFile, analyzeTree, nameVersions } from '../test-helpers.js';
import { pythonMetadataAnalyzer } from './metadata.js';
import {
  parseRequirements,
  pipfileLockAnalyzer,
  poetryLockAnalyzer,
  requirementsAnalyzer,
  uvLockAnalyzer,
} from './lockfiles.js';

const testdata = path.join(import.meta.dirname, 'testdata');

/** This machine's real installed distributions, as the standard library sees them. */
const SITE_DIRS = [
  '/usr/lib/python3/dist-packages',
  '/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages',
].filter((d) => existsSync(d));

function importlibOracle(dir: string): string[] {
  const script =
    'import importlib.metadata as m, json, sys\n' +
    'print(json.dumps(sorted({d.metadata["Name"] + "@" + d.version for d in m.distributions(path=[sys.argv[1]]) if d.metadata["Name"]})))';
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, dir], { encoding: 'utf8' })) as string[];
}

describe('python installed metadata against importlib.metadata', () => {
  for (const dir of SITE_DIRS) {
    it(`finds every distribution in ${dir}`, async () => {
      const oracle = importlibOracle(dir);
      assert.ok(oracle.length > 10, `expected real distributions in ${dir}`);
      // Metadata sits one level down (<name>.dist-info/METADATA): no need to walk the packages' code.
      const { packages, errors } = await analyzeTree([pythonMetadataAnalyzer], dir, dir.slice(1), 2);
      assert.deepEqual(errors, []);
      assert.deepEqual(nameVersions(packages), oracle);
      assert.ok(
        packages.every((p) => p.origin === 'installed' && p.ecosystem === 'PyPI' && p.type === 'python'),
      );
    });
  }

  it('reads licences from License-Expression, a short License field, or classifiers', async () => {
    const meta = (extra: string) =>
      `Metadata-Version: 2.1\nName: Foo_Bar\nVersion: 1.0\n${extra}\nlong description: ignored\n`;
    const one = async (extra: string) =>
      (await analyzeBytes(pythonMetadataAnalyzer, 'x/foo_bar-1.0.dist-info/METADATA', meta(extra)))
        .packages?.[0];
    assert.deepEqual((await one('License-Expression: MIT OR Apache-2.0\nLicense: BSD'))?.licenses, [
      'MIT OR Apache-2.0',
    ]);
    assert.deepEqual((await one('License: Apache 2.0'))?.licenses, ['Apache-2.0']);
    const longText =
      'License: Copyright (c) 2020 Someone\n        Permission is hereby granted, free of charge, to any person';
    assert.deepEqual(
      (
        await one(
          `${longText}\nClassifier: License :: OSI Approved :: MIT License\nClassifier: Programming Language :: Python`,
        )
      )?.licenses,
      ['MIT'],
    );
    const pkg = await one('');
    assert.equal(pkg?.purl, 'pkg:pypi/foo-bar@1.0');
    assert.equal(pkg?.id, 'python:Foo_Bar@1.0:x/foo_bar-1.0.dist-info/METADATA');
  });

  it('required(): dist-info METADATA, egg-info PKG-INFO or file', () => {
    const f = { path: '', type: 'file' as const, size: 1, mode: 0o644 };
    for (const p of [
      'a/six-1.16.0.dist-info/METADATA',
      'a/six.egg-info/PKG-INFO',
      'a/six-1.16.0.egg-info',
      'a/x.egg/EGG-INFO/PKG-INFO',
    ])
      assert.ok(pythonMetadataAnalyzer.required(p, f), p);
    for (const p of ['a/six-1.16.0.dist-info/RECORD', 'a/METADATA', 'a/PKG-INFO'])
      assert.ok(!pythonMetadataAnalyzer.required(p, f), p);
  });
});

describe('python lockfiles', () => {
  it('poetry.lock: packages, dev category, dependencies by normalised name', async () => {
    const pkgs =
      (await analyzeFile(poetryLockAnalyzer, path.join(testdata, 'poetry.lock'), 'poetry.lock')).packages ??
      [];
    assert.deepEqual(nameVersions(pkgs), [
      'certifi@2023.7.22',
      'charset-normalizer@3.2.0',
      'idna@3.4',
      'iniconfig@2.0.0',
      'requests@2.31.0',
      'urllib3@2.0.4',
    ]);
    assert.equal(pkgs.find((p) => p.name === 'iniconfig')?.dev, true);
    assert.deepEqual(pkgs.find((p) => p.name === 'requests')?.dependsOn, [
      'python:certifi@2023.7.22:poetry.lock',
      'python:charset-normalizer@3.2.0:poetry.lock',
      'python:idna@3.4:poetry.lock',
      'python:urllib3@2.0.4:poetry.lock',
    ]);
  });

  it('uv.lock: skips the editable project, marks dev-only packages', async () => {
    const pkgs =
      (await analyzeFile(uvLockAnalyzer, path.join(testdata, 'uv.lock'), 'uv.lock')).packages ?? [];
    assert.deepEqual(nameVersions(pkgs), ['anyio@4.4.0', 'idna@3.7', 'pluggy@1.5.0', 'sniffio@1.3.1']);
    assert.deepEqual(
      pkgs.filter((p) => p.dev).map((p) => p.name),
      ['pluggy'],
    );
    assert.deepEqual(pkgs.find((p) => p.name === 'anyio')?.dependsOn, [
      'python:idna@3.7:uv.lock',
      'python:sniffio@1.3.1:uv.lock',
    ]);
  });

  it('Pipfile.lock: default and develop, editable entries skipped', async () => {
    const pkgs =
      (await analyzeFile(pipfileLockAnalyzer, path.join(testdata, 'Pipfile.lock'), 'Pipfile.lock'))
        .packages ?? [];
    assert.deepEqual(nameVersions(pkgs), ['flask@3.0.0', 'pytest@7.4.3', 'werkzeug@3.0.1']);
    assert.deepEqual(
      pkgs.filter((p) => p.dev).map((p) => p.name),
      ['pytest'],
    );
  });

  it('requirements: pinned lines only, with extras, markers, hashes and comments', async () => {
    const out = await analyzeFile(
      requirementsAnalyzer,
      path.join(testdata, 'requirements-dev.txt'),
      'requirements-dev.txt',
    );
    assert.deepEqual(nameVersions(out.packages ?? []), [
      'Django@4.2.7',
      'cryptography@41.0.5',
      'requests@2.31.0',
      'zope.interface@6.1',
    ]);
    assert.ok(
      requirementsAnalyzer.required('app/requirements.txt', { path: '', type: 'file', size: 1, mode: 0 }),
    );
    assert.ok(
      !requirementsAnalyzer.required('app/constraints.txt', { path: '', type: 'file', size: 1, mode: 0 }),
    );
  });

  it('requirements: `pip freeze` output of a real site-packages parses to what importlib lists', () => {
    const dir = SITE_DIRS[0] as string;
    const frozen = execFileSync('/usr/bin/python3', ['-m', 'pip', 'freeze', '--path', dir], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    const parsed = parseRequirements(frozen).map((r) => `${r.name.toLowerCase()}@${r.version}`);
    const oracle = importlibOracle(dir).map((s) => s.toLowerCase());
    assert.ok(parsed.length > 10);
    for (const p of parsed)
      assert.ok(
        oracle.some((o) => o.replace(/[-_.]+/g, '-') === p.replace(/[-_.]+/g, '-')),
        p,
      );
  });

  it('bad input: corrupt TOML and JSON name the file', async () => {
    await assert.rejects(
      analyzeBytes(poetryLockAnalyzer, 'app/poetry.lock', '[[package]\nname = '),
      /app\/poetry.lock: invalid TOML/,
    );
    await assert.rejects(
      analyzeBytes(pipfileLockAnalyzer, 'app/Pipfile.lock', '{'),
      /app\/Pipfile.lock: invalid JSON/,
    );
  });
});
