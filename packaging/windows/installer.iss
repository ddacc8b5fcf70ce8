; Inno Setup 6 script: per-user install (no admin rights), Start menu shortcut.
; UNVERIFIED here. Build: iscc /DAppVersion=0.1.0 packaging\windows\installer.iss
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
[Setup]
AppId={{7F9125C5-A958-4A4E-ADFB-A3BEC0DC04AD}
AppName=CRE Toolkit
AppVersion={#AppVersion}
AppPublisher=CRE Toolkit developers
DefaultDirName={localappdata}\Programs\CRE Toolkit
DefaultGroupName=CRE Toolkit
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=cre-toolkit-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\cre-toolkit.ico
UninstallDisplayIcon={app}\cre-toolkit.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Files]
Source: "..\..\dist\cre-toolkit\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\CRE Toolkit"; Filename: "{app}\cre-toolkit.exe"
Name: "{group}\Uninstall CRE Toolkit"; Filename: "{uninstallexe}"

[UninstallDelete]
; Only the program folder. The vault in %LOCALAPPDATA%\CRE Toolkit is never removed.

[Messages]
UninstalledAll=CRE Toolkit was removed. Your vault was kept in %LOCALAPPDATA%\CRE Toolkit.
