; Inno Setup script for Một Cửa (per-machine install). Build on Windows after PyInstaller:
;   pyinstaller --noconfirm --clean build\motcua.spec      (→ dist\motcua\)
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" build\windows\motcua.iss
; → dist\MotCua-Setup-<version>.exe. Steps in build/windows/README.md.
#define AppName "Một Cửa"
#define AppVersion "0.1.0"
#define AppExe "motcua.exe"

[Setup]
AppId={{6F0E4C1B-8A3D-4B7E-9C21-5D3F0A7B9E42}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Một Cửa
DefaultDirName={autopf}\MotCua
DefaultGroupName={#AppName}
; Per-machine: every officer of the PC gets the app; needs administrator rights.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=MotCua-Setup-{#AppVersion}
SetupIconFile=motcua.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; An older version is closed and replaced in place; the data folder is never touched.
CloseApplications=yes

[Languages]
Name: "vi"; MessagesFile: "compiler:Languages\Vietnamese.isl"

[Files]
Source: "..\..\dist\motcua\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; A deployment config IT prepares once for all the office's PCs (optional):
Source: "motcua.toml"; DestDir: "{app}"; Flags: onlyifdoesntexist skipifsourcedoesntexist

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\Kiểm tra dữ liệu Một Cửa"; Filename: "{cmd}"; Parameters: "/k ""{app}\motcua-cli.exe"" check"
Name: "{group}\Gỡ cài đặt {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Tạo biểu tượng trên màn hình"; Flags: unchecked

[Run]
Filename: "{app}\{#AppExe}"; Description: "Mở {#AppName}"; Flags: nowait postinstall skipifsilent

; Uninstall removes only what was installed in {app}. The data folders
; (%LOCALAPPDATA%\MotCua of each officer's Windows account, or the folder set by
; MOTCUA_DATA_DIR) hold the office's dossiers and are deliberately kept.
