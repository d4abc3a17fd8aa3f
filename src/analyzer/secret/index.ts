import type { ImageConfig } from '../../core/image.js';
import type { FileError, SecretFinding } from '../../core/report.js';
import type { Analyzer, FileInfo } from '../types.js';
import type { SecretConfig } from './config.js';
import { builtinAllowRules, builtinRules } from './rules.js';
import { SecretScanner, type ScannerOptions } from './scanner.js';

import { loadSecretConfig } from './config.js';

export { loadSecretConfig, type SecretConfig } from './config.js';
export { SecretScanner } from './scanner.js';

/** Bump when a built-in rule, allow rule or the masking changes. */
const RULES_VERSION = 3;
/** Larger files are not read (a secret is a line in a small text file); they are counted. */
export const MAX_SECRET_FILE_SIZE = 10 << 20;
/** Like git and grep: a NUL byte this early means a binary file. */
const BINARY_SNIFF_BYTES = 8 << 10;

/**
 * Compressed, compiled and media formats: their bytes would need decoding before any secret in
 * them could be read as text, so they are not buffered at all (unlike other binary files, which
 * are only recognised by their content and are counted).
 */
const BINARY_FORMAT =
  /\.(?:so(?:\.[0-9.]+)?|a|o|ko|gz|tgz|xz|txz|bz2|zst|lz4|lzma|zip|jar|war|ear|whl|egg|deb|udeb|rpm|apk|pyc|pyo|class|wasm|mo|png|jpe?g|gif|ico|webp|bmp|tiff?|woff2?|ttf|otf|pdf|mp[34]|ogg|wav|sqlite3?|db)$/i;

const SKIPPED_BINARY = 'secret scan skipped: binary file';
const SKIPPED_LARGE = `secret scan skipped: larger than ${MAX_SECRET_FILE_SIZE >> 20} MiB`;

/**
 * The scanner for a config: custom rules first (they win overlaps), then the built-ins not
 * disabled; the built-in allow rules not disabled, then the custom ones.
 */
export function createSecretScanner(config?: SecretConfig, options?: ScannerOptions): SecretScanner {
  const disabled = new Set(config?.disabledRules ?? []);
  const rules = [...(config?.rules ?? []), ...builtinRules].filter((r) => !disabled.has(r.id));
  const disabledAllow = new Set(config?.disabledAllowRules ?? []);
  const allowRules = builtinAllowRules.filter((a) => !disabledAllow.has(a.id));
  return new SecretScanner(rules, [...allowRules, ...(config?.allowRules ?? [])], options);
}

export interface SecretAnalyzer extends Analyzer {
  scanner: SecretScanner;
}

/**
 * The secret analyzer: every regular file is read except binary formats known by their name and
 * files under an allowed path; other binary files and oversized ones are skipped and recorded as
 * skip markers (see takeSecretSkips).
 */
