import type { BlobScan } from './bdb.js';

/**
 * rpm's own "ndb" Packages.db (SUSE since 15 SP3; rpm lib/backend/ndb/rpmpkg.c), little-endian:
 * a 32-byte header (magic "RpmP", version 0, generation, number of 4 KiB slot pages), then the
 * slot pages: 16-byte slots (magic "Slot", package index, block offset, block count) of which the
 * first two are the header itself. A used slot points at a blob in 16-byte blocks: a 16-byte blob
 * header (magic "BlbS", package index, checksum, length), then the header blob.
 */
const HEADER_MAGIC = 0x506d7052; // "RpmP"
const SLOT_MAGIC = 0x746f6c53; // "Slot"
const BLOB_MAGIC = 0x53626c42; // "BlbS"
const SLOT_PAGE = 4096;
const SLOT_SIZE = 16;
const BLOCK = 16;

export function isNdb(buf: Buffer): boolean {
  return buf.length >= 32 && buf.readUInt32LE(0) === HEADER_MAGIC;
}

export function readNdbBlobs(buf: Buffer): BlobScan {
  if (!isNdb(buf)) throw new Error('not an rpm ndb database (bad magic)');
  const version = buf.readUInt32LE(4);
  if (version !== 0) throw new Error(`unsupported ndb version ${version}`);
  const slotPages = buf.readUInt32LE(12);
  if (slotPages === 0 || slotPages * SLOT_PAGE > buf.length) {
    throw new Error(`truncated: ${slotPages} slot pages do not fit in ${buf.length} bytes`);
  }
  const blobs: Buffer[] = [];
  const problems: string[] = [];
  for (let at = 2 * SLOT_SIZE; at < slotPages * SLOT_PAGE; at += SLOT_SIZE) {
    if (buf.readUInt32LE(at) !== SLOT_MAGIC) {
      problems.push(`slot at byte ${at} has a bad magic`);
      continue;
    }
    const pkgIndex = buf.readUInt32LE(at + 4);
    if (pkgIndex === 0) continue;
    const blobAt = buf.readUInt32LE(at + 8) * BLOCK;
    const blocks = buf.readUInt32LE(at + 12);
    if (blobAt + 16 > buf.length || blobAt + blocks * BLOCK > buf.length) {
      problems.push(`package ${pkgIndex}: blob at byte ${blobAt} lies past the end of the file`);
      continue;
    }
    if (buf.readUInt32LE(blobAt) !== BLOB_MAGIC || buf.readUInt32LE(blobAt + 4) !== pkgIndex) {
      problems.push(`package ${pkgIndex}: no blob where its slot points`);
      continue;
    }
    const length = buf.readUInt32LE(blobAt + 12);
    if (16 + length > blocks * BLOCK) {
      problems.push(`package ${pkgIndex}: blob of ${length} bytes overflows its ${blocks} blocks`);
      continue;
    }
    blobs.push(buf.subarray(blobAt + 16, blobAt + 16 + length));
  }
  return { blobs, problems };
}
