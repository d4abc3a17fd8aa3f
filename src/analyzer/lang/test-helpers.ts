// Test helpers for language analyzers: run an analyzer on real files of this machine.
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Package } from '../../core/package.js';
import type { FileError } from '../../core/report.js';
import type { Analyzer, AnalyzerOutput, FileInfo } from '../types.js';
import { diskContent, memoryContent } from '../../layer/content.js';

export function fileInfoOf(absPath: string, relPath: string): FileInfo {
  const st = lstatSync(absPath);
  return {
    path: relPath,
    type: st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other',
    size: st.size,
    mode: st.mode,
  };
}

/** Runs one analyzer on one file; `relPath` is the path the analyzer sees (no leading slash). */
export async function analyzeFile(
  analyzer: Analyzer,
  absPath: string,
  relPath = absPath.replace(/^\//, ''),
): Promise<AnalyzerOutput> {
  const info = fileInfoOf(absPath, relPath);
  const content = diskContent(absPath, info.size);
  return (await analyzer.analyze({ info, content, layer: { diffId: 'sha256:test', index: 0 } })) ?? {};
}

/** Runs one analyzer on in-memory bytes. */
export async function analyzeBytes(
  analyzer: Analyzer,
  relPath: string,
  bytes: Buffer | string,
  mode = 0o644,
): Promise<AnalyzerOutput> {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  const info: FileInfo = { path: relPath, type: 'file', size: buf.length, mode };
  const content = memoryContent(buf);
  return (await analyzer.analyze({ info, content, layer: { diffId: 'sha256:test', index: 0 } })) ?? {};
}

/**
 * Walks a directory like the layer walker would, running every analyzer whose required() accepts
 * a file; `maxDepth` 2 reads the directory's files and those of its subdirectories.
 */
export async function analyzeTree(
  analyzers: readonly Analyzer[],
  root: string,
  prefix = '',
  maxDepth = Infinity,
): Promise<{ packages: Package[]; errors: FileError[]; files: number }> {
  const packages: Package[] = [];
  const errors: FileError[] = [];
  let files = 0;
  const visit = async (dir: string, depth = 1): Promise<void> => {
    for (const ent of readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, ent.name);
      const rel = path.posix.join(prefix, path.relative(root, abs).split(path.sep).join('/'));
      if (ent.isDirectory()) {
        if (depth < maxDepth) await visit(abs, depth + 1);
        continue;
      }
      const info = fileInfoOf(abs, rel);
      for (const a of analyzers) {
        if (!a.required(rel, info)) continue;
        files++;
        try {
          const out = await analyzeFile(a, abs, rel);
          packages.push(...(out.packages ?? []));
          errors.push(...(out.errors ?? []));
        } catch (err) {
          errors.push({
            path: rel,
            analyzer: a.name,
            message: err instanceof Error ? err.message : String(err),
          });
        }
      }
    }
  };
  await visit(root);
  return { packages, errors, files };
}

export function nameVersions(pkgs: readonly Package[]): string[] {
  return [...new Set(pkgs.map((p) => `${p.name}@${p.version}`))].sort();
}
