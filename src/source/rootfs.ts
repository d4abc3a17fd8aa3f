import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { BosunError } from '../core/errors.js';
import type { ImageConfig, ImageSource, LayerRef } from '../core/image.js';

type EntryHeader = Parameters<tar.Pack['entry']>[0];

/**
 * A root filesystem directory as an image of one pseudo-layer. The walker reads `directory` in
 * place; open() also offers the tree as a tar stream, for consumers that only read tars.
 * The diffId is `sha256:` + sha256 of the absolute path: a directory has no content digest, and
 * this keeps cache keys stable per directory without reading it (the cache must not trust it
 * across changes of the directory's content).
 */
export async function openRootfsSource(dir: string): Promise<ImageSource> {
  const root = path.resolve(dir);
  let info;
  try {
    info = await stat(root);
  } catch {
    throw new BosunError('notFound', `${dir}: no such directory`, { subject: dir });
  }
  if (!info.isDirectory()) throw new BosunError('badInput', `${dir}: not a directory`, { subject: dir });

  const diffId = `sha256:${createHash('sha256').update(root).digest('hex')}`;
  const layer: LayerRef = { diffId, directory: root, open: async () => packDirectory(root) };
  const config: ImageConfig = { os: 'linux', rootfs: { type: 'layers', diff_ids: [diffId] } };
  return {
    name: dir,
    kind: 'rootfs',
    config: async () => config,
    layers: async () => [layer],
    close: async () => {},
  };
}

/** Streams a directory tree as a tar, in sorted order; sockets, FIFOs and devices are left out. */
function packDirectory(root: string): Readable {
  const pack = tar.pack();
  const add = async (rel: string): Promise<void> => {
    const full = path.join(root, rel);
    const names = (await readdir(full)).sort();
    for (const name of names) {
      const childRel = rel ? `${rel}/${name}` : name;
      const childFull = path.join(root, childRel);
      const s = await lstat(childFull);
      const common = { name: childRel, mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, mtime: s.mtime };
      if (s.isDirectory()) {
        await entry(pack, { ...common, type: 'directory' });
        await add(childRel);
      } else if (s.isSymbolicLink()) {
        await entry(pack, { ...common, type: 'symlink', linkname: await readlink(childFull) });
      } else if (s.isFile()) {
        await fileEntry(pack, { ...common, type: 'file', size: s.size }, childFull);
      }
    }
  };
  add('').then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err instanceof Error ? err : new Error(String(err))),
  );
  // tar-stream's streams are streamx ones; consumers get a Node stream.
  return Readable.from(pack);
}

function entry(pack: tar.Pack, header: EntryHeader): Promise<void> {
  return new Promise((resolve, reject) => pack.entry(header, (err) => (err ? reject(err) : resolve())));
}

/** Copies exactly the size lstat() saw, so that a file growing meanwhile cannot corrupt the tar. */
async function fileEntry(
  pack: tar.Pack,
  header: EntryHeader & { size: number },
  file: string,
): Promise<void> {
  if (header.size === 0) {
    // A file entry without a buffer waits for end(); an empty buffer ends it.
    return new Promise((resolve, reject) =>
      pack.entry(header, Buffer.alloc(0), (err) => (err ? reject(err) : resolve())),
    );
  }
  let settle!: (err?: Error | null) => void;
  const done = new Promise<void>((resolve, reject) => {
    settle = (err) => (err ? reject(err) : resolve());
  });
  const sink = pack.entry(header, settle);
  for await (const chunk of createReadStream(file, { start: 0, end: header.size - 1 })) {
    if (!sink.write(chunk)) await new Promise<void>((resolve) => sink.once('drain', () => resolve()));
  }
  sink.end(undefined);
  await done;
}
