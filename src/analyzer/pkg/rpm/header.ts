/**
 * RPM header blobs as the package database stores them (no lead, no signature): a big-endian
 * index count and data length, `il` 16-byte index entries (tag, type, offset, count), then the
 * data store. Every read is bounds-checked: a corrupt blob throws, it never reads past its end.
 */
export const Tag = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  vendor: 1011,
  license: 1014,
  arch: 1022,
  oldFilenames: 1027,
  sourceRpm: 1044,
  provideName: 1047,
  requireName: 1049,
  dirIndexes: 1116,
  baseNames: 1117,
  dirNames: 1118,
  modularityLabel: 5096,
} as const;

const TYPE_INT16 = 3;
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;

/** rpm's own sanity limits (hdrchkTags, hdrchkData). */
const MAX_TAGS = 0xffff;
const MAX_DATA = 0x0fffffff;

export class HeaderError extends Error {}

export class RpmHeader {
  private readonly entries = new Map<number, { type: number; offset: number; count: number }>();
  private readonly data: Buffer;

  constructor(blob: Buffer) {
    if (blob.length < 8) throw new HeaderError(`header blob of ${blob.length} bytes is too short`);
    const il = blob.readUInt32BE(0);
    const dl = blob.readUInt32BE(4);
    if (il === 0 || il > MAX_TAGS || dl > MAX_DATA || 8 + il * 16 + dl > blob.length) {
      throw new HeaderError(
        `header blob claims ${il} tags and ${dl} data bytes but has ${blob.length} bytes`,
      );
    }
    const dataStart = 8 + il * 16;
    this.data = blob.subarray(dataStart, dataStart + dl);
    for (let i = 0; i < il; i++) {
      const at = 8 + i * 16;
      const tag = blob.readUInt32BE(at);
      const type = blob.readUInt32BE(at + 4);
      const offset = blob.readInt32BE(at + 8);
      const count = blob.readUInt32BE(at + 12);
      // Later entries ("dribbles" appended after the immutable region) override earlier ones.
      if (offset >= 0 && offset <= dl) this.entries.set(tag, { type, offset, count });
    }
  }

  string(tag: number): string | undefined {
    const e = this.entries.get(tag);
    if (!e || (e.type !== TYPE_STRING && e.type !== TYPE_I18NSTRING && e.type !== TYPE_STRING_ARRAY))
      return undefined;
    return this.readStrings(e.offset, 1, tag)[0];
  }

  strings(tag: number): string[] {
    const e = this.entries.get(tag);
    if (!e) return [];
    if (e.type !== TYPE_STRING_ARRAY && e.type !== TYPE_I18NSTRING && e.type !== TYPE_STRING) {
      throw new HeaderError(`tag ${tag} has type ${e.type}, not a string array`);
    }
    return this.readStrings(e.offset, e.type === TYPE_STRING ? 1 : e.count, tag);
  }

  ints(tag: number): number[] {
    const e = this.entries.get(tag);
    if (!e) return [];
    const size = e.type === TYPE_INT32 ? 4 : e.type === TYPE_INT16 ? 2 : 0;
    if (size === 0) throw new HeaderError(`tag ${tag} has type ${e.type}, not an integer`);
    if (e.offset + e.count * size > this.data.length)
      throw new HeaderError(`tag ${tag} runs past the data store`);
    const out: number[] = new Array<number>(e.count);
    for (let i = 0; i < e.count; i++)
      out[i] =
        size === 4 ? this.data.readInt32BE(e.offset + i * 4) : this.data.readUInt16BE(e.offset + i * 2);
    return out;
  }

  /** `count` NUL-terminated strings from `offset`, decoded in one go (file lists hold thousands). */
  private readStrings(offset: number, count: number, tag: number): string[] {
    let end = offset - 1;
    for (let i = 0; i < count; i++) {
      end = this.data.indexOf(0, end + 1);
      if (end < 0) throw new HeaderError(`tag ${tag}: string runs past the data store`);
    }
    return count === 0 ? [] : this.data.toString('utf8', offset, end).split('\0');
  }
}
