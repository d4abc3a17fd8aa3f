import http from 'node:http';
import { BosunError, errorMessage } from '../core/errors.js';
import type { ImageSource, Platform } from '../core/image.js';
import { openDockerArchive } from './docker-archive.js';
import { TarFiles } from './image-files.js';
import { formatPlatform, platformMatches } from './platform.js';
import { configPlatform } from './select.js';
import { spillToTempFile } from './spill.js';

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';
// The export can be slow to start on a busy daemon; a socket that stays silent this long is stuck.
const IDLE_TIMEOUT_MS = 120_000;

export interface DaemonOptions {
  /** `unix:///path`; default $DOCKER_HOST, then /var/run/docker.sock. */
  dockerHost?: string;
  platform?: Platform;
  /** Where the exported archive is spilled while it is read; default the OS temp dir. */
  tmpDir?: string;
}

interface ImageInspect {
  Id?: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Os?: string;
  Architecture?: string;
  Variant?: string;
}

/**
 * Reads an image from the Docker Engine API (Docker, or Podman's compatible service): inspect,
 * then `docker save` as a stream. The export cannot be read at random, so it is spilled once to a
 * private temp file that close() removes.
 */
export async function openDaemonSource(ref: string, opts: DaemonOptions = {}): Promise<ImageSource> {
  const host = opts.dockerHost ?? process.env.DOCKER_HOST ?? DEFAULT_DOCKER_HOST;
  if (!host.startsWith('unix://')) {
    throw new BosunError('usage', `DOCKER_HOST "${host}": only unix:// sockets are supported`, {
      subject: 'DOCKER_HOST',
    });
  }
  const socketPath = host.slice('unix://'.length);
  const imagePath = `/images/${ref.split('/').map(encodeURIComponent).join('/')}`;

  const inspectRes = await request(socketPath, `${imagePath}/json`, host, ref);
  const inspect = parseInspect(await readAll(inspectRes), host);
  const platform = configPlatform({
    os: inspect.Os,
    architecture: inspect.Architecture,
    variant: inspect.Variant,
  });
  if (opts.platform && platform && !platformMatches(opts.platform, platform)) {
    throw new BosunError(
      'notFound',
      `${ref}: the daemon's image is ${formatPlatform(platform)}, not ${formatPlatform(opts.platform)}`,
      { subject: ref },
    );
  }

  const exportRes = await request(socketPath, `${imagePath}/get`, host, ref);
  const spilled = await spillToTempFile(exportRes, opts.tmpDir).catch((err: unknown) => {
    throw new BosunError('network', `${ref}: the image export from ${host} broke off: ${errorMessage(err)}`, {
      subject: ref,
      cause: err,
    });
  });
  let files: TarFiles | undefined;
  try {
    files = await TarFiles.open(spilled.path, `${ref} (exported from ${host})`, spilled.remove);
    const source = await openDockerArchive(files, {}, 'daemon');
    return {
      ...source,
      name: ref,
      ...(inspect.RepoTags?.length ? { repoTags: inspect.RepoTags } : {}),
      ...(inspect.RepoDigests?.length ? { repoDigests: inspect.RepoDigests } : {}),
    };
  } catch (err) {
    await (files ? files.close() : spilled.remove());
    throw err;
  }
}

/** GET over the socket; 2xx resolves with the response stream, anything else is a BosunError. */
function request(
  socketPath: string,
  urlPath: string,
  host: string,
  ref: string,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path: urlPath, headers: { Host: 'docker' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        resolve(res);
        return;
      }
      readAll(res).then(
        (body) => {
          const detail = daemonMessage(body);
          reject(
            status === 404
              ? new BosunError('notFound', `${ref}: no such image in the daemon at ${host} (${detail})`, {
                  subject: ref,
                })
              : new BosunError('network', `the daemon at ${host} answered ${status}: ${detail}`, {
                  subject: host,
                }),
          );
        },
        (err: unknown) => reject(err),
      );
    });
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(new Error(`no answer for ${IDLE_TIMEOUT_MS / 1000}s`)));
    req.on('error', (err) =>
      reject(
        new BosunError('network', `cannot reach the Docker daemon at ${host}: ${errorMessage(err)}`, {
          subject: host,
          cause: err,
        }),
      ),
    );
  });
}

function parseInspect(body: Buffer, host: string): ImageInspect {
  try {
    return JSON.parse(body.toString('utf8')) as ImageInspect;
  } catch (err) {
    throw new BosunError('network', `the daemon at ${host} sent an unreadable image inspect`, {
      subject: host,
      cause: err,
    });
  }
}

function daemonMessage(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { message?: string };
    if (parsed.message) return parsed.message;
  } catch {
    // not JSON: show the text
  }
  return body.toString('utf8').trim().slice(0, 500);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
