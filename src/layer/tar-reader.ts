/**
 * A synchronous, push-driven tar parser (ustar, GNU long names, pax). The walker skips the content
 * of almost every entry, and a general-purpose extractor (tar-stream) costs as much again as gunzip
 * itself by creating a stream per entry: this parser skips unwanted bytes by arithmetic and hands
 * wanted content over as slices of the input chunks, without copying.
 */

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarHeader {
  /** The raw entry name, after GNU long-name and pax overrides; not normalised. */
  name: string;
  type: TarEntryType;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  linkname: string;
}

/** Receives one entry's content, chunk by chunk; end() once the last byte arrived. */
export interface ContentSink {
  write(chunk: Buffer): void;
  end(): void;
}

/** Called for every entry; return a sink to receive its content, or undefined to skip it. */
export type EntryHandler = (header: TarHeader) => ContentSink | undefined;

export class TarFormatError extends Error {}

const BLOCK = 512;
/** Long names and pax records larger than this are not real headers: refuse them. */
const MAX_META_SIZE = 1 << 20;

export class TarReader {
  /** Bytes consumed so far: the uncompressed layer size once done. */
  offset = 0;
  private readonly headerBuf = Buffer.alloc(BLOCK);
  private headerFill = 0;
  /** Content bytes left in the current entry, then its padding to the block boundary. */
  private remaining = 0;
  private padding = 0;
  private sink: ContentSink | undefined;
  /** Set while reading the content of a long-name or pax entry. */
  private meta: { type: string; chunks: Buffer[] } | undefined;
  private longName: string | undefined;
  private longLink: string | undefined;
  private pax: Record<string, string> | undefined;
  private paxGlobal: Record<string, string> | undefined;
  private done = false;

  constructor(private readonly onEntry: EntryHandler) {}

  /** The sink still receiving content, if an entry is cut by the end of the last chunk. */
  get currentSink(): ContentSink | undefined {
    return this.sink;
  }

  push(chunk: Buffer): void {
    const length = chunk.length;
    let off = 0;
    while (off < length && !this.done) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, length - off);
        if (this.sink) this.sink.write(chunk.subarray(off, off + n));
        else if (this.meta) this.meta.chunks.push(chunk.subarray(off, off + n));
        this.remaining -= n;
        off += n;
        if (this.remaining === 0) this.finishContent();
      } else if (this.padding > 0) {
        const n = Math.min(this.padding, length - off);
        this.padding -= n;
        off += n;
      } else if (this.headerFill === 0 && length - off >= BLOCK) {
        // The common case: the whole header is inside this chunk.
        this.header(chunk.subarray(off, off + BLOCK));
        off += BLOCK;
      } else {
        const n = Math.min(BLOCK - this.headerFill, length - off);
        chunk.copy(this.headerBuf, this.headerFill, off, off + n);
        this.headerFill += n;
        off += n;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.header(this.headerBuf);
        }
      }
    }
    this.offset += length;
  }

  /** Call at the end of input: throws if the archive stopped in the middle. */
  end(): void {
    if (this.done) return;
    if (this.remaining > 0 || this.headerFill > 0) {
      throw new TarFormatError(`unexpected end of data at byte ${this.offset} (truncated tar)`);
    }
    if (this.offset === 0) return; // an empty stream is an empty layer
    throw new TarFormatError(`no end-of-archive marker after byte ${this.offset} (truncated tar)`);
  }

  private header(block: Buffer): void {
    if (isZeroBlock(block)) {
      // The end-of-archive marker; whatever follows is padding.
      this.done = true;
      return;
    }
    verifyChecksum(block, this.offset);
    const typeflag = block[156] ?? 0;
    let size = readNumber(block, 124, 12);
    const typeChar = String.fromCharCode(typeflag);
    if (typeChar === 'L' || typeChar === 'K' || typeChar === 'x' || typeChar === 'g') {
      if (size > MAX_META_SIZE)
        throw new TarFormatError(`tar ${typeChar} header of ${size} bytes is too large`);
      this.meta = { type: typeChar, chunks: [] };
      this.startContent(size);
      return;
    }

    let name = readString(block, 0, 100);
    // POSIX ustar ("ustar\0") splits long names into prefix + name; GNU ("ustar  ") has no prefix.
    if (block[257] === 0x75 && block[262] === 0 && block[345] !== 0) {
      name = `${readString(block, 345, 155)}/${name}`;
    }
    let linkname = readString(block, 157, 100);
    let uid = readNumber(block, 108, 8);
    let gid = readNumber(block, 116, 8);
    if (this.longName !== undefined) name = this.longName;
    if (this.longLink !== undefined) linkname = this.longLink;
    const pax = this.pax ?? this.paxGlobal;
    if (pax) {
      if (pax.path !== undefined) name = pax.path;
      if (pax.linkpath !== undefined) linkname = pax.linkpath;
      if (pax.size !== undefined) size = Number(pax.size);
      if (pax.uid !== undefined) uid = Number(pax.uid);
      if (pax.gid !== undefined) gid = Number(pax.gid);
    }
    this.longName = this.longLink = this.pax = undefined;
    if (!Number.isSafeInteger(size) || size < 0) throw new TarFormatError(`bad entry size for ${name}`);

    const header: TarHeader = {
      name,
      type: entryType(typeflag, name),
      size,
      mode: readNumber(block, 100, 8),
      uid,
      gid,
      linkname,
    };
    // Links and directories carry no content even if their size field says otherwise.
    const contentSize = header.type === 'hardlink' || header.type === 'symlink' ? 0 : size;
    this.sink = this.onEntry(header);
    this.startContent(contentSize);
  }

  private startContent(size: number): void {
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.finishContent();
  }

  private finishContent(): void {
    if (this.sink) {
      const sink = this.sink;
      this.sink = undefined;
      sink.end();
    } else if (this.meta) {
      const { type, chunks } = this.meta;
      this.meta = undefined;
      const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      if (type === 'L') this.longName = cString(data);
      else if (type === 'K') this.longLink = cString(data);
      else if (type === 'x') this.pax = { ...this.paxGlobal, ...parsePax(data) };
      else this.paxGlobal = parsePax(data);
    }
  }
}

