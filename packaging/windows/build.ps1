# The Windows build: bundle (PyInstaller), sign, smoke-test, installer (NSIS), sign.
# Run from any folder on Windows 10/11 with Python 3.11 (python.org) and NSIS 3 installed:
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#
# Result: dist\lev-desktop\ (the program folder) and dist\LEV-Desktop-<version>-setup.exe.
# Signing happens only when a certificate is given (see sign.ps1). See docs\windows.md.
param([switch]$SkipSmoke)
$ErrorActionPreference = "Stop"
$root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $root

$python = if ($env:LEV_PYTHON) { $env:LEV_PYTHON } else { "python" }
if (-not (Test-Path ".venv-build\Scripts\python.exe")) { & $python -m venv .venv-build }
$py = Join-Path $root ".venv-build\Scripts\python.exe"
& $py -m pip install --upgrade pip
& $py -m pip install -e ".[build]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

& $py -m PyInstaller --noconfirm build.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

$sign = Join-Path $PSScriptRoot "sign.ps1"
foreach ($exe in @("dist\lev-desktop\lev-desktop.exe", "dist\lev-desktop\lev.exe")) {
    & $sign -File (Join-Path $root $exe)
}

if (-not $SkipSmoke) {
    & $py (Join-Path $PSScriptRoot "smoke.py") "dist\lev-desktop"
    if ($LASTEXITCODE -ne 0) { throw "the smoke test of the bundle failed" }
}

$version = & $py -c "from lev_desktop import __version__; print(__version__)"
$makensis = Get-Command makensis.exe -ErrorAction SilentlyContinue
$makensis = if ($makensis) { $makensis.Source } else { "${env:ProgramFiles(x86)}\NSIS\makensis.exe" }
$nsisArgs = @("/WX", "/DVERSION=$version", "/DDIST=$root\dist\lev-desktop",
    "/DOUTFILE=$root\dist\LEV-Desktop-$version-setup.exe")
if ($env:LEV_SIGN_PFX -or $env:LEV_SIGN_THUMBPRINT) {
    $nsisArgs += "/DSIGN_COMMAND=sign.cmd"  # relative: makensis works in the script's folder
}
& $makensis @nsisArgs (Join-Path $PSScriptRoot "lev-desktop.nsi")
if ($LASTEXITCODE -ne 0) { throw "makensis failed" }
Write-Host "built dist\LEV-Desktop-$version-setup.exe"
