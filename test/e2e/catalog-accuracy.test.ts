// Accuracy of bosun's package list on the "multi" fixture image, against each ecosystem's own tool
// run on the image's final filesystem: the image is unpacked once by umoci (independent of bosun's
// walker and applier), then dpkg-query, Python's importlib.metadata, npm ls, the jars' own
// pom.properties, go version -m and RubyGems read it. Per-ecosystem counts are printed (docs/sbom.md).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  mkdtempSync,
  readFileSync,
  readlinkSync,
  lstatSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Package } from '../../src/core/package.js';
import type { Report } from '../../src/core/report.js';
import { runBosun } from '../helpers/cli.js';
import { fixtureImages, fixtureTestOptions, type MultiFixture } from '../helpers/fixture-images.js';

function run(
  file: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 1 << 28 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`${file} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
    );
  });
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const sorted = (items: Iterable<string>) => [...items].sort();
const nameAtVersion = (p: Package) => `${p.name}@${p.version}`;

/** A path inside the unpacked root with its symlinks resolved the way the container would: inside the root. */
function resolveInRoot(root: string, rel: string): string {
  const parts = rel.split('/').filter(Boolean);
  const done: string[] = [];
  for (let hops = 0; parts.length > 0;) {
    const part = parts.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    const candidate = path.join(root, ...done, part);
    if (lstatSync(candidate, { throwIfNoEntry: false })?.isSymbolicLink()) {
      assert.ok(++hops < 40, `symlink loop at ${rel}`);
      const target = readlinkSync(candidate);
      if (target.startsWith('/')) done.length = 0;
      parts.unshift(...target.split('/').filter(Boolean));
    } else {
      done.push(part);
    }
  }
  return done.join('/');
}

interface Fixture {
  multi: MultiFixture;
  root: string;
  report: Report;
  packages: Package[];
  /** Layer diffIds in order. */
  layers: string[];
  /** name → version of the base layer's dpkg database. */
  basePackages: Map<string, string>;
}

/** Unpacks the image with umoci while bosun catalogs it; reads the base layer's dpkg status. */
async function setUp(work: string): Promise<Fixture> {
  const { multi } = (await fixtureImages()).images;
  const root = path.join(work, 'rootfs');
  const [, sbom] = await Promise.all([
    run('umoci', ['raw', 'unpack', '--rootless', '--image', `${multi.ociLayout}:${multi.ociTag}`, root]),
    runBosun(['sbom', '--input', multi.dockerArchive, '--format', 'json']),
  ]);
  assert.equal(sbom.code, 0, sbom.stderr);
  const report = JSON.parse(sbom.stdout) as Report;
  const packages = report.results.flatMap((r) => r.packages ?? []);
  const layers = (report.artifact.layers ?? []).map((l) => l.diffId);
  assert.equal(layers.length, multi.layerCount);

  // The base layer's own dpkg database, read by dpkg-query: which packages layer 1 brought.
  const blob = (digest: string) => path.join(multi.ociLayout, 'blobs', ...digest.split(':'));
  const index = JSON.parse(readFileSync(path.join(multi.ociLayout, 'index.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8'));
  const admin = path.join(work, 'base-dpkg');
  mkdirSync(admin);
  const status = await run('tar', [
    '-xOf',
    blob(manifest.layers[0].digest),
    '--wildcards',
    '--no-anchored',
    'var/lib/dpkg/status',
  ]);
  writeFileSync(path.join(admin, 'status'), status);
  const base = await run('dpkg-query', [
    `--admindir=${admin}`,
    '-W',
    '-f',
    '${db:Status-Abbrev}\t${Package}\t${Version}\n',
  ]);
  const basePackages = new Map(
    lines(base)
      .map((l) => l.split('\t'))
      .filter(([abbrev]) => abbrev!.startsWith('ii'))
      .map(([, name, version]) => [name!, version!]),
  );
  return { multi, root, report, packages, layers, basePackages };
}

/** bosun vs oracle counts per ecosystem, printed at the end for docs/sbom.md. */
const counts: [string, number, number][] = [];

function assertSameSet(ecosystem: string, bosun: string[], oracle: string[]): void {
  counts.push([ecosystem, bosun.length, oracle.length]);
  assert.deepEqual(sorted(bosun), sorted(oracle), ecosystem);
}

describe('catalog accuracy on the multi fixture image', fixtureTestOptions(), () => {
  const work = mkdtempSync(path.join(tmpdir(), 'bosun-accuracy-'));
  let fx: Fixture;
  const byType = (type: string) => fx.packages.filter((p) => p.type === type);

  before(async () => {
    fx = await setUp(work);
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
    for (const [ecosystem, bosun, oracle] of counts)
      console.log(`# ${ecosystem}: bosun ${bosun}, oracle ${oracle}`);
  });

  test('dpkg: the installed packages dpkg-query lists', async () => {
    const out = await run('dpkg-query', [
      `--admindir=${fx.root}/var/lib/dpkg`,
      '-W',
      '-f',
      '${Package} ${Version} ${db:Status-Abbrev}\n',
    ]);
    const installed = lines(out)
      .filter((l) => / ii ?$/.test(l))
      .map((l) => l.split(' ').slice(0, 2).join(' '));
    assertSameSet(
      'dpkg',
      byType('dpkg').map((p) => `${p.name} ${p.version}`),
      installed,
    );
    for (const deb of fx.multi.debs) assert.ok(installed.includes(`${deb.name} ${deb.version}`), deb.name);
  });

  test('Python: the distributions importlib.metadata finds', async () => {
    const dirs = lines(
      await run('find', [
        fx.root,
        '-type',
        'd',
        '(',
        '-name',
        'dist-packages',
        '-o',
        '-name',
        'site-packages',
        ')',
      ]),
    );
    const script =
      'import importlib.metadata as m, sys\nfor d in m.distributions(path=sys.argv[1:]): print(f"{d.metadata[\'Name\']}@{d.version}")';
    const oracle = lines(await run('python3', ['-c', script, ...dirs]));
    assertSameSet('Python', byType('python').map(nameAtVersion), oracle);
  });

  test('npm: the project tree npm ls reports, and the Debian node-* packages', async () => {
    const project = path.join(fx.root, fx.multi.npm.dir);
    const tree = JSON.parse(await run('npm', ['ls', '--all', '--json'], { cwd: project })) as NpmNode;
    const oracle = new Set<string>();
    const visit = (node: NpmNode) => {
      for (const [name, dep] of Object.entries(node.dependencies ?? {})) {
        oracle.add(`${name}@${dep.version}`);
        visit(dep);
      }
    };
    visit(tree);
    const npm = byType('npm');
    const projectDir = fx.multi.npm.dir.slice(1);
    const installed = npm.filter((p) => p.locations[0]!.path.startsWith(`${projectDir}/node_modules/`));
    // npm ls shows a package once per place it is installed; compare name@version sets.
    assertSameSet('npm (node_modules)', [...new Set(installed.map(nameAtVersion))], [...oracle]);
    // Every lockfile entry is installed beside it, so each package is listed once, as installed.
    const locked = npm.filter((p) => p.locations[0]!.path === fx.multi.npm.lockfile.slice(1));
    assert.deepEqual(locked.map(nameAtVersion), []);

    // Debian's node-* packages: what Node resolves from /usr/share/nodejs. lodash-es/package.json
    // is a symlink to lodash's (the same package), which bosun does not count twice.
    const manifests = lines(
      await run('find', [
        path.join(fx.root, 'usr/share/nodejs'),
        '-name',
        'package.json',
        '-not',
        '-path',
        '*/node_modules/*',
      ]),
    );
    const debianOracle = manifests.map((f) => {
      const json = JSON.parse(readFileSync(f, 'utf8')) as { name: string; version: string };
      return `${json.name}@${json.version}`;
    });
    const debian = npm.filter(
      (p) =>
        p.locations[0]!.path.startsWith('usr/share/nodejs/') &&
        p.locations[0]!.path.endsWith('/package.json'),
    );
    assertSameSet(
      'npm (/usr/share/nodejs)',
      [...new Set(debian.map(nameAtVersion))],
      [...new Set(debianOracle)],
    );
  });

  test("Java: the Maven coordinates in every jar's pom.properties", async () => {
    const jars = lines(await run('find', [fx.root, '-name', '*.jar']));
    const real = new Set(jars.map((j) => resolveInRoot(fx.root, path.relative(fx.root, j))));
    const oracle: string[] = [];
    for (const jar of real) {
      const props = await run('unzip', ['-p', path.join(fx.root, jar), 'META-INF/maven/*/*/pom.properties']);
      const get = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(props)?.[1]?.trim();
      oracle.push(`${get('groupId')}:${get('artifactId')}@${get('version')}`);
    }
    assert.ok(real.size < jars.length, 'Debian links versioned jar names to the real jars');
    assertSameSet('Java', byType('jar').map(nameAtVersion), oracle);
  });

  test('Go: the modules go version -m reads from every Go binary', async () => {
    // Recursive over the root: finds every Go binary. Debian builds fzf in GOPATH mode, so it has a
    // package path but no main module (no "mod" line) and no module deps: only the Go version.
    const out = await run('go', ['version', '-m', fx.root]);
    const oracle: string[] = [];
    for (const line of lines(out)) {
      const header = /^(\S+): go(\S+)$/.exec(line);
      if (header) oracle.push(`stdlib@${header[2]}`);
      const mod = /^\t(?:mod|dep)\t(\S+)\t(\S+)/.exec(line);
      if (mod && mod[2] !== '(devel)') oracle.push(`${mod[1]}@${mod[2]}`);
    }
    assert.ok(out.includes(`${fx.root}${fx.multi.goBinary}: go`), 'the fixture Go binary is one');
    assertSameSet('Go', byType('gobinary').map(nameAtVersion), oracle);
  });

  test('Ruby: the gemspecs RubyGems loads from every specifications directory', async () => {
    const dirs = lines(await run('find', [fx.root, '-type', 'd', '-name', 'specifications']));
    const script =
      'ARGV.each { |d| Dir.glob(File.join(d, "{,default/}*.gemspec")).each { |f| s = Gem::Specification.load(f); puts "#{s.name}@#{s.version}" if s } }';
    const oracle = lines(await run('ruby', ['-e', script, ...dirs]));
    // Two rake gemspecs (Ruby's bundled one and Debian's rake package) are two packages: a multiset.
    const gems = byType('gem').filter((p) => p.locations[0]!.path.endsWith('.gemspec'));
    assertSameSet('Ruby', gems.map(nameAtVersion), oracle);
  });

  test('Rust: ripgrep carries no cargo-auditable data and the image has no Cargo.lock', async () => {
    const sections = await run('readelf', ['-S', '--wide', path.join(fx.root, fx.multi.rustBinary)]);
    assert.ok(sections.includes('.text') && !sections.includes('.dep-v0'));
    assert.deepEqual(lines(await run('find', [fx.root, '-name', 'Cargo.lock'])), []);
    counts.push(['Rust', fx.packages.filter((p) => p.ecosystem === 'crates.io').length, 0]);
    assert.equal(fx.packages.filter((p) => p.ecosystem === 'crates.io').length, 0);
  });

  test('lockfiles shipped inside Debian packages are reported as declared, not installed', () => {
    // bosun reads lockfiles anywhere in an image; these came with Debian packages and list what
    // their authors developed against, none of it installed here. Known, exact list.
    const lockSources = new Set(
      fx.packages
        .filter((p) => p.type !== 'dpkg' && !p.locations[0]!.path.startsWith(`${fx.multi.npm.dir.slice(1)}/`))
        .map((p) => p.locations[0]!.path)
        .filter((f) => /(\.lock|-lock\.json|-lock\.yaml|shrinkwrap\.json)$/.test(f)),
    );
    const declared = fx.packages.filter((p) => lockSources.has(p.locations[0]!.path)).length;
    counts.push(['declared in lockfiles inside Debian packages (not installed)', declared, 0]);
    assert.deepEqual(sorted(lockSources), [
      'usr/lib/ruby/gems/3.1.0/gems/rbs-2.1.0/steep/Gemfile.lock',
      'usr/lib/ruby/gems/3.1.0/gems/typeprof-0.21.2/Gemfile.lock',
      'usr/lib/ruby/gems/3.1.0/gems/typeprof-0.21.2/vscode/package-lock.json',
      'usr/share/nodejs/lodash-cli/npm-shrinkwrap.json',
    ]);
  });

  test('language packages installed by Debian packages point at their owner', async () => {
    const inDebian = fx.packages.filter((p) => p.type !== 'dpkg' && p.locations[0]!.path.startsWith('usr/'));
    const paths = [...new Set(inDebian.map((p) => `/${p.locations[0]!.path}`))];
    // dpkg -S: "owner[:arch][, owner…]: /path" per file; diversion lines do not match and are skipped.
    const out = await run('dpkg-query', [`--admindir=${fx.root}/var/lib/dpkg`, '-S', ...paths]);
    const owners = new Map<string, string>();
    for (const line of lines(out)) {
      const m = /^([^/]+): (\/.*)$/.exec(line);
      if (m) owners.set(m[2]!, m[1]!.split(', ')[0]!.replace(/:[a-z0-9]+$/, ''));
    }
    const versions = new Map(byType('dpkg').map((p) => [p.name, p.version]));
    for (const p of inDebian) {
      const owner = owners.get(`/${p.locations[0]!.path}`);
      assert.ok(owner, `${p.locations[0]!.path} is owned by a Debian package`);
      assert.equal(p.ownerId, `dpkg:${owner}@${versions.get(owner)}`, p.id);
    }
    for (const p of fx.packages.filter((p) => p.locations[0]!.path.startsWith('srv/')))
      assert.equal(p.ownerId, undefined, `${p.id} was copied in, no Debian package owns it`);
  });

  test('every package names the layer that introduced it', () => {
    const [base, apt, copy] = fx.layers;
    for (const p of fx.packages) {
      const layer = p.locations[0]!.layerDiffId;
      assert.ok(layer && fx.layers.includes(layer), `${p.id}: ${layer}`);
      let expected: string | undefined;
      if (p.type === 'dpkg') expected = fx.basePackages.get(p.name) === p.version ? base : apt;
      else if (p.locations[0]!.path.startsWith('srv/')) expected = copy;
      else expected = apt; // files of the Debian packages apt installed in layer 2
      assert.equal(layer, expected, p.id);
    }
    const dpkg = byType('dpkg');
    assert.equal(dpkg.filter((p) => p.locations[0]!.layerDiffId === base).length, fx.basePackages.size);
  });
});

interface NpmNode {
  version?: string;
  dependencies?: Record<string, NpmNode>;
}
