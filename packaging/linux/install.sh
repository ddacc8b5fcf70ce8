#!/usr/bin/env bash
# Per-user install of the unpacked bundle: no root, nothing written next to the vault.
# Usage: ./install.sh            (installs to ~/.local/opt/cre-toolkit)
#        ./install.sh --uninstall (removes the program; your vault is kept)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest="${XDG_DATA_HOME:-$HOME/.local/share}/../opt/cre-toolkit"
dest=$(realpath -m "$dest")
bin="$HOME/.local/bin"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
vault_dir="${XDG_DATA_HOME:-$HOME/.local/share}/CRE Toolkit"
if [[ ${1:-} == --uninstall ]]; then
  rm -rf "$dest" "$bin/cre-toolkit" "$apps/cre-toolkit.desktop" "$icons/cre-toolkit.png"
  echo "CRE Toolkit removed. Your vault was NOT removed; it is in: $vault_dir"
  exit 0
fi
mkdir -p "$dest" "$bin" "$apps" "$icons"
cp -a "$here/." "$dest/"
ln -sf "$dest/cre-toolkit" "$bin/cre-toolkit"
sed "s|^Exec=.*|Exec=$dest/cre-toolkit|" "$here/cre-toolkit.desktop" > "$apps/cre-toolkit.desktop"
cp "$here/cre-toolkit.png" "$icons/cre-toolkit.png"
echo "CRE Toolkit installed in $dest (command: cre-toolkit). Your vault will be in: $vault_dir"
