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
import { readElf, readRange } from '../elf.js';

const MIN_SIZE = 4 << 10;
/** Larger files are held whole (spilled to disk) while their layer is read: not worth it. */
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
    const header = (await readElf(content))?.section('.dep-v0');
    if (!header) return undefined;
    const section = await readRange(content, header.offset, header.size);
    if (section.length !== header.size) return undefined; // cut off
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
