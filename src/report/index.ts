import { BosunError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { writeCycloneDx } from './cyclonedx.js';
import { writeGitlab } from './gitlab.js';
import { writeJson } from './json.js';
import { writeJunit } from './junit.js';
import { writeMarkdown } from './markdown.js';
import { writeSarif } from './sarif.js';
import { writeSpdx } from './spdx.js';
import { writeTable, type TableOptions } from './table.js';

export type WriteOptions = TableOptions;
export type ReportWriter = (report: Report, options: WriteOptions) => string;

/** Every output format, by its `--format` name. */
export const reportWriters: Readonly<Record<string, ReportWriter>> = {
  table: writeTable,
  json: writeJson,
  sarif: writeSarif,
  cyclonedx: writeCycloneDx,
  'spdx-json': writeSpdx,
  junit: writeJunit,
  gitlab: writeGitlab,
  markdown: writeMarkdown,
};

export function reportWriter(format: string): ReportWriter {
  const writer = reportWriters[format];
  if (!writer) {
    throw new BosunError(
      'usage',
      `unknown --format "${format}"; one of: ${Object.keys(reportWriters).join(', ')}`,
      {
        subject: '--format',
      },
    );
  }
  return writer;
}
