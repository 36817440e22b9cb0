"""SQL fragments shared by the report definitions, the engine and the indicators.

Every fragment reads the table ``dossiers`` under the alias ``d``. Times are
bound as text in SQLAlchemy's SQLite storage form (``YYYY-MM-DD HH:MM:SS.ffffff``,
`ts`), so they compare with the stored values as strings, and a day is
compared as its 10-character prefix (``substr(d.due_at, 1, 10)``): a time
string sorts after the date it starts with, so ``x < substr(due, 1, 10)``
means "on a day before the due day".
"""

from __future__ import annotations

from datetime import datetime

#: Statuses of a dossier the office received (Quyết định 766: "statuses 2, 4–10 count as
#: received"): every status but the online submission not yet received (1) and the refusal (3).
RECEIVED_STATUSES = (2, 4, 5, 6, 7, 8, 9, 10)
RECEIVED_IN = "d.status IN (2, 4, 5, 6, 7, 8, 9, 10)"
#: Statuses that end a dossier: withdrawn (7), processed (9), result returned (10).
FINAL_STATUSES = (7, 9, 10)
#: Resolved in the sense of Biểu số 06 (a result was made): processed (9) and returned (10).
RESOLVED_STATUSES = (9, 10)
#: Resolved in the sense of Quyết định 766's digitisation rate of results (7, 9, 10).
RESOLVED_766_STATUSES = (7, 9, 10)
#: In progress now, for the leader's lists (as the home page and the queues count them).
IN_PROGRESS_NOW = (2, 4, 5, 6)

#: When a received dossier ended: its NgayKetThucXuLy (`finished_at`, set when it was
#: withdrawn (7) or processed (9) and kept when the result is returned (10)); NULL while it
#: has not ended. A final dossier without that time (data written before processing set it,
#: such as the demo's withdrawals) ends at its last change.
END = ("(CASE WHEN d.status IN (7, 9, 10) THEN COALESCE(d.finished_at, d.updated_at) END)")

#: The due date a dossier is measured against (see `definitions` for why): the current
#: due date, which includes the time the office waited for a supplement
#: (`processing.receive_supplement` extends it, Nghị định 61/2018 Art. 19), except that an
#: apology a leader approved (Mẫu 04) does not excuse lateness: then the due date in force
#: before the first approved apology. The IN test reads the (few) approved apologies once.
LEGAL_DUE = (
    "(CASE WHEN d.id IN (SELECT dossier_id FROM apologies WHERE state = 'approved') "
    "THEN COALESCE((SELECT a.original_due_at FROM apologies AS a "
    "WHERE a.dossier_id = d.id AND a.state = 'approved' "
    "ORDER BY a.approved_at, a.id LIMIT 1), d.due_at) ELSE d.due_at END)"
)

#: Covering indexes of migration 0009: the report reads only these, never the table.
REPORT_INDEX = "ix_dossiers_report"  # (received_at, status, channel, procedure_id, …)
FINISHED_INDEX = "ix_dossiers_finished"  # (status, finished_at, due_at, updated_at, received_at)
COMPONENTS_INDEX = "ix_dossier_components_digitisation"  # (dossier_id, present, state)
LIVE_RESULTS_INDEX = "ix_attachments_live_result"  # (dossier_id) WHERE kind='result' AND live


def ts(moment: datetime) -> str:
    """A time as SQLAlchemy stores it in SQLite (so text comparison is time order)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def fill(template: str) -> str:
    """Expand ``{end}`` and ``{due}`` in a definition's SQL."""
    return template.replace("{end}", END).replace("{due}", LEGAL_DUE)
