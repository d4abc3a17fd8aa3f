import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeBytes, analyzeFile, analyzeTree, nameVersions } from '../test-helpers.js';
import { gemfileLockAnalyzer, gemspecAnalyzer } from './ruby.js';

const testdata = path.join(import.meta.dirname, 'testdata');

/** `gem list --local`: `name (default: 1.0, 0.9)` lines → name@version for each version. */
function gemListOracle(): string[] {
  const out = execFileSync('gem', ['list', '--local'], { encoding: 'utf8' });
  const set = new Set<string>();
  for (const line of out.split('\n')) {
    const m = /^(\S+) \((.*)\)$/.exec(line);
    if (!m) continue;
    for (const v of (m[2] as string).split(', ')) set.add(`${m[1]}@${v.replace(/^default: /, '')}`);
  }
  return [...set].sort();
}

describe('ruby', () => {
  const hasRuby = existsSync('/usr/bin/gem');
  it(
    'installed gemspecs match `gem list --local` over every gem path',
    { skip: !hasRuby && 'ruby not installed' },
    async () => {
      const dirs = execFileSync('gem', ['env', 'gempath'], { encoding: 'utf8' })
        .trim()
        .split(':')
        .filter((d) => existsSync(path.join(d, 'specifications')));
      const found = [];
      for (const d of dirs) {
        const { packages, errors } = await analyzeTree(
          [gemspecAnalyzer],
          path.join(d, 'specifications'),
          `${d.slice(1)}/specifications`,
        );
        assert.deepEqual(errors, []);
        found.push(...packages);
      }
      const oracle = gemListOracle();
      assert.ok(oracle.length > 20);
      assert.deepEqual(nameVersions(found), oracle);
      const rake = found.find((p) => p.name === 'rake');
      if (rake) {
        assert.deepEqual(rake.licenses, ['MIT']);
        assert.equal(rake.purl, `pkg:gem/rake@${rake.version}`);
        assert.equal(rake.origin, 'installed');
      }
    },
  );

  it('Gemfile.lock: GEM specs only, platform suffixes stripped, dependencies linked', async () => {
    const pkgs =
      (await analyzeFile(gemfileLockAnalyzer, path.join(testdata, 'Gemfile.lock'), 'app/Gemfile.lock'))
        .packages ?? [];
    assert.deepEqual(nameVersions(pkgs), [
      'mini_portile2@2.8.5',
      'nokogiri@1.15.4',
      'racc@1.7.3',
      'rack@2.2.8',
    ]);
    assert.deepEqual(pkgs.find((p) => p.name === 'nokogiri')?.dependsOn, [
      'gem:mini_portile2@2.8.5:app/Gemfile.lock',
      'gem:racc@1.7.3:app/Gemfile.lock',
    ]);
  });

  it('gemspec: a Debian rubygems-integration style spec and required() paths', async () => {
    const spec = `# -*- encoding: utf-8 -*-\nGem::Specification.new do |s|\n  s.name = "net-telnet"\n  s.version = "0.2.0"\n  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze)\n  s.licenses = ["Ruby".freeze, "BSD-2-Clause".freeze]\nend\n`;
    const p = 'usr/share/rubygems-integration/all/specifications/net-telnet-0.2.0.gemspec';
    const out = await analyzeBytes(gemspecAnalyzer, p, spec);
    assert.deepEqual(
      out.packages?.map((x) => [x.name, x.version, x.licenses]),
      [['net-telnet', '0.2.0', ['Ruby', 'BSD-2-Clause']]],
    );
    const f = { path: '', type: 'file' as const, size: 1, mode: 0o644 };
    assert.ok(gemspecAnalyzer.required(p, f));
    assert.ok(
      gemspecAnalyzer.required('usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec', f),
    );
    assert.ok(!gemspecAnalyzer.required('app/mygem.gemspec', f));
  });
});
