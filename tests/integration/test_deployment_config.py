"""motcua.toml: IT presets the office, the province and backups for every PC alike."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop import cli, config
from desktop.services import settings
from desktop.store.database import open_store
from desktop.store.models import AuditEvent, Office

TOML = """
[office]
name = "UBND xã Tân Phú"
agency_code = "000.00.01.H56"
parent_name = "UBND tỉnh Đồng Nai"
place_name = "Xã Tân Phú"
desk = 3

[sync]
province_url = "https://motcua.dongnai.gov.vn"
connector = "dvcqg"

[backup]
keep_daily = 30
"""


@pytest.fixture
def deployed(tmp_path, monkeypatch):
    path = tmp_path / "motcua.toml"
    path.write_text(TOML, encoding="utf-8")
    monkeypatch.setenv("MOTCUA_CONFIG", str(path))
    return path


def test_init_takes_the_office_and_settings_from_the_config(deployed, data_paths, monkeypatch,
                                                             capsys) -> None:
    monkeypatch.setenv("MOTCUA_ADMIN_PASSWORD", "mat-khau-123")
    code = cli.main(["--data-dir", str(data_paths.root), "init", "--admin-user", "quantri",
                     "--admin-name", "Nguyễn Thị Hồng Nhung"])
    assert code == 0, capsys.readouterr().err
    assert "sync.server_url" in capsys.readouterr().out
    store = open_store(data_paths)
    try:
        with store.reading() as s:
            office = s.get(Office, 1)
            assert (office.name, office.agency_code, office.desk_number, office.place_name) == (
                "UBND xã Tân Phú", "000.00.01.H56", 3, "Xã Tân Phú")
            assert settings.get(s, "sync.server_url") == "https://motcua.dongnai.gov.vn"
            assert settings.get(s, "sync.connector") == "dvcqg"  # by configuration alone
            assert settings.get(s, "backup.keep_daily") == 30
            assert s.execute(select(AuditEvent.action).where(
                AuditEvent.action == "settings.deployment")).scalar_one()
    finally:
        store.close()


def test_the_command_line_wins_over_the_config(deployed, data_paths, monkeypatch) -> None:
    monkeypatch.setenv("MOTCUA_ADMIN_PASSWORD", "mat-khau-123")
    assert cli.main(["--data-dir", str(data_paths.root), "init", "--desk", "5",
                     "--admin-user", "quantri", "--admin-name", "Nguyễn Thị Hồng Nhung"]) == 0
    store = open_store(data_paths)
    try:
        with store.reading() as s:
            assert s.get(Office, 1).desk_number == 5
    finally:
        store.close()


@pytest.mark.parametrize("bad, words", [
    ("[office]\ndesk = 12\n", "'desk' phải là số nguyên từ 1 đến 9"),
    ("[office\nname = 1", "sai cú pháp TOML"),
    ('[sync]\nprovince_url = "http://example.org"\n', "https://"),
    ('[sync]\nca_bundle = "/no/such/ca.pem"\n', "không tìm thấy tệp chứng chỉ"),
    ('[office]\nname = 5\n', "phải là chuỗi"),
    ('[sync]\nconnector = "lgsp"\n', 'connector phải là "motcua" hoặc "dvcqg"'),
])
def test_a_wrong_config_is_reported_with_its_file_and_key(tmp_path, bad, words) -> None:
    path = tmp_path / "motcua.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(config.ConfigError) as err:
        config.read(path)
    assert words in err.value.message_vi and str(path) in err.value.message_vi


def test_without_a_config_init_names_what_is_missing(data_paths, monkeypatch, capsys,
                                                     tmp_path) -> None:
    monkeypatch.setenv("MOTCUA_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("MOTCUA_ADMIN_PASSWORD", "mat-khau-123")
    code = cli.main(["--data-dir", str(data_paths.root), "init", "--admin-user", "quantri",
                     "--admin-name", "Nguyễn Thị Hồng Nhung"])
    assert code != 0
    assert "--office-name" in capsys.readouterr().err


def test_the_setup_dialog_is_prefilled(qtbot, deployed, store) -> None:
    from desktop.ui.app import make_application
    from desktop.ui.setup_dialog import SetupDialog
    from desktop.ui.tasks import TaskRunner

    make_application([])
    runner = TaskRunner()
    try:
        dialog = SetupDialog(store, runner)
        qtbot.addWidget(dialog)
        assert dialog.name_edit.text() == "UBND xã Tân Phú"
        assert dialog.code_edit.text() == "000.00.01.H56"
        assert dialog.desk_spin.value() == 3
    finally:
        runner.shutdown()
