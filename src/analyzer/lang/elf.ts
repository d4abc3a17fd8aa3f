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
  segments: ElfSegment[];
  /** Undefined when the section table or its name table is missing or cut off. */
  sections: ElfSection[] | undefined;
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
  const f = fields(head[5] === 1, is64);
  const table = async (offset: number, entSize: number, count: number, minEntSize: number) => {
    if (count === 0 || entSize < minEntSize) return undefined;
    const buf = await readRange(content, offset, entSize * count);
    return buf.length === entSize * count ? buf : undefined;
  };

  const segments: ElfSegment[] = [];
  const phnum = f.u16(head, is64 ? 0x38 : 0x2c);
  const phentsize = f.u16(head, is64 ? 0x36 : 0x2a);
  const ph = await table(f.word(head, is64 ? 0x20 : 0x1c), phentsize, phnum, is64 ? 56 : 32);
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

  const shnum = f.u16(head, is64 ? 0x3c : 0x30);
  const shentsize = f.u16(head, is64 ? 0x3a : 0x2e);
  const shstrndx = f.u16(head, is64 ? 0x3e : 0x32);
  const sh = await table(f.word(head, is64 ? 0x28 : 0x20), shentsize, shnum, is64 ? 64 : 40);
  if (!sh || shstrndx >= shnum) return { segments, sections: undefined };
  const headers = Array.from({ length: shnum }, (_, i) => {
    const at = i * shentsize;
    return {
      nameAt: f.u32(sh, at),
      offset: f.word(sh, at + (is64 ? 0x18 : 0x10)),
      size: f.word(sh, at + (is64 ? 0x20 : 0x14)),
    };
  });
  const strtab = headers[shstrndx]!;
  const names = await readRange(content, strtab.offset, Math.min(strtab.size, MAX_NAME_TABLE));
  const sections = headers.map(({ nameAt, offset, size }) => {
    const end = names.indexOf(0, nameAt);
    return {
      name: nameAt < names.length && end >= 0 ? names.toString('latin1', nameAt, end) : '',
      offset,
      size,
    };
  });
  return { segments, sections };
}

function fields(le: boolean, is64: boolean) {
  const u32 = (b: Buffer, o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  // Two 32-bit halves: offsets past 2^53 are corrupt anyway, and BigInt reads cost more.
  const u64 = (b: Buffer, o: number): number =>
    le ? u32(b, o + 4) * 2 ** 32 + u32(b, o) : u32(b, o) * 2 ** 32 + u32(b, o + 4);
  return {
    u16: (b: Buffer, o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o)),
    u32,
    word: is64 ? u64 : u32,
  };
}
