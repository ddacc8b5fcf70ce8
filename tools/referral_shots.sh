#!/usr/bin/env bash
# Screenshots of the referral windows (report, letter, case view, export) for two toolkits.
# Usage: bash tools/referral_shots.sh OUTDIR   (needs ../shared/tools/xshot; installs Xvfb)
set -euo pipefail
out=${1:?usage: tools/referral_shots.sh OUTDIR}
root=$(cd "$(dirname "$0")/.." && pwd)
xshot="$root/../shared/tools/xshot"
py="$root/.venv/bin/python"
mkdir -p "$out"
cd "$root"
for toolkit in derby-cre-2020 bedfordshire-cse; do
  for what in report letter-refused letter case export exported; do
    "$xshot" "$out/$what-$toolkit.png" --wait 30 --size 1366x768 -- "$py" tools/referral_shots.py "$what" "$toolkit"
  done
done
echo "screenshots in $out"
