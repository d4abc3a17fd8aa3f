import type yauzl from 'yauzl';
import { lazyRequire } from '../../../core/lazy.js';
import type { Package } from '../../../core/package.js';
import type { FileError } from '../../../core/report.js';
import type { Analyzer } from '../../types.js';
import { JAR, langPackage, uniqueById } from '../lang-package.js';

const zipReader = lazyRequire<typeof import('yauzl')>('yauzl');

const ARCHIVE_NAME = /\.(?:jar|war|ear|par|jpi|hpi)$/i;
/** The archive is read into memory whole (zip's directory is at its end); larger ones are skipped. */
const MAX_ARCHIVE_SIZE = 1 << 30;

export interface JavaArchiveLimits {
  /** Nesting levels read below the archive itself (a war's WEB-INF/lib jars are level 1). */
  maxDepth: number;
  /** Decompressed bytes read per top-level archive, across all nested archives: a zip bomb guard. */
  maxTotalBytes: number;
  /** A manifest or pom.properties larger than this is not a real one. */
  maxMetadataBytes: number;
}

export const DEFAULT_LIMITS: JavaArchiveLimits = {
  maxDepth: 3,
  maxTotalBytes: 512 << 20,
  maxMetadataBytes: 1 << 20,
};

class LimitExceeded extends Error {}

/** `key=value` and `key: value` lines of a Java properties file (no escapes needed for Maven's). */
function parseProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^#!=:\s][^=:]*?)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (m) props.set(m[1] as string, m[2] as string);
  }
  return props;
}

/** MANIFEST.MF main section: `Key: value`, continuation lines start with one space. */
export function parseManifest(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break; // per-entry sections follow the first blank line
    if (line.startsWith(' ') && last) fields.set(last, `${fields.get(last) ?? ''}${line.slice(1)}`);
    else {
      const i = line.indexOf(':');
      if (i <= 0) continue;
      last = line.slice(0, i).trim();
      fields.set(last, line.slice(i + 1).trim());
    }
  }
  return fields;
}

/** `commons-io-2.11.0.jar` → commons-io, 2.11.0. */
export function nameFromFileName(file: string): { artifact: string; version?: string } {
  const base = file.slice(file.lastIndexOf('/') + 1).replace(ARCHIVE_NAME, '');
  const m = /^(.+?)-(\d[\w.+-]*)$/.exec(base);
  return m ? { artifact: m[1] as string, version: m[2] } : { artifact: base };
}

interface Budget {
  remaining: number;
}

async function readEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  limit: number,
  budget: Budget,
  what: string,
): Promise<Buffer> {
  if (entry.uncompressedSize > limit || entry.uncompressedSize > budget.remaining) {
    throw new LimitExceeded(`${what} would decompress to ${entry.uncompressedSize} bytes, over the limit`);
  }
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      budget.remaining -= chunk.length;
      if (size > limit || budget.remaining < 0)
        throw new LimitExceeded(`${what} decompresses past the size limit`);
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks);
}

interface ArchiveContext {
  /** The file in the image, which every package found inside is located at. */
  filePath: string;
  limits: JavaArchiveLimits;
  budget: Budget;
  packages: Package[];
  errors: FileError[];
}

/**
 * Packages in one archive: every pom.properties (shaded jars carry several); when there is none,
 * the manifest and the file name name the archive itself. Nested archives are read recursively.
 */
