import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { z } from 'zod';
import { BosunError, errorMessage } from '../core/errors.js';

/** Reads a YAML (or JSON) file and checks it against a schema; any problem names the file and the field. */
export async function readConfigFile<T>(file: string, schema: z.ZodType<T>, what: string): Promise<T> {
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
    data = parse(text);
  } catch (err) {
    throw new BosunError('config', `${what} ${file} is not valid YAML: ${errorMessage(err)}`, {
      subject: file,
    });
  }
  const parsed = schema.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new BosunError('config', `${what} ${file}: ${where}: ${issue.message}`, { subject: file });
  }
  return parsed.data;
}
