import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familiarName, parseReference, type ImageReference } from './reference.js';
import { isBosunError } from '../../core/errors.js';

const digest = 'sha256:' + 'ab'.repeat(32);

// Cases follow github.com/distribution/reference's normalize_test.go and reference_test.go.
const valid: [string, ImageReference][] = [
  ['alpine', { registry: 'index.docker.io', repository: 'library/alpine', tag: 'latest' }],
  ['alpine:3.19', { registry: 'index.docker.io', repository: 'library/alpine', tag: '3.19' }],
  ['library/alpine', { registry: 'index.docker.io', repository: 'library/alpine', tag: 'latest' }],
  ['docker.io/alpine', { registry: 'index.docker.io', repository: 'library/alpine', tag: 'latest' }],
  [
    'index.docker.io/library/alpine:edge',
    { registry: 'index.docker.io', repository: 'library/alpine', tag: 'edge' },
  ],
  ['registry-1.docker.io/foo/bar', { registry: 'index.docker.io', repository: 'foo/bar', tag: 'latest' }],
  ['bitnami/redis:7', { registry: 'index.docker.io', repository: 'bitnami/redis', tag: '7' }],
  ['a/b/c/d', { registry: 'index.docker.io', repository: 'a/b/c/d', tag: 'latest' }],
  ['ghcr.io/owner/image:v1.2.3', { registry: 'ghcr.io', repository: 'owner/image', tag: 'v1.2.3' }],
  ['host:5000/a/b@' + digest, { registry: 'host:5000', repository: 'a/b', digest }],
  ['host:5000/a/b:tag@' + digest, { registry: 'host:5000', repository: 'a/b', tag: 'tag', digest }],
  ['alpine@' + digest, { registry: 'index.docker.io', repository: 'library/alpine', digest }],
  ['localhost/foo', { registry: 'localhost', repository: 'foo', tag: 'latest' }],
  ['localhost:5000/foo:bar', { registry: 'localhost:5000', repository: 'foo', tag: 'bar' }],
  ['127.0.0.1:5000/repo', { registry: '127.0.0.1:5000', repository: 'repo', tag: 'latest' }],
  ['[::1]:5000/repo:t', { registry: '[::1]:5000', repository: 'repo', tag: 't' }],
  ['Example.COM/repo', { registry: 'Example.COM', repository: 'repo', tag: 'latest' }],
  ['foo.com:8080/a__b/c-d/e.f', { registry: 'foo.com:8080', repository: 'a__b/c-d/e.f', tag: 'latest' }],
  ['a---b/c:TAG_1.x-y', { registry: 'index.docker.io', repository: 'a---b/c', tag: 'TAG_1.x-y' }],
  ['xn--n3h.com/img', { registry: 'xn--n3h.com', repository: 'img', tag: 'latest' }],
];

for (const [input, expected] of valid) {
  test(`parseReference("${input}")`, () => {
    assert.deepEqual(parseReference(input), expected);
  });
}

const invalid: [string, RegExp][] = [
  ['', /empty/],
  ['Alpine', /lowercase/],
  ['docker.io/Library/alpine', /lowercase/],
  ['alpine:', /not a valid tag/],
  ['alpine:-tag', /not a valid tag/],
  ['alpine:' + 'x'.repeat(129), /not a valid tag/],
  ['alpine@sha256:abc', /not a digest/],
  ['alpine@sha256:' + 'AB'.repeat(32), /64 lowercase hex/],
  ['alpine@md5', /not a digest/],
  ['host:5000/', /not a valid repository path component/],
  ['a//b', /not a valid repository path component/],
  ['a/b_', /not a valid repository path component/],
  ['-a/b', /not a valid repository path component/],
  ['a/.b', /not a valid repository path component/],
  ['a/b___c', /not a valid repository path component/],
  [':tag', /no repository/],
  ['@' + digest, /no repository/],
  ['-host.com/a', /not a valid registry host/],
  ['host.com:port/a', /not a valid registry host/],
  ['foo_bar.com/a', /not a valid registry host/],
  ['ab'.repeat(32), /image ID/],
  ['host.com/' + 'a'.repeat(250), /longer than 255/],
];

for (const [input, message] of invalid) {
  test(`parseReference rejects "${input.slice(0, 40)}"`, () => {
    assert.throws(
      () => parseReference(input),
      (e: unknown) => isBosunError(e) && e.kind === 'usage' && message.test(e.message) && e.subject === input,
    );
  });
}

test('familiarName drops Docker Hub and its library/ prefix, as docker does', () => {
  assert.equal(familiarName(parseReference('alpine:3')), 'alpine');
  assert.equal(familiarName(parseReference('bitnami/redis')), 'bitnami/redis');
  assert.equal(familiarName(parseReference('127.0.0.1:5000/a/b:c')), '127.0.0.1:5000/a/b');
});
