import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { BosunError, errorMessage } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { reportWriter } from '../report/index.js';

/** One requested output: a format and where it goes (stdout when no file). */
export interface OutputTarget {
  format: string;
  file?: string;
}

/**
 * `--format F` (repeatable, `F=FILE` sends that format to a file) and `--output FILE` (for the
 * one format given without a file), so one run can print a table and write SARIF and JSON.
 */
export function parseOutputs(
  formats: readonly string[],
  output: string | undefined,
  allowed: readonly string[],
): OutputTarget[] {
  const targets = formats.map((spec) => {
    const eq = spec.indexOf('=');
    const format = eq < 0 ? spec : spec.slice(0, eq);
    if (!allowed.includes(format)) {
      throw new BosunError('usage', `--format: unknown format "${format}" (expected ${allowed.join(', ')})`, {
        subject: '--format',
      });
    }
    return eq < 0 ? { format } : { format, file: spec.slice(eq + 1) };
  });
  const toStdout = targets.filter((t) => !t.file);
  if (output) {
    if (toStdout.length !== 1) {
      throw new BosunError('usage', '--output needs exactly one --format without =FILE', {
        subject: '--output',
      });
    }
    toStdout[0]!.file = output;
  } else if (toStdout.length > 1) {
    throw new BosunError(
      'usage',
      'only one --format can go to standard output; give the others as FORMAT=FILE',
      { subject: '--format' },
    );
  }
  return targets;
}

export async function writeOutputs(report: Report, targets: readonly OutputTarget[]): Promise<void> {
  for (const target of targets) {
    const toTerminal = !target.file && process.stdout.isTTY === true;
    const text = reportWriter(target.format)(report, {
      color: toTerminal,
      ...(toTerminal && process.stdout.columns ? { width: process.stdout.columns } : {}),
    });
    if (!target.file) {
      process.stdout.write(text);
      continue;
    }
    try {
      await writeFile(target.file, text);
    } catch (err) {
      throw new BosunError('usage', `--output: cannot write ${target.file}: ${errorMessage(err)}`, {
        subject: target.file,
      });
    }
  }
}

/** `--format` (repeatable) and `-o/--output`, which parseOutputs reads back. */
export function addOutputOptions(command: Command, formats: readonly string[]): Command {
  return command
    .option(
      '--format <format>',
      `output format (repeatable; FORMAT=FILE writes a file): ${formats.join('|')}`,
      collect,
    )
    .option('-o, --output <file>', 'write the output to this file');
}

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
