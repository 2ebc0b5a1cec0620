@rem Called by makensis (SIGN_COMMAND=sign.cmd) with the file to sign; see sign.ps1.
@powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0sign.ps1" -File %1
@exit /b %ERRORLEVEL%
