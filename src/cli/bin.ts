// The CLI's entry: bin/bosun.js runs its bundle (scripts/bundle-cli.mjs), tests run this file through tsx.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
