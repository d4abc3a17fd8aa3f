import { buildInfoOf, FLAG_BIG_ENDIAN, type GoBuildInfo } from './buildinfo.js';

/** ELF PT_LOAD segments: where each range of the program's addresses lives in the file. */
function elfSegments(buf: Buffer): { vaddr: number; offset: number; size: number }[] | undefined {
  if (buf.length < 52 || buf.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = buf[4] === 2;
  const le = buf[5] === 1;
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const word = (o: number) => (is64 ? Number(le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o)) : u32(o));
  const phoff = word(is64 ? 0x20 : 0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  const segments = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (u32(at) !== 1) continue; // PT_LOAD
    segments.push(
      is64
        ? { offset: word(at + 0x08), vaddr: word(at + 0x10), size: word(at + 0x20) }
        : { offset: u32(at + 0x04), vaddr: u32(at + 0x08), size: u32(at + 0x10) },
    );
  }
  return segments;
}

/**
 * Build info as Go 1.13–1.17 wrote it into ELF programs: after the 16-byte magic and flags, two
 * pointers to Go string headers {data pointer, length} for runtime.buildVersion and
 * runtime.modinfo, resolved through the program's load segments. Undefined when anything does
 * not resolve (other container formats, corrupt files).
 */
export function decodePointerFormat(buf: Buffer, headerAt: number): GoBuildInfo | undefined {
  try {
    const segments = elfSegments(buf);
    if (!segments) return undefined;
    const ptrSize = buf[headerAt + 14] as number;
    const be = ((buf[headerAt + 15] as number) & FLAG_BIG_ENDIAN) !== 0;
    const readPtr = (off: number): number =>
      ptrSize === 8
        ? Number(be ? buf.readBigUInt64BE(off) : buf.readBigUInt64LE(off))
        : be
          ? buf.readUInt32BE(off)
          : buf.readUInt32LE(off);
    const fileOffset = (vaddr: number, len: number): number | undefined => {
      const s = segments.find((seg) => vaddr >= seg.vaddr && vaddr + len <= seg.vaddr + seg.size);
      return s && s.offset + (vaddr - s.vaddr);
    };
    const readString = (headerPtr: number): Buffer | undefined => {
      const hdr = fileOffset(headerPtr, 2 * ptrSize);
      if (hdr === undefined) return undefined;
      const len = readPtr(hdr + ptrSize);
      const data = fileOffset(readPtr(hdr), len);
      return data === undefined ? undefined : buf.subarray(data, data + len);
    };
    const version = readString(readPtr(headerAt + 16));
    const modInfo = readString(readPtr(headerAt + 16 + ptrSize));
    return version && modInfo ? buildInfoOf(version, modInfo) : undefined;
  } catch {
    // Offsets past the end of a truncated file.
    return undefined;
  }
}
