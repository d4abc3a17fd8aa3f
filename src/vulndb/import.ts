import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { BosunError } from '../core/errors.js';
import { withDatabaseCopy, type BuildOptions } from './build.js';
import { defaultSource } from './record.js';
import { Batch, type EcosystemUpdate } from './update.js';
import { zipJsonEntries } from './zip.js';
import { compareStrings } from '../core/order.js';

/**
 * `db import PATH`, for air-gapped use. PATH is
 * - a mirror of OSV's bucket (subdirectories holding all.zip): each ecosystem replaced whole,
 *   as a full update would;
 * - a zip of OSV records, or a directory of `.json` records (searched recursively): merged,
 *   each record filed under its first affected ecosystem (`all.zip` inside `<Eco>/`: under <Eco>).
 */
export async function importPath(
  target: string,
  options: BuildOptions & { now?: () => Date; progress?: (where: string, records: number) => void },
): Promise<EcosystemUpdate[]> {
  const full = path.resolve(target);
  if (!existsSync(full))
    throw new BosunError('notFound', `${target}: no such file or directory`, { subject: target });
  const now = options.now ?? (() => new Date());
  const isDir = statSync(full).isDirectory();
  const mirror = isDir
    ? readdirSync(full, { withFileTypes: true }).filter(
        (d) => d.isDirectory() && existsSync(path.join(full, d.name, 'all.zip')),
      )
    : [];
  return withDatabaseCopy(options, async (writer) => {
    const results: EcosystemUpdate[] = [];
    if (mirror.length > 0) {
      for (const d of mirror.sort((a, b) => compareStrings(a.name, b.name))) {
        const zip = path.join(full, d.name, 'all.zip');
        writer.begin();
        writer.deleteSource(d.name);
        const batch = new Batch(writer, d.name);
        for (const entry of zipJsonEntries(zip, zip))
          batch.add(entry.text, `${zip}:${entry.name}`, entry.deflated);
        writer.commit();
        const result = batch.result();
        writer.setSource(d.name, full, result.lastModified, now());
        results.push({ ecosystem: d.name, mode: 'full', imported: result.imported, skipped: result.skipped });
        options.progress?.(d.name, result.imported);
      }
      return results;
    }
    const zipDir =
      !isDir && path.basename(full) === 'all.zip' ? path.basename(path.dirname(full)) : undefined;
    const batch = new Batch(writer, zipDir ?? defaultSource);
    writer.begin();
    if (isDir) {
      for (const file of jsonFiles(full)) batch.add(readFileSync(file, 'utf8'), file);
    } else {
      for (const entry of zipJsonEntries(full, full))
        batch.add(entry.text, `${full}:${entry.name}`, entry.deflated);
    }
    writer.commit();
    const result = batch.result();
    if (zipDir) writer.setSource(zipDir, full, result.lastModified, now());
    return [{ ecosystem: zipDir ?? '*', mode: 'full', imported: result.imported, skipped: result.skipped }];
  });
}

function* jsonFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    compareStrings(a.name, b.name),
  )) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* jsonFiles(p);
    else if (entry.isFile() && entry.name.endsWith('.json')) yield p;
  }
}
