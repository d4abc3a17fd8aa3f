#!/usr/bin/env node
// Runs the bundled CLI; `npm run build` produces dist/bundle/ (see scripts/bundle-cli.mjs).
import '../dist/bundle/bosun.js';
