import { createReadStream } from 'node:fs';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BosunError } from '../core/errors.js';
import { indexTar, normalizeMemberName, type TarEntry } from './tar-index.js';

/**
 * Blobs are read in 1 MiB chunks rather than node's 64 KiB: every chunk costs a digest update,
 * a decompressor call and short-lived objects, and reading the multi-ecosystem fixture's layers
 * measured 16 % faster (fewer garbage collections).
 */
const BLOB_READ_CHUNK = 1 << 20;

/**
 * The files of an image as a docker-archive or OCI layout holds them, whether they sit in a tar
 * or in a directory. Names are relative (`manifest.json`, `blobs/sha256/<hex>`).
 */
export interface ImageFiles {
  /** The path the user gave, for messages. */
  readonly label: string;
  has(name: string): Promise<boolean>;
  size(name: string): Promise<number>;
  /** Reads a small file (a manifest, index or config) whole. */
  read(name: string): Promise<Buffer>;
  /** A fresh stream of the file's bytes; may be called any number of times. */
  open(name: string): Promise<Readable>;
  close(): Promise<void>;
}

// Manifests, indexes and configs are small; a bigger one is a sign of a broken or hostile input.
const MAX_METADATA_BYTES = 64 * 1024 * 1024;
const MAX_LINK_HOPS = 16;

/** A plain tar file read in place: one pass over its headers, then positioned reads per member. */
export class TarFiles implements ImageFiles {
  private closing: Promise<void> | undefined;

  private constructor(
    readonly label: string,
    private readonly file: string,
    private readonly handle: FileHandle,
    private readonly entries: Map<string, TarEntry>,
    private readonly onClose: () => Promise<void>,
  ) {}

  /** `file` is the tar on disk (maybe a spilled copy); `label` names what the user gave. */
  static async open(
    file: string,
    label: string,
    onClose: () => Promise<void> = async () => {},
  ): Promise<TarFiles> {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const entries = await indexTar(handle, size, label);
      return new TarFiles(label, file, handle, entries, onClose);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  get names(): string[] {
    return [...this.entries.keys()];
  }

  async has(name: string): Promise<boolean> {
    return this.resolve(name, false) !== undefined;
  }

  async size(name: string): Promise<number> {
    return this.entry(name).size;
  }

  async read(name: string): Promise<Buffer> {
    const entry = this.entry(name);
    if (entry.size > MAX_METADATA_BYTES) throw tooBig(this.label, name);
    const buf = Buffer.alloc(entry.size);
    let done = 0;
    while (done < entry.size) {
      const { bytesRead } = await this.handle.read(buf, done, entry.size - done, entry.offset + done);
      if (bytesRead === 0) throw new BosunError('badInput', `${this.label}: ${name} is truncated`);
      done += bytesRead;
    }
    return buf;
  }

  async open(name: string): Promise<Readable> {
    const entry = this.entry(name);
    if (entry.size === 0) return Readable.from([]);
    return createReadStream(this.file, {
      start: entry.offset,
      end: entry.offset + entry.size - 1,
      highWaterMark: BLOB_READ_CHUNK,
    });
  }

  /** Idempotent: a source may be closed by its user and again by a cleanup path. */
  close(): Promise<void> {
    this.closing ??= this.handle.close().then(this.onClose);
    return this.closing;
  }

  private entry(name: string): TarEntry {
    const entry = this.resolve(name, true);
    if (!entry) throw missing(this.label, name);
    return entry;
  }

  /** Follows symlinks and hard links inside the archive (skopeo links `<id>/layer.tar` to `<id>.tar`). */
  private resolve(name: string, strict: boolean): TarEntry | undefined {
    let current = normalizeMemberName(name);
    for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
      const entry = this.entries.get(current);
      if (!entry) return undefined;
      if (entry.type === 'file') return entry;
      if ((entry.type !== 'symlink' && entry.type !== 'hardlink') || !entry.linkname) {
        if (strict) throw new BosunError('badInput', `${this.label}: ${name} is not a regular file`);
        return undefined;
      }
      current =
        entry.type === 'hardlink'
          ? normalizeMemberName(entry.linkname)
          : normalizeMemberName(path.posix.join(path.posix.dirname(current), entry.linkname));
    }
    if (strict) throw new BosunError('badInput', `${this.label}: too many links resolving ${name}`);
    return undefined;
  }
}

/** An OCI layout or extracted docker-archive directory. */
export class DirFiles implements ImageFiles {
  constructor(
    readonly label: string,
    private readonly dir: string,
  ) {}

  async has(name: string): Promise<boolean> {
    try {
      return (await stat(this.path(name))).isFile();
    } catch {
      return false;
    }
  }

  async size(name: string): Promise<number> {
    return (await this.stat(name)).size;
  }

  async read(name: string): Promise<Buffer> {
    if ((await this.stat(name)).size > MAX_METADATA_BYTES) throw tooBig(this.label, name);
    return readFile(this.path(name));
  }

  async open(name: string): Promise<Readable> {
    await this.stat(name);
    return createReadStream(this.path(name), { highWaterMark: BLOB_READ_CHUNK });
  }

  async close(): Promise<void> {}

  private async stat(name: string) {
    try {
      const s = await stat(this.path(name));
      if (s.isFile()) return s;
    } catch {
      // reported below
    }
    throw missing(this.label, name);
  }

  /** Names come from manifests, which an attacker may write: keep them inside the directory. */
  private path(name: string): string {
    const normalized = path.posix.normalize(normalizeMemberName(name));
    if (normalized.startsWith('../') || normalized === '..' || path.isAbsolute(normalized)) {
      throw new BosunError('badInput', `${this.label}: ${name} points outside the image directory`);
    }
    return path.join(this.dir, normalized);
  }
}

function missing(label: string, name: string): BosunError {
  return new BosunError('badInput', `${label}: ${name} is referenced but missing`, { subject: label });
}

function tooBig(label: string, name: string): BosunError {
  return new BosunError('badInput', `${label}: ${name} is too large for image metadata`, { subject: label });
}

/** Reads and parses a JSON file of the image. */
export async function readJson(files: ImageFiles, name: string): Promise<unknown> {
  return parseJson(await files.read(name), files.label, name);
}

/** A syntax error in image metadata is the input's fault, reported with the file it came from. */
export function parseJson(buf: Buffer, label: string, name: string): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new BosunError('badInput', `${label}: ${name} is not valid JSON`, { subject: label, cause: err });
  }
}
