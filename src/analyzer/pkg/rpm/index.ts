import { BosunError } from '../../../core/errors.js';
import type { Package } from '../../../core/package.js';
import { disambiguateIds, FileErrors, osPackageId, osPurl } from '../../common/os-package.js';
import type { Analyzer, AnalyzerOutput, FileInfo, OwnedFiles } from '../../types.js';
import { isBdbHash, readBdbBlobs, type BlobScan } from './bdb.js';
import { RpmHeader, Tag } from './header.js';
import { isNdb, readNdbBlobs } from './ndb.js';
import { isSqlite, readSqliteBlobs } from './sqlite.js';

const DB_DIRS = ['var/lib/rpm/', 'usr/lib/sysimage/rpm/', 'usr/share/rpm/'];
const DB_FILES = ['Packages', 'Packages.db', 'rpmdb.sqlite'];

interface Entry {
  pkg: Package;
  requires: string[];
  provides: string[];
  files: string[];
}

/** The three database formats are told apart by their content, not their file name. */
function readBlobs(buf: Buffer): BlobScan {
  if (isSqlite(buf)) return readSqliteBlobs(buf);
  if (isNdb(buf)) return readNdbBlobs(buf);
  if (isBdbHash(buf)) return readBdbBlobs(buf);
  throw new Error('not an rpm database (neither Berkeley DB, ndb nor SQLite)');
}

/** "bash-4.2.46-34.el7.src.rpm" → ["bash", "4.2.46", "34.el7"], split from the right. */
export function splitSourceRpm(file: string): [string, string, string] | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(file);
  return m ? [m[1] as string, m[2] as string, m[3] as string] : undefined;
}

function entryFromHeader(h: RpmHeader, path: string, layerDiffId: string): Entry | undefined {
  const name = h.string(Tag.name);
  // gpg-pubkey "packages" are the imported signing keys, not software.
  if (!name || name === 'gpg-pubkey') return undefined;
  const version = h.string(Tag.version) ?? '';
  const release = h.string(Tag.release) ?? '';
  const epochNum = h.ints(Tag.epoch)[0];
  const epoch = epochNum === undefined ? undefined : String(epochNum);
  const vr = release ? `${version}-${release}` : version;
  const full = epoch ? `${epoch}:${vr}` : vr;
  const arch = h.string(Tag.arch);
  const source = splitSourceRpm(h.string(Tag.sourceRpm) ?? '');
  const pkg: Package = {
    id: osPackageId('rpm', name, full),
    name,
    version: full,
    type: 'rpm',
    ecosystem: '',
    purl: osPurl({ type: 'rpm', name, version: vr, arch, epoch }),
    // The source rpm's file name has no epoch: it is the binary's, as distro advisories assume.
    srcName: source?.[0] ?? name,
    srcVersion: source ? `${epoch ? `${epoch}:` : ''}${source[1]}-${source[2]}` : full,
    origin: 'installed',
    locations: [{ path, layerDiffId }],
  };
  if (arch) pkg.arch = arch;
  const license = h.string(Tag.license);
  if (license) pkg.licenses = [license];
  const properties: Record<string, string> = {};
  const vendor = h.string(Tag.vendor);
  if (vendor) properties.vendor = vendor;
  const modularityLabel = h.string(Tag.modularityLabel);
  if (modularityLabel) properties.modularityLabel = modularityLabel;
  if (Object.keys(properties).length) pkg.properties = properties;
  return {
    pkg,
    requires: h.strings(Tag.requireName),
    provides: h.strings(Tag.provideName),
    files: fileList(h),
  };
}

/** DIRNAMES[DIRINDEXES[i]] + BASENAMES[i]; very old headers list OLDFILENAMES instead. */
function fileList(h: RpmHeader): string[] {
  const baseNames = h.strings(Tag.baseNames);
  if (baseNames.length === 0) return h.strings(Tag.oldFilenames).map((f) => f.replace(/^\/+/, ''));
  const dirNames = h.strings(Tag.dirNames).map((d) => d.replace(/^\/+/, ''));
  const dirIndexes = h.ints(Tag.dirIndexes);
  return baseNames.map((base, i) => `${dirNames[dirIndexes[i] ?? -1] ?? ''}${base}`);
}

/**
 * REQUIRENAME → ids, best effort: a capability some package provides (PROVIDENAME, which includes
 * each package's own name), else a path a package installed. rpmlib() and unresolved requires are
 * skipped.
 */
function resolveRequires(entries: Entry[]): void {
  const providers = new Map<string, Entry>();
  for (const e of entries)
    for (const p of [e.pkg.name, ...e.provides]) if (!providers.has(p)) providers.set(p, e);
  let byFile: Map<string, Entry> | undefined;
  for (const e of entries) {
    const ids = new Set<string>();
    for (const r of e.requires) {
      if (r.startsWith('rpmlib(')) continue;
      let target = providers.get(r);
      if (!target && r.startsWith('/')) {
        byFile ??= new Map(entries.flatMap((x) => x.files.map((f) => [f, x] as const)));
        target = byFile.get(r.slice(1));
      }
      if (target && target !== e) ids.add(target.pkg.id);
    }
    if (ids.size) e.pkg.dependsOn = [...ids].sort();
  }
}

export function parseRpmDb(buf: Buffer, path: string, layerDiffId: string): AnalyzerOutput {
  if (buf.length === 0) throw new BosunError('badInput', `${path}: empty rpm database`, { subject: path });
  let scan: BlobScan;
  try {
    scan = readBlobs(buf);
  } catch (err) {
    throw new BosunError('badInput', `${path}: ${(err as Error).message}`, { subject: path, cause: err });
  }
  const errors = new FileErrors(path, 'rpm');
  for (const p of scan.problems) errors.add(p);
  const entries: Entry[] = [];
  for (const blob of scan.blobs) {
    try {
      const e = entryFromHeader(new RpmHeader(blob), path, layerDiffId);
      if (e) entries.push(e);
    } catch (err) {
      errors.add(`corrupt package header: ${(err as Error).message}`);
    }
  }
  const packages = entries.map((e) => e.pkg);
  disambiguateIds(packages);
  resolveRequires(entries);
  const ownedFiles: OwnedFiles[] = entries
    .filter((e) => e.files.length > 0)
    .map((e) => ({ ownerType: 'rpm', ownerName: e.pkg.name, files: e.files }));
  return { packages, ownedFiles, errors: errors.toArray() };
}

export const rpmAnalyzer: Analyzer = {
  name: 'rpm',
  version: 1,
  wants: { names: DB_FILES },
  required(path: string, info: FileInfo): boolean {
    if (info.type !== 'file' || !path.includes('/rpm/')) return false;
    const dir = DB_DIRS.find((d) => path.startsWith(d));
    return dir !== undefined && DB_FILES.includes(path.slice(dir.length));
  },
  async analyze({ info, content, layer }) {
    return parseRpmDb(await content.buffer(), info.path, layer.diffId);
  },
};
