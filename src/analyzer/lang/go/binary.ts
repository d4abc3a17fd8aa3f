import type { Analyzer } from '../../types.js';
import type { Package } from '../../../core/package.js';
import { isCandidateExecutable } from '../executable.js';
import { GOBINARY, langPackage } from '../lang-package.js';
import { parseModInfo, scanGoBuildInfo } from './buildinfo.js';
import { decodePointerFormat } from './pointer-format.js';

/** A statically linked Go program is at least ~1 MiB; smaller executables are C tools and scripts. */
const MIN_SIZE = 256 << 10;
const MAX_SIZE = 1 << 30;

export const goBinaryAnalyzer: Analyzer = {
  name: 'go-binary',
  version: 3,
  required: (path, info) => isCandidateExecutable(path, info, MIN_SIZE, MAX_SIZE),
  async analyze({ info, content }) {
    const scan = await scanGoBuildInfo(content.stream());
    const build =
      scan &&
      ('info' in scan ? scan.info : decodePointerFormat(await content.buffer(), scan.pointerHeaderAt));
    if (!build) return undefined;
    const { main, deps } = parseModInfo(build.modInfo);
    const pkgs: Package[] = [];
    const add = (name: string, version: string, properties?: Record<string, string>): void => {
      pkgs.push(langPackage(GOBINARY, info.path, 'installed', { name, version, properties }));
    };
    // `go1.21.3 X:boringcrypto` → 1.21.3, the version OSV's Go stdlib advisories use.
    const goVersion = build.goVersion.split(' ')[0]?.replace(/^go/, '');
    if (goVersion && !goVersion.startsWith('devel')) add('stdlib', goVersion);
    // A main module built from a checkout has version `(devel)`: nothing to match it against.
    if (main && main.version && main.version !== '(devel)') add(main.path, main.version, { main: 'true' });
    for (const dep of deps) if (!dep.localReplacement && dep.version) add(dep.path, dep.version);
    return { packages: pkgs };
  },
};
