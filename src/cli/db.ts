import type { Command } from 'commander';
import { BosunError } from '../core/errors.js';
import { comparatorFor, evaluate, type Evaluation } from '../matcher/index.js';
import {
  importPath,
  openVulnDb,
  resolveCacheDir,
  updateDb,
  type Advisory,
  type DbStatus,
  type EcosystemUpdate,
} from '../vulndb/index.js';

/** `db status` warns (never refuses) past this age. */
export const STALE_AFTER_DAYS = 7;
const FORMATS = ['table', 'json'];

export function register(program: Command): void {
  // `db search --version V` must reach the subcommand, not the program's own --version.
  program.enablePositionalOptions();
  const db = program.command('db').description('Manage the OSV vulnerability database');
  const cacheDirOption = [
    '--cache-dir <dir>',
    'cache directory (default $BOSUN_CACHE_DIR, $XDG_CACHE_HOME/bosun, ~/.cache/bosun)',
  ] as const;

  db.command('update')
    .description(
      'Download OSV records: all.zip per ecosystem the first time, then only what modified_id.csv lists as changed',
    )
    .option(
      '--repository <url|dir>',
      'OSV bucket URL or local mirror (default $BOSUN_DB_REPOSITORY, else OSV)',
    )
    .option('--ecosystems <list>', 'comma-separated ecosystem directories (default: all the repository has)')
    .option(...cacheDirOption)
    .action(async (opts: { repository?: string; ecosystems?: string; cacheDir?: string }) => {
      const ecosystems = opts.ecosystems
        ?.split(',')
        .map((e) => e.trim())
        .filter(Boolean);
      if (opts.ecosystems !== undefined && !ecosystems?.length)
        throw new BosunError('usage', '--ecosystems: empty list', { subject: '--ecosystems' });
      const results = await updateDb({
        cacheDir: resolveCacheDir(opts.cacheDir),
        repository: opts.repository,
        ecosystems,
        log: warn,
        progress: progressLine(),
      });
      printUpdate(results);
    });

  db.command('import')
    .description(
      'Load OSV records from a local mirror directory, a zip, or a directory of .json files (air-gapped use)',
    )
    .argument('<path>', 'mirror directory, zip archive or directory of OSV JSON records')
    .option(...cacheDirOption)
    .action(async (target: string, opts: { cacheDir?: string }) => {
      printUpdate(
        await importPath(target, {
          cacheDir: resolveCacheDir(opts.cacheDir),
          log: warn,
          progress: progressLine(),
        }),
      );
    });

  db.command('status')
    .description('Show where the database is, its schema, and records and last update per ecosystem')
    .option('--format <format>', `output format: ${FORMATS.join('|')}`, 'table')
    .option(...cacheDirOption)
    .action((opts: { format: string; cacheDir?: string }) => {
      checkFormat(opts.format);
      const vulnDb = openVulnDb({ cacheDir: resolveCacheDir(opts.cacheDir) });
      try {
        const status = vulnDb.status();
        const ageDays = ageInDays(status);
        if (ageDays === undefined || ageDays > STALE_AFTER_DAYS) {
          warn(
            `the vulnerability database ${ageDays === undefined ? 'was never updated' : `was last updated ${Math.floor(ageDays)} days ago`}; run \`bosun db update\``,
          );
        }
        if (opts.format === 'json')
          process.stdout.write(
            `${JSON.stringify({ ...status, ageDays, stale: ageDays === undefined || ageDays > STALE_AFTER_DAYS }, null, 2)}\n`,
          );
        else process.stdout.write(statusTable(status, ageDays));
      } finally {
        vulnDb.close();
      }
    });

  db.command('search')
    .description('Show advisories by id or alias (CVE, GHSA, DSA…), or those naming a package')
    .argument('[id]', 'advisory id or alias')
    .option('--package <name>', 'package name (with --ecosystem)')
    .option('--ecosystem <eco>', 'OSV ecosystem; "Debian:12" exactly, "Debian" for every release')
    .option('--version <version>', 'only advisories affecting this version of the package')
    .option('--format <format>', `output format: ${FORMATS.join('|')}`, 'table')
    .option(...cacheDirOption)
    .action(
      (
        id: string | undefined,
        opts: { package?: string; ecosystem?: string; version?: string; format: string; cacheDir?: string },
      ) => {
        checkFormat(opts.format);
        if (!id === !opts.package)
          throw new BosunError('usage', 'db search: give an advisory id, or --package with --ecosystem', {
            subject: 'db search',
          });
        if (opts.package && !opts.ecosystem)
          throw new BosunError('usage', '--package needs --ecosystem', { subject: '--ecosystem' });
        if (opts.version && !opts.package)
          throw new BosunError('usage', '--version needs --package and --ecosystem', {
            subject: '--version',
          });
        const vulnDb = openVulnDb({ cacheDir: resolveCacheDir(opts.cacheDir) });
        try {
          const found = id
            ? vulnDb.byId(id).map((advisory) => ({ advisory }))
            : searchPackage(vulnDb.advisoriesFor.bind(vulnDb), opts.package!, opts.ecosystem!, opts.version);
          if (opts.format === 'json') process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
          else process.stdout.write(found.length ? found.map(describe).join('\n') : 'no advisories found\n');
        } finally {
          vulnDb.close();
        }
      },
    );
}

interface Found {
  advisory: Advisory;
  evaluation?: Evaluation;
}

