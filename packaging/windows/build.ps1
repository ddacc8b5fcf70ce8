# Build the Windows one-folder bundle and a per-user installer.
# UNVERIFIED here: written to run unchanged on Windows 10/11 with Python 3.11+ and
# Inno Setup 6 (iscc.exe on PATH). Usage, in PowerShell at the repo root:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
$ErrorActionPreference = "Stop"
$root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $root
py -3.11 dev.py setup
$py = ".venv\Scripts\python.exe"
& $py -m pip install -q --disable-pip-version-check -e ".[packaging]"
$version = & $py -c "import tomllib;print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])"
& $py -m PyInstaller --noconfirm --clean --workpath build\pyinstaller --distpath dist packaging\cre-toolkit.spec
iscc /DAppVersion=$version packaging\windows\installer.iss
Write-Host "built dist\cre-toolkit\ and dist\cre-toolkit-$version-setup.exe"
