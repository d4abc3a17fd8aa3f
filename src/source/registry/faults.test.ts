// The registry source against small misbehaving HTTP servers on 127.0.0.1: throttling, failing,
// dropping connections, redirecting blobs, and serving bytes that do not match their digests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { openRegistrySource, type RegistryOptions } from './index.js';
import { isBosunError, type ErrorKind } from '../../core/errors.js';
import { MediaType } from './manifest.js';

const sha256 = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A one-layer image; the layer is any gzip, the source does not read inside it. */
function makeImage(manifestMediaType: string = MediaType.dockerManifest, tar = Buffer.alloc(1024, 7)) {
  const layer = gzipSync(tar);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
      history: [{ created_by: 'ADD x /' }, { created_by: 'CMD ["sh"]', empty_layer: true }],
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: manifestMediaType,
      config: { mediaType: MediaType.dockerConfig, size: config.length, digest: sha256(config) },
      layers: [
        {
          mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
          size: layer.length,
          digest: sha256(layer),
        },
      ],
    }),
  );
  const blobs = new Map([
    [sha256(config), config],
    [sha256(layer), layer],
  ]);
  return { manifest, manifestMediaType, config, layer, blobs };
}

type Image = ReturnType<typeof makeImage>;
type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => boolean | void;

interface FakeRegistry {
  host: string;
  /** Request paths in order, /v2/ pings included. */
  hits: string[];
  headers: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** Serves `image` as repository `repo`; `fault` may answer a request first (return true). */
async function fakeRegistry(image: Image, fault: Handler = () => false): Promise<FakeRegistry> {
  const hits: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    headers.push(req.headers);
    if (fault(req, res)) return;
    const url = req.url ?? '';
    if (url === '/v2/') return void res.writeHead(200).end('{}');
    const manifest = /^\/v2\/repo\/manifests\/(.+)$/.exec(url);
    if (manifest) {
      return void res
        .writeHead(200, {
          'content-type': image.manifestMediaType,
          'docker-content-digest': sha256(image.manifest),
        })
        .end(image.manifest);
    }
    const blob = /^\/v2\/repo\/blobs\/(.+)$/.exec(url);
    const content = blob ? image.blobs.get(blob[1]!) : undefined;
    if (content) return void res.writeHead(200).end(content);
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end('{"errors":[{"code":"NOT_FOUND","message":"nope"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    hits,
    headers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const fastRetry: RegistryOptions = {
  insecure: true,
  env: {},
  retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, retryAfterCapMs: 5_000 },
};

async function withRegistry(
  image: Image,
  fault: Handler,
  body: (reg: FakeRegistry) => Promise<void>,
): Promise<void> {
  const reg = await fakeRegistry(image, fault);
  try {
    await body(reg);
  } finally {
    await reg.close();
  }
}

async function rejectsWith(promise: Promise<unknown>, kind: ErrorKind, message: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isBosunError(err), `expected a BosunError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    assert.match(err.message, message);
    return true;
  });
}

async function drain(stream: NodeJS.ReadableStream): Promise<number> {
  let n = 0;
  for await (const chunk of stream) n += (chunk as Buffer).length;
  return n;
}

const manifestHits = (reg: FakeRegistry): number => reg.hits.filter((h) => h.includes('/manifests/')).length;

/** Answers the first `times` manifest requests with `respond`, then lets them through. */
function failManifestTimes(times: number, respond: (res: http.ServerResponse) => void): Handler {
  let seen = 0;
  return (req, res) => {
    if (!req.url?.includes('/manifests/') || seen >= times) return false;
    seen++;
    respond(res);
    return true;
  };
}

test('a served image is read with the right Accept header and history', async () => {
  const image = makeImage();
  await withRegistry(
    image,
    () => false,
    async (reg) => {
      const source = await openRegistrySource(`${reg.host}/repo:tag`, fastRetry);
      try {
        const accept = reg.headers[reg.hits.findIndex((h) => h.includes('/manifests/'))]?.accept ?? '';
        const { ociIndex, dockerManifestList, ociManifest, dockerManifest } = MediaType;
        for (const type of [ociIndex, dockerManifestList, ociManifest, dockerManifest]) {
          assert.ok(accept.includes(type), accept);
        }
        assert.equal(source.manifestDigest, sha256(image.manifest));
        const [layer] = await source.layers();
        assert.equal(layer?.createdBy, 'ADD x /');
        assert.equal(await drain(await layer!.open()), image.layer.length);
      } finally {
        await source.close();
      }
    },
  );
});

test('429 then 200: the retry waits for Retry-After and succeeds', async () => {
  const image = makeImage();
  const fault = failManifestTimes(1, (res) => res.writeHead(429, { 'retry-after': '1' }).end());
  await withRegistry(image, fault, async (reg) => {
    const started = Date.now();
    const source = await openRegistrySource(`${reg.host}/repo:tag`, fastRetry);
    await source.close();
    assert.equal(manifestHits(reg), 2);
    assert.ok(Date.now() - started >= 900, 'Retry-After: 1 was honoured');
  });
});

test('a Retry-After beyond the cap is cut to the cap', async () => {
  const image = makeImage();
  const fault = failManifestTimes(2, (res) => res.writeHead(429, { 'retry-after': '3600' }).end());
  await withRegistry(image, fault, async (reg) => {
    const started = Date.now();
    const source = await openRegistrySource(`${reg.host}/repo:tag`, {
      ...fastRetry,
      retry: { ...fastRetry.retry, retryAfterCapMs: 30 },
    });
    await source.close();
    assert.equal(manifestHits(reg), 3);
    assert.ok(Date.now() - started < 2_000);
  });
});

test('500 forever: bounded retries, then a network error saying so', async () => {
  const image = makeImage();
  const fault = failManifestTimes(Infinity, (res) => res.writeHead(500).end());
  await withRegistry(image, fault, async (reg) => {
    const started = Date.now();
    await rejectsWith(
      openRegistrySource(`${reg.host}/repo:tag`, fastRetry),
      'network',
      new RegExp(
        `registry ${reg.host} answered 500 to GET http://${reg.host}/v2/repo/manifests/tag, 3 attempts`,
      ),
    );
    assert.equal(manifestHits(reg), 3);
    assert.ok(Date.now() - started < 2_000);
  });
});

