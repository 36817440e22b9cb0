"""Form data, dates and the templates, without painting anything."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest

from forms import RefusalData
from forms.render import TEMPLATES, Markup, _esc, _render, vn_date, vn_datetime


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (datetime(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (datetime(2026, 3, 2), "ngày 02 tháng 3 năm 2026"),
        (datetime(2026, 11, 27), "ngày 27 tháng 11 năm 2026"),
    ],
)
def test_dates_follow_the_administrative_style(moment, text):
    # Nghị định 30/2020: a leading zero for days below 10 and for months 1 and 2.
    assert vn_date(moment) == text


def test_times_read_hours_and_minutes():
    assert vn_datetime(datetime(2026, 12, 3, 7, 5)) == "07 giờ 05 phút, ngày 03 tháng 12 năm 2026"


def test_a_refusal_needs_a_reason(refusal):
    with pytest.raises(ValueError, match="lý do"):
        dataclasses.replace(refusal, reason="  \n ")
    with pytest.raises(ValueError):
        RefusalData(refusal.office, "x", refusal.applicant, "", "y", "z", datetime(2026, 1, 1))


def test_values_are_escaped_and_markup_is_not():
    assert _esc('<b>&"x"</b>') == "&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"
    assert _esc("một\nhai") == "một<br/>hai"
    assert _esc("  ") == "…………………"
    assert _render("owner.html", name="<i>A</i>", address=Markup("<b>B</b>")).strip() == (
        "<p>Chủ hồ sơ: <b>&lt;i&gt;A&lt;/i&gt;</b>; địa chỉ: <b>B</b></p>"
    )


def test_a_template_missing_a_value_fails_loudly():
    with pytest.raises(KeyError):
        _render("owner.html", name="A")


@pytest.mark.parametrize("name", ["mau01.html", "mau02.html", "mau03.html"])
def test_each_form_is_its_own_template_file(name):
    path = Path(TEMPLATES, name)
    text = path.read_text(encoding="utf-8")
    assert "${header}" in text and "${signatures}" in text


@pytest.mark.parametrize(
    ("name", "placeholders"),
    [
        ("mau04.html", ("${header}", "${signatures}", "${reason}", "${new_due}")),
        ("mau05.html", ("${header}", "${hand_overs}", "${book_number}", "${sequence_number}")),
        ("mau06.html", ("${heading}", "${table}")),
    ],
)
def test_forms_04_to_06_are_template_files(name, placeholders):
    text = Path(TEMPLATES, name).read_text(encoding="utf-8")
    assert all(p in text for p in placeholders)


def test_short_dates_and_the_book_title():
    from datetime import date

    from forms import OfficeInfo, TrackingBookData
    from forms.render import default_title, short_date

    assert short_date(date(2026, 1, 5)) == "05/01/2026"
    assert short_date(None) == ""
    book = TrackingBookData(OfficeInfo("UBND xã A", "", "", "x"), date(2026, 10, 1),
                            date(2026, 12, 31), (), 0, datetime(2027, 1, 2))
    assert book.dossier_code == ""
    assert default_title(book) == "Sổ theo dõi hồ sơ – từ ngày 01/10/2026 đến ngày 31/12/2026"
