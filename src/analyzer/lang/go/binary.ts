import type { Analyzer, FileContent } from '../../types.js';
import type { Package } from '../../../core/package.js';
import { PF_W, PF_X, PT_LOAD, readElf, readRange } from '../elf.js';
import { isCandidateExecutable } from '../executable.js';
import { GOBINARY, langPackage } from '../lang-package.js';
import {
  blobLength,
  decodeInline,
  findHeader,
  MAX_BLOB,
  parseModInfo,
  scanGoBuildInfo,
  type GoBuildInfo,
} from './buildinfo.js';
import { decodePointerFormat } from './pointer-format.js';

/** A statically linked Go program is at least ~1 MiB; smaller executables are C tools and scripts. */
const MIN_SIZE = 256 << 10;
const MAX_SIZE = 1 << 30;

/** How much of the `.go.buildinfo` section Go's own reader searches for the header. */
const SEARCH_SIZE = 64 << 10;

/**
 * A program's Go build information; undefined for non-Go files. ELF programs are read much as
 * `go version -m` reads them: the header is searched for at the start of the `.go.buildinfo`
 * section or, when section headers are stripped, in the first writable segment (all of it: with
 * cgo the section is not at its start). Only that part of the file is read. Other formats (PE,
 * Mach-O) are scanned whole.
 */
async function readGoBuildInfo(content: FileContent): Promise<GoBuildInfo | undefined> {
  const elf = await readElf(content);
  if (!elf) return scanGoBuildInfo(content.stream());
  const section = elf.section('.go.buildinfo');
  // Go's linker always writes the section: a section table without it is not a Go program's.
  if (!section && elf.hasSections) return undefined;
  const data = section
    ? { offset: section.offset, fileSize: SEARCH_SIZE }
    : (await elf.segments()).find((p) => p.type === PT_LOAD && (p.flags & (PF_X | PF_W)) === PF_W);
  if (!data) return undefined;
  const start = data.offset;
  const window = await readRange(content, start, data.fileSize);
  const header = findHeader(window, start);
  // Go 1.13–1.17 wrote pointers to the strings, resolved through the program's segments.
  if (header?.kind !== 'inline') return header && decodePointerFormat(content, elf, start + header.at);
  let blob = window.subarray(header.at);
  const need = blobLength(blob);
  if (need === undefined || need > blob.length)
    blob = await readRange(content, start + header.at, Math.min(need ?? MAX_BLOB, MAX_BLOB));
  return decodeInline(blob);
}

export const goBinaryAnalyzer: Analyzer = {
  name: 'go-binary',
  // 4: ELF programs are read through their headers, like `go version -m`, not scanned whole.
  version: 4,
  required: (path, info) => isCandidateExecutable(path, info, MIN_SIZE, MAX_SIZE),
  async analyze({ info, content }) {
    const build = await readGoBuildInfo(content);
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
