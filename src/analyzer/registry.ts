import type { Analyzer } from './types.js';
import { langAnalyzers } from './lang/index.js';
import { osAnalyzer } from './os/index.js';
import { apkAnalyzer } from './pkg/apk/index.js';
import { dpkgAnalyzer } from './pkg/dpkg/index.js';
import { rpmAnalyzer } from './pkg/rpm/index.js';
import { secretAnalyzer } from './secret/index.js';
import { configFilesAnalyzer } from '../misconfig/config-files.js';
import { imageFilesAnalyzer } from '../misconfig/image-files.js';

/** What a user asks to scan for (`--scanners`), and the analyzers each needs. */
export type Scanner = 'vuln' | 'secret' | 'misconfig';

/**
 * Every analyzer bosun runs, listed explicitly (no side-effect registration), by the scanner
 * that needs it. Tests check that every analyzer folder is listed here.
 */
export const analyzerGroups: Readonly<Record<Scanner, readonly Analyzer[]>> = {
  vuln: [osAnalyzer, dpkgAnalyzer, apkAnalyzer, rpmAnalyzer, ...langAnalyzers],
  secret: [secretAnalyzer],
  misconfig: [imageFilesAnalyzer, configFilesAnalyzer],
};

export const SCANNERS = Object.keys(analyzerGroups) as Scanner[];

/** All analyzers, in a stable order. */
export const analyzers: readonly Analyzer[] = SCANNERS.flatMap((s) => analyzerGroups[s]);

/** The analyzers the given scanners need; the OS analyzer always runs, as every report names the OS. */
export function analyzersFor(scanners: readonly Scanner[]): Analyzer[] {
  const chosen = new Set(scanners.flatMap((s) => analyzerGroups[s]));
  chosen.add(osAnalyzer);
  return analyzers.filter((a) => chosen.has(a));
}
