"""`motcua smoke` (desktop/smoke.py), the packaged build's self-test, run from source.

build/build_linux.sh runs it in the frozen folder; here it must pass on a copy
of the oldest fixture database, and fail — not just print a traceback — when a
page cannot be built or a slot raises, as a module missing from the folder did.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.paths import DataPaths
from desktop.smoke import run

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / "schema-0001.db"


@pytest.fixture
def old_data(tmp_path: Path) -> DataPaths:
    paths = DataPaths(tmp_path / "data")
    paths.root.mkdir(parents=True)
    shutil.copy(FIXTURE, paths.database)
    return paths


def test_smoke_passes_on_an_old_database(old_data: DataPaths, capsys) -> None:  # noqa: ANN001
    assert run(old_data) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "Bảng điều hành" in out and "smoke: OK" in out
    assert any(old_data.backups.glob("*before-migration*"))


def test_smoke_fails_when_a_page_cannot_be_built(old_data: DataPaths, monkeypatch,  # noqa: ANN001
                                                 capsys) -> None:  # noqa: ANN001
    from desktop.ui.main_window import MainWindow

    def missing_module(self):  # noqa: ANN001, ANN202
        raise ModuleNotFoundError("No module named 'PySide6.QtCharts'")

    monkeypatch.setattr(MainWindow, "_make_dashboard", missing_module)
    assert run(old_data) == 1
    err = capsys.readouterr().err
    assert "area dashboard" in err and "PySide6.QtCharts" in err


def test_smoke_fails_when_a_slot_raises(old_data: DataPaths, monkeypatch,  # noqa: ANN001
                                        capsys) -> None:  # noqa: ANN001
    from desktop.ui.home import HomePage

    def broken(self):  # noqa: ANN001, ANN202
        raise RuntimeError("refresh broke")

    monkeypatch.setattr(HomePage, "refresh", broken)  # called by a timer, in a slot
    assert run(old_data) == 1
    assert "uncaught in a Qt slot: RuntimeError: refresh broke" in capsys.readouterr().err


def test_smoke_fails_when_a_module_cannot_be_imported(old_data: DataPaths, monkeypatch,  # noqa: ANN001
                                                      capsys) -> None:  # noqa: ANN001
    import builtins
    import sys

    real_import = builtins.__import__
    monkeypatch.delitem(sys.modules, "desktop.ui.digitise.viewer", raising=False)

    def no_qtpdf(name, *args, **kwargs):  # noqa: ANN001, ANN202
        if name.startswith("PySide6.QtPdf"):
            raise ModuleNotFoundError(f"No module named '{name}'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_qtpdf)
    assert run(old_data) == 1
    err = capsys.readouterr().err
    assert "import desktop.ui.digitise.viewer" in err and "PySide6.QtPdf" in err
