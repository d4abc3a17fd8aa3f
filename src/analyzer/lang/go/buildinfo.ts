import type { Readable } from 'node:stream';

/**
 * Go's build information, as `go version -m` reads it. Since Go 1.18 the linker writes a 32-byte
 * header — magic, pointer size, flags (bit 1: strings inline), zero padding — followed by two
 * varint-length strings: the Go version and the module info. The header sits at a 16-byte aligned
 * file offset in ELF, Mach-O and PE alike: ELF programs say where (see readGoBuildInfo), other
 * formats are scanned as a stream.
 */
const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_SIZE = 32;
const FLAG_INLINE_STRINGS = 0x2;
export const FLAG_BIG_ENDIAN = 0x1;
/** Module info of the largest real programs is a few hundred KiB; anything beyond is corrupt. */
export const MAX_BLOB = 4 << 20;

export interface GoBuildInfo {
  goVersion: string;
  /** The module info text: `path`, `mod`, `dep`, `=>` and `build` lines. */
  modInfo: string;
}

function uvarint(buf: Buffer, at: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let i = 0, shift = 1; i < 10 && at + i < buf.length; i++, shift *= 128) {
    const b = buf[at + i] as number;
    value += (b & 0x7f) * shift;
    if (b < 0x80) return { value, next: at + i + 1 };
  }
  return undefined;
}

/** Is this a real inline-format header (not the magic string quoted in some program's data)? */
function headerKind(buf: Buffer, at: number): 'inline' | 'pointers' | 'invalid' {
  const ptrSize = buf[at + 14];
  const flags = buf[at + 15] as number;
  if ((ptrSize !== 4 && ptrSize !== 8) || (flags & ~0x3) !== 0) return 'invalid';
  if ((flags & FLAG_INLINE_STRINGS) === 0) return 'pointers';
  for (let i = at + 16; i < at + HEADER_SIZE; i++) if (buf[i] !== 0) return 'invalid';
  return 'inline';
}

/** Total bytes of header plus both strings, once enough of `blob` is there to tell. */
export function blobLength(blob: Buffer): number | undefined {
  const v = uvarint(blob, HEADER_SIZE);
  if (!v) return undefined;
  const m = uvarint(blob, v.next + v.value);
  return m ? m.next + m.value : undefined;
}

/** Both formats' strings → build info; undefined unless the version looks like Go's. */
export function buildInfoOf(version: Buffer, modInfo: Buffer): GoBuildInfo | undefined {
  const goVersion = version.toString('utf8');
  if (!goVersion.startsWith('go') && !goVersion.startsWith('devel')) return undefined;
  let mod = modInfo;
  // The linker wraps module info in 16-byte sentinels so that it could be found by a scan.
  if (mod.length >= 33 && mod[mod.length - 17] === 0x0a) mod = mod.subarray(16, mod.length - 16);
  return { goVersion, modInfo: mod.toString('utf8') };
}

export function decodeInline(blob: Buffer): GoBuildInfo | undefined {
  const v = uvarint(blob, HEADER_SIZE);
  if (!v) return undefined;
  const m = uvarint(blob, v.next + v.value);
  if (!m || m.next + m.value > blob.length) return undefined;
  return buildInfoOf(blob.subarray(v.next, v.next + v.value), blob.subarray(m.next, m.next + m.value));
}

/**
 * The first header at a 16-byte aligned file offset in `window` (which starts at `windowStart`),
 * as Go's own reader looks for it in the data it reads.
 */
export function findHeader(
  window: Buffer,
  windowStart: number,
): { at: number; kind: 'inline' | 'pointers' } | undefined {
  for (let i = window.indexOf(MAGIC); i >= 0; i = window.indexOf(MAGIC, i + 1)) {
    if ((windowStart + i) % 16 !== 0 || window.length - i < HEADER_SIZE) continue;
    const kind = headerKind(window, i);
    if (kind !== 'invalid') return { at: i, kind };
  }
  return undefined;
}

/**
 * Scans a program of another format for an inline-format header (Go ≥ 1.18) at a 16-byte aligned
 * file offset; the older pointer format can only be resolved in ELF programs.
 */
export async function scanGoBuildInfo(stream: Readable): Promise<GoBuildInfo | undefined> {
  let window: Buffer = Buffer.alloc(0);
  let windowOffset = 0; // file offset of window[0]
  let blob: Buffer | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      window = window.length > 0 ? Buffer.concat([window, chunk]) : chunk;
      if (blob === undefined) {
        let from = 0;
        for (;;) {
          const i = window.indexOf(MAGIC, from);
          if (i < 0 || window.length - i < HEADER_SIZE) {
            // Keep a tail that may hold the start of a header split across chunks.
            const keep = i >= 0 ? i : Math.max(from, window.length - (MAGIC.length - 1));
            windowOffset += keep;
            window = Buffer.from(window.subarray(keep));
            break;
          }
          if ((windowOffset + i) % 16 === 0 && headerKind(window, i) === 'inline') {
            blob = window.subarray(i);
            window = blob;
            break;
          }
          from = i + 1;
        }
      }
      if (blob !== undefined) {
        blob = window;
        const need = blobLength(blob);
        if (need !== undefined && need > MAX_BLOB) return undefined;
        if (need !== undefined && blob.length >= need) return decodeInline(blob.subarray(0, need));
        if (blob.length > MAX_BLOB) return undefined;
      }
    }
    return blob ? decodeInline(blob) : undefined;
  } finally {
    stream.destroy();
  }
}

export interface GoModule {
  path: string;
  version: string;
  /** Set when a `replace` directive swapped the module for a local directory. */
  localReplacement?: string;
}

/** The main module and dependencies from module info text, replacements applied. */
export function parseModInfo(modInfo: string): { main?: GoModule; deps: GoModule[] } {
  let main: GoModule | undefined;
  const deps: GoModule[] = [];
  let last: GoModule | undefined;
  for (const line of modInfo.split('\n')) {
    const [kind, path = '', version = ''] = line.split('\t');
    if (kind === 'mod') last = main = { path, version };
    else if (kind === 'dep') deps.push((last = { path, version }));
    else if (kind === '=>' && last) {
      if (version === '' || version === '(devel)') last.localReplacement = path;
      else Object.assign(last, { path, version });
    }
  }
  return { main, deps };
}
