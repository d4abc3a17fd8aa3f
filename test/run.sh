#!/usr/bin/env bash
# The test command: every *.test.ts under src/ and test/, through node's test runner.
# Arguments narrow the run to the given files.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then files=("$@"); else mapfile -t files < <(find src test -name '*.test.ts' -not -path '*/node_modules/*' | sort); fi
exec node --import tsx --test --test-reporter=spec "${files[@]}"
