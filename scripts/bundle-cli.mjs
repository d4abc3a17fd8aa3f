// Bundles the CLI into dist/bundle/ (or the folder given as the first argument), which
// bin/bosun.js runs. Node loads 160-odd separate ES modules in about 100 ms more than one bundle
// of them, and every command, even --version, pays that at each start. The library (dist/index.js)
// stays unbundled. Code loaded with import() on first use (the registry client, CEL policies)
// becomes chunks of its own, so it stays off the start-up path; better-sqlite3 is a native addon
// and stays in node_modules, as do the libraries that src/core/lazy.ts requires on first use.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.resolve(process.argv[2] ?? path.join(root, 'dist/bundle'));

await build({
  entryPoints: { bosun: path.join(root, 'src/cli/bin.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3'],
  // The CommonJS libraries bundled in call require() for node's own modules.
  banner: {
    js: "import { createRequire as bundleCreateRequire } from 'node:module'; const require = bundleCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
