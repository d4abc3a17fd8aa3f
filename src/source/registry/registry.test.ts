// The registry source against Debian's docker-registry in its four setups, with skopeo reading
// the same registry as the oracle for manifests, configs and layer digests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { openRegistrySource, type RegistryOptions } from './index.js';
import { isBosunError, type ErrorKind } from '../../core/errors.js';
import type { ImageConfig, ImageSource } from '../../core/image.js';
import {
  buildMultiArchLayout,
  fixtureImages,
  sha256,
  startRegistry,
  type RegistryMode,
  type TestRegistry,
} from '../../../test/helpers/registry.js';

const alpineArchive = `docker-archive:${path.join(fixtureImages, 'alpine-3.10.docker.tar.gz')}`;
const workDir = mkdtempSync(path.join(tmpdir(), 'bosun-registry-test-'));
after(() => rmSync(workDir, { recursive: true, force: true }));
/** No test may see the machine's own credentials or Docker config. */
const isolatedEnv = { HOME: workDir };

function optionsFor(reg: TestRegistry, extra: RegistryOptions = {}): RegistryOptions {
  return {
    insecure: reg.mode !== 'tls',
    env: isolatedEnv,
    ...(reg.caFile ? { caFile: reg.caFile } : {}),
    ...(reg.credentials ?? {}),
    ...extra,
  };
}

async function open(reg: TestRegistry, repoRef: string, extra: RegistryOptions = {}): Promise<ImageSource> {
  return openRegistrySource(`${reg.host}/${repoRef}`, optionsFor(reg, extra));
}

async function hashStream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** Compares what the source says with `skopeo inspect --raw` / `--config --raw` of `repoRef`. */
async function assertMatchesSkopeo(reg: TestRegistry, source: ImageSource, repoRef: string): Promise<void> {
  const rawManifest = await reg.rawManifest(repoRef);
  const manifest = JSON.parse(rawManifest.toString()) as { layers: { digest: string; size: number }[] };
  const rawConfig = await reg.rawConfig(repoRef);
  const config = JSON.parse(rawConfig.toString()) as ImageConfig;
  assert.equal(source.manifestDigest, sha256(rawManifest));
  assert.deepEqual(await source.config(), config);
  const layers = await source.layers();
  assert.deepEqual(
    layers.map((l) => l.digest),
    manifest.layers.map((l) => l.digest),
  );
  assert.deepEqual(
    layers.map((l) => l.size),
    manifest.layers.map((l) => l.size),
  );
  assert.deepEqual(
    layers.map((l) => l.diffId),
    config.rootfs?.diff_ids,
  );
  assert.deepEqual(
    layers.map((l) => l.createdBy),
    config.history?.filter((h) => !h.empty_layer).map((h) => h.created_by),
  );
}

