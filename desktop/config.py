"""The deployment config `motcua.toml`: what IT presets once for all the office's PCs.

Looked for, first found wins: the file named by MOTCUA_CONFIG; `motcua.toml`
beside the executable of a packaged build; the system folder
(`%PROGRAMDATA%\\MotCua\\motcua.toml` on Windows, `/etc/motcua/motcua.toml`
elsewhere). Every key is optional:

    [office]
    name = "UBND xã Tân Phú"
    agency_code = "000.00.01.H56"
    parent_name = "UBND tỉnh Đồng Nai"
    place_name = "Xã Tân Phú"
    desk = 2                      # this PC's desk number (1–9)

    [sync]
    province_url = "https://motcua.dongnai.gov.vn"
    ca_bundle = "C:/MotCua/province-ca.pem"   # the province's own CA, if any
    connector = "dvcqg"           # "motcua" (default) or the national portal's services

    [backup]
    keep_daily = 30

The first-run setup and `motcua init` take the office presets as their
defaults; the sync and backup values become the office's settings when it is
set up (`apply_to_settings`). A file that cannot be read or has a wrong value
is reported in Vietnamese with the file and the key; nothing is guessed.
"""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE_NAME = "motcua.toml"


class ConfigError(Exception):
    def __init__(self, path: Path, message_vi: str) -> None:
        super().__init__(f"{path}: {message_vi}")
        self.path = path
        self.message_vi = f"Tệp cấu hình {path}: {message_vi}"


#: How the desk talks to the province (setting "sync.connector").
CONNECTORS = ("motcua", "dvcqg")


@dataclass(frozen=True)
class Deployment:
    source: Path | None = None
    office_name: str = ""
    agency_code: str = ""
    parent_name: str = ""
    place_name: str = ""
    desk: int | None = None
    province_url: str = ""
    ca_bundle: str = ""
    connector: str = ""
    backup_keep_daily: int | None = None


def locations() -> list[Path]:
    out: list[Path] = []
    if env := os.environ.get("MOTCUA_CONFIG"):
        out.append(Path(env))
    if getattr(sys, "frozen", False):
        out.append(Path(sys.executable).resolve().parent / FILE_NAME)
    if sys.platform == "win32":
        out.append(Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "MotCua" / FILE_NAME)
    else:
        out.append(Path("/etc/motcua") / FILE_NAME)
    return out


def _text(path: Path, table: dict[str, Any], key: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(path, f"khóa '{key}' phải là chuỗi ký tự (trong dấu nháy).")
    return value.strip()


def _int(path: Path, table: dict[str, Any], key: str, lo: int, hi: int) -> int | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise ConfigError(path, f"khóa '{key}' phải là số nguyên từ {lo} đến {hi}.")
    return value


def read(path: Path) -> Deployment:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(path, f"không đọc được ({exc.strerror or exc}).") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"sai cú pháp TOML ({exc}).") from exc
    office, sync, backup = (data.get(k, {}) for k in ("office", "sync", "backup"))
    for name, table in (("office", office), ("sync", sync), ("backup", backup)):
        if not isinstance(table, dict):
            raise ConfigError(path, f"[{name}] phải là một bảng.")
    url = _text(path, sync, "province_url")
    if url and not url.startswith("https://") and not url.startswith("http://127.0.0.1"):
        raise ConfigError(path, "province_url phải bắt đầu bằng https:// (kết nối được mã hóa).")
    ca = _text(path, sync, "ca_bundle")
    if ca and not Path(ca).is_file():
        raise ConfigError(path, f"không tìm thấy tệp chứng chỉ ca_bundle = {ca}.")
    connector = _text(path, sync, "connector")
    if connector and connector not in CONNECTORS:
        raise ConfigError(path, f'connector phải là "motcua" hoặc "dvcqg" (đang là "{connector}").')
    return Deployment(
        source=path, office_name=_text(path, office, "name"),
        agency_code=_text(path, office, "agency_code"),
        parent_name=_text(path, office, "parent_name"),
        place_name=_text(path, office, "place_name"), desk=_int(path, office, "desk", 1, 9),
        province_url=url, ca_bundle=ca, connector=connector,
        backup_keep_daily=_int(path, backup, "keep_daily", 1, 365),
    )


def load() -> Deployment:
    """The first config file found, or the empty Deployment (no presets)."""
    for path in locations():
        if path.is_file():
            return read(path)
    return Deployment()


def apply_to_settings(session: Any, actor: Any, deployment: Deployment) -> list[str]:
    """Write the deployment's sync and backup values as the office's settings (in the
    caller's transaction, audited); returns the keys written. Keys this build does not
    know are left out."""
    from desktop.services import audit, settings

    values = {"sync.server_url": deployment.province_url, "sync.ca_bundle": deployment.ca_bundle,
              "sync.connector": deployment.connector,
              "backup.keep_daily": deployment.backup_keep_daily}
    written = []
    for key, value in values.items():
        if value in ("", None) or key not in settings.DEFAULTS:
            continue
        settings.put(session, key, value)
        written.append(key)
    if written:
        audit.record(session, actor, "settings.deployment", "settings", str(deployment.source),
                     after={k: values[k] for k in written})
    return written
