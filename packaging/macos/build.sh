#!/usr/bin/env bash
# Build "CRE Toolkit.app" and a zip ready for notarisation. UNVERIFIED here (needs macOS).
# Usage: bash packaging/macos/build.sh
# Notarisation (needs an Apple Developer ID; run after the build):
#   codesign --deep --force --options runtime --timestamp \
#     --sign "Developer ID Application: <Org> (<TEAMID>)" "dist/CRE Toolkit.app"
#   ditto -c -k --keepParent "dist/CRE Toolkit.app" dist/cre-toolkit-macos.zip
#   xcrun notarytool submit dist/cre-toolkit-macos.zip --apple-id <id> --team-id <TEAMID> \
#     --password <app-specific-password> --wait
#   xcrun stapler staple "dist/CRE Toolkit.app"
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
python3 dev.py setup
py=.venv/bin/python
"$py" -m pip install -q --disable-pip-version-check -e ".[packaging]"
"$py" -m PyInstaller --noconfirm --clean --workpath build/pyinstaller --distpath dist \
  packaging/cre-toolkit.spec
ditto -c -k --keepParent "dist/CRE Toolkit.app" dist/cre-toolkit-macos.zip
echo "built dist/CRE Toolkit.app and dist/cre-toolkit-macos.zip (not yet signed or notarised)"
