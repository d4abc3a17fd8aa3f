import type { Analyzer, FileContent, FileInfo } from '../analyzer/types.js';
import { errorMessage } from '../core/errors.js';
import type { FileError, LayerInfo } from '../core/report.js';
import type { LayerAnalysis } from './types.js';

export interface LayerContext {
  /** What analyzers are told about the layer. */
  layer: { diffId: string; index: number };
  /** What errors name. */
  info: LayerInfo;
}

const NONE: readonly Analyzer[] = [];

/** Which analyzers to ask about a file, by its name and extension (see Analyzer.wants). */
interface Dispatch {
  /** Analyzers without `wants`: asked about every file. */
  always: readonly Analyzer[];
  byName: Map<string, Analyzer[]>;
  byExtension: Map<string, Analyzer[]>;
  /** Registry order, kept for the analyzers a file selects. */
  order: Map<Analyzer, number>;
}

const dispatches = new WeakMap<readonly Analyzer[], Dispatch>();

function dispatchFor(analyzers: readonly Analyzer[]): Dispatch {
  let d = dispatches.get(analyzers);
  if (d) return d;
  const add = (map: Map<string, Analyzer[]>, key: string, a: Analyzer) => {
    const list = map.get(key) ?? [];
    if (!list.includes(a)) list.push(a);
    map.set(key, list);
  };
  d = {
    always: analyzers.filter((a) => !a.wants),
    byName: new Map(),
    byExtension: new Map(),
    order: new Map(analyzers.map((a, i) => [a, i])),
  };
  for (const a of analyzers) {
    for (const name of a.wants?.names ?? []) add(d.byName, name, a);
    for (const ext of a.wants?.extensions ?? []) add(d.byExtension, ext.toLowerCase(), a);
  }
  dispatches.set(analyzers, d);
  return d;
}

/** The analyzers to ask about this file, in registry order. */
function candidates(analyzers: readonly Analyzer[], path: string): readonly Analyzer[] {
  const d = dispatchFor(analyzers);
  if (d.byName.size === 0 && d.byExtension.size === 0) return analyzers;
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const byName = d.byName.get(name);
  const byExtension = dot < 0 ? undefined : d.byExtension.get(name.slice(dot).toLowerCase());
  if (!byName && !byExtension) return d.always;
  return [...d.always, ...(byName ?? []), ...(byExtension ?? [])]
    .filter((a, i, all) => all.indexOf(a) === i)
    .sort((a, b) => d.order.get(a)! - d.order.get(b)!);
}

/** The analyzers that want this file; a throwing required() is recorded, not fatal. */
export function wantingAnalyzers(
  analyzers: readonly Analyzer[],
  info: FileInfo,
  ctx: LayerContext,
  errors: FileError[],
): readonly Analyzer[] {
  let wanting: Analyzer[] | undefined; // most files are wanted by none: no array for them
  for (const analyzer of candidates(analyzers, info.path)) {
    try {
      if (analyzer.required(info.path, info)) (wanting ??= []).push(analyzer);
    } catch (err) {
      errors.push({ path: info.path, layer: ctx.info, analyzer: analyzer.name, message: errorMessage(err) });
    }
  }
  return wanting ?? NONE;
}

/** Runs each wanting analyzer on the file, one after another, recording outputs and failures. */
export async function runAnalyzers(
  analyzers: readonly Analyzer[],
  info: FileInfo,
  content: FileContent,
  ctx: LayerContext,
  analysis: LayerAnalysis,
): Promise<void> {
  for (const analyzer of analyzers) {
    let output;
    try {
      output = await analyzer.analyze({ info, content, layer: ctx.layer });
    } catch (err) {
      analysis.errors.push({
        path: info.path,
        layer: ctx.info,
        analyzer: analyzer.name,
        message: errorMessage(err),
      });
    }
    // Recorded even when empty or failed: this layer's file hides what lower layers had there.
    analysis.files.push({ path: info.path, analyzer: analyzer.name, output: output ?? {} });
  }
}
