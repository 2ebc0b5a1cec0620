# On a Windows runner: installs the built installer silently for this user, checks what it
# did, runs the installed program, uninstalls, and checks that the office's data stayed.
#   powershell -ExecutionPolicy Bypass -File packaging\windows\install-check.ps1 dist\LEV-Desktop-0.1.0-setup.exe
param([Parameter(Mandatory = $true)][string]$Installer)
$ErrorActionPreference = "Stop"
function Check($condition, $what) { if (-not $condition) { throw "FAILED: $what" } ; Write-Host "ok: $what" }

$target = Join-Path $env:LOCALAPPDATA "Programs\LEV Desktop"
$data = Join-Path $env:LOCALAPPDATA "lev-desktop"
Start-Process -FilePath (Resolve-Path $Installer) -ArgumentList "/S" -Wait
Check (Test-Path "$target\lev-desktop.exe") "installed per user in $target"
Check (-not (Test-Path "$env:ProgramFiles\LEV Desktop")) "nothing in Program Files"
Check ((Get-ItemProperty "HKCU:\Software\Classes\.levpkg").'(default)' -eq "LEVDesktop.Package") ".levpkg is associated under HKCU"
$command = (Get-ItemProperty "HKCU:\Software\Classes\LEVDesktop.Package\shell\open\command").'(default)'
Check ($command -like "*lev-desktop.exe*%1*") "the association opens lev-desktop.exe with the file"
Check (Test-Path "$env:APPDATA\Microsoft\Windows\Start Menu\Programs\LEV Desktop.lnk") "Start-menu entry"
$uninstall = Get-ItemProperty "HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\LEVDesktop"
Check ($uninstall.DisplayName -eq "LEV Desktop") "listed in Apps & features (HKCU)"

$version = & "$target\lev.exe" --version
Check ($LASTEXITCODE -eq 0 -and $version -like "LEV Desktop*") "the installed lev.exe runs: $version"
New-Item -ItemType Directory -Force -Path $data | Out-Null
Set-Content -Path "$data\keep-me.txt" -Value "the office's data"

Start-Process -FilePath "$target\uninstall.exe" -ArgumentList "/S", "_?=$target" -Wait
Remove-Item -Force "$target\uninstall.exe" -ErrorAction SilentlyContinue  # kept by _?= mode
Check (-not (Test-Path "$target\lev-desktop.exe")) "the program is removed"
Check (-not (Test-Path "HKCU:\Software\Classes\LEVDesktop.Package")) "the association is removed"
Check (-not (Test-Path "HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\LEVDesktop")) "the Apps & features entry is removed"
Check (Test-Path "$data\keep-me.txt") "the data folder is kept"
