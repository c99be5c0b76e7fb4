#!/usr/bin/env bash
# Refresh the vendored front-end libraries from the npm registry (versions pinned in package.json).
# The copies are committed, so building the site needs neither Node.js nor the network.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts --engine-strict=false >/dev/null 2>&1)
nm="$work/node_modules"
rm -rf vendor/mermaid tests/vendor
mkdir -p vendor/mermaid tests/vendor
# Mermaid draws the diagrams before the build (make diagrams); the site never serves it.
cp "$nm/mermaid/dist/mermaid.min.js" "$nm/mermaid/LICENSE" vendor/mermaid/
cp "$nm/axe-core/axe.min.js" "$nm/axe-core/LICENSE" tests/vendor/
echo "vendored: Mermaid into vendor/mermaid (make diagrams), axe-core into tests/vendor"
