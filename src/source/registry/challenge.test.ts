import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChallenge } from './challenge.js';

test('a Docker Hub bearer challenge', () => {
  assert.deepEqual(
    parseChallenge(
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
    ),
    {
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:library/alpine:pull',
      },
    },
  );
});

test('spaces, bare values, escapes, an error parameter and mixed-case names', () => {
  assert.deepEqual(
    parseChallenge(
      'bearer  Realm="http://127.0.0.1:1/t" , service=reg, error="insufficient_scope", x="a\\"b"',
    ),
    {
      scheme: 'bearer',
      params: { realm: 'http://127.0.0.1:1/t', service: 'reg', error: 'insufficient_scope', x: 'a"b' },
    },
  );
});

test('a scope listing several actions keeps its commas', () => {
  assert.equal(
    parseChallenge('Bearer scope="repository:a/b:pull,push"')?.params.scope,
    'repository:a/b:pull,push',
  );
});

test('basic challenge and no header', () => {
  assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), {
    scheme: 'basic',
    params: { realm: 'Registry Realm' },
  });
  assert.equal(parseChallenge(undefined), undefined);
  assert.equal(parseChallenge(''), undefined);
});
