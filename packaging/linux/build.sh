#!/usr/bin/env bash
# Build the Linux one-folder bundle and a .tar.gz with a .desktop file.
# Usage (from anywhere): bash packaging/linux/build.sh
# Output: dist/cre-toolkit/ (the bundle) and dist/cre-toolkit-<version>-linux-x86_64.tar.gz
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
python3 dev.py setup
py=.venv/bin/python
"$py" -m pip install -q --disable-pip-version-check -e ".[packaging]"
version=$("$py" -c "import tomllib;print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])")
rm -rf build/pyinstaller dist/cre-toolkit
"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --workpath build/pyinstaller --distpath dist packaging/cre-toolkit.spec
install -m 644 packaging/linux/cre-toolkit.desktop dist/cre-toolkit/cre-toolkit.desktop
install -m 644 resources/icons/cre-toolkit.png dist/cre-toolkit/cre-toolkit.png
install -m 755 packaging/linux/install.sh dist/cre-toolkit/install.sh
tarball="dist/cre-toolkit-${version}-linux-$(uname -m).tar.gz"
tar -C dist -czf "$tarball" cre-toolkit
echo "built dist/cre-toolkit/ and $tarball"
