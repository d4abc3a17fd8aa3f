import type { OsInfo } from '../../core/package.js';
import type { Analyzer, FileInfo } from '../types.js';
import {
  fromAlpineRelease,
  fromBaseFilesStanza,
  fromDebianVersion,
  fromLsbRelease,
  fromOsRelease,
  fromRedhatRelease,
  fromSuseRelease,
} from './release-files.js';

const DISTROLESS_STATUS_DIR = 'var/lib/dpkg/status.d/';

/**
 * The files that name the OS, most trusted first: os-release is the standard; the distro's own
 * release file comes next (a specific one before redhat-release, which derivatives also carry);
 * lsb-release before debian_version, because Ubuntu ships a debian_version naming its Debian base;
 * a distroless base-files stanza last.
 */
const RELEASE_FILES: readonly { path: string; parse: (text: string) => OsInfo | undefined }[] = [
  { path: 'etc/os-release', parse: fromOsRelease },
  { path: 'usr/lib/os-release', parse: fromOsRelease },
  { path: 'etc/alpine-release', parse: fromAlpineRelease },
  { path: 'etc/rocky-release', parse: fromRedhatRelease },
  { path: 'etc/almalinux-release', parse: fromRedhatRelease },
  { path: 'etc/centos-release', parse: fromRedhatRelease },
  { path: 'etc/redhat-release', parse: fromRedhatRelease },
  { path: 'etc/SuSE-release', parse: fromSuseRelease },
  { path: 'etc/lsb-release', parse: fromLsbRelease },
  { path: 'etc/debian_version', parse: fromDebianVersion },
];

function precedence(path: string): number {
  const i = RELEASE_FILES.findIndex((f) => f.path === path);
  if (i >= 0) return i;
  return path.startsWith(DISTROLESS_STATUS_DIR) ? RELEASE_FILES.length : Number.MAX_SAFE_INTEGER;
}

const RELEASE_PATHS = new Set(RELEASE_FILES.map((f) => f.path));

function isDistrolessStanza(path: string): boolean {
  return (
    path.startsWith(DISTROLESS_STATUS_DIR) &&
    !path.endsWith('.md5sums') &&
    !path.slice(DISTROLESS_STATUS_DIR.length).includes('/')
  );
}

/** Release files are a few hundred bytes; anything much larger is not one. */
const MAX_RELEASE_FILE = 64 * 1024;

export const osAnalyzer: Analyzer = {
  name: 'os',
  version: 1,
  required(path: string, info: FileInfo): boolean {
    if (info.type !== 'file' || info.size > MAX_RELEASE_FILE) return false;
    return RELEASE_PATHS.has(path) || isDistrolessStanza(path);
  },
  async analyze({ info, content }) {
    const text = (await content.buffer()).toString('utf8');
    const parse = RELEASE_FILES.find((f) => f.path === info.path)?.parse ?? fromBaseFilesStanza;
    const os = parse(text);
    return os ? { os } : undefined;
  },
};

/**
 * The OS of an artifact from the release files that survived the layer merge: the one from the
 * most trusted file (see RELEASE_FILES), whatever the order the files were seen in.
 */
export function pickOs(files: readonly { path: string; os: OsInfo }[]): OsInfo | undefined {
  let best: { path: string; os: OsInfo } | undefined;
  for (const f of files) {
    const p = precedence(f.path);
    if (!best || p < precedence(best.path) || (p === precedence(best.path) && f.path < best.path)) best = f;
  }
  return best?.os;
}
