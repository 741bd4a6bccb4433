#!/usr/bin/env bash
# Render the evidence report for the bundled sample data and take a screenshot of it in
# headless Chromium: build/report.html and build/report.png. Used by CI to check that the
# report opens offline and renders; look at the PNG to review the layout.
#
# Usage: tools/screenshot_report.sh [VENV]   (VENV defaults to .venv; it needs the [report]
# extra, i.e. Jinja2). Needs Debian's chromium (apt-get install -y chromium).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=${1:-.venv}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$CHROMIUM" ]; then
  echo "error: chromium not found (apt-get install -y chromium, or set CHROMIUM)" >&2
  exit 1
fi

mkdir -p build
# A fixed, published key: the sample data is synthetic, and fixed pseudonyms keep the
# screenshot stable from run to run.
TRAUMA_INCIDENTS_KEY=synthetic-sample-key "$VENV/bin/trauma-incidents" report \
  src/trauma_incidents/data/sample_incidents.ndjson \
  --governance tests/data/sample_governance.json \
  --plans src/trauma_incidents/data/sample_support_plans.ndjson \
  --outcomes src/trauma_incidents/data/sample_outcomes.ndjson \
  --from 2026-01-01 --to 2026-04-30 --out build/report.html

PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT
rm -f build/report.png
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$PROFILE" --screenshot=build/report.png --window-size=1280,2000 \
  "file://$PWD/build/report.html" 2>build/chromium.log || {
  cat build/chromium.log >&2
  exit 1
}
if [ ! -s build/report.png ]; then
  echo "error: chromium wrote no screenshot (see build/chromium.log)" >&2
  exit 1
fi
echo "wrote build/report.html and build/report.png"