function entryType(typeflag: number, name: string): TarEntryType {
  switch (typeflag) {
    case 0: // old tars
    case 0x30: // '0'
    case 0x37: // '7' contiguous file
      // Pre-POSIX tars mark directories only by the trailing slash.
      return name.endsWith('/') ? 'directory' : 'file';
    case 0x31:
      return 'hardlink';
    case 0x32:
      return 'symlink';
    case 0x35: // '5'
    case 0x44: // 'D' GNU dump dir
      return 'directory';
    default:
      return 'other';
  }
}

function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

function verifyChecksum(block: Buffer, offset: number): void {
  const expected = readNumber(block, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  if (expected !== unsigned && expected !== signed) {
    throw new TarFormatError(`not a tar archive: bad header checksum at byte ${offset}`);
  }
}

/** A NUL-terminated field. */
function readString(block: Buffer, start: number, length: number): string {
  let end = block.indexOf(0, start);
  if (end < 0 || end > start + length) end = start + length;
  return block.toString('utf8', start, end);
}

function cString(data: Buffer): string {
  const end = data.indexOf(0);
  return data.toString('utf8', 0, end < 0 ? data.length : end);
}

/** Octal digits, or GNU base-256 when the first byte's high bit is set (large sizes and ids). */
function readNumber(block: Buffer, start: number, length: number): number {
  const end = start + length;
  if ((block[start]! & 0x80) !== 0) {
    let value = block[start]! & 0x7f;
    for (let i = start + 1; i < end; i++) value = value * 256 + block[i]!;
    return value;
  }
  let value = 0;
  let i = start;
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i++;
  for (; i < end; i++) {
    const c = block[i]!;
    if (c < 0x30 || c > 0x37) break;
    value = value * 8 + (c - 0x30);
  }
  return value;
}

/** Pax extended header records: "<length> <key>=<value>\n". */
function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 0;
  while (off < data.length) {
    const space = data.indexOf(0x20, off);
    if (space < 0) break;
    const length = Number(data.toString('latin1', off, space));
    if (!Number.isSafeInteger(length) || length <= 0 || off + length > data.length) {
      throw new TarFormatError('malformed pax header');
    }
    const record = data.toString('utf8', space + 1, off + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    off += length;
  }
  return out;
}
