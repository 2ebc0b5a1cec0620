; LEV Desktop — the Windows installer: per user, no administrator rights.
;
;   makensis /DVERSION=0.1.0 [/DDIST=dist/lev-desktop] [/DOUTFILE=...] [/DSIGN_COMMAND=...]
;            packaging/windows/lev-desktop.nsi
;
; (Paths read while compiling use "/", which makensis takes on Windows and Linux alike, and are
; relative to this folder: makensis works from the folder of the script.)
;
; Installs the PyInstaller folder (python3 dev.py bundle) into
; %LOCALAPPDATA%\Programs\LEV Desktop, adds a Start-menu entry, opens .levpkg files with
; LEV Desktop (HKCU\Software\Classes, this user only) and registers in "Apps & features"
; (HKCU). Nothing is written to HKLM or Program Files. The uninstaller removes the program
; and those entries and KEEPS the office's data: the database, keys and backups in
; %LOCALAPPDATA%\lev-desktop and the files in Documents\LEV Desktop.
;
; SIGN_COMMAND (optional): a command that signs the file given as %1 (packaging\windows\
; sign.ps1 wraps signtool); it runs on the installer and on the uninstaller inside it.

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "FileFunc.nsh"

!ifndef VERSION
  !error "Give the version: makensis /DVERSION=0.1.0 lev-desktop.nsi"
!endif
!ifndef VERSION_TUPLE
  !define VERSION_TUPLE "${VERSION}.0"
!endif
!ifndef DIST
  !define DIST "../../dist/lev-desktop"
!endif
!ifndef OUTFILE
  !define OUTFILE "../../dist/LEV-Desktop-${VERSION}-setup.exe"
!endif

!define APPNAME "LEV Desktop"
!define APPKEY "LEVDesktop"
!define EXE "lev-desktop.exe"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPKEY}"
!define PROGID "LEVDesktop.Package"
!define ICON "../../resources/icons/lev-desktop.ico"

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APPNAME}"
InstallDirRegKey HKCU "Software\${APPKEY}" "InstallDir"
BrandingText "${APPNAME} ${VERSION}"

VIProductVersion "${VERSION_TUPLE}"
VIFileVersion "${VERSION_TUPLE}"
VIAddVersionKey /LANG=0 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=0 "FileDescription" "${APPNAME} installer"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "CompanyName" "LEV Desktop project"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT License"

!ifdef SIGN_COMMAND
  !finalize '${SIGN_COMMAND} "%1"'
  !uninstfinalize '${SIGN_COMMAND} "%1"'
!endif

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "$(DataKept)"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "Thai"
!insertmacro MUI_LANGUAGE "English"

LangString PackageType ${LANG_THAI} "แพ็กเกจข้อมูล LEV Desktop"
LangString PackageType ${LANG_ENGLISH} "LEV Desktop data package"
LangString DataKept ${LANG_THAI} "ถอนการติดตั้งเฉพาะตัวโปรแกรม ข้อมูลของหน่วยงาน (ฐานข้อมูล กุญแจ และสำเนาสำรองใน $LOCALAPPDATA\lev-desktop และไฟล์ในโฟลเดอร์เอกสาร\LEV Desktop) จะยังอยู่ครบ"
LangString DataKept ${LANG_ENGLISH} "Only the program is removed. The office's data (database, keys and backups in $LOCALAPPDATA\lev-desktop, and the files in Documents\LEV Desktop) stays."

Section "Install"
  SetShellVarContext current
  ; an older version's program files go first (never the data, which lives elsewhere)
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${DIST}/*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  ; .levpkg opens in LEV Desktop, for this user only
  WriteRegStr HKCU "Software\Classes\.levpkg" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\.levpkg" "Content Type" "application/vnd.lev-desktop.package"
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "$(PackageType)"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\${EXE}" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  ; "Apps & features"
  WriteRegStr HKCU "Software\${APPKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "LEV Desktop project"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APPNAME}.lnk"

  ; the program's own files only: the folder is removed when nothing else is left in it
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\lev.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  ; the association, if it still points at us
  ReadRegStr $0 HKCU "Software\Classes\.levpkg" ""
  StrCmp $0 "${PROGID}" 0 +2
    DeleteRegKey HKCU "Software\Classes\.levpkg"
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\${APPKEY}"

  ; NOT removed: $LOCALAPPDATA\lev-desktop (database, keys, backups, logs) and
  ; Documents\LEV Desktop (reports and packages) — the office's records, not the program's.
  DetailPrint "$(DataKept)"
SectionEnd
