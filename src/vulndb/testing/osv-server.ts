import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A real HTTP server over directories in OSV's bucket layout, for update tests: files are looked
 * up in `overlays` (newest first) then in `root`; every request is counted; chosen paths can be
 * made to answer 500.
 */
export class OsvServer {
  readonly requests: string[] = [];
  readonly failing = new Set<string>();
  overlays: string[] = [];
  private server?: Server;

  constructor(readonly root: string) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      this.requests.push(urlPath);
      if (this.failing.has(urlPath)) {
        res.writeHead(500).end('injected failure');
        return;
      }
      const file = [...this.overlays, this.root]
        .map((dir) => path.join(dir, urlPath))
        .find((f) => existsSync(f) && statSync(f).isFile());
      if (!file || urlPath.includes('..')) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-length': statSync(file).size });
      createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** Requests since the last call. */
  take(): string[] {
    return this.requests.splice(0);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** Records per ecosystem directory, from the fixture's MANIFEST.tsv. */
export function manifestCounts(manifestText: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of manifestText.split('\n').slice(1)) {
    const eco = line.split('\t')[0];
    if (eco) counts[eco] = (counts[eco] ?? 0) + 1;
  }
  return counts;
}
