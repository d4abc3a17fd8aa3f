import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { BosunError, errorMessage } from '../core/errors.js';
import { lazyRequire, yamlLibrary } from '../core/lazy.js';

// Loaded only when a scan is given a config file (gate, ignore file, secret rules).
const zod = lazyRequire<typeof import('zod')>('zod');

export type Zod = typeof z;
/** A config file's schema, built from zod when a file is read. */
export type ConfigSchema<T> = (zod: Zod) => z.ZodType<T>;

/** Reads a YAML (or JSON) file and checks it against a schema; any problem names the file and the field. */
export async function readConfigFile<T>(file: string, schema: ConfigSchema<T>, what: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const kind = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'notFound' : 'config';
    throw new BosunError(kind, `cannot read ${what} ${file}: ${errorMessage(err)}`, {
      subject: file,
      cause: err,
    });
  }
  let data: unknown;
  try {
    data = yamlLibrary().parse(text);
  } catch (err) {
    throw new BosunError('config', `${what} ${file} is not valid YAML: ${errorMessage(err)}`, {
      subject: file,
    });
  }
  const parsed = schema(zod().z).safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new BosunError('config', `${what} ${file}: ${where}: ${issue.message}`, { subject: file });
  }
  return parsed.data;
}
