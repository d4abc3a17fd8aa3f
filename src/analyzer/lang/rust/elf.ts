import type { Readable } from 'node:stream';

/** Whether the bytes of `stream` contain `needle`, reading chunk by chunk; the stream is closed. */
export async function streamContains(stream: Readable, needle: Buffer): Promise<boolean> {
  let tail = Buffer.alloc(0);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const data = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
      if (data.includes(needle)) return true;
      tail = Buffer.from(data.subarray(Math.max(0, data.length - needle.length + 1)));
    }
    return false;
  } finally {
    stream.destroy();
  }
}

/** Finds a section's bytes by name in an ELF file (32/64-bit, either byte order); undefined if absent. */
export function elfSection(buf: Buffer, wanted: string): Buffer | undefined {
  if (buf.length < 52 || buf.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = buf[4] === 2;
  const le = buf[5] === 1;
  const u16 = (o: number): number => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const word = (o: number): number =>
    is64 ? Number(le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o)) : u32(o);
  try {
    const shoff = word(is64 ? 0x28 : 0x20);
    const shentsize = u16(is64 ? 0x3a : 0x2e);
    const shnum = u16(is64 ? 0x3c : 0x30);
    const shstrndx = u16(is64 ? 0x3e : 0x32);
    const header = (i: number) => {
      const at = shoff + i * shentsize;
      return {
        name: u32(at),
        offset: word(at + (is64 ? 0x18 : 0x10)),
        size: word(at + (is64 ? 0x20 : 0x14)),
      };
    };
    const strtab = header(shstrndx);
    for (let i = 0; i < shnum; i++) {
      const h = header(i);
      const nameStart = strtab.offset + h.name;
      const nameEnd = buf.indexOf(0, nameStart);
      if (nameEnd < 0 || buf.toString('latin1', nameStart, nameEnd) !== wanted) continue;
      if (h.offset + h.size > buf.length) return undefined;
      return buf.subarray(h.offset, h.offset + h.size);
    }
  } catch {
    // Offsets past the end of a truncated or corrupt file: no section.
  }
  return undefined;
}