async function readArchive(
  ctx: ArchiveContext,
  buf: Buffer,
  archivePath: string,
  depth: number,
): Promise<void> {
  // decodeStrings off: yauzl would reject the whole archive over one entry named with a
  // backslash or `..`, which some real jars have; this reader never writes entries to disk.
  const zip = await zipReader().fromBufferPromise(buf, { lazyEntries: true, decodeStrings: false });
  const found: Package[] = [];
  let manifest: Map<string, string> | undefined;
  const nested: { entry: yauzl.Entry; name: string }[] = [];
  const properties = archivePath === ctx.filePath ? undefined : { archivePath };
  try {
    for await (const entry of zip.eachEntry()) {
      // Archivers on Windows have written `\` as the separator.
      const name = (entry.fileName as unknown as Buffer).toString('utf8').replaceAll('\\', '/');
      if (/^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(name)) {
        const props = parseProperties(
          (
            await readEntry(zip, entry, ctx.limits.maxMetadataBytes, ctx.budget, `${archivePath}!/${name}`)
          ).toString('utf8'),
        );
        const [g, a, v] = [props.get('groupId'), props.get('artifactId'), props.get('version')];
        if (g && a && v)
          found.push(
            langPackage(JAR, ctx.filePath, 'installed', { name: `${g}:${a}`, version: v, properties }),
          );
      } else if (name === 'META-INF/MANIFEST.MF') {
        manifest = parseManifest(
          (
            await readEntry(zip, entry, ctx.limits.maxMetadataBytes, ctx.budget, `${archivePath}!/${name}`)
          ).toString('utf8'),
        );
      } else if (ARCHIVE_NAME.test(name) && !name.endsWith('/')) {
        nested.push({ entry, name });
      }
    }
    if (found.length === 0) {
      const fromFile = nameFromFileName(archivePath);
      const version =
        manifest?.get('Implementation-Version') ?? manifest?.get('Bundle-Version') ?? fromFile.version;
      const group = manifest?.get('Implementation-Vendor-Id');
      if (version) {
        const name = group ? `${group}:${fromFile.artifact}` : fromFile.artifact;
        found.push(langPackage(JAR, ctx.filePath, 'installed', { name, version, properties }));
      }
    }
    ctx.packages.push(...found);
    for (const { entry, name } of nested) {
      const inner = `${archivePath}!/${name}`;
      if (depth >= ctx.limits.maxDepth) {
        ctx.errors.push({
          path: ctx.filePath,
          message: `${inner}: archives nested deeper than ${ctx.limits.maxDepth} levels are not read`,
        });
        break;
      }
      const data = await readEntry(zip, entry, ctx.budget.remaining, ctx.budget, inner);
      try {
        await readArchive(ctx, data, inner, depth + 1);
      } catch (err) {
        if (err instanceof LimitExceeded) throw err;
        ctx.errors.push({
          path: ctx.filePath,
          message: `${inner}: unreadable archive: ${(err as Error).message}`,
        });
      }
    }
  } finally {
    zip.close();
  }
}

export function createJavaArchiveAnalyzer(limits: JavaArchiveLimits = DEFAULT_LIMITS): Analyzer {
  return {
    name: 'java-archive',
    version: 3,
    wants: { extensions: ['.jar', '.war', '.ear', '.par', '.jpi', '.hpi'] },
    required: (path, info) =>
      info.type === 'file' && info.size >= 22 && info.size <= MAX_ARCHIVE_SIZE && ARCHIVE_NAME.test(path),
    async analyze({ info, content }) {
      const ctx: ArchiveContext = {
        filePath: info.path,
        limits,
        budget: { remaining: limits.maxTotalBytes },
        packages: [],
        errors: [],
      };
      try {
        await readArchive(ctx, await content.buffer(), info.path, 0);
      } catch (err) {
        const reason = err instanceof LimitExceeded ? 'zip bomb guard' : 'unreadable archive';
        ctx.errors.push({ path: info.path, message: `${info.path}: ${reason}: ${(err as Error).message}` });
      }
      const out: { packages?: Package[]; errors?: FileError[] } = {};
      if (ctx.packages.length > 0) out.packages = uniqueById(ctx.packages);
      if (ctx.errors.length > 0) out.errors = ctx.errors;
      return out.packages || out.errors ? out : undefined;
    },
  };
}

export const javaArchiveAnalyzer = createJavaArchiveAnalyzer();
