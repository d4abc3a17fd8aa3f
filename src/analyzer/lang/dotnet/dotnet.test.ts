import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeBytes, analyzeFile, nameVersions } from '../test-helpers.js';
import { dotnetDepsAnalyzer } from './deps-json.js';
import { nugetLockAnalyzer } from './packages-lock.js';

const testdata = path.join(import.meta.dirname, 'testdata');

describe('dotnet deps.json', () => {
  it('lists package libraries (not projects) with dependencies from targets', async () => {
    const rel = 'app/WebApp.deps.json';
    const pkgs =
      (await analyzeFile(dotnetDepsAnalyzer, path.join(testdata, 'webapp.deps.json'), rel)).packages ?? [];
    assert.deepEqual(nameVersions(pkgs), [
      'Newtonsoft.Json@13.0.1',
      'Serilog.AspNetCore@8.0.0',
      'Serilog@3.1.1',
    ]);
    assert.deepEqual(pkgs.find((p) => p.name === 'Serilog.AspNetCore')?.dependsOn, [
      `nuget:Serilog@3.1.1:${rel}`,
    ]);
    assert.equal(pkgs.find((p) => p.name === 'Newtonsoft.Json')?.purl, 'pkg:nuget/Newtonsoft.Json@13.0.1');
    assert.ok(pkgs.every((p) => p.ecosystem === 'NuGet' && p.type === 'nuget'));
    assert.ok(dotnetDepsAnalyzer.required(rel, { path: rel, type: 'file', size: 1, mode: 0 }));
  });

  it('bad input names the file', async () => {
    await assert.rejects(
      analyzeBytes(dotnetDepsAnalyzer, 'a.deps.json', '{"targets":'),
      /a.deps.json: invalid JSON/,
    );
    await assert.rejects(
      analyzeBytes(dotnetDepsAnalyzer, 'a.deps.json', '{}'),
      /a.deps.json: not a .deps.json/,
    );
  });
});

describe('NuGet packages.lock.json', () => {
  it('resolved packages of every framework, projects left out, dependencies by name', async () => {
    const rel = 'src/app/packages.lock.json';
    const pkgs =
      (await analyzeFile(nugetLockAnalyzer, path.join(testdata, 'packages.lock.json'), rel)).packages ?? [];
    assert.deepEqual(nameVersions(pkgs), [
      'Newtonsoft.Json@13.0.1',
      'Serilog.AspNetCore@8.0.0',
      'Serilog@3.1.1',
    ]);
    assert.deepEqual(pkgs.find((p) => p.name === 'Serilog.AspNetCore')?.dependsOn, [
      `nuget:Serilog@3.1.1:${rel}`,
    ]);
    assert.ok(pkgs.every((p) => p.origin === 'declared'));
    await assert.rejects(
      analyzeBytes(nugetLockAnalyzer, rel, '{"version": 1}'),
      /packages.lock.json: not a NuGet packages.lock.json/,
    );
  });
});
