import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BosunError } from '../core/errors.js';
import { compareVersions, getComparator, InvalidVersionError } from './index.js';
import { comparatorFamilies } from './registry.js';
import { sharedFixtures } from '../../test/helpers/paths.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const osvDir = path.join(sharedFixtures, 'osv');

interface OsvAffected {
  package?: { ecosystem?: string; name?: string };
  ranges?: { type: string; events: Record<string, string>[] }[];
  versions?: string[];
}

/** Every affected entry of the shared OSV fixtures (about 11 000 real records). */
function fixtureAffected(): { file: string; affected: OsvAffected }[] {
  const out: { file: string; affected: OsvAffected }[] = [];
  for (const dir of readdirSync(osvDir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const name of readdirSync(path.join(osvDir, dir.name)).filter((n) => n.endsWith('.json'))) {
      const file = path.join(dir.name, name);
      const record = JSON.parse(readFileSync(path.join(osvDir, file), 'utf8')) as {
        affected?: OsvAffected[];
      };
      for (const affected of record.affected ?? []) out.push({ file, affected });
    }
  }
  return out;
}

describe('version comparator registry', () => {
  it('lists every comparator module of src/version', async () => {
    const registered = new Set(comparatorFamilies.map((f) => f.make));
    const modules = readdirSync(here).filter(
      (f) =>
        f.endsWith('.ts') && !f.endsWith('.test.ts') && !['index.ts', 'registry.ts', 'types.ts'].includes(f),
    );
    assert.ok(modules.length >= 10, `only ${modules.length} comparator modules found`);
    for (const file of modules) {
      const mod = (await import(`./${file.replace(/\.ts$/, '.js')}`)) as Record<string, unknown>;
      const factories = Object.entries(mod).filter(
        ([name, value]) => name.endsWith('Comparator') && typeof value === 'function',
      );
      assert.ok(factories.length > 0, `${file} exports no *Comparator factory`);
      for (const [name, factory] of factories)
        assert.ok(registered.has(factory as never), `${file}: ${name} is not in registry.ts`);
    }
  });

  it('maps OSV ecosystem names, with or without release suffix, to their comparator', () => {
    const known: [string, string, string][] = [
      ['Debian', '1.0~rc1', '1.0'],
      ['Debian:12', '2.9.14+dfsg-1.3~deb12u1', '2.9.14+dfsg-1.3'],
      ['Ubuntu:22.04:LTS', '1.0-1ubuntu1', '1.0-1ubuntu2'],
      ['Ubuntu:Pro:FIPS-updates:22.04:LTS', '1:1.0', '2:0.1'],
      ['Alpine:v3.19', '1.0_rc1-r0', '1.0-r0'],
      ['Wolfi', '1.0-r1', '1.0.1-r0'],
      ['Chainguard', '1.0_p1-r0', '1.0.1-r0'],
      ['Red Hat', '4.18.0-8.el9', '4.18.0-8.el9_2'],
      ['Red Hat:enterprise_linux:9::appstream', '1.0~rc1-1.el9', '1.0-1.el9'],
      ['Rocky Linux:9', '1.0-1.el9', '1:0.1-1.el9'],
      ['AlmaLinux:8', '3.0.7-25.el8', '3.0.7-25.el8_3'],
      ['openSUSE:Leap 15.5', '1.2.3-150400.3.9.2', '1.2.3-150400.3.12.1'],
      ['SUSE:Linux Enterprise Server 15 SP5', '1.0-150500.1.1', '1.0-150500.1.2'],
      ['Mageia:9', '1.0-1.mga9', '1.0-2.mga9'],
      ['npm', '1.0.0-rc.1', '1.0.0'],
      ['crates.io', '0.9.9', '0.10.0'],
      ['SwiftURL', '1.0.0', '1.0.1'],
      ['Hex', '1.0.0-rc.0', '1.0.0'],
      ['Pub', '1.0.0', '1.0.0+1'],
      ['Go', 'v0.0.0-20191109021931-daa7c04131f5', '0.1.0'],
      ['PyPI', '1.0rc1', '1.0'],
      ['Maven', '1.0-SNAPSHOT', '1.0'],
      ['RubyGems', '1.0.0.pre', '1.0.0'],
      ['NuGet', '1.0.0-beta', '1.0.0.1'],
      ['Packagist', '1.0.0-RC1', '1.0.0'],
    ];
    for (const [ecosystem, lower, higher] of known) {
      assert.ok(getComparator(ecosystem), ecosystem);
      assert.equal(compareVersions(ecosystem, lower, higher), -1, `${ecosystem}: ${lower} < ${higher}`);
      assert.equal(compareVersions(ecosystem, higher, lower), 1, `${ecosystem}: ${higher} > ${lower}`);
      assert.equal(compareVersions(ecosystem, lower, lower), 0, `${ecosystem}: ${lower} = ${lower}`);
    }
  });

  it('reads OSV\'s "0" (introduced at the beginning) as a version below the first release', () => {
    for (const ecosystem of comparatorFamilies.flatMap((f) => f.ecosystems)) {
      assert.equal(compareVersions(ecosystem, '0', '0.1'), -1, ecosystem);
    }
  });

  it('answers undefined for an unknown ecosystem, and compareVersions says so as badInput', () => {
    assert.equal(getComparator('Hackage'), undefined);
    assert.throws(
      () => compareVersions('Hackage', '1.0', '1.1'),
      (e: unknown) => e instanceof BosunError && e.kind === 'badInput' && e.message.includes('Hackage'),
    );
  });

  it('throws InvalidVersionError, a badInput BosunError naming ecosystem and version', () => {
    assert.throws(
      () => compareVersions('Debian:12', '1.0', 'not a version'),
      (e: unknown) =>
        e instanceof InvalidVersionError &&
        e instanceof BosunError &&
        e.kind === 'badInput' &&
        e.exitCode === 4 &&
        /Debian/.test(e.message) &&
        e.message.includes('"not a version"'),
    );
  });

  it('has a comparator for every ecosystem of the OSV fixtures, which parses every range bound they name', () => {
    const entries = fixtureAffected();
    assert.ok(entries.length > 10000, `only ${entries.length} affected entries read from ${osvDir}`);
    const missing = new Set<string>();
    const invalid: string[] = [];
    let checked = 0;
    for (const { file, affected } of entries) {
      const ecosystem = affected.package?.ecosystem ?? '';
      const comparator = getComparator(ecosystem);
      if (!comparator) {
        missing.add(ecosystem);
        continue;
      }
      // explicit `versions` lists match by string equality; only range bounds need an order
      const versions: string[] = [];
      for (const range of affected.ranges ?? []) {
        if (range.type === 'GIT') continue;
        // "0" is OSV's "since the beginning" sentinel, not a version of the ecosystem
        for (const event of range.events) versions.push(...Object.values(event).filter((v) => v !== '0'));
      }
      for (const v of versions) {
        checked++;
        if (!comparator.isValid?.(v)) invalid.push(`${file} (${ecosystem}): ${JSON.stringify(v)}`);
      }
    }
    assert.deepEqual([...missing], []);
    assert.ok(checked > 10000, `only ${checked} versions checked`);
    // real data errors, which the matcher must report rather than order
    assert.deepEqual(invalid, [
      'PyPI/PYSEC-2019-125.json (PyPI): "2019-09-12"',
      'npm/GHSA-h755-8qp9-cq85.json (npm): "7.2.4, 6.11.4"',
    ]);
  });
});
