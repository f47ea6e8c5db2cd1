"""民情诉求 (SPEC §6): the bottom-up lifecycle services and per-region monthly statistics.

Flow: 网格收集上报 (report, grid) → 村社办理处置 (respond / close at village) → 乡镇统筹分流 (escalate
to township) → 县级部门协同联动 (escalate to county) → close (records the closing level) → 好/中/差评
(rate, once, closed only). Each service takes keyword-only `actor` and `now`, checks role and scope,
changes the appeal and appends exactly one `AppealEvent`. Call it inside
`session_scope(engine, write=True)`: a refused call raises a DomainError before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, cast

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core import rollups
from core.actors import Actor
from core.enums import APPEAL_CATEGORIES, APPEAL_CHANNELS, APPEAL_LEVEL_LABEL, RATINGS, AppealLevel, AppealStatus
from core.errors import AppealStateError, DomainError, NotFound, PermissionDenied
from core.models import Appeal, AppealEvent, Grid, RollupAppealCube
from core.scope import Scope
from core.sqlfn import hours_between
from core.sqlfn import ym as sqlfn_ym

DUE_DAYS = 5  # 办理时限, the same as the generator's
LEVELS = [AppealLevel.GRID, AppealLevel.VILLAGE, AppealLevel.TOWNSHIP, AppealLevel.COUNTY]
VILLAGE_CADRES = frozenset({"village_secretary", "village_committee", "village_admin"})
TOWN_ROLES = frozenset({"town_admin", "town_party_deputy", "town_leader", "stationed_cadre", "line_cadre"})
COUNTY_ROLES = frozenset({"county_admin", "city_admin", "city_operator"})
#: Who may act on an appeal while it sits at each level.
LEVEL_ROLES = {
    AppealLevel.GRID: frozenset({"grid_worker"}) | VILLAGE_CADRES,
    AppealLevel.VILLAGE: VILLAGE_CADRES,
    AppealLevel.TOWNSHIP: TOWN_ROLES,
    AppealLevel.COUNTY: COUNTY_ROLES,
}
REPORTERS = frozenset({"grid_worker"}) | VILLAGE_CADRES
RATERS = frozenset({"grid_worker"}) | VILLAGE_CADRES  # 回访: the citizen's rating is recorded on a return visit


def _lock(session: Session) -> None:
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_immediate": True})


def _appeal(session: Session, actor: Actor, appeal_id: int) -> Appeal:
    actor.check_may_write()  # 大屏 / read-only accounts: one message on every write path
    appeal = session.get(Appeal, appeal_id, populate_existing=True, with_for_update=True)  # PG: row lock
    if appeal is None:
        raise NotFound(f"诉求 {appeal_id} 不存在")
    actor.scope.check(appeal.village_id)
    return appeal


def _may_act(actor: Actor, appeal: Appeal, what: str) -> None:
    if appeal.status == AppealStatus.CLOSED:
        raise AppealStateError(f"诉求 {appeal.id} 已办结，不能{what}")
    if actor.role not in LEVEL_ROLES[AppealLevel(appeal.level)]:
        raise PermissionDenied(f"诉求当前在{APPEAL_LEVEL_LABEL[AppealLevel(appeal.level)]}层级，{actor.name}无权{what}")


def _event(session: Session, appeal: Appeal, actor: Actor, action: str, frm: str | None, to: str | None,
           note: str | None, now: datetime) -> None:
    session.add(AppealEvent(appeal_id=cast(int, appeal.id), at=now, actor_id=actor.person_id, action=action,
                            from_level=frm, to_level=to, note=(note or None) and note[:256]))


def _touched(session: Session, appeal: Appeal, now: datetime) -> Appeal:
    """Flush and bring the appeal rollups, its village-month's indicator values and the month's scores up to
    date in the same transaction (next rerun sees it)."""
    session.flush()
    rollups.touch_appeal(session, appeal, now=now)
    return appeal


def report(session: Session, *, actor: Actor, grid_id: int, category: str, channel: str = "网格员",
           lon: float | None = None, lat: float | None = None, note: str | None = None, now: datetime,
           address: str | None = None) -> Appeal:
    """网格收集上报: a new appeal at the grid level, due in DUE_DAYS days (`note` is the description; a typed
    `address` is kept with it, a point picked on the map in lon/lat, else the grid's centre)."""
    _lock(session)
    actor.check_may_write()
    if address and address.strip():
        note = f"{(note or '').strip()}（地址：{address.strip()[:80]}）"
    if actor.role not in REPORTERS:
        raise PermissionDenied(f"{actor.name}无权上报民情（仅网格员和村两委干部）")
    grid = session.get(Grid, grid_id)
    if grid is None:
        raise NotFound(f"网格 {grid_id} 不存在")
    actor.scope.check(grid.village_id)
    if category not in APPEAL_CATEGORIES:
        raise DomainError(f"未知的诉求类别「{category}」")
    if channel not in APPEAL_CHANNELS:
        raise DomainError(f"未知的渠道「{channel}」")
    appeal = Appeal(village_id=grid.village_id, grid_id=grid.id, category=category, channel=channel,
                    lon=grid.lon if lon is None else lon, lat=grid.lat if lat is None else lat, reported_at=now,
                    due_at=now + timedelta(days=DUE_DAYS), status=str(AppealStatus.REPORTED),
                    level=str(AppealLevel.GRID), handler_id=actor.person_id)
    session.add(appeal)
    session.flush()
    _event(session, appeal, actor, "report", None, str(AppealLevel.GRID), note, now)
    return _touched(session, appeal, now)


def respond(session: Session, *, actor: Actor, appeal_id: int, note: str | None = None, now: datetime) -> Appeal:
    """村社办理处置 (first response at the current level): reported → handling, first response time set."""
    _lock(session)
    appeal = _appeal(session, actor, appeal_id)
    _may_act(actor, appeal, "受理")
    if appeal.status != AppealStatus.REPORTED:
        raise AppealStateError(f"诉求 {appeal.id} 已受理，不能重复受理")
    appeal.status, appeal.first_response_at, appeal.handler_id = str(AppealStatus.HANDLING), now, actor.person_id
    _event(session, appeal, actor, "respond", appeal.level, appeal.level, note, now)
    return _touched(session, appeal, now)


def escalate(session: Session, *, actor: Actor, appeal_id: int, note: str | None = None, now: datetime) -> Appeal:
    """Pass the appeal one level up: 网格 → 村社 → 乡镇统筹分流 → 县级部门协同联动."""
    _lock(session)
    appeal = _appeal(session, actor, appeal_id)
    _may_act(actor, appeal, "上报流转")
    i = LEVELS.index(AppealLevel(appeal.level))
    if i == len(LEVELS) - 1:
        raise AppealStateError("诉求已在县级部门，不能再上报")
    frm, appeal.level = appeal.level, str(LEVELS[i + 1])
    if appeal.status == AppealStatus.REPORTED:
        appeal.status = str(AppealStatus.HANDLING)
    _event(session, appeal, actor, "escalate", frm, appeal.level, note, now)
    return _touched(session, appeal, now)


def close(session: Session, *, actor: Actor, appeal_id: int, note: str | None = None, now: datetime) -> Appeal:
    """办结 at the current level: records closing_level and closed_at (and the first response if none yet)."""
    _lock(session)
    appeal = _appeal(session, actor, appeal_id)
    _may_act(actor, appeal, "办结")
    if now < appeal.reported_at:
        raise DomainError("办结时间不能早于上报时间")
    appeal.status, appeal.closed_at, appeal.closing_level = str(AppealStatus.CLOSED), now, appeal.level
    appeal.first_response_at = appeal.first_response_at or now
    _event(session, appeal, actor, "close", appeal.level, appeal.level, note, now)
    return _touched(session, appeal, now)


def rate(session: Session, *, actor: Actor, appeal_id: int, rating: str, now: datetime) -> Appeal:
    """好/中/差评: once, only after closing, recorded on the return visit."""
    _lock(session)
    appeal = _appeal(session, actor, appeal_id)
    if actor.role not in RATERS:
        raise PermissionDenied(f"{actor.name}无权登记评价（回访由网格员或村干部登记）")
    if rating not in RATINGS:
        raise DomainError(f"评价只能是 好评/中评/差评，不是「{rating}」")
    if appeal.status != AppealStatus.CLOSED:
        raise AppealStateError(f"诉求 {appeal.id} 尚未办结，不能评价")
    if appeal.rating:
        raise AppealStateError(f"诉求 {appeal.id} 已评价（{RATINGS[appeal.rating]}），不能重复评价")
    appeal.rating = rating
    _event(session, appeal, actor, "rate", None, None, RATINGS[rating], now)
    return _touched(session, appeal, now)


#: 县级部门: where the township routes an appeal it cannot settle (乡镇统筹分流 → 县级部门协同联动).
DEPARTMENTS = ("县住建局", "县自然资源和规划局", "县公安局", "县民政局", "县卫生健康局", "县农业农村局",
               "县综合行政执法局", "县生态环境分局", "县市场监管局", "县人力社保局")


def route_to_department(session: Session, *, actor: Actor, appeal_id: int, department: str, note: str | None = None,
                        now: datetime) -> Appeal:
    """乡镇统筹分流: the township routes an appeal sitting at its level to one county department (level → county)."""
    _lock(session)
    appeal = _appeal(session, actor, appeal_id)
    _may_act(actor, appeal, "分流至县级部门")
    if appeal.level != AppealLevel.TOWNSHIP:
        raise AppealStateError(f"诉求 {appeal.id} 不在乡镇层级，不能分流至县级部门")
    if department not in DEPARTMENTS:
        raise DomainError(f"未知的县级部门「{department}」")
    frm, appeal.level = appeal.level, str(AppealLevel.COUNTY)
    if appeal.status == AppealStatus.REPORTED:
        appeal.status = str(AppealStatus.HANDLING)
    text = f"分流至{department}" + (f"：{note.strip()}" if note and note.strip() else "")
    _event(session, appeal, actor, "route", frm, appeal.level, text, now)
    return _touched(session, appeal, now)


CUBE_COLUMNS = ["ym", "category", "channel", "closing_level", "on_time", "rating", "n", "resp_h", "close_h"]


def _raw_cube(session: Session, scope: Scope, start: date, as_of: date) -> Sequence:
    """One village's appeals in the window grouped into cube rows (its (village, reported_at) index)."""
    ym = sqlfn_ym(Appeal.reported_at).label("ym")
    on_time = sa.case((col(Appeal.closed_at).is_(None), None), else_=col(Appeal.closed_at) <= Appeal.due_at).label("on_time")
    cols: list[Any] = [ym, Appeal.category, Appeal.channel, Appeal.closing_level, on_time, Appeal.rating]
    return session.execute(sa.select(*cols, sa.func.count().label("n"),
                                  sa.func.sum(hours_between(Appeal.reported_at, Appeal.first_response_at)).label("resp_h"),
                                  sa.func.sum(hours_between(Appeal.reported_at, Appeal.closed_at)).label("close_h"))
        .where(col(Appeal.village_id).between(scope.lo, scope.hi), col(Appeal.reported_at) >= start,
               col(Appeal.reported_at) < as_of + timedelta(days=1)).group_by(*cols)).all()


def _rolled_cube(session: Session, scope: Scope, start: date, as_of: date) -> list:
    """A township's or larger region's cube rows of the months from `start` to `as_of` (rollup_appeal_cube)."""
    c = RollupAppealCube.__table__.c
    rows = session.execute(sa.select(c.period, c.category, c.channel, c.closing_level, c.on_time, c.rating, c.n,
                                  c.resp_h, c.close_h)
                        .where(c.region_id == scope.region_id, c.period.between(_period(start), _period(as_of)))).tuples().all()
    return [(p, cat, ch, lvl or None, None if on < 0 else on, rating or None, n, resp, close)
            for p, cat, ch, lvl, on, rating, n, resp, close in rows]


def _period(day: date) -> int:
    return day.year * 100 + day.month


def appeal_cube(session: Session, scope: Scope, start: date, as_of: date) -> pd.DataFrame:
    """Counts per month × category × channel × closing level × on-time × rating, with summed hours to respond
    and to close (the page slices it). A township or larger region reads whole months from the cube rollup
    (months of `start` through `as_of`; the dataset ends at its as-of day); a village groups its raw rows."""
    rows = _raw_cube(session, scope, start, as_of) if scope.level == "village" else _rolled_cube(session, scope, start, as_of)
    cube = pd.DataFrame([tuple(r) for r in rows], columns=CUBE_COLUMNS)
    cube["ym"] = [f"{int(p) // 100:04d}-{int(p) % 100:02d}" for p in cube["ym"]]  # 'YYYY-MM', as the page shows it
    return cube


def monthly_stats(cube: pd.DataFrame) -> pd.DataFrame:
    """Per month: volume, share closed at each level, on-time close rate and satisfaction (good / rated), in %."""
    if cube.empty:
        return pd.DataFrame(columns=["ym", "volume", "closed", "on_time_rate", "satisfaction"])
    g = cube.assign(closed=cube.closing_level.notna() * cube.n, on=(cube.on_time == 1) * cube.n,
                    rated=cube.rating.notna() * cube.n, good=(cube.rating == "good") * cube.n)
    out = g.groupby("ym")[["n", "closed", "on", "rated", "good"]].sum().rename(columns={"n": "volume"})
    for lvl in LEVELS:
        share = cube[cube.closing_level == lvl].groupby("ym").n.sum()
        out[f"closed_{lvl}"] = (share.reindex(out.index, fill_value=0) / out.closed.where(out.closed > 0) * 100).round(1)
    out["on_time_rate"] = (out.on / out.closed.where(out.closed > 0) * 100).round(1)
    out["satisfaction"] = (out.good / out.rated.where(out.rated > 0) * 100).round(1)
    return out.drop(columns=["on", "rated", "good"]).reset_index()


def summary(cube: pd.DataFrame) -> dict[str, float | int | dict[str, int] | None]:
    """Totals over the cube: volume, closed, closed per level, on-time %, satisfaction %, mean hours to respond/close."""
    n = int(cube.n.sum()) if len(cube) else 0
    closed = cube[cube.closing_level.notna()]
    rated = cube[cube.rating.notna()]
    nc, nr = int(closed.n.sum()), int(rated.n.sum())
    out: dict[str, float | int | dict[str, int] | None] = {"volume": n, "closed": nc}
    for lvl in LEVELS:
        out[f"closed_{lvl}"] = int(closed[closed.closing_level == lvl].n.sum())
    out["on_time_rate"] = round(float(closed[closed.on_time == 1].n.sum()) / nc * 100, 1) if nc else None
    out["satisfaction"] = round(float(rated[rated.rating == "good"].n.sum()) / nr * 100, 1) if nr else None
    out["ratings"] = {k: int(rated[rated.rating == k].n.sum()) for k in RATINGS}
    out["mean_response_h"] = round(float(cube.resp_h.sum()) / n, 1) if n else None
    out["mean_close_h"] = round(float(closed.close_h.sum()) / nc, 1) if nc else None
    return out


def appeal_events(session: Session, scope: Scope, appeal_id: int) -> pd.DataFrame:
    """The 留痕 of one appeal, oldest first (empty when outside the scope)."""
    rows = session.execute(sa.select(col(AppealEvent.at), col(AppealEvent.action), col(AppealEvent.from_level), col(AppealEvent.to_level),
                                  col(AppealEvent.actor_id), col(AppealEvent.note))
                        .join(Appeal, col(Appeal.id) == AppealEvent.appeal_id)
                        .where(col(AppealEvent.appeal_id) == appeal_id, col(Appeal.village_id).between(scope.lo, scope.hi))
                        .order_by(col(AppealEvent.id))).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["at", "action", "from_level", "to_level", "actor_id", "note"])
