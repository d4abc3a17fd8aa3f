import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeBytes, analyzeFile, nameVersions } from '../test-helpers.js';
import { cargoLockAnalyzer } from './cargo-lock.js';
import { cargoAuditableAnalyzer } from './auditable.js';

const testdata = path.join(import.meta.dirname, 'testdata');
const work = mkdtempSync(path.join(tmpdir(), 'bosun-rust-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The JSON cargo-auditable embeds: indices into `packages` for dependencies. */
const AUDIT = {
  packages: [
    { name: 'demo', version: '0.1.0', source: 'local', dependencies: [1, 3], root: true },
    { name: 'serde', version: '1.0.193', source: 'crates.io', dependencies: [2] },
    { name: 'serde_derive', version: '1.0.193', source: 'crates.io', kind: 'build' },
    { name: 'libc', version: '0.2.150', source: 'crates.io' },
  ],
};

/** A real ELF (this machine's `ls`) with the section added by objcopy, as the linker would place it. */
function auditableBinary(section: Buffer): string {
  const file = path.join(work, `bin-${Math.random().toString(36).slice(2)}`);
  const data = path.join(work, 'dep-v0.bin');
  copyFileSync('/usr/bin/ls', file);
  writeFileSync(data, section);
  execFileSync('objcopy', [
    '--add-section',
    `.dep-v0=${data}`,
    '--set-section-flags',
    '.dep-v0=noload,readonly',
    file,
  ]);
  return file;
}

describe('rust', () => {
  it('Cargo.lock: published crates, `name version` references, workspace crates left out', async () => {
    const pkgs =
      (await analyzeFile(cargoLockAnalyzer, path.join(testdata, 'Cargo.lock'), 'Cargo.lock')).packages ?? [];
    assert.deepEqual(nameVersions(pkgs), [
      'proc-macro2@1.0.69',
      'serde@1.0.193',
      'syn@1.0.109',
      'syn@2.0.39',
      'unicode-ident@1.0.12',
    ]);
    assert.deepEqual(pkgs.find((p) => p.name === 'syn' && p.version === '2.0.39')?.dependsOn, [
      'cargo:proc-macro2@1.0.69:Cargo.lock',
      'cargo:unicode-ident@1.0.12:Cargo.lock',
    ]);
    assert.equal(pkgs[0]?.ecosystem, 'crates.io');
    assert.equal(pkgs.find((p) => p.name === 'serde')?.purl, 'pkg:cargo/serde@1.0.193');
  });

  it('cargo-auditable: reads the .dep-v0 section of an ELF', async () => {
    const bin = auditableBinary(deflateSync(JSON.stringify(AUDIT)));
    assert.match(execFileSync('readelf', ['-S', bin], { encoding: 'utf8' }), /\.dep-v0/);
    const out = await analyzeFile(cargoAuditableAnalyzer, bin, 'usr/local/bin/demo');
    const pkgs = out.packages ?? [];
    assert.deepEqual(nameVersions(pkgs), ['libc@0.2.150', 'serde@1.0.193', 'serde_derive@1.0.193']);
    assert.deepEqual(pkgs.find((p) => p.name === 'serde')?.dependsOn, [
      'cargo:serde_derive@1.0.193:usr/local/bin/demo',
    ]);
    assert.equal(pkgs.find((p) => p.name === 'serde_derive')?.properties?.kind, 'build');
    assert.ok(pkgs.every((p) => p.origin === 'installed'));
  });

  it('bad input: corrupt section is an error naming the file; plain ELF, random and truncated bytes are quiet', async () => {
    const bad = auditableBinary(Buffer.from('not zlib at all'));
    await assert.rejects(
      analyzeFile(cargoAuditableAnalyzer, bad, 'bin/bad'),
      /bin\/bad: unreadable cargo-auditable \.dep-v0 section/,
    );
    assert.deepEqual(await analyzeFile(cargoAuditableAnalyzer, '/usr/bin/ls', 'bin/ls'), {});
    const good = readFileSync(auditableBinary(deflateSync(JSON.stringify(AUDIT))));
    assert.deepEqual(
      await analyzeBytes(cargoAuditableAnalyzer, 'bin/cut', good.subarray(0, good.length - 200), 0o755),
      {},
    );
    assert.deepEqual(
      await analyzeBytes(cargoAuditableAnalyzer, 'bin/rand', Buffer.from('\x7fELF' + 'x'.repeat(100)), 0o755),
      {},
    );
    await assert.rejects(
      analyzeBytes(cargoLockAnalyzer, 'Cargo.lock', '[[package]\n'),
      /Cargo.lock: invalid TOML/,
    );
  });
});
