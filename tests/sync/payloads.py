"""Changes shaped exactly like the desktop's outbox items (desktop/services/dossiers.py)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

RECEIVED_AT = datetime(2026, 3, 16, 8, 15)


def snapshot(uid: str, *, status: int = 2, version: int = 1, code: str | None = None,
             **changes: Any) -> dict[str, Any]:
    """Every field of desktop.services.dossiers.SNAPSHOT_FIELDS, as `snapshot()` writes them."""
    data: dict[str, Any] = {
        "uid": uid, "code": code, "procedure_id": 7, "channel": "1", "status": status,
        "applicant_kind": "1", "applicant_id_number": "075090123456", "applicant_old_id": "",
        "applicant_name": "Nguyễn Văn Đức", "applicant_birth_date": "1990-05-17",
        "applicant_sex": "Nam", "applicant_address": "Ấp Phú Lợi, xã Tân Phú",
        "applicant_phone": "0912345678", "applicant_email": "", "submitter_id_number": "",
        "submitter_name": "", "submitter_birth_date": None, "submitter_sex": "",
        "submitter_address": "", "submitter_phone": "", "submitter_email": "",
        "summary": "Cấp Giấy xác nhận tình trạng hôn nhân", "note": "", "reason": "", "sets_count": 1,
        "submitted_at": RECEIVED_AT.isoformat(), "received_at": RECEIVED_AT.isoformat(),
        "due_at": (RECEIVED_AT + timedelta(days=1)).isoformat(),
        "original_due_at": (RECEIVED_AT + timedelta(days=1)).isoformat(), "refused_at": None,
        "finished_at": None, "returned_at": None, "return_by_post": False, "fee_total": 2000,
        "paid_online": False, "state_secret": False, "assignee_id": None, "version": version,
    }
    data.update(changes)
    return data


def progress(status: int, *, content: str = "Tiếp nhận hồ sơ",
             at: datetime = RECEIVED_AT) -> dict[str, Any]:
    return {"uid": str(uuid.uuid4()), "officer_name": "Trần Thị Thu Hà",
            "officer_title": "Công chức Bộ phận một cửa",
            "department": "Bộ phận tiếp nhận và trả kết quả", "acted_at": at.isoformat(),
            "content": content, "status": status, "step_deadline": None}


def change(dossier_uid: str, *, kind: str = "dossier.received", status: int = 2,
           version: int = 1, code: str | None = None, with_progress: bool = True,
           **snapshot_changes: Any) -> dict[str, Any]:
    """A Change as JSON: one outbox item (uid, kind, dossier_uid, payload)."""
    payload: dict[str, Any] = {
        "dossier": snapshot(dossier_uid, status=status, version=version, code=code,
                            procedure_code="1.004873", **snapshot_changes),
        "supplement_rounds": [], "results": [], "result_return": None, "apologies": [],
    }
    if with_progress:
        payload["progress"] = progress(status)
    return {"uid": str(uuid.uuid4()), "kind": kind, "dossier_uid": dossier_uid,
            "payload": payload, "created_at": RECEIVED_AT.isoformat()}


def new_uid() -> str:
    return str(uuid.uuid4())
