"""Dossier codes from number blocks reserved for this desk.

Each day the desk draws sequence numbers from its blocks: the static offline
block of its desk number (desktop.domain.codes.offline_block) and any block
the province handed out. Two desks of one office therefore never issue the
same code, with or without a connection. The unique constraint on
dossiers.code is the last guard.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from desktop.domain.codes import (
    BlockExhausted,
    SequenceBlock,
    format_dossier_code,
    next_sequence,
    offline_block,
)
from desktop.store.models import NumberBlock, Office


def _blocks_for(session: Session, day: date, desk: int) -> list[NumberBlock]:
    blocks = list(session.execute(
        select(NumberBlock).where(NumberBlock.day == day, NumberBlock.desk == desk)
        .order_by(case((NumberBlock.source == "offline", 0), else_=1), NumberBlock.first)
    ).scalars())
    if not any(b.source == "offline" for b in blocks):
        static = offline_block(desk)
        row = NumberBlock(day=day, desk=desk, first=static.first, last=static.last,
                          last_used=None, source="offline")
        session.add(row)
        session.flush()
        blocks.insert(0, row)
    return blocks


def next_dossier_code(session: Session, office: Office, day: date) -> str:
    """Reserve the next sequence number of `day` for this desk; returns the code."""
    last_error: BlockExhausted | None = None
    for block in _blocks_for(session, day, office.desk_number):
        try:
            seq = next_sequence(SequenceBlock(block.first, block.last), block.last_used)
        except BlockExhausted as exc:
            last_error = exc
            continue
        block.last_used = seq
        return format_dossier_code(office.agency_code, day, seq)
    assert last_error is not None
    raise last_error


def add_province_block(session: Session, day: date, desk: int, first: int, last: int) -> None:
    """Record a block the province reserved for this desk (used by sync)."""
    session.add(NumberBlock(day=day, desk=desk, first=first, last=last, source="province"))
