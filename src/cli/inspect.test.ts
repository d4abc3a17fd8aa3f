// End to end: `bosun inspect` as a process, checked against skopeo, umoci and GNU tar.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fixtureImages, fixtureTestOptions } from '../../test/helpers/fixture-images.js';
import { repoRoot, sharedFixtures } from '../../test/helpers/paths.js';
import type { Inspection } from './inspect.js';
import { maskEnv } from './inspect.js';

const images = path.join(sharedFixtures, 'images');

/** Runs the CLI as a process; async so that the (slow to start) runs overlap. */
function bosun(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin.ts', ...args],
      { cwd: repoRoot, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

/** History and per-layer digests and sizes as `umoci stat` reports them for the same image. */
function assertMatchesUmociStat(result: Inspection, image: string): void {
  const stat = JSON.parse(
    execFileSync('umoci', ['stat', '--image', image, '--json'], { encoding: 'utf8' }),
  ) as {
    history: { created_by?: string; empty_layer?: boolean; layer: { digest: string; size: number } | null }[];
  };
  assert.deepEqual(
    result.history.map((h) => [h.createdBy, h.emptyLayer]),
    stat.history.map((h) => [h.created_by, h.empty_layer === true]),
  );
  const statLayers = stat.history.flatMap((h) => (h.layer ? [h.layer] : []));
  assert.deepEqual(
    result.layers.map((l) => [l.digest, l.compressedSize]),
    statLayers.map((l) => [l.digest, l.size]),
  );
}

async function inspect(target: string): Promise<Inspection> {
  const run = await bosun('inspect', '--input', target, '--format', 'json');
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Inspection;
}

const transports: Record<string, string> = {
  'docker-archive': 'docker-archive',
  'oci-archive': 'oci-archive',
  'oci-layout': 'oci',
};

function skopeo(...args: string[]): string {
  return execFileSync('skopeo', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
}

/** GNU tar's listing of a layer blob (it detects gzip and zstd itself). */
function tarCounts(blob: string): { fileCount: number; whiteoutCount: number } {
  const names = execFileSync('tar', ['-tf', blob], { encoding: 'utf8', maxBuffer: 1 << 26 })
    .split('\n')
    .map((n) => n.replace(/^\.?\/+/, '').replace(/\/$/, ''))
    .filter((n) => n !== '' && n !== '.');
  const whiteoutCount = names.filter((n) => path.posix.basename(n).startsWith('.wh.')).length;
  return { fileCount: names.length - whiteoutCount, whiteoutCount };
}

function uncompressedLength(blob: string): number {
  const data = readFileSync(blob);
  if (data[0] === 0x1f && data[1] === 0x8b) return gunzipSync(data).length;
  if (data.readUInt32LE(0) === 0xfd2fb528)
    return execFileSync('zstd', ['-dc', blob], { maxBuffer: 1 << 28 }).length;
  return data.length;
}

describe('bosun inspect', { concurrency: true }, () => {
  for (const fixture of [
    'dive-test-docker-image.tar',
    'dive-test-oci-zstd-image.tar',
    'dive-test-oci-gzip-image.tar',
    'snyk-oci-busybox-1.31.1.tar',
  ]) {
    test(`inspect ${fixture} agrees with skopeo and GNU tar`, async () => {
      const file = path.join(images, fixture);
      const result = await inspect(file);
      const ref = `${transports[result.kind]}:${file}`;
      const config = JSON.parse(skopeo('inspect', '--config', ref)) as {
        os: string;
        architecture: string;
        config?: { Env?: string[]; Cmd?: string[] };
        rootfs: { diff_ids: string[] };
        history?: { created_by?: string }[];
      };
      assert.equal(result.platform, `${config.os}/${config.architecture}`);
      assert.deepEqual(
        result.layers.map((l) => l.diffId),
        config.rootfs.diff_ids,
      );
      assert.deepEqual(
        result.history.map((h) => h.createdBy),
        (config.history ?? []).map((h) => h.created_by),
      );
      assert.deepEqual(result.config.env, config.config?.Env ?? []);
      assert.deepEqual(result.config.cmd, config.config?.Cmd);
      if (result.kind !== 'docker-archive') {
        assert.equal(
          result.manifestDigest,
          (JSON.parse(skopeo('inspect', ref)) as { Digest: string }).Digest,
        );
      }

      const dir = mkdtempSync(path.join(tmpdir(), 'inspect-test-'));
      try {
        skopeo('copy', '-q', ref, `dir:${dir}/image`);
        for (const layer of result.layers) {
          const blob = path.join(dir, 'image', (layer.digest ?? layer.diffId).replace(/^sha256:/, ''));
          assert.deepEqual(
            { fileCount: layer.fileCount, whiteoutCount: layer.whiteoutCount },
            tarCounts(blob),
            `layer ${layer.index}`,
          );
          assert.equal(layer.compressedSize, statSync(blob).size);
          assert.equal(layer.uncompressedSize, uncompressedLength(blob));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('inspect an OCI layout changed by umoci: env secrets masked, ports, volumes, labels, empty history', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inspect-test-'));
    try {
      const layout = path.join(dir, 'layout');
      skopeo(
        'copy',
        '-q',
        `oci-archive:${path.join(images, 'dive-test-oci-gzip-image.tar')}`,
        `oci:${layout}:base`,
      );
      execFileSync('umoci', [
        'config',
        '--image',
        `${layout}:base`,
        '--tag',
        'app',
        '--config.env',
        'DB_PASSWORD=hunter2',
        '--config.env',
        'GITHUB_TOKEN=ghp_x',
        '--config.env',
        'LANG=C.UTF-8',
        '--config.user',
        '1000:1000',
        '--config.exposedports',
        '8080/tcp',
        '--config.volume',
        '/data',
        '--config.label',
        'org.opencontainers.image.source=https://example.org/app',
      ]);
      const result = await inspect(`${layout}:app`);
      assert.equal(result.kind, 'oci-layout');
      assert.deepEqual(result.config.env, [
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'DB_PASSWORD=***',
        'GITHUB_TOKEN=***',
        'LANG=C.UTF-8',
      ]);
      assert.equal(result.config.user, '1000:1000');
      assert.deepEqual(result.config.exposedPorts, ['8080/tcp']);
      assert.deepEqual(result.config.volumes, ['/data']);
      assert.deepEqual(result.config.labels, {
        'org.opencontainers.image.source': 'https://example.org/app',
      });
      assertMatchesUmociStat(result, `${layout}:app`);
      assert.equal(
        result.manifestDigest,
        (JSON.parse(skopeo('inspect', `oci:${layout}:app`)) as { Digest: string }).Digest,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(
    'inspect the Debian fixture: config as skopeo sees it, history as umoci stat, counts as GNU tar',
    fixtureTestOptions(),
    async () => {
      const { images: built } = await fixtureImages();
      const debian = built.debian;
      const target = `${debian.ociLayout}:${debian.ociTag}`;
      // OCI configs have no healthcheck (buildah keeps it in the Docker format only): read both.
      const [result, fromDocker] = await Promise.all([inspect(target), inspect(debian.dockerArchive)]);
      const config = JSON.parse(skopeo('inspect', '--config', `oci:${target}`)) as {
        config: {
          User: string;
          Env: string[];
          ExposedPorts: Record<string, object>;
          Labels: Record<string, string>;
          Cmd: string[];
          Healthcheck?: { Test: string[] };
        };
      };
      assert.equal(result.config.user, config.config.User);
      assert.deepEqual(result.config.env, config.config.Env.map(maskEnv));
      assert.deepEqual(result.config.exposedPorts, Object.keys(config.config.ExposedPorts));
      assert.deepEqual(result.config.labels, config.config.Labels);
      assert.deepEqual(result.config.cmd, config.config.Cmd);
      assert.deepEqual(result.config.healthcheck?.Test, config.config.Healthcheck?.Test);
      assert.deepEqual(fromDocker.config.healthcheck?.Test, debian.config.healthcheck);
      assert.deepEqual(
        fromDocker.layers.map((l) => [l.diffId, l.fileCount, l.whiteoutCount]),
        result.layers.map((l) => [l.diffId, l.fileCount, l.whiteoutCount]),
      );
      assert.equal(
        result.manifestDigest,
        (JSON.parse(skopeo('inspect', `oci:${target}`)) as { Digest: string }).Digest,
      );

      assertMatchesUmociStat(result, target);
      assert.equal(result.layers.length, debian.layerCount);
      for (const layer of result.layers) {
        const blob = path.join(debian.ociLayout, 'blobs', ...layer.digest!.split(':'));
        assert.deepEqual(
          { fileCount: layer.fileCount, whiteoutCount: layer.whiteoutCount },
          tarCounts(blob),
          `layer ${layer.index}`,
        );
        assert.equal(layer.uncompressedSize, uncompressedLength(blob));
      }
      assert.ok(result.layers[2]!.whiteoutCount > 0 && result.layers[3]!.whiteoutCount > 0);
    },
  );

  test('inspect table output lists every layer with its counts', async () => {
    const run = await bosun('inspect', '--input', path.join(images, 'dive-test-docker-image.tar'));
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '', 'no progress when stderr is not a terminal');
    const rows = run.stdout.split('\n').filter((l) => /^ {2}\d+ /.test(l));
    assert.equal(rows.length, 14);
    assert.match(rows[0]!, /sha256:23bc2b70b201 .* 415 +0 /);
  });

  test('inspect exit codes: missing file 3, truncated archive 4, unknown format 2', async () => {
    const missing = await bosun('inspect', '--input', '/nonexistent/image.tar', '--format', 'json');
    assert.equal(missing.status, 3, missing.stderr);
    assert.match(missing.stderr, /nonexistent\/image\.tar/);
    assert.equal(missing.stdout, '');

    const dir = mkdtempSync(path.join(tmpdir(), 'inspect-test-'));
    try {
      const cut = path.join(dir, 'cut.tar');
      copyFileSync(path.join(images, 'dive-test-docker-image.tar'), cut);
      truncateSync(cut, Math.floor(statSync(cut).size * 0.6));
      const truncated = await bosun('inspect', '--input', cut, '--format', 'json');
      assert.equal(truncated.status, 4, truncated.stderr);
      assert.match(truncated.stderr, /cut\.tar|sha256:/);

      // A layer blob cut short inside an OCI layout whose index still names it.
      const layout = path.join(dir, 'layout');
      skopeo(
        'copy',
        '-q',
        `oci-archive:${path.join(images, 'dive-test-oci-gzip-image.tar')}`,
        `oci:${layout}:t`,
      );
      const blob = path.join(
        layout,
        'blobs',
        'sha256',
        '9aef42427209c9a180c61bb36b0b09681cbe3d3ff6409408bde0eb17ec1ba0cc',
      );
      truncateSync(blob, 1000);
      const badLayer = await bosun('inspect', '--input', `${layout}:t`, '--format', 'json');
      assert.equal(badLayer.status, 4, badLayer.stderr);
      assert.match(badLayer.stderr, /9aef42427209/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const format = await bosun(
      'inspect',
      '--input',
      path.join(images, 'dive-test-oci-gzip-image.tar'),
      '--format',
      'xml',
    );
    assert.equal(format.status, 2);
    assert.match(format.stderr, /--format/);
  });

  test('maskEnv hides values of credential-looking names only', async () => {
    assert.equal(maskEnv('AWS_SECRET_ACCESS_KEY=abc'), 'AWS_SECRET_ACCESS_KEY=***');
    assert.equal(maskEnv('npm_config_authToken=x'), 'npm_config_authToken=***');
    assert.equal(maskEnv('PGPASSWORD=x'), 'PGPASSWORD=***');
    assert.equal(maskEnv('PATH=/usr/bin'), 'PATH=/usr/bin');
    assert.equal(maskEnv('HOME=/root'), 'HOME=/root');
    assert.equal(maskEnv('NOVALUE'), 'NOVALUE');
  });
});
