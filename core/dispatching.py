"""批量派单 (SPEC §5): one matter dispatched to one or several villages at once, and the 准入清单 to pick from.

`dispatch_batch` screens the matter once (过筛: an off-list matter is refused for every village, each refusal
recorded, no task written), then dispatches one task per village through `core.workflow.dispatch`, all in
one transaction: every village gets its task or none does. Call it in a session of its own, inside
`session_scope(engine, write=True)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core import screening, workflow
from core.actors import Actor
from core.errors import DomainError, ScreeningRejected
from core.models import DispatchScreening, MatterType, Task

#: 协办科室: the town offices that may co-handle a hard matter (a task's `co_office`).
CO_OFFICES = ("党政办", "党建办", "经济发展办", "平安法治办", "社会事务办", "综合执法队", "农业农村办", "自然资源所")
MAX_VILLAGES = 50


def matter_catalog(session: Session) -> pd.DataFrame:
    """The whole 准入清单 with the known off-list types: code, name, level, module, on_list, emergency, difficulty;
    by code. Configuration data, the same for every viewer."""
    rows = session.execute(sa.select(col(MatterType.code), col(MatterType.name), col(MatterType.level), col(MatterType.module),
                                     col(MatterType.on_list), col(MatterType.emergency), col(MatterType.difficulty))
                           .order_by(col(MatterType.code))).tuples().all()
    return pd.DataFrame([tuple(r) for r in rows],
                        columns=["code", "name", "level", "module", "on_list", "emergency", "difficulty"])


def dispatch_batch(session: Session, *, actor: Actor, village_ids: Sequence[int], matter_code: str, title: str,
                   category: str, deadline: date, now: datetime, difficulty: float | None = None,
                   module: str | None = None, grid_id: int | None = None, co_office: str | None = None,
                   note: str | None = None, reason: str | None = None) -> list[Task]:
    """派发 one matter to each village (owner: its 村书记); every task or none. ScreeningRejected for an off-list
    matter (one DispatchScreening per village committed, no task)."""
    villages = list(dict.fromkeys(int(v) for v in village_ids))
    if not villages:
        raise DomainError("请至少选择一个村社")
    if len(villages) > MAX_VILLAGES:
        raise DomainError(f"一次最多派发给 {MAX_VILLAGES} 个村社")
    if not (title or "").strip():
        raise DomainError("请填写任务标题")
    if co_office is not None and co_office not in CO_OFFICES:
        raise DomainError(f"未知的协办科室「{co_office}」")
    if grid_id is not None and (len(villages) != 1 or int(grid_id) // 1000 != villages[0]):
        raise DomainError("网格团队只能在派发给一个村社时指定，且须是该村社的网格")
    workflow._lock(session)
    for v in villages:  # role and scope for every village before the 过筛 record of any
        actor.scope.check(v)
        workflow._dispatch_role(actor, category, v)
    matter = session.execute(sa.select(MatterType).where(col(MatterType.code) == matter_code)).scalar()
    refusal = screening.refusal_reason(matter, matter_code)
    if refusal:
        for v in villages:
            session.add(DispatchScreening(at=now, dispatcher_id=actor.person_id, dispatcher_region_id=actor.region_id,
                                          village_id=v, matter_type_id=matter.id if matter else None,
                                          matter_code=matter_code[:16], title=title[:128], reason=refusal[:128]))
        session.commit()  # the refusals are the record of these dispatches
        raise ScreeningRejected(refusal)
    return [workflow.dispatch(session, actor=actor, village_id=v, matter_code=matter_code, title=title.strip(),
                              category=category, deadline=deadline, now=now, difficulty=difficulty, module=module,
                              grid_id=grid_id, co_office=co_office, note=note, reason=reason) for v in villages]
