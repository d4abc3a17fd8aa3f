/**
 * The Berkeley DB hash file rpm < 4.16 keeps `Packages` in. Read-only and bounded: pages are
 * visited once in file order, overflow chains are followed at most once per page, so a corrupt
 * or truncated file ends the scan rather than looping.
 *
 * Layout (db-5.3 dbinc/db_page.h): page 0 is the hash metadata page (magic 0x061561 at 12, page
 * size at 20, last page number at 32, page type 8 at 25); hash pages (type 13, or 2 before 4.6)
 * hold an index of item offsets after a 26-byte header, items in key/value pairs; a value is
 * stored inline (H_KEYDATA, 1) or in a chain of overflow pages (H_OFFPAGE, 3; overflow page
 * type 7) whose header says the bytes used on each page.
 */
export const BDB_HASH_MAGIC = 0x061561;

const PAGE_HEADER = 26;
const HASH_META = 8;
const HASH_PAGE = 13;
const HASH_UNSORTED = 2;
const OVERFLOW_PAGE = 7;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const VALID_PAGE_SIZES = new Set([512, 1024, 2048, 4096, 8192, 16384, 32768, 65536]);

export interface BlobScan {
  blobs: Buffer[];
  /** Problems with single records or the file's end; the records around them are still read. */
  problems: string[];
}

export function isBdbHash(buf: Buffer): boolean {
  return (
    buf.length >= 512 && (buf.readUInt32LE(12) === BDB_HASH_MAGIC || buf.readUInt32BE(12) === BDB_HASH_MAGIC)
  );
}

export function readBdbBlobs(buf: Buffer): BlobScan {
  if (!isBdbHash(buf)) throw new Error('not a Berkeley DB hash database (bad magic)');
  // A database written on a big-endian machine keeps its own byte order.
  const le = buf.readUInt32LE(12) === BDB_HASH_MAGIC;
  const u16 = (at: number): number => (le ? buf.readUInt16LE(at) : buf.readUInt16BE(at));
  const u32 = (at: number): number => (le ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const pageSize = u32(20);
  if (!VALID_PAGE_SIZES.has(pageSize)) throw new Error(`unexpected page size ${pageSize}`);
  if (buf[24] !== 0) throw new Error('encrypted databases are not supported');
  if (buf[25] !== HASH_META) throw new Error(`page 0 has type ${buf[25]}, not a hash metadata page`);
  const problems: string[] = [];
  const pagesInFile = Math.floor(buf.length / pageSize);
  const lastPage = u32(32);
  if (lastPage >= pagesInFile)
    problems.push(`truncated: the database has ${lastPage + 1} pages, the file holds ${pagesInFile}`);
  const pages = Math.min(lastPage + 1, pagesInFile);

  const overflow = (first: number, total: number): Buffer => {
    const parts: Buffer[] = [];
    let got = 0;
    for (let pgno = first, hops = 0; pgno !== 0; hops++) {
      if (pgno >= pages || hops >= pages) throw new Error(`overflow chain leaves the file at page ${pgno}`);
      const at = pgno * pageSize;
      if (buf[at + 25] !== OVERFLOW_PAGE)
        throw new Error(`page ${pgno} in an overflow chain has type ${buf[at + 25]}`);
      const used = u16(at + 22);
      if (PAGE_HEADER + used > pageSize) throw new Error(`overflow page ${pgno} claims ${used} bytes`);
      parts.push(buf.subarray(at + PAGE_HEADER, at + PAGE_HEADER + used));
      got += used;
      if (got > total) throw new Error(`overflow item longer than its stated ${total} bytes`);
      pgno = u32(at + 16);
    }
    if (got !== total) throw new Error(`overflow item holds ${got} bytes, expected ${total}`);
    return Buffer.concat(parts, got);
  };

  const blobs: Buffer[] = [];
  for (let pgno = 1; pgno < pages; pgno++) {
    const at = pgno * pageSize;
    const type = buf[at + 25];
    if (type !== HASH_PAGE && type !== HASH_UNSORTED) continue;
    const entries = u16(at + 20);
    if (entries % 2 !== 0 || PAGE_HEADER + entries * 2 > pageSize) {
      problems.push(`hash page ${pgno} has a bad entry count ${entries}`);
      continue;
    }
    const offsetOf = (i: number): number => u16(at + PAGE_HEADER + i * 2);
    // Items grow down from the page end: item i ends where item i-1 begins.
    const endOf = (i: number): number => (i === 0 ? pageSize : offsetOf(i - 1));
    for (let i = 0; i < entries; i += 2) {
      const keyOff = offsetOf(i);
      const valOff = offsetOf(i + 1);
      if (
        keyOff >= pageSize ||
        valOff >= pageSize ||
        endOf(i) > pageSize ||
        keyOff >= endOf(i) ||
        valOff >= endOf(i + 1)
      ) {
        problems.push(`hash page ${pgno}: item offsets out of the page`);
        break;
      }
      // Record 0 holds rpm's next instance number, not a header.
      if (
        buf[at + keyOff] === H_KEYDATA &&
        buf.subarray(at + keyOff + 1, at + endOf(i)).every((b) => b === 0)
      )
        continue;
      try {
        const valType = buf[at + valOff];
        if (valType === H_OFFPAGE) blobs.push(overflow(u32(at + valOff + 4), u32(at + valOff + 8)));
        else if (valType === H_KEYDATA) blobs.push(buf.subarray(at + valOff + 1, at + endOf(i + 1)));
        else problems.push(`hash page ${pgno}: value of unsupported item type ${valType}`);
      } catch (err) {
        problems.push(`hash page ${pgno}: ${(err as Error).message}`);
      }
    }
  }
  return { blobs, problems };
}