test('a dropped connection is retried', async () => {
  const image = makeImage();
  const fault = failManifestTimes(1, (res) => res.socket?.destroy());
  await withRegistry(image, fault, async (reg) => {
    const source = await openRegistrySource(`${reg.host}/repo:tag`, fastRetry);
    await source.close();
    assert.equal(source.manifestDigest, sha256(image.manifest));
    assert.equal(manifestHits(reg), 2);
  });
});

test('a registry that is not there is a network error after the retries, not a hang', async () => {
  const reg = await fakeRegistry(makeImage());
  await reg.close();
  await rejectsWith(
    openRegistrySource(`${reg.host}/repo:tag`, fastRetry),
    'network',
    new RegExp(`cannot reach registry ${reg.host} .*after 3 attempts.*ECONNREFUSED`),
  );
});

test('a layer blob whose bytes do not match its digest fails the stream with badInput', async () => {
  const image = makeImage();
  const layerDigest = sha256(image.layer);
  image.blobs.set(layerDigest, gzipSync(Buffer.alloc(1024, 8)));
  await withRegistry(
    image,
    () => false,
    async (reg) => {
      const source = await openRegistrySource(`${reg.host}/repo:tag`, fastRetry);
      try {
        const [layer] = await source.layers();
        await rejectsWith(
          drain(await layer!.open()),
          'badInput',
          new RegExp(`repo: layer ${layerDigest} does not match its digest`),
        );
      } finally {
        await source.close();
      }
    },
  );
});

test('a config blob that does not match its digest is badInput', async () => {
  const image = makeImage();
  const configDigest = sha256(image.config);
  image.blobs.set(configDigest, Buffer.from('{"tampered":true}'));
  await withRegistry(
    image,
    () => false,
    async (reg) => {
      await rejectsWith(
        openRegistrySource(`${reg.host}/repo:tag`, fastRetry),
        'badInput',
        new RegExp(`repo: config ${configDigest} does not match its digest`),
      );
    },
  );
});

test('a manifest that does not match the digest asked for is badInput', async () => {
  const image = makeImage();
  const asked = sha256('something else');
  await withRegistry(
    image,
    () => false,
    async (reg) => {
      await rejectsWith(
        openRegistrySource(`${reg.host}/repo@${asked}`, fastRetry),
        'badInput',
        new RegExp(`repo: manifest ${asked} does not match its digest`),
      );
    },
  );
});

test('an unknown manifest media type is badInput naming it', async () => {
  const image = makeImage('application/vnd.example.unknown+json');
  await withRegistry(
    image,
    () => false,
    async (reg) => {
      await rejectsWith(
        openRegistrySource(`${reg.host}/repo:tag`, fastRetry),
        'badInput',
        /unsupported manifest media type application\/vnd\.example\.unknown\+json/,
      );
    },
  );
});

