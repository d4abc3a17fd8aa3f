import type { Analyzer, FileInfo } from '../analyzer/types.js';
import type { Misconfiguration } from '../core/report.js';

const SETUID_BITS = 0o6000;

/** Package-manager downloads and indexes that only make the image bigger and older. */
const CACHE_PATTERNS: [RegExp, string][] = [
  [/^var\/cache\/apt\/archives\/[^/]+\.deb$/, 'apt package cache'],
  [/^var\/lib\/apt\/lists\/[^/]+_(?:Packages|Sources|Release|InRelease)(?:\.\w+)?$/, 'apt package lists'],
  [/^var\/cache\/apk\/[^/]+\.tar\.gz$/, 'apk index cache'],
  [/^var\/cache\/(?:yum|dnf)\/.+\.(?:rpm|sqlite(?:\.\w+)?|solv)$/, 'yum/dnf cache'],
  [/^root\/\.cache\/pip\/.+/, 'pip cache'],
  [/^root\/\.npm\/_cacache\/index-v5\/.+/, 'npm cache'],
];

function isSetuid(info: FileInfo): boolean {
  return info.type === 'file' && (info.mode & SETUID_BITS) !== 0;
}

function cacheKind(path: string): string | undefined {
  return CACHE_PATTERNS.find(([re]) => re.test(path))?.[1];
}

/**
 * Checks of the image's files that need no content, only the walker's FileInfo: setuid/setgid
 * binaries (CIS 4.8), sudo (CIS 4.1: a root escape hatch), package caches (CIS 4.3: unneeded content).
 * Findings are per file, so a later layer that deletes the file also drops the finding.
 */
export const imageFilesAnalyzer: Analyzer = {
  name: 'misconfig-image-files',
  version: 2,
  required(path, info) {
    return (
      isSetuid(info) || (info.type === 'file' && (path === 'usr/bin/sudo' || cacheKind(path) !== undefined))
    );
  },
  async analyze({ info }) {
    const found: Misconfiguration[] = [];
    if (info.path === 'usr/bin/sudo') {
      found.push({
        id: 'BOSUN-IMG-007',
        title: 'sudo installed',
        severity: 'MEDIUM',
        message: 'sudo is installed: a process in the container can become root',
        remediation: 'Do not install sudo; use USER and gosu/su-exec for start-up steps that need root',
        controls: ['CIS-DI-4.1'],
        path: info.path,
      });
    }
    if (isSetuid(info)) {
      const bits = [info.mode & 0o4000 ? 'setuid' : '', info.mode & 0o2000 ? 'setgid' : ''].filter(Boolean);
      found.push({
        id: 'BOSUN-IMG-008',
        title: 'setuid/setgid file',
        severity: 'LOW',
        message: `${info.path} is ${bits.join(' and ')} (mode ${(info.mode & 0o7777).toString(8)})`,
        remediation:
          'Remove the bits where not needed: RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +',
        controls: ['CIS-DI-4.8'],
        path: info.path,
      });
    }
    const cache = cacheKind(info.path);
    if (cache) {
      found.push({
        id: 'BOSUN-IMG-009',
        title: 'Package cache left in the image',
        severity: 'LOW',
        message: `${info.path} is part of the ${cache}`,
        remediation:
          'Clean the cache in the RUN that fills it (rm -rf /var/lib/apt/lists/*, pip --no-cache-dir, …)',
        // Not 4.7 (update alone in a RUN): leftover caches are content the container does not need.
        controls: ['CIS-DI-4.3'],
        path: info.path,
      });
    }
    return { misconfigurations: found };
  },
};
