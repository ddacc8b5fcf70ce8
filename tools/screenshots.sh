#!/usr/bin/env bash
# Screenshots of the main window, plans, statistics and each wizard page of two toolkits,
# on a 1366x768 screen at 100% and 150% scaling (QT_SCALE_FACTOR).
# Usage: bash tools/screenshots.sh OUTDIR [SCALES]   (needs ../shared/tools/xshot; installs Xvfb)
set -euo pipefail
out=${1:?usage: tools/screenshots.sh OUTDIR [SCALES]}
scales=${2:-"1 1.5"}
root=$(cd "$(dirname "$0")/.." && pwd)
xshot="$root/../shared/tools/xshot"
py="$root/.venv/bin/python"
mkdir -p "$out"
cd "$root"
for scale in $scales; do
  tag=${scale/./}
  export QT_SCALE_FACTOR=$scale
  "$xshot" "$out/main-$tag.png" --wait 12 --size 1366x768 -- "$py" tools/screenshots.py main
  "$xshot" "$out/plans-$tag.png" --wait 12 --size 1366x768 -- "$py" tools/screenshots.py plans
  "$xshot" "$out/statistics-$tag.png" --wait 12 --size 1366x768 -- "$py" tools/screenshots.py statistics
  for toolkit in derby-cre-2020 portsmouth-cse-2016; do
    for page in 0 1 2 3 4; do
      "$xshot" "$out/$toolkit-page$page-$tag.png" --wait 12 --size 1366x768 -- \
        "$py" tools/screenshots.py wizard "$toolkit" "$page"
    done
  done
done
echo "screenshots in $out"
