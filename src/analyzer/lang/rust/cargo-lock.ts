import { tomlLibrary } from '../../../core/lazy.js';
import type { Analyzer } from '../../types.js';
import {
  CARGO,
  badInput,
  hasName,
  isRecord,
  keepKnownDeps,
  langPackage,
  langPackageId,
  str,
  uniqueById,
} from '../lang-package.js';

/**
 * Cargo.lock's [[package]] tables. Entries without `source` are the workspace's own crates, not
 * published ones. Dependencies are written `name` when one version is locked, else `name version`.
 */
export const cargoLockAnalyzer: Analyzer = {
  name: 'cargo-lock',
  version: 1,
  wants: { names: ['Cargo.lock'] },
  required: (path, info) => info.type === 'file' && hasName(path, 'Cargo.lock'),
  async analyze({ info, content }) {
    const path = info.path;
    let doc: Record<string, unknown>;
    try {
      doc = tomlLibrary().parse((await content.buffer()).toString('utf8')) as Record<string, unknown>;
    } catch (err) {
      throw badInput(path, 'invalid TOML', err);
    }
    const entries = (Array.isArray(doc.package) ? doc.package : []).filter(isRecord).flatMap((p) => {
      const name = str(p.name);
      const version = str(p.version);
      return name && version ? [{ name, version, published: str(p.source) !== undefined, raw: p }] : [];
    });
    const idOf = (ref: string): string | undefined => {
      const [name, version] = ref.split(' ');
      const e = entries.find((x) => x.name === name && (version === undefined || x.version === version));
      return e && langPackageId(CARGO, e.name, e.version, path);
    };
    const pkgs = entries
      .filter((e) => e.published)
      .map((e) =>
        langPackage(CARGO, path, 'declared', {
          name: e.name,
          version: e.version,
          dependsOn: (Array.isArray(e.raw.dependencies) ? e.raw.dependencies : [])
            .map((d) => (typeof d === 'string' ? idOf(d) : undefined))
            .filter((d): d is string => d !== undefined),
        }),
      );
    return { packages: keepKnownDeps(uniqueById(pkgs)) };
  },
};
