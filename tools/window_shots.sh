#!/usr/bin/env bash
# Screenshots of every window on a 1366x768 screen at 100% and at 150% (QT_SCALE_FACTOR=1.5).
# Usage: bash tools/window_shots.sh [OUTDIR]   (default docs/screenshots; needs xshot, Xvfb)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/docs/screenshots}
xshot=${XSHOT:-/work/shared/tools/xshot}
py="$root/.venv/bin/python"
mkdir -p "$out"
cd "$root"
for what in main case report letter details plans meetings statistics export profile; do
  "$xshot" "$out/$what-100.png" --wait 12 --size 1366x768 -- "$py" tools/window_shots.py "$what"
  QT_SCALE_FACTOR=1.5 "$xshot" "$out/$what-150.png" --wait 12 --size 1366x768 -- \
    "$py" tools/window_shots.py "$what"
done
for page in 1 4; do  # the wizard: Section 1 and Review and finish
  "$xshot" "$out/wizard-page$page-100.png" --wait 12 --size 1366x768 -- \
    "$py" tools/screenshots.py wizard derby-cre-2020 "$page"
  QT_SCALE_FACTOR=1.5 "$xshot" "$out/wizard-page$page-150.png" --wait 12 --size 1366x768 -- \
    "$py" tools/screenshots.py wizard derby-cre-2020 "$page"
done
echo "screenshots in $out"
