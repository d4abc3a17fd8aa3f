import type { FileContent } from '../../types.js';
import { PT_LOAD, readRange, type ElfFile } from '../elf.js';
import { buildInfoOf, FLAG_BIG_ENDIAN, MAX_BLOB, type GoBuildInfo } from './buildinfo.js';

/**
 * Build info as Go 1.13–1.17 wrote it into ELF programs: after the 16-byte magic and flags, two
 * pointers to Go string headers {data pointer, length} for runtime.buildVersion and
 * runtime.modinfo, resolved through the program's load segments. Undefined when anything does
 * not resolve (corrupt or truncated files).
 */
export async function decodePointerFormat(
  content: FileContent,
  elf: ElfFile,
  headerAt: number,
): Promise<GoBuildInfo | undefined> {
  const header = await readRange(content, headerAt, 32);
  if (header.length < 32) return undefined;
  const ptrSize = header[14] as number;
  const be = ((header[15] as number) & FLAG_BIG_ENDIAN) !== 0;
  const readPtr = (buf: Buffer, off: number): number =>
    ptrSize === 8
      ? Number(be ? buf.readBigUInt64BE(off) : buf.readBigUInt64LE(off))
      : be
        ? buf.readUInt32BE(off)
        : buf.readUInt32LE(off);
  const segments = await elf.segments();
  const fileOffset = (vaddr: number, len: number): number | undefined => {
    const s = segments.find(
      (seg) => seg.type === PT_LOAD && vaddr >= seg.vaddr && vaddr + len <= seg.vaddr + seg.fileSize,
    );
    return s && s.offset + (vaddr - s.vaddr);
  };
  const readString = async (headerPtr: number): Promise<Buffer | undefined> => {
    const at = fileOffset(headerPtr, 2 * ptrSize);
    const stringHeader = at === undefined ? undefined : await readRange(content, at, 2 * ptrSize);
    if (stringHeader?.length !== 2 * ptrSize) return undefined;
    const len = readPtr(stringHeader, ptrSize);
    const data = len > MAX_BLOB ? undefined : fileOffset(readPtr(stringHeader, 0), len);
    return data === undefined ? undefined : readRange(content, data, len);
  };
  const version = await readString(readPtr(header, 16));
  const modInfo = await readString(readPtr(header, 16 + ptrSize));
  return version && modInfo ? buildInfoOf(version, modInfo) : undefined;
}