async function rejectsWith(promise: Promise<unknown>, kind: ErrorKind, message: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isBosunError(err), `expected a BosunError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    assert.match(err.message, message);
    return true;
  });
}

const modes: RegistryMode[] = ['anonymous', 'basic', 'token', 'tls'];

for (const mode of modes) {
  describe(`docker-registry, ${mode}`, () => {
    let reg: TestRegistry;
    before(async () => {
      reg = await startRegistry(mode);
      await reg.push(alpineArchive, 'alpine:3.10');
    });
    after(() => reg?.stop());

    test('pulls alpine:3.10 exactly as skopeo reads it', async () => {
      const source = await open(reg, 'alpine:3.10');
      try {
        assert.equal(source.kind, 'registry');
        assert.deepEqual(source.platform, { os: 'linux', architecture: 'amd64' });
        assert.deepEqual(source.repoDigests, [`${reg.host}/alpine@${source.manifestDigest}`]);
        await assertMatchesSkopeo(reg, source, 'alpine:3.10');
      } finally {
        await source.close();
      }
    });

    test('streams the layer blob, verified, and it unpacks to the config diffId', async () => {
      const source = await open(reg, 'alpine:3.10');
      try {
        const [layer] = await source.layers();
        assert.ok(layer);
        assert.equal(await hashStream(await layer.open()), layer.digest);
        // Each open() is a fresh download.
        assert.equal(await hashStream((await layer.open()).pipe(createGunzip())), layer.diffId);
      } finally {
        await source.close();
      }
    });

    test('--platform that a single-platform image does not match is notFound', async () => {
      await rejectsWith(
        open(reg, 'alpine:3.10', { platform: 'linux/arm64' }),
        'notFound',
        /alpine:3\.10 is an image for linux\/amd64, not for the requested platform linux\/arm64/,
      );
      const source = await open(reg, 'alpine:3.10', { platform: 'linux/amd64' });
      await source.close();
    });

    test('a missing tag is notFound naming the repository', async () => {
      await rejectsWith(
        open(reg, 'alpine:no-such-tag'),
        'notFound',
        new RegExp(`no-such-tag.*${reg.host}/alpine`),
      );
      await rejectsWith(open(reg, 'no/such-repo'), 'notFound', /no\/such-repo/);
    });

    if (mode === 'basic' || mode === 'token') {
      test('wrong credentials are a network error naming the registry and repository', async () => {
        await rejectsWith(
          open(reg, 'alpine:3.10', { password: 'wrong' }),
          'network',
          new RegExp(`registry ${reg.host} refused access to repository alpine \\(401.*--username`),
        );
      });

      test('no credentials at all are refused with a hint where to put them', async () => {
        await rejectsWith(
          openRegistrySource(`${reg.host}/alpine:3.10`, { insecure: true, env: isolatedEnv }),
          'network',
          new RegExp(`${reg.host}.*without credentials`),
        );
      });

      test('credentials from DOCKER_CONFIG (base64 auth) and from BOSUN_USERNAME/BOSUN_PASSWORD work', async () => {
        const dockerDir = path.join(workDir, `docker-${mode}`);
        await mkdir(dockerDir, { recursive: true });
        const auth = Buffer.from(`${reg.credentials!.username}:${reg.credentials!.password}`).toString(
          'base64',
        );
        await writeFile(
          path.join(dockerDir, 'config.json'),
          JSON.stringify({ auths: { [reg.host]: { auth } } }),
        );
        for (const env of [
          { ...isolatedEnv, DOCKER_CONFIG: dockerDir },
          {
            ...isolatedEnv,
            BOSUN_USERNAME: reg.credentials!.username,
            BOSUN_PASSWORD: reg.credentials!.password,
          },
        ]) {
          const source = await openRegistrySource(`${reg.host}/alpine:3.10`, { insecure: true, env });
          try {
            assert.equal(source.manifestDigest, sha256(await reg.rawManifest('alpine:3.10')));
          } finally {
            await source.close();
          }
        }
      });
    }

    if (mode === 'token') {
      test('one bearer token serves the whole pull (cached per scope)', async () => {
        const before = reg.tokenScopes.length;
        const source = await open(reg, 'alpine:3.10');
        try {
          const [layer] = await source.layers();
          await hashStream(await layer!.open());
        } finally {
          await source.close();
        }
        assert.deepEqual(reg.tokenScopes.slice(before), ['repository:alpine:pull']);
      });

      test('a token without access is retried once with a fresh token, then refused', async () => {
        const before = reg.tokenScopes.length;
        await rejectsWith(
          open(reg, 'denied/alpine:3.10'),
          'network',
          new RegExp(`registry ${reg.host} refused access to repository denied/alpine \\(401\\)`),
        );
        assert.deepEqual(reg.tokenScopes.slice(before), [
          'repository:denied/alpine:pull',
          'repository:denied/alpine:pull',
        ]);
      });
    }

    if (mode === 'tls') {
      test('an untrusted certificate is a network error; --insecure skips the check', async () => {
        await rejectsWith(
          openRegistrySource(`${reg.host}/alpine:3.10`, { env: isolatedEnv }),
          'network',
          new RegExp(`${reg.host}.*certificate.*use --insecure`, 'i'),
        );
        const source = await openRegistrySource(`${reg.host}/alpine:3.10`, {
          insecure: true,
          env: isolatedEnv,
        });
        try {
          assert.equal(source.manifestDigest, sha256(await reg.rawManifest('alpine:3.10')));
        } finally {
          await source.close();
        }
      });
    }

    if (mode === 'anonymous') {
      let layout: Promise<string> | undefined;
      test('a plain-HTTP registry without --insecure is a network error suggesting it', async () => {
        await rejectsWith(
          openRegistrySource(`${reg.host}/alpine:3.10`, { env: isolatedEnv }),
          'network',
          new RegExp(`cannot reach registry ${reg.host} \\(GET https://${reg.host}/v2/\\).*use --insecure`),
        );
      });

      for (const [tag, kind, format] of [
        ['multi', 'OCI index', undefined],
        ['dockerlist', 'Docker manifest list', 'v2s2'],
      ] as const) {
        describe(`multi-platform busybox: ${kind} of amd64, arm64, arm/v7`, () => {
          let list: {
            mediaType: string;
            manifests: { digest: string; platform: { architecture: string } }[];
          };
          let listDigest: string;
          before(async () => {
            layout ??= buildMultiArchLayout(workDir);
            await reg.push(await layout, `busybox:${tag}`, format);
            const raw = await reg.rawManifest(`busybox:${tag}`);
            list = JSON.parse(raw.toString()) as typeof list;
            assert.match(list.mediaType, format ? /docker.*list/ : /oci.*index/);
            listDigest = sha256(raw);
          });
          const digestFor = (arch: string): string =>
            list.manifests.find((m) => m.platform.architecture === arch)!.digest;

          for (const [flag, arch, platform] of [
            [undefined, 'amd64', { os: 'linux', architecture: 'amd64' }],
            ['linux/arm64', 'arm64', { os: 'linux', architecture: 'arm64' }],
            ['linux/arm64/v8', 'arm64', { os: 'linux', architecture: 'arm64' }],
            ['linux/arm/v7', 'arm', { os: 'linux', architecture: 'arm', variant: 'v7' }],
            ['linux/arm', 'arm', { os: 'linux', architecture: 'arm', variant: 'v7' }],
          ] as const) {
            test(`--platform ${flag ?? '(default)'} picks the ${arch} image`, async () => {
              const source = await open(reg, `busybox:${tag}`, flag ? { platform: flag } : {});
              try {
                assert.equal(source.manifestDigest, digestFor(arch));
                assert.deepEqual(source.platform, platform);
                assert.deepEqual(source.repoDigests, [`${reg.host}/busybox@${listDigest}`]);
                await assertMatchesSkopeo(reg, source, `busybox@${digestFor(arch)}`);
              } finally {
                await source.close();
              }
            });
          }

          test('a platform the index lacks is notFound listing the ones it has', async () => {
            await rejectsWith(
              open(reg, `busybox:${tag}`, { platform: 'linux/s390x' }),
              'notFound',
              /no image for platform linux\/s390x; available platforms: linux\/amd64, linux\/arm64, linux\/arm\/v7/,
            );
          });

          test('tag@digest pulls the digest', async () => {
            const source = await open(reg, `busybox:${tag}@${digestFor('arm64')}`);
            try {
              assert.equal(source.manifestDigest, digestFor('arm64'));
              assert.equal((await source.config()).architecture, 'arm64');
            } finally {
              await source.close();
            }
          });
        });
      }
    }
  });
}