/**
 * Advisories naming the package; an ecosystem without a release matches every release. With a
 * version, only those affecting it; a version the ecosystem cannot parse is an error, not "none".
 */
function searchPackage(
  advisoriesFor: (eco: string, name: string, o?: { anyRelease?: boolean }) => Advisory[],
  name: string,
  ecosystem: string,
  version: string | undefined,
): Found[] {
  const advisories = advisoriesFor(ecosystem, name, { anyRelease: !ecosystem.includes(':') });
  if (version === undefined) return advisories.map((advisory) => ({ advisory }));
  const found: Found[] = [];
  for (const advisory of advisories) {
    // Evaluate against each release the advisory names (one, unless searching every release).
    for (const eco of new Set(advisory.affected.map((a) => a.ecosystem))) {
      const evaluation = evaluate(advisory, eco, name, version, comparatorFor(eco));
      if (evaluation.invalidVersion) {
        throw new BosunError(
          'badInput',
          `--version ${JSON.stringify(version)} cannot be compared in ${eco}: ${evaluation.reason}`,
          { subject: '--version' },
        );
      }
      if (evaluation.affected) {
        found.push({ advisory, evaluation });
        break;
      }
    }
  }
  return found;
}

function describe({ advisory: a, evaluation }: Found): string {
  const lines = [
    `${a.id}  ${a.severity.level}${a.severity.source ? ` (${a.severity.source})` : ''}${a.withdrawn ? `  WITHDRAWN ${a.withdrawn}` : ''}`,
  ];
  if (a.summary) lines.push(`  ${a.summary}`);
  if (a.aliases.length) lines.push(`  aliases: ${a.aliases.join(', ')}`);
  if (a.upstream.length) lines.push(`  upstream: ${a.upstream.join(', ')}`);
  if (a.related.length) lines.push(`  related: ${a.related.join(', ')}`);
  for (const s of a.severity.scores)
    lines.push(`  ${s.source}: ${s.score !== undefined ? `${s.score} ` : ''}${s.raw}`);
  lines.push(`  modified: ${a.modified}${a.published ? `, published: ${a.published}` : ''}`);
  for (const p of a.affected) {
    lines.push(`  ${p.ecosystem} ${p.name}`);
    for (const r of p.ranges) {
      const events = r.events.map((e) => Object.entries(e).map(([k, v]) => `${k} ${v}`)[0]).join(', ');
      lines.push(`    ${r.type}${r.repo ? ` ${r.repo}` : ''}: ${events}`);
    }
    if (p.versions.length)
      lines.push(
        `    versions: ${p.versions.length > 12 ? `${p.versions.slice(0, 12).join(', ')}, … (${p.versions.length})` : p.versions.join(', ')}`,
      );
    if (p.urgency) lines.push(`    urgency: ${p.urgency}`);
  }
  if (evaluation && !evaluation.invalidVersion && evaluation.affected) {
    lines.push(
      `  => affected, ${evaluation.fixed.length ? `fixed in ${evaluation.fixed.join(', ')}` : 'no fix yet'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function printUpdate(results: EcosystemUpdate[]): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K'); // clear the progress line
  for (const r of results) {
    const what =
      r.mode === 'absent'
        ? 'not published by the repository, skipped'
        : r.mode === 'unchanged'
          ? 'up to date'
          : `${r.mode}, ${r.imported} records`;
    process.stdout.write(`${r.ecosystem}: ${what}\n`);
    if (r.skipped.length) {
      warn(`${r.ecosystem}: ${r.skipped.length} records failed the checks and were skipped`);
      for (const s of r.skipped.slice(0, 5)) warn(`  ${s.where}: ${s.reason}`);
    }
  }
}

function statusTable(status: DbStatus, ageDays: number | undefined): string {
  const header = [
    `database: ${status.path}`,
    `schema: ${status.schemaVersion}, size: ${(status.sizeBytes / 1e6).toFixed(1)} MB, records: ${status.records}${ageDays === undefined ? '' : `, age: ${ageDays.toFixed(1)} days`}`,
    '',
  ];
  const rows = [['ECOSYSTEM', 'RECORDS', 'LAST UPDATE', 'NEWEST MODIFIED', 'FROM']];
  for (const s of status.sources)
    rows.push([
      s.ecosystem,
      String(s.records),
      s.lastUpdate ?? '-',
      s.lastModified ?? '-',
      s.url ?? '(imported files)',
    ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `${[
    ...header,
    ...rows.map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    ),
  ].join('\n')}\n`;
}

/** Days since the most recent update of any ecosystem. */
function ageInDays(status: DbStatus): number | undefined {
  const times = status.sources
    .map((s) => (s.lastUpdate ? Date.parse(s.lastUpdate) : NaN))
    .filter((t) => !Number.isNaN(t));
  return times.length ? (Date.now() - Math.max(...times)) / 86_400_000 : undefined;
}

function checkFormat(format: string): void {
  if (!FORMATS.includes(format))
    throw new BosunError('usage', `--format: unknown format "${format}" (expected ${FORMATS.join(', ')})`, {
      subject: '--format',
    });
}

function warn(message: string): void {
  process.stderr.write(`bosun: ${message}\n`);
}

/** A progress line on stderr, only for a terminal. */
function progressLine(): ((where: string, records: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (where, records) => process.stderr.write(`\r\x1b[K${where}: ${records} records`);
}
