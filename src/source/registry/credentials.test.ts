import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveCredentials } from './credentials.js';
import { isBosunError } from '../../core/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bosun-credentials-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function dockerConfig(name: string, auths: unknown): Promise<string> {
  const d = path.join(dir, name);
  await mkdir(d, { recursive: true });
  await writeFile(path.join(d, 'config.json'), JSON.stringify({ auths }));
  return d;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

test('options win over the environment, which wins over the Docker config', async () => {
  const d = await dockerConfig('order', { 'reg.example:5000': { auth: b64('file:pw') } });
  const env = { HOME: dir, DOCKER_CONFIG: d, BOSUN_USERNAME: 'env', BOSUN_PASSWORD: 'pw' };
  assert.equal(
    (await resolveCredentials('reg.example:5000', { username: 'opt', password: 'pw' }, env))?.username,
    'opt',
  );
  assert.equal((await resolveCredentials('reg.example:5000', {}, env))?.username, 'env');
  assert.deepEqual(await resolveCredentials('reg.example:5000', {}, { HOME: dir, DOCKER_CONFIG: d }), {
    username: 'file',
    password: 'pw',
    origin: path.join(d, 'config.json'),
  });
});

test('a password may contain colons; username/password fields work too', async () => {
  const d = await dockerConfig('fields', {
    'https://a.example/v1/': { auth: b64('user:pa:ss') },
    'b.example': { username: 'bu', password: 'bp' },
  });
  const env = { HOME: dir, DOCKER_CONFIG: d };
  assert.equal((await resolveCredentials('a.example', {}, env))?.password, 'pa:ss');
  assert.equal((await resolveCredentials('b.example', {}, env))?.username, 'bu');
  assert.equal(await resolveCredentials('c.example', {}, env), undefined);
});

test("Docker Hub's legacy key https://index.docker.io/v1/ matches docker.io images", async () => {
  const d = await dockerConfig('hub', { 'https://index.docker.io/v1/': { auth: b64('hubuser:x') } });
  assert.equal(
    (await resolveCredentials('index.docker.io', {}, { HOME: dir, DOCKER_CONFIG: d }))?.username,
    'hubuser',
  );
});

test('~/.docker/config.json is the default; --docker-config takes a file or a directory', async () => {
  const home = path.join(dir, 'home');
  await dockerConfig('home/.docker', { 'h.example': { auth: b64('homeuser:x') } });
  assert.equal((await resolveCredentials('h.example', {}, { HOME: home }))?.username, 'homeuser');
  const d = await dockerConfig('explicit', { 'h.example': { auth: b64('explicit:x') } });
  for (const dockerConfigPath of [d, path.join(d, 'config.json')]) {
    const creds = await resolveCredentials('h.example', { dockerConfig: dockerConfigPath }, { HOME: home });
    assert.equal(creds?.username, 'explicit');
  }
});

test('no config file means no credentials; a broken or missing explicit one is a config error', async () => {
  assert.equal(await resolveCredentials('h.example', {}, { HOME: path.join(dir, 'nobody') }), undefined);
  const broken = path.join(dir, 'broken.json');
  await writeFile(broken, '{not json');
  for (const file of [broken, path.join(dir, 'missing.json')]) {
    await assert.rejects(
      resolveCredentials('h.example', { dockerConfig: file }, { HOME: dir }),
      (e: unknown) => isBosunError(e) && e.kind === 'config' && e.subject === file,
    );
  }
  const d = await dockerConfig('badauth', { 'h.example': { auth: b64('nocolon') } });
  await assert.rejects(
    resolveCredentials('h.example', {}, { HOME: dir, DOCKER_CONFIG: d }),
    (e: unknown) => isBosunError(e) && e.kind === 'config' && /not base64 of user:password/.test(e.message),
  );
});

test('a username without a password is a usage error naming the missing one', async () => {
  await assert.rejects(
    resolveCredentials('h.example', { username: 'u' }, { HOME: dir }),
    (e: unknown) => isBosunError(e) && e.kind === 'usage' && e.subject === '--password',
  );
  await assert.rejects(
    resolveCredentials('h.example', {}, { HOME: dir, BOSUN_PASSWORD: 'p' }),
    (e: unknown) => isBosunError(e) && e.kind === 'usage' && e.subject === 'BOSUN_USERNAME',
  );
});

test('credential helpers: credHelpers per registry, else credsStore, else auths', async () => {
  // A real executable on PATH speaking the docker-credential-helpers protocol.
  const bin = path.join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  const helper = (name: string, script: string) =>
    writeFile(path.join(bin, `docker-credential-${name}`), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  await helper(
    'store',
    'read url; [ "$1" = get ] && printf \'{"ServerURL":"%s","Username":"store-%s","Secret":"s"}\' "$url" "$url"',
  );
  await helper('ecr', 'read url; echo "{\\"Username\\":\\"AWS\\",\\"Secret\\":\\"ecr-for-$url\\"}"');
  await helper('empty', 'echo "credentials not found in native keychain"; exit 1');
  const env = (d: string) => ({ HOME: dir, DOCKER_CONFIG: d, PATH: `${bin}:${process.env.PATH ?? ''}` });
  const d = path.join(dir, 'helpers');
  await mkdir(d, { recursive: true });
  await writeFile(
    path.join(d, 'config.json'),
    JSON.stringify({
      credsStore: 'store',
      credHelpers: { '1.dkr.ecr.example': 'ecr', 'none.example': 'empty' },
      auths: { 'none.example': { auth: b64('fallback:x') } },
    }),
  );
  assert.deepEqual(await resolveCredentials('1.dkr.ecr.example', {}, env(d)), {
    username: 'AWS',
    password: 'ecr-for-1.dkr.ecr.example',
    origin: 'docker-credential-ecr',
  });
  assert.equal(
    (await resolveCredentials('index.docker.io', {}, env(d)))?.username,
    'store-https://index.docker.io/v1/',
  );
  assert.equal((await resolveCredentials('none.example', {}, env(d)))?.username, 'fallback');

  const missing = path.join(dir, 'missing-helper');
  await mkdir(missing, { recursive: true });
  await writeFile(path.join(missing, 'config.json'), JSON.stringify({ credsStore: 'nonexistent' }));
  await assert.rejects(
    resolveCredentials('x.example', {}, env(missing)),
    (e: unknown) =>
      isBosunError(e) &&
      e.kind === 'config' &&
      /docker-credential-nonexistent, which is not on PATH/.test(e.message),
  );
});
