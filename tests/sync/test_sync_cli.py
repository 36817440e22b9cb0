"""`motcua-province` as a separate process on a temporary database: offices, officers,
online dossiers, province status changes, and `serve` answering on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import httpx

from sync.protocol import API_PREFIX
from sync.server.cli import main
from tests.sync.support import free_socket, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
AGENCY = "000.00.07.H56"


def command() -> list[str]:
    script = shutil.which("motcua-province", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "sync.server.cli"]


def run(db: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*command(), args[0], "--db", str(db), *args[1:]], cwd=ROOT,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def test_the_console_script_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["motcua-province"] == "sync.server.cli:main"
    server_extra = project["optional-dependencies"]["server"]
    assert {d.split(">")[0] for d in server_extra} == {"fastapi", "uvicorn", "pydantic"}


def refusals(db: Path, uid: str, capsys) -> None:
    """Refused commands exit 2 with a Vietnamese message (in-process: quicker)."""
    cases = [
        (["create-office", "--agency-code", AGENCY, "--name", "UBND xã Phú Lâm"],
         "đã có trên hệ thống"),
        (["create-office", "--agency-code", "000.01.H56", "--name", "X"], "không hợp lệ"),
        (["create-officer", "--agency-code", AGENCY, "--username", "x", "--password", "ngan"],
         "ít nhất 8 ký tự"),
        (["create-officer", "--agency-code", "000.00.09.H56", "--username", "abc",
          "--password", "mat-khau-dai"], "Không có đơn vị nào"),
        (["add-status-change", "--agency-code", AGENCY, "--dossier", uid, "--status", "2"],
         "Không thể chuyển hồ sơ"),
        (["add-status-change", "--agency-code", AGENCY, "--dossier", "khong-co", "--status", "7"],
         "Không tìm thấy hồ sơ"),
    ]
    for args, expected in cases:
        assert main([args[0], "--db", str(db), *args[1:]]) == 2, args
        assert expected in capsys.readouterr().err, args


def test_province_commands_then_serve(tmp_path: Path, capsys) -> None:
    db = tmp_path / "tinh.db"
    r = run(db, "create-office", "--agency-code", AGENCY, "--name", "UBND xã Phú Lâm")
    assert r.returncode == 0, r.stderr
    assert f"Đã tạo đơn vị {AGENCY}" in r.stdout

    r = run(db, "create-officer", "--agency-code", AGENCY, "--username", "tiepnhan1",
            "--full-name", "Lê Minh Tuấn", "--role", "front_desk", "--role", "leader",
            env={"MOTCUA_PROVINCE_PASSWORD": "mat-khau-tinh-123"})
    assert r.returncode == 0, r.stderr

    r = run(db, "create-online-dossiers", "--agency-code", AGENCY, "--count", "3",
            "--seed", "5")
    assert r.returncode == 0, r.stderr
    uids = [line.strip() for line in r.stdout.splitlines()[1:] if line.strip()]
    assert len(uids) == 3 and "3 hồ sơ trực tuyến" in r.stdout

    r = run(db, "add-status-change", "--agency-code", AGENCY, "--dossier", uids[0],
            "--status", "7")
    assert r.returncode == 0, r.stderr
    assert '"Mới đăng ký" → "Công dân yêu cầu rút hồ sơ"' in r.stdout
    refusals(db, uids[0], capsys)

    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    proc = subprocess.Popen([*command(), "serve", "--db", str(db), "--port", str(port),
                             "--log-level", "warning"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, timeout=30)
        with httpx.Client(base_url=base, timeout=10) as c:
            login = c.post(f"{API_PREFIX}/auth/login", json={
                "agency_code": AGENCY, "username": "tiepnhan1", "password": "mat-khau-tinh-123"})
            assert login.status_code == 200, login.text
            assert login.json()["officer"]["roles"] == ["front_desk", "leader"]
            c.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
            items = c.get(f"{API_PREFIX}/pull").json()["items"]
            assert [i["kind"] for i in items] == ["online_dossier"] * 3 + ["status_change"]
            assert [i["dossier_uid"] for i in items] == [*uids, uids[0]]
            assert len(c.get(f"{API_PREFIX}/catalogue").json()["procedures"]) == 39
            assert "paths" in c.get("/openapi.json").json()
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    assert "Máy chủ tỉnh (mẫu) chạy tại" in out
    # Nothing about citizens in the server's output.
    for item in items:
        name = item["record"]["dossier"]["applicant_name"]
        assert name not in out and name not in err
