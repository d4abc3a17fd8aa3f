/**
 * Path rules for layer entries: every path the walker hands on is relative to the image root, with
 * no leading slash and no `.` or `..` segments.
 */

/**
 * Normalises a tar entry name (`./usr/bin/`, `/etc//passwd`, `a/../b`). Returns undefined when the
 * path climbs above the root: such an entry is hostile and must never be used.
 */
export function normalizeLayerPath(name: string): string | undefined {
  const out: string[] = [];
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else {
      out.push(segment);
    }
  }
  return out.join('/');
}

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
/** AUFS bookkeeping entries (`.wh..wh.plnk`, `.wh..wh.aufs`): markers, not deletions. */
const AUFS_META_PREFIX = '.wh..wh.';

export type Whiteout = { kind: 'delete'; path: string } | { kind: 'opaque'; dir: string } | { kind: 'meta' };

/**
 * Classifies a normalised path as an OCI/AUFS whiteout marker. Only the BASENAME matters:
 * `a.wh.b` or a directory `x.wh.y/` holding normal files are ordinary entries.
 */
export function classifyWhiteout(path: string): Whiteout | undefined {
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  if (!base.startsWith(WHITEOUT_PREFIX)) return undefined;
  const dir = slash < 0 ? '' : path.slice(0, slash);
  if (base === OPAQUE_MARKER) return { kind: 'opaque', dir };
  if (base.startsWith(AUFS_META_PREFIX) || base === WHITEOUT_PREFIX) return { kind: 'meta' };
  const name = base.slice(WHITEOUT_PREFIX.length);
  return { kind: 'delete', path: dir === '' ? name : `${dir}/${name}` };
}

/** True when `path` is `dir` itself or lies under it; the root dir ('') contains everything. */
export function isWithin(path: string, dir: string): boolean {
  if (dir === '') return true;
  return path === dir || (path.startsWith(dir) && path.charCodeAt(dir.length) === 47); /* / */
}
