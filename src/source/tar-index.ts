import type { FileHandle } from 'node:fs/promises';
import { BosunError } from '../core/errors.js';

/** Where one member's bytes lie inside a plain tar file. */
export interface TarEntry {
  name: string;
  /** Offset of the member's data (just after its header). */
  offset: number;
  size: number;
  type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  linkname?: string;
}

const BLOCK = 512;

/**
 * Reads only the headers of a plain tar file, seeking over the data, so that a member can later be
 * read by a positioned stream of exactly its bytes. Understands ustar, GNU long names and pax
 * path/size records. Throws badInput (naming `label`) for a corrupt header or a truncated file.
 */
export async function indexTar(
  file: FileHandle,
  fileSize: number,
  label: string,
): Promise<Map<string, TarEntry>> {
  const entries = new Map<string, TarEntry>();
  const header = Buffer.alloc(BLOCK);
  let pos = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax: Record<string, string> = {};
  const corrupt = (why: string) =>
    new BosunError('badInput', `${label}: not a valid tar archive: ${why}`, { subject: label });

  for (;;) {
    // A tar ends with zero blocks; some writers omit them, so a clean end of file also ends it.
    if (pos === fileSize) break;
    if (pos + BLOCK > fileSize) throw corrupt(`truncated header at offset ${pos}`);
    await readFully(file, header, pos);
    if (header.every((b) => b === 0)) break;
    if (!checksumOk(header)) throw corrupt(`bad header checksum at offset ${pos}`);

    const typeflag = String.fromCharCode(header[156] ?? 0);
    const size = Number(pax.size ?? parseNumber(header.subarray(124, 136)));
    if (!Number.isSafeInteger(size) || size < 0) throw corrupt(`bad size at offset ${pos}`);
    const offset = pos + BLOCK;
    if (offset + size > fileSize) throw corrupt(`truncated: member at offset ${pos} needs ${size} bytes`);
    pos = offset + Math.ceil(size / BLOCK) * BLOCK;

    if (typeflag === 'L' || typeflag === 'K' || typeflag === 'x' || typeflag === 'g') {
      const body = Buffer.alloc(size);
      await readFully(file, body, offset);
      if (typeflag === 'L') longName = cString(body);
      else if (typeflag === 'K') longLink = cString(body);
      else if (typeflag === 'x') pax = parsePax(body);
      continue;
    }

    const ustar = header.subarray(257, 263).toString('latin1') === 'ustar\0';
    const prefix = ustar ? cString(header.subarray(345, 500)) : '';
    const rawName = pax.path ?? longName ?? (prefix ? `${prefix}/` : '') + cString(header.subarray(0, 100));
    const linkname = pax.linkpath ?? longLink ?? cString(header.subarray(157, 257));
    const name = normalizeMemberName(rawName);
    if (name) {
      entries.set(name, {
        name,
        offset,
        size,
        type: memberType(typeflag),
        ...(linkname ? { linkname } : {}),
      });
    }
    longName = longLink = undefined;
    pax = {};
  }
  return entries;
}

/** Member names as the image formats refer to them: no leading `./` or `/`, no trailing `/`. */
export function normalizeMemberName(name: string): string {
  return name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
}

function memberType(flag: string): TarEntry['type'] {
  if (flag === '0' || flag === '\0' || flag === '7') return 'file';
  if (flag === '5') return 'directory';
  if (flag === '2') return 'symlink';
  if (flag === '1') return 'hardlink';
  return 'other';
}

async function readFully(file: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await file.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) throw new Error(`unexpected end of file at ${position + done}`);
    done += bytesRead;
  }
}

function cString(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.subarray(0, end === -1 ? buf.length : end).toString('utf8');
}

/** Octal, or base-256 (high bit set) for values that do not fit, as GNU tar writes large sizes. */
function parseNumber(field: Buffer): number {
  if ((field[0] ?? 0) & 0x80) {
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const text = cString(field).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function checksumOk(header: Buffer): boolean {
  const stored = parseNumber(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
  return sum === stored;
}

/** pax extended header records: `<length> <key>=<value>\n`. */
function parsePax(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    if (space === -1) break;
    const length = parseInt(body.subarray(pos, space).toString('latin1'), 10);
    if (!(length > 0)) break;
    const record = body.subarray(space + 1, pos + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += length;
  }
  return out;
}
