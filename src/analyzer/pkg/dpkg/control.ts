import { BosunError } from '../../../core/errors.js';

/** One deb822 paragraph: field names lower-cased, continuation lines joined with "\n". */
export interface Stanza {
  fields: Map<string, string>;
  /** 1-based line of the stanza's first field, for error messages. */
  line: number;
}

export interface ParsedControl {
  stanzas: Stanza[];
  /** Lines that are neither a field nor a continuation. */
  badLines: number[];
}

/**
 * Splits a dpkg status-style file (deb822) into stanzas. Binary content is refused outright:
 * a status file is text, and guessing fields out of garbage would invent packages.
 */
export function parseControl(buf: Buffer, path: string): ParsedControl {
  if (buf.subarray(0, 64 * 1024).includes(0)) {
    throw new BosunError('badInput', `${path}: not a dpkg control file (binary content)`, { subject: path });
  }
  const stanzas: Stanza[] = [];
  const badLines: number[] = [];
  let current: Stanza | undefined;
  let lastField: string | undefined;
  const lines = buf.toString('utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (line.trim() === '') {
      current = undefined;
      lastField = undefined;
      continue;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current && lastField)
        current.fields.set(lastField, `${current.fields.get(lastField) ?? ''}\n${line.trim()}`);
      else badLines.push(i + 1);
      continue;
    }
    const m = /^([!-9;-~][!-9;-~]*):[ \t]*(.*)$/.exec(line);
    if (!m) {
      badLines.push(i + 1);
      continue;
    }
    if (!current) {
      current = { fields: new Map(), line: i + 1 };
      stanzas.push(current);
    }
    lastField = (m[1] as string).toLowerCase();
    current.fields.set(lastField, (m[2] as string).trim());
  }
  return { stanzas, badLines };
}
