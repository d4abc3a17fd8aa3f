import type { Command } from 'commander';
import { BosunError } from '../core/errors.js';
import type { ImageConfig, ImageSource, LayerRef } from '../core/image.js';
import { walkLayers } from '../layer/index.js';
import type { LayerAnalysis } from '../layer/types.js';
import { openImageSource } from '../source/index.js';
import { addSourceOptions, sourceOptionsFrom, type SourceFlags } from './source-options.js';

/** What `bosun inspect` prints: the image's identity, config, history and per-layer facts. */
export interface Inspection {
  name: string;
  kind: string;
  manifestDigest?: string;
  platform?: string;
  repoTags?: string[];
  created?: string;
  author?: string;
  config: {
    user?: string;
    workingDir?: string;
    entrypoint?: string[];
    cmd?: string[];
    env: string[];
    exposedPorts: string[];
    volumes: string[];
    labels: Record<string, string>;
    stopSignal?: string;
    healthcheck?: NonNullable<ImageConfig['config']>['Healthcheck'];
  };
  history: { created?: string; createdBy?: string; comment?: string; emptyLayer: boolean }[];
  layers: {
    index: number;
    digest?: string;
    diffId: string;
    mediaType?: string;
    compressedSize?: number;
    uncompressedSize: number;
    fileCount: number;
    whiteoutCount: number;
    createdBy?: string;
  }[];
}

const FORMATS = ['table', 'json'] as const;

export function register(program: Command): void {
  addSourceOptions(
    program
      .command('inspect')
      .description('Show an image: identity, config, history and, per layer, sizes and file counts')
      .argument('<target>', 'image reference, or with --input a path to an archive or OCI layout'),
  )
    .option('--format <format>', `output format: ${FORMATS.join('|')}`, 'table')
    .action(async (target: string, opts: SourceFlags & { format: string }) => {
      if (!(FORMATS as readonly string[]).includes(opts.format)) {
        throw new BosunError(
          'usage',
          `--format: unknown format "${opts.format}" (expected ${FORMATS.join(', ')})`,
          {
            subject: '--format',
          },
        );
      }
      const source = await openImageSource(target, sourceOptionsFrom(opts));
      try {
        const inspection = await inspectImage(source, progressReporter());
        process.stdout.write(
          opts.format === 'json' ? `${JSON.stringify(inspection, null, 2)}\n` : formatTable(inspection),
        );
      } finally {
        await source.close();
      }
    });
}

/** Reads the config and walks every layer (with no analyzers) for its counts. */
export async function inspectImage(
  source: ImageSource,
  onLayer?: (done: number, total: number) => void,
): Promise<Inspection> {
  const [config, layers] = await Promise.all([source.config(), source.layers()]);
  let done = 0;
  const analyses = await walkLayers(layers, [], { onLayer: (_a, total) => onLayer?.(++done, total) });
  const c = config.config ?? {};
  return {
    name: source.name,
    kind: source.kind,
    ...(source.manifestDigest ? { manifestDigest: source.manifestDigest } : {}),
    ...platformOf(source, config),
    ...(source.repoTags?.length ? { repoTags: source.repoTags } : {}),
    ...(config.created ? { created: config.created } : {}),
    ...(config.author ? { author: config.author } : {}),
    config: {
      ...(c.User ? { user: c.User } : {}),
      ...(c.WorkingDir ? { workingDir: c.WorkingDir } : {}),
      ...(c.Entrypoint ? { entrypoint: c.Entrypoint } : {}),
      ...(c.Cmd ? { cmd: c.Cmd } : {}),
      env: (c.Env ?? []).map(maskEnv),
      exposedPorts: Object.keys(c.ExposedPorts ?? {}),
      volumes: Object.keys(c.Volumes ?? {}),
      labels: c.Labels ?? {},
      ...(c.StopSignal ? { stopSignal: c.StopSignal } : {}),
      ...(c.Healthcheck ? { healthcheck: c.Healthcheck } : {}),
    },
    history: (config.history ?? []).map((h) => ({
      ...(h.created ? { created: h.created } : {}),
      ...(h.created_by ? { createdBy: h.created_by } : {}),
      ...(h.comment ? { comment: h.comment } : {}),
      emptyLayer: h.empty_layer === true,
    })),
    layers: layers.map((layer, i) => layerFacts(layer, analyses[i]!)),
  };
}

