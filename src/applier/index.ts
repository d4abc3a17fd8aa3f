import { compareStrings } from '../core/order.js';
import type { AnalyzerOutput } from '../analyzer/types.js';
import type { OsInfo, Package } from '../core/package.js';
import type { FileError, LayerInfo, Misconfiguration, SecretFinding } from '../core/report.js';
import type { LayerAnalysis } from '../layer/types.js';
import { isWithin } from '../layer/paths.js';
import { pickOs } from '../analyzer/os/index.js';

/** The image's filesystem as the last layer leaves it, seen through the analyzers. */
export interface Artifact {
  os?: OsInfo;
  packages: Package[];
  /** From every layer: a secret deleted by a later layer is still in the image's bytes. */
  secrets: SecretFinding[];
  misconfigurations: Misconfiguration[];
  errors: FileError[];
}

/** What one analyzer found at one path, and in which layer. */
interface Found {
  layer: number;
  analyzer: string;
  output: AnalyzerOutput;
}

/** One path's state: the outputs of its current layer, plus the earlier layers that had it unbroken. */
interface PathState {
  /** Outputs per layer, oldest first, since the path was last deleted. */
  history: Found[][];
  secrets: SecretFinding[];
}

/**
 * Merges layer results in order: a later layer's file replaces the same path, `.wh.<name>`
 * deletes a path and everything under it from the layers below, and `.wh..wh..opq` empties a
 * directory of what the layers below put there.
 */
export function applyLayers(
  layers: readonly LayerAnalysis[],
  layerInfo: readonly LayerInfo[] = [],
): Artifact {
  const info = (index: number): LayerInfo => layerInfo[index] ?? { diffId: layers[index]!.diffId };
  const paths = new Map<string, PathState>();
  const secrets: SecretFinding[] = [];
  const errors: FileError[] = [];

  // Every secret is kept; removedInLayer is stamped when a later layer deletes or replaces its file.
  const remove = (state: PathState, layer: number) => {
    for (const secret of state.secrets) secret.removedInLayer ??= info(layer);
  };

  for (const [index, layer] of layers.entries()) {
    const deleted = new Set(layer.whiteouts);
    if (layer.opaqueDirs.length > 0 || deleted.size > 0) {
      for (const [path, state] of paths) {
        if (layer.opaqueDirs.some((dir) => isWithin(path, dir)) || hasSelfOrAncestorIn(path, deleted)) {
          remove(state, index);
          paths.delete(path);
        }
      }
    }

    const byPath = new Map<string, Found[]>();
    for (const file of layer.files) {
      let found = byPath.get(file.path);
      if (!found) byPath.set(file.path, (found = []));
      found.push({ layer: index, analyzer: file.analyzer, output: file.output });
    }
    for (const [path, found] of byPath) {
      let state = paths.get(path);
      if (state) remove(state, index);
      else paths.set(path, (state = { history: [], secrets: [] }));
      state.history.push(found);
      state.secrets = [];
      for (const { output } of found) {
        for (const secret of output.secrets ?? []) {
          const copy = { ...secret, layer: secret.layer ?? info(index) };
          state.secrets.push(copy);
          secrets.push(copy);
        }
      }
    }
    errors.push(...layer.errors);
  }

  const surviving = [...paths.entries()].sort(([a], [b]) => compareStrings(a, b));
  const packages: Package[] = [];
  const misconfigurations: Misconfiguration[] = [];
  const osFiles: { path: string; os: OsInfo }[] = [];
  for (const [path, state] of surviving) {
    for (const found of state.history.at(-1)!) {
      const { output } = found;
      if (output.os) osFiles.push({ path, os: output.os });
      for (const pkg of output.packages ?? []) {
        const introduced = introducingLayer(pkg, found.analyzer, state.history);
        const locations = pkg.locations.length > 0 ? pkg.locations : [{ path }];
        packages.push({
          ...pkg,
          locations: locations.map((l) => ({ ...l, layerDiffId: info(introduced).diffId })),
        });
      }
      misconfigurations.push(...(output.misconfigurations ?? []));
      errors.push(...(output.errors ?? []));
    }
  }
  linkOwners(
    packages,
    surviving.flatMap(([, state]) => state.history.at(-1)!.flatMap((f) => f.output.ownedFiles ?? [])),
  );
  // Several release files may survive (os-release, debian_version, lsb-release): the most trusted wins.
  const os = pickOs(osFiles);
  return { ...(os ? { os } : {}), packages, secrets, misconfigurations, errors };
}

function hasSelfOrAncestorIn(path: string, set: ReadonlySet<string>): boolean {
  if (set.size === 0) return false;
  for (let p = path; ;) {
    if (set.has(p)) return true;
    const slash = p.lastIndexOf('/');
    if (slash < 0) return false;
    p = p.slice(0, slash);
  }
}

/**
 * A package database rewritten by every layer that installs something (dpkg status) lists old
 * packages again in each: the package came from the earliest layer of the unbroken run, ending at
 * the current one, whose copy of the file still lists the same name and version.
 */
function introducingLayer(pkg: Package, analyzer: string, history: Found[][]): number {
  const key = packageKey(pkg);
  let introduced = history.at(-1)![0]!.layer;
  for (let i = history.length - 2; i >= 0; i--) {
    const found = history[i]!.find((f) => f.analyzer === analyzer);
    if (!found || !packageKeys(found.output).has(key)) break;
    introduced = found.layer;
  }
  return introduced;
}

function packageKey(pkg: Package): string {
  return `${pkg.type}\0${pkg.name}\0${pkg.version}\0${pkg.arch ?? ''}`;
}

/** Each earlier copy of a package database is asked about every package of the later one. */
const keysByOutput = new WeakMap<AnalyzerOutput, ReadonlySet<string>>();

function packageKeys(output: AnalyzerOutput): ReadonlySet<string> {
  let keys = keysByOutput.get(output);
  if (!keys) keysByOutput.set(output, (keys = new Set((output.packages ?? []).map(packageKey))));
  return keys;
}

/**
 * Links a language package to the OS package that installed its files (Debian's
 * python3-requests owns requests' METADATA): it is then matched through the distro's advisories.
 */
function linkOwners(
  packages: Package[],
  owned: { ownerType: string; ownerName: string; files: string[] }[],
): void {
  if (owned.length === 0) return;
  const osPackages = new Map(packages.map((p) => [`${p.type}\0${p.name}`, p]));
  // Only the few paths packages were found at are looked up, out of every file the OS installed.
  const located = new Set(packages.flatMap((p) => p.locations.map((l) => l.path)));
  const ownerOf = new Map<string, { type: string; id: string }>();
  for (const entry of owned) {
    const owner = osPackages.get(`${entry.ownerType}\0${entry.ownerName}`);
    if (!owner) continue;
    for (const listed of entry.files) {
      const file = listed.startsWith('/') ? listed.replace(/^\/+/, '') : listed;
      if (located.has(file)) ownerOf.set(file, { type: entry.ownerType, id: owner.id });
    }
  }
  for (const pkg of packages) {
    if (pkg.ownerId !== undefined) continue;
    for (const location of pkg.locations) {
      const owner = ownerOf.get(location.path);
      if (owner && owner.type !== pkg.type) {
        pkg.ownerId = owner.id;
        break;
      }
    }
  }
}
