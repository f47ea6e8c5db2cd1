"""A cheap signature of the data, so an unattended big screen can notice new records."""

from __future__ import annotations

from typing import cast

import sqlalchemy as sa
from sqlmodel import Session

from core.models import Appeal, Task, TaskEvent


def data_signature(session: Session) -> tuple[int, int, int]:
    """(max task id, max task-event id, max appeal id): changes whenever a task, event or appeal is written."""
    row = session.execute(sa.select(sa.select(sa.func.max(Task.id)).scalar_subquery(),
                                 sa.select(sa.func.max(TaskEvent.id)).scalar_subquery(),
                                 sa.select(sa.func.max(Appeal.id)).scalar_subquery())).one()
    return cast(tuple[int, int, int], tuple(int(v or 0) for v in row))
