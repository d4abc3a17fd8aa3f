import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeBytes, analyzeFile } from '../test-helpers.js';
import { cachedFixture } from '../fixture-cache.js';
import { goBinaryAnalyzer } from './binary.js';
import { goModAnalyzer } from './go-mod.js';

const testdata = path.join(import.meta.dirname, 'testdata');

/** Real Go programs on this machine: Debian's (GOPATH builds, no deps) and module builds with many deps. */
const REAL_BINARIES = [
  '/usr/bin/skopeo',
  '/usr/bin/umoci',
  '/usr/bin/docker-registry',
  '/usr/lib/go-1.19/bin/go',
  '/usr/local/bin/terraform',
  '/usr/lib/google-cloud-sdk/bin/kubectl',
  '/usr/lib/google-cloud-sdk/bin/kpt',
  '/usr/lib/google-cloud-sdk/bin/anthoscli',
  '/usr/lib/google-cloud-sdk/bin/cbt',
].filter((f) => existsSync(f));

/**
 * What `go version -m` reports, turned into the packages bosun should list: stdlib at the Go
 * version, the main module unless (devel), each dep with its `=>` replacement applied and local
 * directory replacements left out.
 */
function goVersionOracle(file: string): string[] {
  const out = execFileSync('go', ['version', '-m', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const lines = out.split('\n');
  const goVersion = (lines[0] ?? '').split(': ')[1]?.trim().replace(/^go/, '') ?? '';
  const pkgs: { name: string; version: string; local?: boolean }[] = [{ name: 'stdlib', version: goVersion }];
  let last: { name: string; version: string; local?: boolean } | undefined;
  for (const line of lines.slice(1)) {
    const [, kind, p, v] = line.split('\t');
    if (kind === 'mod' || kind === 'dep') {
      last = { name: p as string, version: v as string };
      if (!(kind === 'mod' && v === '(devel)')) pkgs.push(last);
    } else if (kind === '=>' && last) {
      if (!v || v === '(devel)') last.local = true;
      else Object.assign(last, { name: p, version: v });
    }
  }
  return pkgs
    .filter((p) => !p.local)
    .map((p) => `${p.name}@${p.version}`)
    .sort();
}

const GREET = `package greet\n\nfunc Hello() string { return "hello" }\n`;
// println, not fmt: compiling less of the standard library keeps the cold fixture build short.
const MAIN = `package main\n\nimport "example.com/greet"\n\nfunc main() { println(greet.Hello()) }\n`;

describe('Go binaries against `go version -m`', () => {
  assert.ok(REAL_BINARIES.length >= 3, 'expected real Go binaries on this machine');
  for (const file of REAL_BINARIES) {
    it(`reads ${file}`, async () => {
      const out = await analyzeFile(goBinaryAnalyzer, file);
      const got = (out.packages ?? []).map((p) => `${p.name}@${p.version}`).sort();
      assert.deepEqual(got, goVersionOracle(file));
      const std = out.packages?.find((p) => p.name === 'stdlib');
      assert.equal(std?.purl, `pkg:golang/stdlib@${std?.version}`);
      assert.ok(
        out.packages?.every((p) => p.type === 'gobinary' && p.ecosystem === 'Go' && p.origin === 'installed'),
      );
    });
  }

  describe('cross-compiled ELF, PE and Mach-O with a local replacement', () => {
    let dir = '';
    before(() => {
      dir = cachedFixture('lang-go-cross-v2', (d) => {
        mkdirSync(path.join(d, 'src', 'greet'), { recursive: true });
        writeFileSync(path.join(d, 'src', 'greet', 'go.mod'), 'module example.com/greet\n\ngo 1.19\n');
        writeFileSync(path.join(d, 'src', 'greet', 'greet.go'), GREET);
        writeFileSync(
          path.join(d, 'src', 'go.mod'),
          'module example.com/hello\n\ngo 1.19\n\nrequire example.com/greet v1.2.0\n\nreplace example.com/greet => ./greet\n',
        );
        writeFileSync(path.join(d, 'src', 'main.go'), MAIN);
        for (const [goos, goarch] of [
          ['linux', 'amd64'],
          ['windows', 'amd64'],
          ['darwin', 'arm64'],
        ] as const) {
          execFileSync('go', ['build', '-trimpath', '-o', path.join(d, `hello-${goos}`), '.'], {
            cwd: path.join(d, 'src'),
            env: {
              ...process.env,
              GOOS: goos,
              GOARCH: goarch,
              CGO_ENABLED: '0',
              GOPROXY: 'off',
              GOFLAGS: '-mod=mod',
            },
            stdio: 'pipe',
            timeout: 300_000,
          });
        }
      });
    });
    for (const goos of ['linux', 'windows', 'darwin']) {
      it(`finds the Go version in the ${goos} binary and leaves out the local replacement`, async () => {
        const file = path.join(dir, `hello-${goos}`);
        const out = await analyzeFile(goBinaryAnalyzer, file, `app/hello-${goos}`);
        const got = (out.packages ?? []).map((p) => `${p.name}@${p.version}`).sort();
        assert.deepEqual(got, goVersionOracle(file));
        assert.ok(
          got.some((g) => g.startsWith('stdlib@1.')),
          got.join(),
        );
        assert.ok(!got.some((g) => g.startsWith('example.com/greet')));
      });
    }
  });

  describe('Go < 1.18 binaries (pointer format) from esbuild 0.8 packages on the npm registry', () => {
    let dir = '';
    /** Old esbuild platform packages: a Go program with one dependency, 64- and 32-bit. */
    const targets = ['linux-64@0.8.57', 'linux-arm@0.8.51'];
    before(() => {
      dir = cachedFixture('lang-go-old-v1', (d) => {
        for (const t of targets) {
          const tgz = execFileSync('npm', ['pack', `esbuild-${t}`, '--pack-destination', d], {
            cwd: d,
            encoding: 'utf8',
            stdio: 'pipe',
            timeout: 120_000,
          });
          mkdirSync(path.join(d, t));
          execFileSync('tar', [
            '-xzf',
            path.join(d, tgz.trim().split('\n').pop() as string),
            '-C',
            path.join(d, t),
            'package/bin/esbuild',
          ]);
        }
      });
    });
    for (const t of targets) {
      it(`reads esbuild-${t}`, async () => {
        const file = path.join(dir, t, 'package/bin/esbuild');
        const out = await analyzeFile(goBinaryAnalyzer, file, 'usr/bin/esbuild');
        const got = (out.packages ?? []).map((p) => `${p.name}@${p.version}`).sort();
        assert.deepEqual(got, goVersionOracle(file));
        assert.ok(
          got.some((g) => /^stdlib@1\.1[3-7]/.test(g)),
          got.join(),
        );
        assert.ok(
          got.some((g) => g.startsWith('golang.org/x/sys@')),
          got.join(),
        );
      });
    }
  });

  it('an ELF program without section headers is read through its first writable segment', async () => {
    const file = REAL_BINARIES[0] as string;
    const stripped = readFileSync(file);
    assert.equal(stripped.readUInt16LE(0x12), 62, 'expected an x86-64 ELF');
    stripped.fill(0, 0x28, 0x30); // e_shoff
    stripped.fill(0, 0x3c, 0x40); // e_shnum, e_shstrndx
    const out = await analyzeBytes(goBinaryAnalyzer, 'usr/bin/app', stripped, 0o755);
    const got = (out.packages ?? []).map((p) => `${p.name}@${p.version}`).sort();
    assert.deepEqual(got, goVersionOracle(file));
  });

  it('non-Go ELF, random bytes and a truncated Go binary give no packages and do not throw', async () => {
    assert.deepEqual(await analyzeFile(goBinaryAnalyzer, '/usr/bin/ls'), {});
    assert.deepEqual(await analyzeBytes(goBinaryAnalyzer, 'bin/x', randomBytes(1 << 20), 0o755), {});
    const src = REAL_BINARIES[0] as string;
    const fd = openSync(src, 'r');
    const buf = Buffer.alloc(4 << 20);
    const n = readSync(fd, buf, 0, buf.length, 0);
    closeSync(fd);
    assert.deepEqual(await analyzeBytes(goBinaryAnalyzer, 'bin/truncated', buf.subarray(0, n), 0o755), {});
    // The header alone with a string length running past the end of the file.
    const header = Buffer.concat([
      Buffer.from('\xff Go buildinf:', 'latin1'),
      Buffer.from([8, 2]),
      Buffer.alloc(16),
      Buffer.from([0xff, 0xff, 0x7f]),
    ]);
    assert.deepEqual(
      await analyzeBytes(goBinaryAnalyzer, 'bin/cut', Buffer.concat([Buffer.alloc(4096), header]), 0o755),
      {},
    );
  });

  it('required(): executable files of plausible size outside data trees', () => {
    const f = (mode: number, size = 2 << 20) => ({ path: '', type: 'file' as const, size, mode });
    assert.ok(goBinaryAnalyzer.required('usr/local/bin/app', f(0o755)));
    assert.ok(!goBinaryAnalyzer.required('usr/local/bin/app', f(0o644)));
    assert.ok(!goBinaryAnalyzer.required('usr/local/bin/app', f(0o755, 1000)));
    assert.ok(!goBinaryAnalyzer.required('usr/share/doc/app', f(0o755)));
    assert.ok(!goBinaryAnalyzer.required('usr/local/bin/run.sh', f(0o755)));
    assert.ok(!goBinaryAnalyzer.required('usr/lib/x86_64-linux-gnu/libLLVM-15.so.1', f(0o755)));
    assert.ok(!goBinaryAnalyzer.required('usr/lib/libfoo.so', f(0o755)));
  });
});

describe('go.mod', () => {
  it('reads require blocks, indirect comments and replace directives', async () => {
    const out = await analyzeFile(goModAnalyzer, path.join(testdata, 'go.mod'), 'src/go.mod');
    const pkgs = out.packages ?? [];
    assert.deepEqual(pkgs.map((p) => `${p.name}@${p.version}`).sort(), [
      'github.com/acme/errors@v0.9.2',
      'github.com/google/uuid@v1.6.0',
      'golang.org/x/text@v0.14.0',
      'gopkg.in/yaml.v3@v3.0.1',
    ]);
    assert.equal(pkgs.find((p) => p.name === 'golang.org/x/text')?.properties?.indirect, 'true');
    assert.equal(
      pkgs.find((p) => p.name === 'github.com/google/uuid')?.purl,
      'pkg:golang/github.com/google/uuid@v1.6.0',
    );
    assert.ok(pkgs.every((p) => p.type === 'gomod' && p.origin === 'declared'));
  });
});
