"""办结佐证: the owning village completes its task with a note and photos or PDFs (SPEC §5).

The files are checked (type by content, size) before anything is written; then the task moves
in_progress → done through `core.workflow.village_step` (one TaskEvent) and the files are stored under
that event (core.attachments). Call inside `session_scope(engine, write=True)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col

from core import attachments, workflow
from core.actors import Actor
from core.models import Task, TaskEvent


def complete_with_files(session: Session, *, actor: Actor, task_id: int, note: str | None,
                        files: Sequence[tuple[str, bytes]] = (), now: datetime) -> Task:
    """办结 with a note and attachments (each a (file name, content) pair); returns the task."""
    attachments.check_files(files)
    text = (note or "").strip()
    if files:
        text = f"{text}（附件 {len(files)} 个）" if text else f"附件 {len(files)} 个"
    task = workflow.village_step(session, actor=actor, task_id=task_id, action="complete", note=text or None, now=now)
    if files:
        event_id = session.execute(sa.select(sa.func.max(col(TaskEvent.id))).where(
            col(TaskEvent.task_id) == task_id, col(TaskEvent.action) == "complete")).scalar()
        attachments.store_files("task_event", int(event_id or 0), files, person_id=actor.person_id, now=now)
    return task
