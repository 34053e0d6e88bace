; The Windows installer of the Appeal Workstation (Inno Setup 6): a per-user install (no administrator
; rights), a Start-menu entry and an uninstaller. Build the program first, then the installer:
;
;     python packaging\build.py
;     iscc packaging\windows\installer.iss
;
; The version is read from workstation.exe's version resource, which build.py writes from
; workstation\__init__.py; no version is written here.

#define AppName "Appeal Workstation"
#define BuildDir "..\dist\workstation"
#define AppExe BuildDir + "\workstation.exe"
#define AppVersion GetStringFileInfo(AppExe, "ProductVersion")
#if AppVersion == ""
  #error "packaging\dist\workstation\workstation.exe is missing or has no version: run python packaging\build.py first"
#endif

[Setup]
; the same id in every version, so a new version installs over the old one
AppId={{2ED82BD2-80B9-4577-9714-A82137F629FF}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Appeal Workstation developers
VersionInfoVersion={#GetVersionNumbersString(AppExe)}
; per user: {autopf} is %LOCALAPPDATA%\Programs when the installer runs without administrator rights
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=appeal-workstation-{#AppVersion}-windows-x64-setup
SetupIconFile=..\build\workstation\icons\appeal-workstation.ico
UninstallDisplayIcon={app}\workstation.exe
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; the one-folder build as it is: workstation.exe and _internal\ (Qt, Python, the code book, the
; letter templates, the fonts, the user guide)
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\workstation.exe"; Comment: "Claim denials, case files, appeal letters"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\workstation.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\workstation.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section, on purpose: the uninstaller removes only the files it installed.
; The user's workspaces (Documents\Appeal workspace, or wherever they were made), the demo
; workspace, the settings and the logs (%LOCALAPPDATA%\appeal-workstation) are the user's and stay.

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usDone) and not UninstallSilent then
    MsgBox('The Appeal Workstation was removed. Your workspaces, settings and logs were kept; ' +
           'installing it again finds them.', mbInformation, MB_OK);
end;
