import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Analyzer, FileInfo } from '../analyzer/types.js';
import type { FileError } from '../core/report.js';
import { wantingAnalyzers, type LayerContext } from './analyze.js';

const ctx: LayerContext = { layer: { diffId: 'sha256:x', index: 0 }, info: { diffId: 'sha256:x' } };

/** An analyzer that wants every file it is asked about, and records each question. */
function analyzer(
  name: string,
  wants?: Analyzer['wants'],
  asked: string[] = [],
): Analyzer & { asked: string[] } {
  return {
    name,
    version: 1,
    wants,
    asked,
    required: (path) => {
      asked.push(path);
      if (name === 'throws') throw new Error('boom');
      return true;
    },
    analyze: async () => undefined,
  };
}

it('required() is asked only of analyzers whose `wants` the file matches, and of those without one, in order', () => {
  const lock = analyzer('lock', { names: ['Cargo.lock', 'yarn.lock'] });
  const everything = analyzer('everything');
  const jar = analyzer('jar', { extensions: ['.jar', '.war'] });
  const both = analyzer('both', { names: ['METADATA'], extensions: ['.egg-info'] });
  const list = [lock, everything, jar, both];
  const wanting = (p: string) => {
    const info: FileInfo = { path: p, type: 'file', size: 1, mode: 0o644 };
    return wantingAnalyzers(list, info, ctx, []).map((a) => a.name);
  };
  assert.deepEqual(wanting('app/Cargo.lock'), ['lock', 'everything']);
  assert.deepEqual(wanting('yarn.lock'), ['lock', 'everything']);
  assert.deepEqual(wanting('app/lib/x.JAR'), ['everything', 'jar']);
  assert.deepEqual(wanting('a/b.dist-info/METADATA'), ['everything', 'both']);
  assert.deepEqual(wanting('a/b.egg-info'), ['everything', 'both']);
  assert.deepEqual(wanting('app/Cargo.lock.jar'), ['everything', 'jar']);
  assert.deepEqual(wanting('app/notCargo.lock'), ['everything']);
  assert.deepEqual(wanting('README'), ['everything']);
  assert.deepEqual(lock.asked, ['app/Cargo.lock', 'yarn.lock']);
  assert.equal(everything.asked.length, 8);
});

it('a throwing required() is a FileError naming the analyzer; the others are still asked', () => {
  const errors: FileError[] = [];
  const throws = analyzer('throws', { names: ['x.json'] });
  const other = analyzer('other', { extensions: ['.json'] });
  const info: FileInfo = { path: 'a/x.json', type: 'file', size: 1, mode: 0o644 };
  const wanting = wantingAnalyzers([throws, other], info, ctx, errors);
  assert.deepEqual(
    wanting.map((a) => a.name),
    ['other'],
  );
  assert.deepEqual(errors, [{ path: 'a/x.json', layer: ctx.info, analyzer: 'throws', message: 'boom' }]);
});
