import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { BosunError } from '../core/errors.js';

export interface ZipJsonEntry {
  name: string;
  text: string;
  /** The entry's raw-deflate bytes when it was stored compressed: kept as is, not recompressed. */
  deflated?: Buffer;
}

/**
 * The `.json` entries of a zip file, one at a time, each checked against its CRC-32.
 *
 * A small synchronous reader of the central directory (zip64 included) with positioned reads:
 * yauzl's asynchronous read per entry made imports I/O-bound (~800 records/s here, against
 * ~10k/s for this). Only one entry is in memory at a time. Damage is a database error naming
 * `label` (the URL or path).
 */
export function* zipJsonEntries(file: string, label: string): Generator<ZipJsonEntry> {
  const fd = openZip(file, label);
  try {
    const fail = (what: string) =>
      new BosunError('database', `corrupt zip archive ${label}: ${what}`, { subject: label });
    const size = fstatSync(fd).size;
    const { offset, length, count } = centralDirectory(fd, size, fail);
    const cd = read(fd, offset, length, fail);
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50)
        throw fail(`bad central directory entry ${i}`);
      const method = cd.readUInt16LE(p + 10);
      const crc = cd.readUInt32LE(p + 16);
      let compressed = cd.readUInt32LE(p + 20);
      let uncompressed = cd.readUInt32LE(p + 24);
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      let local = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
      // zip64: the fields set to 0xFFFFFFFF are in the extra field, in this order.
      const extra = cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
      for (let e = 0; e + 4 <= extra.length; e += 4 + extra.readUInt16LE(e + 2)) {
        if (extra.readUInt16LE(e) !== 0x0001) continue;
        let q = e + 4;
        if (uncompressed === 0xffffffff) {
          uncompressed = Number(extra.readBigUInt64LE(q));
          q += 8;
        }
        if (compressed === 0xffffffff) {
          compressed = Number(extra.readBigUInt64LE(q));
          q += 8;
        }
        if (local === 0xffffffff) local = Number(extra.readBigUInt64LE(q));
      }
      p += 46 + nameLength + extraLength + commentLength;
      if (name.endsWith('/') || !name.endsWith('.json')) continue;
      const header = read(fd, local, 30, fail);
      if (header.readUInt32LE(0) !== 0x04034b50) throw fail(`bad local header for ${name}`);
      const data = read(fd, local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28), compressed, fail);
      let content: Buffer;
      if (method === 0) content = data;
      else if (method === 8) {
        try {
          content = inflateRawSync(data);
        } catch (err) {
          throw fail(`${name}: ${(err as Error).message}`);
        }
      } else throw fail(`${name}: unsupported compression method ${method}`);
      if (content.length !== uncompressed || crc32(content) !== crc)
        throw fail(`${name}: size or CRC-32 mismatch`);
      yield { name, text: content.toString('utf8'), ...(method === 8 ? { deflated: data } : {}) };
    }
  } finally {
    closeSync(fd);
  }
}

function openZip(file: string, label: string): number {
  try {
    return openSync(file, 'r');
  } catch (err) {
    throw new BosunError('notFound', `cannot open ${label}: ${(err as Error).message}`, {
      subject: label,
      cause: err,
    });
  }
}

type Fail = (what: string) => BosunError;

/** Finds the end-of-central-directory record (and its zip64 version) from the end of the file. */
function centralDirectory(
  fd: number,
  size: number,
  fail: Fail,
): { offset: number; length: number; count: number } {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = read(fd, size - tailLength, tailLength, fail);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw fail('no end of central directory record (not a zip file, or truncated)');
  let count = tail.readUInt16LE(eocd + 10);
  let length = tail.readUInt32LE(eocd + 12);
  let offset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || length === 0xffffffff || offset === 0xffffffff) {
    const locatorAt = size - tailLength + eocd - 20;
    const locator = read(fd, locatorAt, 20, fail);
    if (locator.readUInt32LE(0) !== 0x07064b50) throw fail('zip64 locator missing');
    const record = read(fd, Number(locator.readBigUInt64LE(8)), 56, fail);
    if (record.readUInt32LE(0) !== 0x06064b50) throw fail('zip64 end of central directory missing');
    count = Number(record.readBigUInt64LE(32));
    length = Number(record.readBigUInt64LE(40));
    offset = Number(record.readBigUInt64LE(48));
  }
  if (offset + length > size) throw fail('central directory lies beyond the end of the file (truncated?)');
  return { offset, length, count };
}

function read(fd: number, position: number, length: number, fail: Fail): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) throw fail(`unexpected end of file at byte ${position + done}`);
    done += n;
  }
  return buffer;
}
