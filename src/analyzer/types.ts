import type { Readable } from 'node:stream';
import type { OsInfo, Package } from '../core/package.js';
import type { FileError, Misconfiguration, SecretFinding } from '../core/report.js';

/** What the walker knows about a file before reading it. */
export interface FileInfo {
  /** Normalised path: no leading slash, no `.` or `..` segments. */
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  size: number;
  mode: number;
  uid?: number;
  gid?: number;
  /** Symlink or hard link target, normalised for hard links. */
  linkTarget?: string;
}

/** A buffered file's content: in memory when small, in a temp file when large. */
export interface FileContent {
  size: number;
  buffer(): Promise<Buffer>;
  stream(): Readable;
  /**
   * Up to `length` bytes from `offset` (fewer at the end of the file), without joining or reading
   * the rest: for formats with headers that point into the file (ELF). The walker's contents have
   * it; hand-made ones may not (see readRange).
   */
  read?(offset: number, length: number): Promise<Buffer>;
}

export interface AnalyzeInput {
  info: FileInfo;
  content: FileContent;
  /** The layer being read (for a directory scan, the one pseudo-layer). */
  layer: { diffId: string; index: number };
}

/** Which files an OS package manager says a package installed. */
export interface OwnedFiles {
  /** The OS package's format (dpkg, apk, rpm) and name, as the package database names it. */
  ownerType: string;
  ownerName: string;
  files: string[];
}

/** Facts found in one file. The applier merges these across layers by path. */
export interface AnalyzerOutput {
  os?: OsInfo;
  packages?: Package[];
  ownedFiles?: OwnedFiles[];
  secrets?: SecretFinding[];
  misconfigurations?: Misconfiguration[];
  /** Problems with this file that did not stop the scan. */
  errors?: FileError[];
}

export interface Analyzer {
  name: string;
  /** Bump when the output for the same input changes: it invalidates cached layer results. */
  version: number;
  /** Pure and cheap, no I/O: does this analyzer want this file? */
  required(path: string, info: FileInfo): boolean;
  /**
   * Optional, for speed: every file this analyzer can want has one of these names (last path
   * segment) or extensions (from the name's last dot, matched in any case). The walker then asks
   * required() only about such files instead of about every file of the image.
   */
  wants?: { names?: readonly string[]; extensions?: readonly string[] };
  /** Throwing records a FileError for this file and the scan goes on. */
  analyze(input: AnalyzeInput): Promise<AnalyzerOutput | undefined>;
}
