import type { AnalyzerOutput } from '../analyzer/types.js';
import type { FileError } from '../core/report.js';

/** What one analyzer found in one file of one layer. */
export interface LayerFile {
  path: string;
  analyzer: string;
  /**
   * Empty when the analyzer returned nothing: the entry still tells the applier that this layer
   * has a file at this path, which hides what lower layers found there.
   */
  output: AnalyzerOutput;
}

export interface LayerStats {
  /** Entries other than whiteout markers and the root directory: files, directories, links. */
  fileCount: number;
  /** Entries whose basename starts with `.wh.` (deletions, opaque markers, AUFS bookkeeping). */
  whiteoutCount: number;
  /** Bytes of the uncompressed tar (for a directory: sum of regular file sizes). */
  uncompressedSize: number;
  /** Bytes as stored; absent for directories. */
  compressedSize?: number;
}

/** Everything the walker learnt from one layer; the applier merges these in layer order. */
export interface LayerAnalysis {
  diffId: string;
  index: number;
  files: LayerFile[];
  /** Paths this layer deletes from the layers below it (`.wh.<name>`). */
  whiteouts: string[];
  /** Directories whose lower-layer content this layer hides (`.wh..wh..opq`); '' is the root. */
  opaqueDirs: string[];
  stats: LayerStats;
  errors: FileError[];
}

export interface WalkOptions {
  /** Layers read at once by walkImage (default 2). */
  concurrency?: number;
  /** Wanted files larger than this spill to a temp file instead of memory (default 8 MiB). */
  memoryLimit?: number;
  /** Where spill files go (default os.tmpdir()); each layer uses its own bosun-* folder. */
  tmpDir?: string;
  signal?: AbortSignal;
  /** Called as each layer finishes, e.g. for progress output. */
  onLayer?: (analysis: LayerAnalysis, total: number) => void;
}
