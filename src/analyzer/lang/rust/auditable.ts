import { inflateSync } from 'node:zlib';
import type { Analyzer } from '../../types.js';
import { isCandidateExecutable } from '../executable.js';
import {
  CARGO,
  badInput,
  isRecord,
  keepKnownDeps,
  langPackage,
  langPackageId,
  str,
  uniqueById,
} from '../lang-package.js';
import { elfSection, streamContains } from './elf.js';

const MIN_SIZE = 4 << 10;
const SECTION_NAME = Buffer.from('.dep-v0\0', 'latin1');
/** The section is found by parsing ELF headers, which needs the whole file in memory. */
const MAX_SIZE = 256 << 20;
/** The dependency list of any real program inflates to well under this. */
const MAX_JSON = 16 << 20;

/**
 * Binaries built with cargo-auditable carry their dependency tree in the `.dep-v0` ELF section:
 * zlib-compressed JSON {packages: [{name, version, source, kind, dependencies: [index…], root}]}.
 */
export const cargoAuditableAnalyzer: Analyzer = {
  name: 'rust-cargo-auditable',
  version: 2,
  required: (path, info) => isCandidateExecutable(path, info, MIN_SIZE, MAX_SIZE),
  async analyze({ info, content }) {
    // Most executables are not cargo-auditable builds: a streaming look for the section name
    // (in the section string table) spares loading each of them whole.
    if (!(await streamContains(content.stream(), SECTION_NAME))) return undefined;
    const section = elfSection(await content.buffer(), '.dep-v0');
    if (!section) return undefined;
    let doc: unknown;
    try {
      doc = JSON.parse(inflateSync(section, { maxOutputLength: MAX_JSON }).toString('utf8'));
    } catch (err) {
      throw badInput(info.path, 'unreadable cargo-auditable .dep-v0 section', err);
    }
    const list = isRecord(doc) && Array.isArray(doc.packages) ? doc.packages : [];
    const entries = list.map((p) => (isRecord(p) ? p : {}));
    const idAt = (i: unknown): string | undefined => {
      const e = typeof i === 'number' ? entries[i] : undefined;
      const [name, version] = [str(e?.name), str(e?.version)];
      return e && name && version && e.source !== 'local'
        ? langPackageId(CARGO, name, version, info.path)
        : undefined;
    };
    const pkgs = entries.flatMap((e) => {
      const [name, version] = [str(e.name), str(e.version)];
      // `local` crates are the program's own workspace, not published ones.
      if (!name || !version || e.source === 'local') return [];
      const dependsOn = (Array.isArray(e.dependencies) ? e.dependencies : [])
        .map(idAt)
        .filter((d): d is string => d !== undefined);
      return [
        langPackage(CARGO, info.path, 'installed', {
          name,
          version,
          dependsOn,
          properties: e.kind === 'build' ? { kind: 'build' } : undefined,
        }),
      ];
    });
    return { packages: keepKnownDeps(uniqueById(pkgs)) };
  },
};
