import type { FileContent } from '../types.js';

/**
 * ELF programs carry package metadata in sections (Rust's `.dep-v0`, Go's `.go.buildinfo`). The
 * headers say where each section lies, so an analyzer reads a few hundred bytes of headers and
 * the one section it wants instead of searching the whole file.
 */

export interface ElfSegment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  fileSize: number;
}

export interface ElfSection {
  name: string;
  offset: number;
  size: number;
}

export interface ElfFile {
  /** The program headers; empty when they are missing or cut off. */
  segments(): Promise<ElfSegment[]>;
  /**
   * The first section of this name: undefined when there is none, or when the section table or
   * its names are missing or cut off (then `hasSections` is false).
   */
  section(name: string): ElfSection | undefined;
  hasSections: boolean;
}

export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
/** Section names of linked programs fit in a few KiB; a larger name table is corrupt. */
const MAX_NAME_TABLE = 1 << 20;

/** Up to `length` bytes from `offset`; contents made without read() are buffered whole. */
export async function readRange(content: FileContent, offset: number, length: number): Promise<Buffer> {
  if (content.read) return content.read(offset, length);
  const buf = await content.buffer();
  return buf.subarray(Math.max(0, offset), Math.max(0, offset + length));
}

/** Go's and Rust's analyzers look at the same executables: each file's headers are read once. */
const parsed = new WeakMap<FileContent, Promise<ElfFile | undefined>>();

/** An ELF file's segments and named sections (32/64-bit, either byte order); undefined if not ELF. */
export function readElf(content: FileContent): Promise<ElfFile | undefined> {
  let elf = parsed.get(content);
  if (!elf) parsed.set(content, (elf = parseElf(content)));
  return elf;
}

async function parseElf(content: FileContent): Promise<ElfFile | undefined> {
  const head = await readRange(content, 0, 64);
  if (head.length < 52 || head.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = head[4] === 2;
  if (is64 && head.length < 64) return undefined;
  const f = new Fields(head[5] === 1, is64);
  const shnum = f.u16(head, is64 ? 0x3c : 0x30);
  const shentsize = f.u16(head, is64 ? 0x3a : 0x2e);
  const shstrndx = f.u16(head, is64 ? 0x3e : 0x32);
  let sh = await table(content, f.word(head, is64 ? 0x28 : 0x20), shentsize, shnum, is64 ? 64 : 40);
  if (shstrndx >= shnum) sh = undefined;
  const strtabAt = shstrndx * shentsize;
  const names = sh
    ? await readRange(
        content,
        f.word(sh, strtabAt + (is64 ? 0x18 : 0x10)),
        Math.min(f.word(sh, strtabAt + (is64 ? 0x20 : 0x14)), MAX_NAME_TABLE),
      )
    : Buffer.alloc(0);
  return {
    hasSections: sh !== undefined,
    section(name) {
      if (!sh) return undefined;
      // A section is named by where its name starts in the name table: find where this one does.
      const wanted = Buffer.from(`${name}\0`, 'latin1');
      const starts = new Set<number>();
      for (let at = names.indexOf(wanted); at >= 0; at = names.indexOf(wanted, at + 1)) starts.add(at);
      for (let i = 0; starts.size > 0 && i < shnum; i++) {
        const at = i * shentsize;
        if (!starts.has(f.u32(sh, at))) continue;
        return {
          name,
          offset: f.word(sh, at + (is64 ? 0x18 : 0x10)),
          size: f.word(sh, at + (is64 ? 0x20 : 0x14)),
        };
      }
      return undefined;
    },
    async segments() {
      const phnum = f.u16(head, is64 ? 0x38 : 0x2c);
      const phentsize = f.u16(head, is64 ? 0x36 : 0x2a);
      const ph = await table(content, f.word(head, is64 ? 0x20 : 0x1c), phentsize, phnum, is64 ? 56 : 32);
      const segments: ElfSegment[] = [];
      for (let i = 0; ph && i < phnum; i++) {
        const at = i * phentsize;
        segments.push({
          type: f.u32(ph, at),
          flags: f.u32(ph, at + (is64 ? 0x04 : 0x18)),
          offset: f.word(ph, at + (is64 ? 0x08 : 0x04)),
          vaddr: f.word(ph, at + (is64 ? 0x10 : 0x08)),
          fileSize: f.word(ph, at + (is64 ? 0x20 : 0x10)),
        });
      }
      return segments;
    },
  };
}
/** A header table of `count` entries, or undefined when absent, malformed or cut off. */
async function table(
  content: FileContent,
  offset: number,
  entSize: number,
  count: number,
  minEntSize: number,
): Promise<Buffer | undefined> {
  if (count === 0 || entSize < minEntSize) return undefined;
  const buf = await readRange(content, offset, entSize * count);
  return buf.length === entSize * count ? buf : undefined;
}

/** Field readers for one file's byte order and class. */
class Fields {
  constructor(
    private readonly le: boolean,
    private readonly is64: boolean,
  ) {}

  u16(b: Buffer, o: number): number {
    return this.le ? b.readUInt16LE(o) : b.readUInt16BE(o);
  }

  u32(b: Buffer, o: number): number {
    return this.le ? b.readUInt32LE(o) : b.readUInt32BE(o);
  }

  /** Two 32-bit halves for 64-bit files: offsets past 2^53 are corrupt anyway, and BigInt costs more. */
  word(b: Buffer, o: number): number {
    if (!this.is64) return this.u32(b, o);
    return this.le
      ? this.u32(b, o + 4) * 2 ** 32 + this.u32(b, o)
      : this.u32(b, o) * 2 ** 32 + this.u32(b, o + 4);
  }
}
