#!/usr/bin/env bash
# Screenshots of the main window, plans, statistics and each wizard page of two toolkits,
# on a 1366x768 X screen (Xvfb) at 100% and 150% scaling (QT_SCALE_FACTOR).
# Each window photographs itself once it is up (SHOT_OUT), so a slow machine gives no blanks.
# Usage: bash tools/screenshots.sh OUTDIR [SCALES]     e.g. SCALES="1 1.25 1.5"
set -euo pipefail
out=${1:?usage: tools/screenshots.sh OUTDIR [SCALES]}
scales=${2:-"1 1.5"}
root=$(cd "$(dirname "$0")/.." && pwd)
py="$root/.venv/bin/python"
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$root"
shot() {  # shot NAME ARGS...
  local name=$1; shift
  SHOT_OUT="$out/$name.png" QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" \
    "$py" tools/screenshots.py "$@" >/dev/null 2>&1 || echo "failed: $name" >&2
}
for scale in $scales; do
  tag=${scale/./}
  export QT_SCALE_FACTOR=$scale
  shot "main-$tag" main
  shot "plans-$tag" plans
  shot "statistics-$tag" statistics
  shot "statistics-meetings-$tag" statistics meetings
  shot "meetings-$tag" meetings
  for toolkit in derby-cre-2020 portsmouth-cse-2016; do
    for page in 0 1 2 3 4; do
      shot "$toolkit-page$page-$tag" wizard "$toolkit" "$page"
    done
  done
done
echo "screenshots in $out"
