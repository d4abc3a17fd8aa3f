import type { Analyzer, FileInfo } from '../../types.js';
import { packagesFromStatus } from './status.js';

const DPKG_DIR = 'var/lib/dpkg/';
const STATUS = 'var/lib/dpkg/status';
const STATUS_D = 'var/lib/dpkg/status.d/';
const INFO_DIR = 'var/lib/dpkg/info/';

/** distroless: one stanza per file in status.d, beside `<name>.md5sums` files that are not stanzas. */
function isStatusD(path: string): boolean {
  const rest = path.startsWith(STATUS_D) ? path.slice(STATUS_D.length) : '';
  return rest !== '' && !rest.includes('/') && !rest.endsWith('.md5sums');
}

/** `info/<package>.list` or `info/<package>:<arch>.list`: the files dpkg installed for a package. */
function listOwner(path: string): string | undefined {
  if (!path.startsWith(INFO_DIR) || !path.endsWith('.list')) return undefined;
  const base = path.slice(INFO_DIR.length, -'.list'.length);
  return base && !base.includes('/') ? base.split(':')[0] : undefined;
}

export const dpkgAnalyzer: Analyzer = {
  name: 'dpkg',
  version: 1,
  required(path: string, info: FileInfo): boolean {
    if (info.type !== 'file' || !path.startsWith(DPKG_DIR)) return false;
    return path === STATUS || isStatusD(path) || listOwner(path) !== undefined;
  },
  async analyze({ info, content, layer }) {
    const buf = await content.buffer();
    const owner = listOwner(info.path);
    if (owner !== undefined) {
      const files = buf
        .toString('utf8')
        .split('\n')
        .map((l) => l.trim().replace(/^\/+/, ''))
        .filter((l) => l !== '' && l !== '.');
      return { ownedFiles: [{ ownerType: 'dpkg', ownerName: owner, files }] };
    }
    const { packages, errors } = packagesFromStatus(buf, {
      path: info.path,
      analyzer: 'dpkg',
      layerDiffId: layer.diffId,
      statusOptional: info.path !== STATUS,
    });
    return { packages, errors: errors.toArray() };
  },
};