test('a blob redirected to other storage is followed without the registry credentials', async () => {
  const image = makeImage();
  const storage = await fakeRegistry(image, (req, res) => {
    res.writeHead(200).end(image.blobs.get(req.url!.slice(1)));
    return true;
  });
  const expectedAuth = `Basic ${Buffer.from('u:p').toString('base64')}`;
  const fault: Handler = (req, res) => {
    if (req.headers.authorization !== expectedAuth) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="fake"' }).end();
      return true;
    }
    const blob = /\/blobs\/(.+)$/.exec(req.url ?? '');
    if (!blob) return false;
    res.writeHead(307, { location: `http://${storage.host}/${blob[1]}` }).end();
    return true;
  };
  try {
    await withRegistry(image, fault, async (reg) => {
      const source = await openRegistrySource(`${reg.host}/repo:tag`, {
        ...fastRetry,
        username: 'u',
        password: 'p',
      });
      try {
        const [layer] = await source.layers();
        assert.equal(await drain(await layer!.open()), image.layer.length);
      } finally {
        await source.close();
      }
      assert.deepEqual(storage.hits.sort(), [`/${sha256(image.config)}`, `/${sha256(image.layer)}`].sort());
      assert.ok(storage.headers.every((h) => h.authorization === undefined));
    });
  } finally {
    await storage.close();
  }
});

/** Sends the first half of the layer blob, then drops the connection; Range requests get the rest. */
function cutLayerOnce(image: Image, honourRange: boolean): Handler {
  let cut = false;
  return (req, res) => {
    if (!req.url?.endsWith(sha256(image.layer))) return false;
    const half = Math.floor(image.layer.length / 2);
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && honourRange) {
      const from = Number(range[1]);
      res.writeHead(206, {
        'content-range': `bytes ${from}-${image.layer.length - 1}/${image.layer.length}`,
        'content-length': image.layer.length - from,
      });
      res.end(image.layer.subarray(from));
      return true;
    }
    if (cut) return false;
    cut = true;
    res.writeHead(200, { 'content-length': image.layer.length });
    res.write(image.layer.subarray(0, half), () => res.socket?.destroy());
    return true;
  };
}

test('a layer download cut off midway resumes where it stopped and still verifies', async () => {
  const image = makeImage(MediaType.dockerManifest, randomBytes(256 * 1024));
  await withRegistry(image, cutLayerOnce(image, true), async (reg) => {
    const source = await openRegistrySource(`${reg.host}/repo:tag`, fastRetry);
    try {
      const [layer] = await source.layers();
      const hash = createHash('sha256');
      for await (const chunk of await layer!.open()) hash.update(chunk as Buffer);
      assert.equal(`sha256:${hash.digest('hex')}`, sha256(image.layer));
      const ranges = reg.headers.map((h) => h.range).filter(Boolean);
      assert.deepEqual(ranges, [`bytes=${Math.floor(image.layer.length / 2)}-`]);
    } finally {
      await source.close();
    }
  });
});

test('a registry that cannot resume a cut-off download fails it with a network error', async () => {
  const image = makeImage(MediaType.dockerManifest, randomBytes(256 * 1024));
  await withRegistry(image, cutLayerOnce(image, false), async (reg) => {
    const source = await openRegistrySource(`${reg.host}/repo:tag`, fastRetry);
    try {
      const [layer] = await source.layers();
      await rejectsWith(
        drain(await layer!.open()),
        'network',
        new RegExp(
          `blob ${sha256(image.layer)} of ${reg.host}/repo failed after \\d+ bytes: .*answered 200 to a Range request`,
        ),
      );
    } finally {
      await source.close();
    }
  });
});

test('closing the source while a layer is half read does not wait for the download', async () => {
  const image = makeImage(MediaType.dockerManifest, randomBytes(256 * 1024));
  // The blob's first bytes come at once, the rest never.
  const stall: Handler = (req, res) => {
    if (!req.url?.endsWith(sha256(image.layer))) return false;
    res.writeHead(200, { 'content-length': image.layer.length });
    res.write(image.layer.subarray(0, 1024));
    return true;
  };
  await withRegistry(image, stall, async (reg) => {
    const source = await openRegistrySource(`${reg.host}/repo:tag`, fastRetry);
    const [layer] = await source.layers();
    const stream = await layer!.open();
    await new Promise((resolve) => stream.once('data', resolve));
    const failed = new Promise<unknown>((resolve) => stream.once('error', resolve));
    const started = Date.now();
    await source.close();
    assert.ok(Date.now() - started < 1_000, `close took ${Date.now() - started}ms`);
    // The abandoned stream ends with an error rather than looking complete.
    const err = await failed;
    assert.ok(isBosunError(err) && err.kind === 'network', String(err));
  });
});
