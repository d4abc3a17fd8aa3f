import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyWhiteout, isWithin, normalizeLayerPath } from './paths.js';

test('normalizeLayerPath strips ./ and /, resolves . and .., refuses escapes', () => {
  assert.equal(normalizeLayerPath('./etc/os-release'), 'etc/os-release');
  assert.equal(normalizeLayerPath('/usr//bin/'), 'usr/bin');
  assert.equal(normalizeLayerPath('a/./b/../c'), 'a/c');
  assert.equal(normalizeLayerPath('./'), '');
  assert.equal(normalizeLayerPath('../etc/passwd'), undefined);
  assert.equal(normalizeLayerPath('/a/../../etc/passwd'), undefined);
  assert.equal(normalizeLayerPath('a/..'), '');
});

test('classifyWhiteout looks at the basename only', () => {
  assert.deepEqual(classifyWhiteout('etc/.wh.passwd'), { kind: 'delete', path: 'etc/passwd' });
  assert.deepEqual(classifyWhiteout('.wh.tmp'), { kind: 'delete', path: 'tmp' });
  assert.deepEqual(classifyWhiteout('var/cache/.wh..wh..opq'), { kind: 'opaque', dir: 'var/cache' });
  assert.deepEqual(classifyWhiteout('.wh..wh..opq'), { kind: 'opaque', dir: '' });
  assert.deepEqual(classifyWhiteout('.wh..wh.plnk'), { kind: 'meta' });
  assert.equal(classifyWhiteout('etc/a.wh.b'), undefined);
  assert.equal(classifyWhiteout('x.wh.y/file'), undefined);
  assert.equal(classifyWhiteout('x.wh.y'), undefined);
  assert.equal(classifyWhiteout('dir/.wh/file'), undefined);
});

test('isWithin matches the directory and its descendants, not siblings sharing a prefix', () => {
  assert.ok(isWithin('a/b', 'a'));
  assert.ok(isWithin('a', 'a'));
  assert.ok(!isWithin('ab', 'a'));
  assert.ok(isWithin('anything', ''));
});
