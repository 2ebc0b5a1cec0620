# Signs one file (an .exe) with signtool when a code-signing certificate is supplied, and does
# nothing otherwise. build.ps1 calls it for lev-desktop.exe and lev.exe; makensis calls it for
# the installer and its uninstaller (SIGN_COMMAND). An unsigned program meets SmartScreen's
# "Windows protected your PC" and is more often taken for malware by antivirus programs.
#
#   LEV_SIGN_PFX         path of a .pfx certificate file, or
#   LEV_SIGN_THUMBPRINT  the SHA-1 thumbprint of a certificate in the user's store (a token)
#   LEV_SIGN_PASSWORD    the .pfx password (not needed for the store)
#   LEV_SIGN_TIMESTAMP   RFC 3161 time-stamp server (default http://timestamp.digicert.com)
param([Parameter(Mandatory = $true)][string]$File)
$ErrorActionPreference = "Stop"

if (-not $env:LEV_SIGN_PFX -and -not $env:LEV_SIGN_THUMBPRINT) {
    Write-Host "not signed (no certificate given): $File"
    exit 0
}
$signtool = Get-Command signtool.exe -ErrorAction SilentlyContinue
if ($signtool) {
    $signtool = $signtool.Source
} else {
    $signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" |
        Sort-Object FullName -Descending | Select-Object -First 1 -ExpandProperty FullName
}
if (-not $signtool) { throw "signtool.exe not found: install the Windows SDK signing tools" }
$timestamp = if ($env:LEV_SIGN_TIMESTAMP) { $env:LEV_SIGN_TIMESTAMP } else { "http://timestamp.digicert.com" }
$arguments = @("sign", "/fd", "SHA256", "/tr", $timestamp, "/td", "SHA256", "/d", "LEV Desktop")
if ($env:LEV_SIGN_PFX) {
    $arguments += @("/f", $env:LEV_SIGN_PFX)
    if ($env:LEV_SIGN_PASSWORD) { $arguments += @("/p", $env:LEV_SIGN_PASSWORD) }
} else {
    $arguments += @("/sha1", $env:LEV_SIGN_THUMBPRINT)
}
& $signtool @arguments $File
if ($LASTEXITCODE -ne 0) { throw "signtool failed on $File" }
& $signtool verify /pa $File
if ($LASTEXITCODE -ne 0) { throw "the signature of $File does not verify" }
