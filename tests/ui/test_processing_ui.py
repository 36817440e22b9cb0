"""Processing through the GUI: hand over, finish and return a dossier; only allowed actions shown."""

from __future__ import annotations

from sqlalchemy import select

from desktop.store.models import Dossier, ProgressRow
from desktop.ui.app import make_application
from desktop.ui.context import UiContext
from desktop.ui.processing.page import ProcessingPage
from desktop.ui.tasks import TaskRunner


def open_page(qtbot, store, actor) -> tuple[ProcessingPage, TaskRunner]:
    make_application([])
    runner = TaskRunner()
    page = ProcessingPage(UiContext(store, runner, actor, "UBND xã Tân Phú", "000.00.01.H56", 1))
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page, runner


def wait_actions(qtbot, page, dossier_id: int) -> list[str]:
    qtbot.waitUntil(lambda: page.selected_id() == dossier_id and bool(page.action_buttons),
                    timeout=10000)
    return list(page.action_buttons)


def run(qtbot, page, name: str, dossier_id: int, **values) -> None:
    dialog = page.run_action(name, dossier_id, exec_dialog=False)
    for key, value in values.items():
        widget = dialog.widgets[key]
        if hasattr(widget, "setPlainText"):
            widget.setPlainText(value)
        elif hasattr(widget, "setCurrentIndex"):
            widget.setCurrentIndex(widget.findData(value))
        else:
            widget.setText(value)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.run()


def test_hand_over_finish_and_return_through_the_queues(qtbot, office_store, staff, dossier_id) -> None:
    page, runner = open_page(qtbot, office_store, staff["desk"])
    actions = wait_actions(qtbot, page, dossier_id)
    assert "hand_over" in actions and "finish" not in actions
    qtbot.waitUntil(lambda: bool(page._officers), timeout=10000)
    run(qtbot, page, "hand_over", dossier_id, specialist_id=staff["spec"].officer_id)
    runner.shutdown()

    page, runner = open_page(qtbot, office_store, staff["spec"])
    actions = wait_actions(qtbot, page, dossier_id)
    assert "finish" in actions and "hand_over" not in actions
    run(qtbot, page, "finish", dossier_id, results="Giấy xác nhận tình trạng hôn nhân")
    runner.shutdown()

    page, runner = open_page(qtbot, office_store, staff["desk"])
    assert "return_result" in wait_actions(qtbot, page, dossier_id)
    run(qtbot, page, "return_result", dossier_id, receiver_name="Nguyễn Văn Đức")
    runner.shutdown()

    with office_store.reading() as s:
        assert s.get_one(Dossier, dossier_id).status == 10
        steps = s.execute(select(ProgressRow.status).where(ProgressRow.dossier_id == dossier_id)
                          .order_by(ProgressRow.id)).scalars().all()
    assert steps == [2, 4, 9, 10]


def test_a_refused_action_shows_its_message_and_changes_nothing(qtbot, office_store, staff, dossier_id) -> None:
    page, runner = open_page(qtbot, office_store, staff["desk"])
    wait_actions(qtbot, page, dossier_id)
    dialog = page.run_action("withdraw", dossier_id, exec_dialog=False)
    dialog.run()  # no reason given
    qtbot.waitUntil(lambda: bool(dialog.form.error_text("reason")) or dialog.message.isVisible(),
                    timeout=10000)
    with office_store.reading() as s:
        assert s.get_one(Dossier, dossier_id).status == 2
    runner.shutdown()


def test_supplement_request_prints_the_guidance_slip(qtbot, office_store, staff, dossier_id, tmp_path) -> None:
    from pypdf import PdfReader

    page, runner = open_page(qtbot, office_store, staff["desk"])
    assert "request_supplement" in wait_actions(qtbot, page, dossier_id)
    run(qtbot, page, "request_supplement", dossier_id,
        missing="Giấy xác nhận nơi cư trú", reason="Thiếu giấy tờ chứng minh nơi cư trú")
    qtbot.waitUntil(lambda: page.last_preview is not None, timeout=10000)
    pdf = page.last_preview.export_pdf(tmp_path / "mau02.pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(pdf)).pages).split())
    assert "Giấy xác nhận nơi cư trú" in text and "Nguyễn Văn Đức" in text
    with office_store.reading() as s:
        assert s.get_one(Dossier, dossier_id).status == 5
    runner.shutdown()