function layerFacts(layer: LayerRef, analysis: LayerAnalysis): Inspection['layers'][number] {
  const compressedSize = layer.size ?? analysis.stats.compressedSize;
  return {
    index: analysis.index,
    ...(layer.digest ? { digest: layer.digest } : {}),
    diffId: layer.diffId,
    ...(layer.mediaType ? { mediaType: layer.mediaType } : {}),
    ...(compressedSize !== undefined ? { compressedSize } : {}),
    uncompressedSize: analysis.stats.uncompressedSize,
    fileCount: analysis.stats.fileCount,
    whiteoutCount: analysis.stats.whiteoutCount,
    ...(layer.createdBy ? { createdBy: layer.createdBy } : {}),
  };
}

function platformOf(source: ImageSource, config: ImageConfig): { platform?: string } {
  const p =
    source.platform ??
    (config.os && config.architecture
      ? { ...config, os: config.os, architecture: config.architecture }
      : undefined);
  if (!p) return {};
  return { platform: [p.os, p.architecture, p.variant].filter(Boolean).join('/') };
}

/** Names that usually hold credentials; their values are never printed. */
const SECRET_ENV_NAME = /PASS(WORD|WD)?|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE|AUTH|SESSION|COOKIE|SALT|DSN/i;

export function maskEnv(entry: string): string {
  const eq = entry.indexOf('=');
  if (eq < 0) return entry;
  return SECRET_ENV_NAME.test(entry.slice(0, eq)) ? `${entry.slice(0, eq)}=***` : entry;
}

/** Progress on stderr, only for a person watching a terminal. */
function progressReporter(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total) => {
    process.stderr.write(`\rreading layers: ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

function formatTable(i: Inspection): string {
  const lines: string[] = [];
  const field = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') lines.push(`${`${label}:`.padEnd(14)}${value}`);
  };
  field('Name', i.name);
  field('Source', i.kind);
  field('Digest', i.manifestDigest);
  field('Platform', i.platform);
  field('Tags', i.repoTags?.join(', '));
  field('Created', i.created);
  field('Author', i.author);
  field('User', i.config.user);
  field('WorkingDir', i.config.workingDir);
  field('Entrypoint', i.config.entrypoint && JSON.stringify(i.config.entrypoint));
  field('Cmd', i.config.cmd && JSON.stringify(i.config.cmd));
  field('Ports', i.config.exposedPorts.join(', '));
  field('Volumes', i.config.volumes.join(', '));
  field('StopSignal', i.config.stopSignal);
  field('Healthcheck', i.config.healthcheck?.Test && JSON.stringify(i.config.healthcheck.Test));
  if (i.config.env.length > 0) lines.push('Env:', ...i.config.env.map((e) => `  ${e}`));
  const labels = Object.entries(i.config.labels);
  if (labels.length > 0) lines.push('Labels:', ...labels.map(([k, v]) => `  ${k}=${v}`));
  if (i.history.length > 0) {
    lines.push('', 'History:');
    for (const h of i.history)
      lines.push(`  ${h.created ?? ''}  ${h.emptyLayer ? '(empty) ' : ''}${h.createdBy ?? ''}`);
  }
  lines.push('', 'Layers:');
  const rows = [
    ['#', 'DIGEST', 'DIFF ID', 'COMPRESSED', 'SIZE', 'FILES', 'WHITEOUTS', 'CREATED BY'],
    ...i.layers.map((l) => [
      String(l.index),
      short(l.digest),
      short(l.diffId),
      l.compressedSize === undefined ? '-' : humanSize(l.compressedSize),
      humanSize(l.uncompressedSize),
      String(l.fileCount),
      String(l.whiteoutCount),
      (l.createdBy ?? '').replace(/\s+/g, ' ').slice(0, 60),
    ]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  for (const row of rows)
    lines.push(`  ${row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ')}`.trimEnd());
  return `${lines.join('\n')}\n`;
}

function short(digest: string | undefined): string {
  if (!digest) return '-';
  const colon = digest.indexOf(':');
  return digest.slice(0, colon + 13);
}

function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
