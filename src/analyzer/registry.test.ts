import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { analyzers } from './registry.js';
import type { FileInfo } from './types.js';

/** A file every hinted analyzer wants, beside look-alikes. */
const SAMPLE_PATHS = [
  'lib/apk/db/installed',
  'var/lib/rpm/Packages',
  'var/lib/rpm/Packages.db',
  'usr/lib/sysimage/rpm/rpmdb.sqlite',
  'usr/lib/node_modules/npm/package.json',
  'app/node_modules/@scope/pkg/package.json',
  'app/package-lock.json',
  'app/npm-shrinkwrap.json',
  'app/yarn.lock',
  'app/pnpm-lock.yaml',
  'usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA',
  'usr/lib/python3/dist-packages/six.egg-info/PKG-INFO',
  'usr/lib/python3/dist-packages/six-1.16.0.egg-info',
  'usr/lib/python3/dist-packages/x.egg/EGG-INFO/PKG-INFO',
  'app/poetry.lock',
  'app/uv.lock',
  'app/Pipfile.lock',
  'app/requirements.txt',
  'app/requirements-dev.txt',
  'src/go.mod',
  'app/lib/x.jar',
  'app/X.WAR',
  'srv/app.ear',
  'app/gradle.lockfile',
  'app/gradle/dependency-locks/compileClasspath.lockfile',
  'usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec',
  'usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec',
  'app/Gemfile.lock',
  'app/Cargo.lock',
  'app/composer.lock',
  'app/vendor/composer/installed.json',
  'app/x.deps.json',
  'app/packages.lock.json',
  '.jar',
  'a/.deps.json',
  'installed',
  'Packages',
  'README',
];

/** Every file of this repository (its node_modules hold thousands of package.json files). */
function repositoryPaths(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((p) => !p.startsWith('.git/'));
}

it("an analyzer's `wants` names or extensions cover every file its required() accepts", () => {
  const paths = [...SAMPLE_PATHS, ...repositoryPaths(path.resolve(import.meta.dirname, '../..'))];
  const hinted = analyzers.filter((a) => a.wants);
  assert.ok(hinted.length >= 15, 'most package analyzers say what they want');
  const accepted = new Map(hinted.map((a) => [a, 0]));
  for (const p of paths) {
    const name = p.slice(p.lastIndexOf('/') + 1);
    const dot = name.lastIndexOf('.');
    const extension = dot < 0 ? undefined : name.slice(dot).toLowerCase();
    for (const mode of [0o644, 0o755]) {
      const info: FileInfo = { path: p, type: 'file', size: 4096, mode };
      for (const a of hinted) {
        if (!a.required(p, info)) continue;
        accepted.set(a, accepted.get(a)! + 1);
        const covered =
          a.wants!.names?.includes(name) ||
          (extension !== undefined && a.wants!.extensions?.some((e) => e.toLowerCase() === extension));
        assert.ok(covered, `${a.name} wants ${p}, which its \`wants\` leaves out`);
      }
    }
  }
  for (const [a, n] of accepted) assert.ok(n > 0, `no sample path for ${a.name}`);
});
