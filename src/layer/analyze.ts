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

/** The analyzers that want this file; a throwing required() is recorded, not fatal. */
export function wantingAnalyzers(
  analyzers: readonly Analyzer[],
  info: FileInfo,
  ctx: LayerContext,
  errors: FileError[],
): readonly Analyzer[] {
  let wanting: Analyzer[] | undefined; // most files are wanted by none: no array for them
  for (const analyzer of analyzers) {
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
