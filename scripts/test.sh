#!/usr/bin/env bash
# `npm test`: everything — typecheck, lint, then unit, property, integration and fault suites.
# The desktop core keeps tokens in the OS keychain, so the suites run where one works.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run -s typecheck
npm run -s lint
exec bash scripts/with-keyring.sh npx vitest run "$@"
