#!/usr/bin/env bash
# Screenshots of the main window and each wizard page of two toolkits, at 1366x768.
# Usage: bash tools/screenshots.sh OUTDIR   (needs ../shared/tools/xshot; installs Xvfb)
set -euo pipefail
out=${1:?usage: tools/screenshots.sh OUTDIR}
root=$(cd "$(dirname "$0")/.." && pwd)
xshot="$root/../shared/tools/xshot"
py="$root/.venv/bin/python"
mkdir -p "$out"
cd "$root"
"$xshot" "$out/main.png" --size 1366x768 -- "$py" tools/screenshots.py main
"$xshot" "$out/plans.png" --size 1366x768 -- "$py" tools/screenshots.py plans
"$xshot" "$out/statistics.png" --size 1366x768 -- "$py" tools/screenshots.py statistics
"$xshot" "$out/statistics-meetings.png" --size 1366x768 -- "$py" tools/screenshots.py statistics meetings
"$xshot" "$out/meetings.png" --size 1366x768 -- "$py" tools/screenshots.py meetings
for toolkit in derby-cre-2020 portsmouth-cse-2016; do
  for page in 0 1 2 3 4; do
    "$xshot" "$out/$toolkit-page$page.png" --size 1366x768 -- "$py" tools/screenshots.py wizard "$toolkit" "$page"
  done
done
echo "screenshots in $out"