export function createSecretAnalyzer(config?: SecretConfig, options?: ScannerOptions): SecretAnalyzer {
  const scanner = createSecretScanner(config, options);
  return {
    name: 'secret',
    // A custom config changes the output, so it gets its own cache identity.
    version: config ? Number.parseInt(config.digest.slice(0, 12), 16) * 100 + RULES_VERSION : RULES_VERSION,
    scanner,
    required(path: string, info: FileInfo): boolean {
      return info.type === 'file' && !BINARY_FORMAT.test(path) && !scanner.isPathAllowed(path);
    },
    async analyze({ info, content }) {
      if (content.size > MAX_SECRET_FILE_SIZE) return skipped(info.path, SKIPPED_LARGE);
      const buffer = await content.buffer();
      if (buffer.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return skipped(info.path, SKIPPED_BINARY);
      const secrets = scanner.scanBuffer(buffer, info.path);
      return secrets.length > 0 ? { secrets } : undefined;
    },
  };
}

export const secretAnalyzer = createSecretAnalyzer();

function skipped(path: string, message: string) {
  return { errors: [{ path, analyzer: 'secret', message }] };
}

/**
 * Splits the secret analyzer's skip markers out of a scan's errors (they are not errors) into one
 * notice that counts them, so that a user knows what was not searched.
 */
export function takeSecretSkips(errors: readonly FileError[]): { errors: FileError[]; notice?: string } {
  let binary = 0;
  let large = 0;
  const rest: FileError[] = [];
  for (const error of errors) {
    if (error.analyzer === 'secret' && error.message === SKIPPED_BINARY) binary++;
    else if (error.analyzer === 'secret' && error.message === SKIPPED_LARGE) large++;
    else rest.push(error);
  }
  if (binary + large === 0) return { errors: rest };
  return {
    errors: rest,
    notice: `secret scan skipped ${binary} binary file(s) and ${large} file(s) larger than ${MAX_SECRET_FILE_SIZE >> 20} MiB`,
  };
}

/**
 * Secrets in the image config: ENV, labels, the command and the history's `created_by` lines
 * (build arguments and `RUN` lines leak there). A value found in ENV and again in the history
 * line that set it is reported once, at its first place.
 */
export function scanImageConfig(
  config: ImageConfig,
  scanner: SecretScanner = secretAnalyzer.scanner,
): SecretFinding[] {
  const c = config.config ?? {};
  const sources: [string, string][] = [
    ...(c.Env ?? []).map((e): [string, string] => ['image config: ENV', e]),
    ...Object.entries(c.Labels ?? {}).map(([k, v]): [string, string] => ['image config: LABEL', `${k}=${v}`]),
    ...(c.Entrypoint?.length
      ? [['image config: ENTRYPOINT', c.Entrypoint.join(' ')] as [string, string]]
      : []),
    ...(c.Cmd?.length ? [['image config: CMD', c.Cmd.join(' ')] as [string, string]] : []),
    ...(c.Healthcheck?.Test?.length
      ? [['image config: HEALTHCHECK', c.Healthcheck.Test.join(' ')] as [string, string]]
      : []),
    ...(config.history ?? []).flatMap((h, i): [string, string][] =>
      h.created_by ? [[`image config: history[${i}]`, h.created_by]] : [],
    ),
  ];
  const seen = new Set<string>();
  const findings: SecretFinding[] = [];
  for (const [path, text] of sources) {
    for (const { finding, fingerprint } of scanner.scanTextWithFingerprints(text, path)) {
      if (seen.has(fingerprint)) continue;
      seen.add(fingerprint);
      // One line each: a line number would only repeat the place.
      const { line: _line, ...rest } = finding;
      findings.push(rest);
    }
  }
  return findings;
}

/**
 * Completes a scan that ran the secret analyzer: adds the image config's secrets, and turns the
 * skip markers into a notice. Scans without it are returned unchanged.
 */
export function finishSecretScan<T extends { secrets: SecretFinding[]; errors: FileError[] }>(
  artifact: T,
  config: ImageConfig | undefined,
  analyzers: readonly Analyzer[],
): { artifact: T; notices: string[] } {
  const analyzer = secretAnalyzerIn(analyzers);
  if (!analyzer) return { artifact, notices: [] };
  const { errors, notice } = takeSecretSkips(artifact.errors);
  const fromConfig = config ? scanImageConfig(config, analyzer.scanner) : [];
  return {
    artifact: { ...artifact, secrets: [...fromConfig, ...artifact.secrets], errors },
    notices: notice ? [notice] : [],
  };
}

function secretAnalyzerIn(analyzers: readonly Analyzer[]): SecretAnalyzer | undefined {
  return analyzers.find((a): a is SecretAnalyzer => a.name === 'secret' && 'scanner' in a);
}

/**
 * Masks secrets in text a report shows whole, such as a layer's history line (`RUN` with a build
 * argument: `|1 NPM_TOKEN=npm_… /bin/sh -c npm ci`), when the scan looks for secrets.
 */
export function secretMasker(analyzers: readonly Analyzer[]): (text: string) => string {
  const analyzer = secretAnalyzerIn(analyzers);
  return analyzer ? (text) => analyzer.scanner.maskSecrets(text) : (text) => text;
}

/** Loads a `--secret-config` file into the secret analyzer of a scan's analyzer list. */
export async function withSecretConfig(
  analyzers: readonly Analyzer[],
  file: string | undefined,
): Promise<Analyzer[]> {
  if (file === undefined) return [...analyzers];
  const configured = createSecretAnalyzer(await loadSecretConfig(file));
  return analyzers.map((a) => (a.name === 'secret' ? configured : a));
}
