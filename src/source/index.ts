import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { BosunError, errorMessage, isBosunError, type ErrorKind } from '../core/errors.js';
import type { ImageSource } from '../core/image.js';
import { decompress, detectCompression } from '../layer/decompress.js';
import { openDaemonSource } from './daemon.js';
import { openDockerArchive } from './docker-archive.js';
import { DirFiles, TarFiles, type ImageFiles } from './image-files.js';
import { openOciLayout } from './oci-layout.js';
import { parsePlatform } from './platform.js';
import { openRootfsSource } from './rootfs.js';
import type { ImageSelector } from './select.js';
import { SpillLimitError, spillToTempFile } from './spill.js';

export { openRootfsSource } from './rootfs.js';
export { parsePlatform, formatPlatform, platformMatches } from './platform.js';

export interface SourceOptions {
  /** `os/arch[/variant]`; picks one image of a multi-platform index (default: the host's). */
  platform?: string;
  /** Where to look for an image reference, in order (default: daemon, then registry). */
  imageSrc?: ('daemon' | 'registry')[];
  insecure?: boolean;
  caFile?: string;
  username?: string;
  password?: string;
  dockerConfig?: string;
  dockerHost?: string;
  /** Where archives that cannot be read in place (compressed, daemon exports) are spilled; default the OS temp dir. */
  tmpDir?: string;
  /**
   * The most bytes a compressed archive may decompress to (default: 100 times its size, and at
   * least 1 GiB). A decompression bomb stops there instead of filling the temp dir.
   */
  maxArchiveBytes?: number;
}

const MAX_ARCHIVE_RATIO = 100;
const MIN_ARCHIVE_LIMIT = 1 << 30;

/**
 * Opens an image. With `input`, `target` is a path: a docker-archive or OCI archive (a tar, plain,
 * gzip or zstd), an OCI layout directory or a root filesystem directory, told apart by content.
 * `PATH:TAG` selects an image inside an archive or layout that holds several (the OCI
 * `org.opencontainers.image.ref.name` annotation or a docker-archive's RepoTags), as in skopeo's
 * `oci:PATH:TAG`; the split is only made when PATH exists and the whole does not.
 * Without `input`, `target` is an image reference, tried in the daemon and then the registry.
 */
export async function openImageSource(
  target: string,
  opts: SourceOptions & { input?: boolean },
): Promise<ImageSource> {
  const platform = opts.platform === undefined ? undefined : parsePlatform(opts.platform);
  if (opts.input) {
    const { file, tag } = await splitTag(target);
    const selector = { ...(tag === undefined ? {} : { tag }), ...(platform ? { platform } : {}) };
    // The name is what the user typed, `PATH:TAG` included.
    return { ...(await openPath(file, selector, target, opts)), name: target };
  }
  const order = opts.imageSrc ?? ['daemon', 'registry'];
  const unknown = order.find((src) => src !== 'daemon' && src !== 'registry');
  if (order.length === 0 || unknown !== undefined) {
    throw new BosunError('usage', `--image-src: expected daemon and/or registry, got "${order.join(',')}"`, {
      subject: '--image-src',
    });
  }
  const failures: { src: string; err: BosunError }[] = [];
  for (const src of order) {
    try {
      if (src === 'daemon') {
        return await openDaemonSource(target, {
          ...(opts.dockerHost ? { dockerHost: opts.dockerHost } : {}),
          ...(platform ? { platform } : {}),
          ...(opts.tmpDir ? { tmpDir: opts.tmpDir } : {}),
        });
      }
      // Loaded on demand: the registry client (HTTP, auth) is only needed for remote images.
      const { openRegistrySource } = await import('./registry/index.js');
      return await openRegistrySource(target, opts);
    } catch (err) {
      if (!isBosunError(err)) throw err;
      failures.push({ src, err });
    }
  }
  if (failures.length === 1) throw failures[0]!.err;
  // A definite answer (no such image, bad credentials) says more than "could not connect".
  const kind: ErrorKind = failures.find((f) => f.err.kind !== 'network')?.err.kind ?? 'network';
  throw new BosunError(
    kind,
    `${target}: could not open the image:\n${failures.map((f) => `  ${f.src}: ${f.err.message}`).join('\n')}`,
    { subject: target, cause: failures.map((f) => f.err) },
  );
}

/** `PATH:TAG` → the shortest existing PATH, since tags such as `repo/name:tag` contain `:` too. */
async function splitTag(target: string): Promise<{ file: string; tag?: string }> {
  if (await exists(target)) return { file: target };
  for (let i = target.indexOf(':'); i > 0; i = target.indexOf(':', i + 1)) {
    const file = target.slice(0, i);
    if (await exists(file)) return { file, tag: target.slice(i + 1) };
  }
  return { file: target };
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function openPath(
  file: string,
  selector: ImageSelector,
  target: string,
  opts: SourceOptions,
): Promise<ImageSource> {
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new BosunError('notFound', `${target}: no such file or directory`, { subject: target });
  }
  if (info.isDirectory()) {
    const files = new DirFiles(file, file);
    if (await files.has('manifest.json')) return openDockerArchive(files, selector);
    // Unlike in an archive, `oci-layout` is required: a root filesystem may well hold an index.json.
    if ((await files.has('oci-layout')) && (await files.has('index.json'))) {
      return openOciLayout(files, selector, 'oci-layout');
    }
    if (selector.tag !== undefined) {
      throw new BosunError('usage', `${target}: a root filesystem directory has no tags`, {
        subject: target,
      });
    }
    return openRootfsSource(file);
  }
  const files = await openArchive(file, opts);
  try {
    if (await files.has('manifest.json')) return await openDockerArchive(files, selector);
    if (await files.has('index.json')) return await openOciLayout(files, selector, 'oci-archive');
    throw new BosunError(
      'badInput',
      `${file}: not an image archive: it has neither manifest.json (docker-archive) nor index.json (OCI layout)`,
      { subject: file },
    );
  } catch (err) {
    await files.close();
    throw err;
  }
}

/**
 * A tar read in place, or a gzip- or zstd-compressed tar decompressed once into a private temp file
 * (a compressed stream cannot be read at random) that close() removes.
 */
async function openArchive(file: string, opts: SourceOptions): Promise<ImageFiles> {
  const compression = detectCompression(await readMagic(file));
  if (compression === 'none') return TarFiles.open(file, file);
  const maxBytes =
    opts.maxArchiveBytes ?? Math.max(MIN_ARCHIVE_LIMIT, MAX_ARCHIVE_RATIO * (await stat(file)).size);
  const uncompressed = async () => (await decompress(createReadStream(file), () => {})).chunks;
  const spilled = await spillToTempFile(uncompressed, opts.tmpDir, maxBytes).catch((err: unknown) => {
    const message =
      err instanceof SpillLimitError
        ? `decompresses to more than ${maxBytes} bytes; refusing it as a likely decompression bomb`
        : `corrupt ${compression} data: ${errorMessage(err)}`;
    throw new BosunError('badInput', `${file}: ${message}`, { subject: file, cause: err });
  });
  return TarFiles.open(spilled.path, file, spilled.remove).catch(async (err: unknown) => {
    await spilled.remove();
    throw err;
  });
}

async function readMagic(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buf, 0, 4, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
