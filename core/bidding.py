"""揭榜挂帅 (SPEC §8, the Shaoxing article): 发榜 → 竞榜 → 揭榜 → 落地.

- 发榜 `publish_project`: a township leader publishes a project (title, module, budget in 万元, conditions, the
  deadline to bid, the milestones expected).
- 竞榜 `submit_bid`: a village's secretary or committee member bids with a plan and commitments (one bid per
  village, before the deadline).
- 揭榜 `award_project`: the township picks one bid and records why; the other bids are lost, and their villages
  see the decision and the reason.
- 落地 `complete_milestone`: the winning village marks its milestones done; the last one lands the project
  (`landed_on`, counted by the indicator ec_bidding_projects in the winning village's month).

Projects belong to their township: the township's people see all of them, a village's people see the
projects of their own township (the ones they may bid on), with their own bid and, once awarded, the winner.
Every write holds the write lock, checks role and scope, and appends one scene_event row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core.actors import Actor
from core.config import DeskConfig
from core.enums import Module, RegionLevel
from core.errors import NotFound
from core.live import codes_reading
from core.models import BidProject, Person, ProjectBid, ProjectMilestone, Region, SceneEvent
from core.rollups import touch_village
from core.scene_common import SceneDenied, SceneRefused, check_role, event, lock, text, urgency
from core.scope import Scope

PUBLISHERS = frozenset({"town_admin", "town_leader"})
BIDDERS = frozenset({"village_secretary", "village_committee"})
DELIVERERS = frozenset({"village_secretary", "village_committee", "village_admin"})
STAGES = ("bidding", "selecting", "delivering", "landed")
MAX_MILESTONES = 8
#: The board's and the detail's "village" for a project another village won, as a village viewer sees it: the
#: award is announced (公示) but the other village's name is outside the viewer's scope.
OTHER_VILLAGE = "other_village"

BOARD_COLUMNS = ["project_id", "code", "township", "title", "module", "budget", "bid_deadline", "stage", "bids",
                 "village", "winner", "milestones_done", "milestones", "next_due", "urgency", "landed_on", "my_bid"]


def _township_of(scope: Scope) -> int | None:
    """The township a village (or township) viewer belongs to; None above the township."""
    if scope.level == RegionLevel.TOWNSHIP:
        return scope.region_id
    if scope.level == RegionLevel.VILLAGE:
        return scope.region_id // 1000 * 1000
    return None


def _visible(scope: Scope, township_id: int) -> bool:
    return scope.contains(township_id) or _township_of(scope) == township_id


def _project(session: Session, scope: Scope, project_id: int) -> BidProject:
    project = session.get(BidProject, int(project_id))
    if project is None or not _visible(scope, project.township_id):
        raise NotFound(f"揭榜挂帅项目 {project_id} 不存在或不在您的数据权限范围内")
    return project


def stage_of(status: str, bid_deadline: date, as_of: date) -> str:
    """bidding (open for bids) | selecting (closed, waiting for 揭榜) | delivering (awarded) | landed | withdrawn."""
    if status == "published":
        return "bidding" if bid_deadline >= as_of else "selecting"
    return {"awarded": "delivering"}.get(status, status)


def publish_project(session: Session, *, actor: Actor, title: str, module: str, budget: float, conditions: str,
                    bid_deadline: date, milestones: Sequence[tuple[str, date]], now: datetime) -> BidProject:
    """发榜: a new project of the actor's township, open for bids until `bid_deadline`, with its milestones."""
    check_role(actor, PUBLISHERS, "publish")
    if actor.level != RegionLevel.TOWNSHIP:
        raise SceneDenied("scene.err.township_only")
    title = text(title, "bid.err.title", 128)
    conditions = text(conditions, "bid.err.conditions", 512)
    if module not in {str(m) for m in Module}:
        raise SceneRefused("bid.err.module")
    if budget is None or not 0 < float(budget) <= 100_000:
        raise SceneRefused("bid.err.budget")
    if bid_deadline < now.date():
        raise SceneRefused("bid.err.deadline_past")
    steps = [(t.strip(), d) for t, d in milestones if (t or "").strip()]
    if not steps or len(steps) > MAX_MILESTONES:
        raise SceneRefused("bid.err.milestones", n=MAX_MILESTONES)
    if any(d <= bid_deadline for _, d in steps):
        raise SceneRefused("bid.err.milestone_after_deadline")
    lock(session)
    n = session.execute(sa.select(sa.func.count()).select_from(BidProject)
                        .where(col(BidProject.township_id) == actor.region_id)).scalar() or 0
    project = BidProject(code=f"JB{actor.region_id // 1000}-{n + 1:03d}", township_id=actor.region_id, title=title,
                         module=module, budget=round(float(budget), 2), conditions=conditions, bid_deadline=bid_deadline,
                         status="published", published_by=actor.person_id, published_at=now)
    session.add(project)
    session.flush()
    pid = cast(int, project.id)
    for seq, (t, d) in enumerate(sorted(steps, key=lambda s: s[1]), start=1):
        session.add(ProjectMilestone(project_id=pid, seq=seq, title=t[:128], due_on=d))
    event(session, kind="bid_project", record_id=pid, region_id=actor.region_id, actor=actor, action="publish",
          note=title, now=now)
    session.flush()
    return project


def submit_bid(session: Session, *, actor: Actor, project_id: int, plan: str, commitments: str,
               now: datetime) -> ProjectBid:
    """竞榜: the actor's village bids on an open project of its township (once, before the deadline)."""
    check_role(actor, BIDDERS, "bid")
    if actor.level != RegionLevel.VILLAGE:
        raise SceneDenied("scene.err.village_only")
    project = _project(session, actor.scope, project_id)
    if project.township_id != _township_of(actor.scope):
        raise SceneDenied("bid.err.other_township")
    if project.status != "published" or project.bid_deadline < now.date():
        raise SceneRefused("bid.err.closed", code=project.code)
    plan = text(plan, "bid.err.plan", 1024)
    commitments = text(commitments, "bid.err.commitments", 512)
    lock(session)
    dup = session.execute(sa.select(col(ProjectBid.id)).where(col(ProjectBid.project_id) == project.id,
                                                              col(ProjectBid.village_id) == actor.region_id)).first()
    if dup is not None:
        raise SceneRefused("bid.err.duplicate", code=project.code)
    bid = ProjectBid(project_id=cast(int, project.id), village_id=actor.region_id, bidder_id=actor.person_id, plan=plan,
                     commitments=commitments, submitted_at=now)
    session.add(bid)
    session.flush()
    event(session, kind="project_bid", record_id=cast(int, bid.id), region_id=actor.region_id, actor=actor,
          action="bid", note=project.code, now=now)
    session.flush()
    return bid


def award_project(session: Session, *, actor: Actor, project_id: int, bid_id: int, reason: str,
                  now: datetime) -> BidProject:
    """揭榜: the township picks `bid_id` and records why; the other bids are lost."""
    check_role(actor, PUBLISHERS, "award")
    project = _project(session, actor.scope, project_id)
    if not actor.scope.contains(project.township_id):
        raise SceneDenied("scene.err.township_only")
    if project.status != "published":
        raise SceneRefused("bid.err.not_open", code=project.code)
    reason = text(reason, "bid.err.reason", 512)
    lock(session)
    bids: list[ProjectBid] = list(session.execute(sa.select(ProjectBid).where(col(ProjectBid.project_id) == project.id))
                                  .scalars().all())
    won = next((b for b in bids if b.id == int(bid_id)), None)
    if won is None:
        raise SceneRefused("bid.err.no_such_bid")
    for b in bids:
        b.outcome = "won" if b is won else "lost"
        session.add(b)
    project.status, project.village_id, project.winner_id = "awarded", won.village_id, won.bidder_id
    project.awarded_at, project.award_reason = now, reason
    session.add(project)
    event(session, kind="bid_project", record_id=cast(int, project.id), region_id=project.township_id, actor=actor,
          action="award", note=reason, now=now)
    session.flush()
    return project


def complete_milestone(session: Session, *, actor: Actor, milestone_id: int, now: datetime,
                       note: str | None = None) -> ProjectMilestone:
    """落地: the winning village marks a milestone done (in order); the last one lands the project."""
    check_role(actor, DELIVERERS, "milestone")
    ms = session.get(ProjectMilestone, int(milestone_id))
    if ms is None:
        raise NotFound(f"里程碑 {milestone_id} 不存在")
    project = _project(session, actor.scope, ms.project_id)
    if project.status != "awarded" or project.village_id != actor.region_id:
        raise SceneDenied("bid.err.not_winner", code=project.code)
    if ms.done_on is not None:
        raise SceneRefused("bid.err.milestone_done")
    lock(session)
    earlier = session.execute(sa.select(sa.func.count()).select_from(ProjectMilestone).where(
        col(ProjectMilestone.project_id) == project.id, col(ProjectMilestone.seq) < ms.seq,
        col(ProjectMilestone.done_on).is_(None))).scalar() or 0
    if earlier:
        raise SceneRefused("bid.err.milestone_order")
    ms.done_on, ms.done_by, ms.note = now.date(), actor.person_id, (note or "").strip()[:256] or None
    session.add(ms)
    event(session, kind="project_milestone", record_id=cast(int, ms.id), region_id=actor.region_id, actor=actor,
          action="milestone", note=ms.title, now=now)
    left = session.execute(sa.select(sa.func.count()).select_from(ProjectMilestone).where(
        col(ProjectMilestone.project_id) == project.id, col(ProjectMilestone.done_on).is_(None),
        col(ProjectMilestone.id) != ms.id)).scalar() or 0
    if not left:
        project.status, project.landed_on = "landed", now.date()
        session.add(project)
        event(session, kind="bid_project", record_id=cast(int, project.id), region_id=actor.region_id, actor=actor,
              action="land", note=project.code, now=now)
    session.flush()
    if not left:  # 揭榜挂帅项目落地数 of the winning village's landing month (core.live)
        touch_village(session, cast(int, project.village_id), {now.year * 100 + now.month}, now=now,
                      cause=f"bid_project:{project.id}", codes=codes_reading("bidding"))
    return ms


def _where_visible(scope: Scope) -> sa.ColumnElement[bool]:
    town = _township_of(scope)
    inside = col(BidProject.township_id).between(scope.lo, scope.hi)
    return sa.or_(inside, col(BidProject.township_id) == town) if town is not None else inside


def project_board(session: Session, scope: Scope, as_of: date, cfg: DeskConfig | None = None) -> pd.DataFrame:
    """The projects the viewer sees (BOARD_COLUMNS), as of `as_of`: stage, bid count, winner, milestones done,
    the next milestone's due day and its urgency; open stages first, then by deadline."""
    cfg = cfg or DeskConfig()
    town, village = sa.orm.aliased(Region), sa.orm.aliased(Region)
    bids = (sa.select(col(ProjectBid.project_id).label("pid"), sa.func.count().label("n"))
            .group_by(col(ProjectBid.project_id)).subquery())
    ms = (sa.select(col(ProjectMilestone.project_id).label("pid"), sa.func.count().label("n"),
                    sa.func.count(col(ProjectMilestone.done_on)).label("done"),
                    sa.func.min(sa.case((col(ProjectMilestone.done_on).is_(None), col(ProjectMilestone.due_on)))).label("next"))
          .group_by(col(ProjectMilestone.project_id)).subquery())
    mine = None
    if scope.level == RegionLevel.VILLAGE:
        mine = (sa.select(col(ProjectBid.project_id).label("pid"), col(ProjectBid.outcome).label("outcome"))
                .where(col(ProjectBid.village_id) == scope.region_id).subquery())
    stmt = (sa.select(col(BidProject.id), col(BidProject.code), col(town.name), col(BidProject.title), col(BidProject.module),
                      col(BidProject.budget), col(BidProject.bid_deadline), col(BidProject.status),
                      sa.func.coalesce(bids.c.n, 0), col(village.name), col(Person.name), sa.func.coalesce(ms.c.done, 0),
                      sa.func.coalesce(ms.c.n, 0), ms.c.next, col(BidProject.landed_on),
                      mine.c.outcome if mine is not None else sa.null().label("outcome"), col(BidProject.village_id))
            .join(town, col(town.id) == BidProject.township_id)
            .outerjoin(village, col(village.id) == BidProject.village_id)
            .outerjoin(Person, col(Person.id) == BidProject.winner_id)
            .outerjoin(bids, bids.c.pid == BidProject.id).outerjoin(ms, ms.c.pid == BidProject.id)
            .where(_where_visible(scope), col(BidProject.published_at) < datetime.combine(as_of, datetime.max.time()))
            .order_by(col(BidProject.bid_deadline).desc(), col(BidProject.id)))
    if mine is not None:
        stmt = stmt.outerjoin(mine, mine.c.pid == BidProject.id)
    rows = []
    for (pid, code, tname, title, module, budget, deadline, status, nbids, vname, winner, done, n, nxt, landed,
         my_bid, won_by) in session.execute(stmt).tuples():
        if won_by is not None and not scope.contains(int(won_by)):
            vname, winner = OTHER_VILLAGE, None  # a village sees that another village won, not which one
        stage = stage_of(status, deadline, as_of)
        # the as-of day may look back: a project landed or awarded after it is shown as it stood then
        if landed is not None and landed > as_of:
            stage = "delivering"
        urg = urgency(nxt, None, as_of, cfg.due_soon_days) if stage == "delivering" and nxt is not None else "ok"
        rows.append((int(pid), code, tname, title, module, float(budget), deadline, stage, int(nbids), vname, winner,
                     int(done), int(n), nxt, urg, landed, my_bid))
    df = pd.DataFrame(rows, columns=BOARD_COLUMNS)
    order = {s: i for i, s in enumerate(STAGES)}
    return df.sort_values(by="stage", key=lambda s: s.map(order).fillna(9), kind="stable").reset_index(drop=True)


def stage_counts(session: Session, scope: Scope, as_of: date) -> dict[str, int]:
    """Projects per stage (STAGES) the viewer sees, plus the milestones overdue of the projects being delivered."""
    board = project_board(session, scope, as_of)
    out = {s: int((board["stage"] == s).sum()) for s in STAGES}
    out["overdue"] = int((board["urgency"] == "overdue").sum())
    out["due_soon"] = int((board["urgency"] == "due_soon").sum())
    return out


@dataclass(frozen=True)
class ProjectDetail:
    """One project as the viewer may see it: facts, bids (a village sees its own and, once awarded, the
    winner's), milestones with urgency, and the 留痕."""

    facts: dict
    bids: pd.DataFrame  # bid_id, village, bidder, plan, commitments, submitted_at, outcome
    milestones: pd.DataFrame  # milestone_id, seq, title, due_on, done_on, urgency
    events: pd.DataFrame  # at, actor, action, note


def project_detail(session: Session, scope: Scope, project_id: int, as_of: date,
                   cfg: DeskConfig | None = None) -> ProjectDetail:
    """The project `project_id` (NotFound outside the viewer's township)."""
    cfg = cfg or DeskConfig()
    p = _project(session, scope, project_id)
    names = dict(session.execute(sa.select(col(Region.id), col(Region.name)).where(
        col(Region.id).in_([x for x in (p.township_id, p.village_id) if x is not None]))).tuples().all())
    facts = {"code": p.code, "title": p.title, "township": names.get(p.township_id), "module": p.module,
             "budget": p.budget, "conditions": p.conditions, "bid_deadline": p.bid_deadline,
             "stage": stage_of(p.status, p.bid_deadline, as_of), "published_at": p.published_at,
             "village": _winner_name(scope, p.village_id, names), "awarded_at": p.awarded_at,
             "award_reason": p.award_reason, "landed_on": p.landed_on}
    village = sa.orm.aliased(Region)
    stmt = (sa.select(col(ProjectBid.id), col(village.name), col(Person.name), col(ProjectBid.plan), col(ProjectBid.commitments),
                      col(ProjectBid.submitted_at), col(ProjectBid.outcome), col(ProjectBid.village_id))
            .join(village, col(village.id) == ProjectBid.village_id).join(Person, col(Person.id) == ProjectBid.bidder_id)
            .where(col(ProjectBid.project_id) == p.id).order_by(col(ProjectBid.submitted_at), col(ProjectBid.id)))
    rows = [r for r in session.execute(stmt).tuples().all()
            if scope.contains(p.township_id) or scope.contains(int(r[7]))]
    bids = pd.DataFrame([r[:7] for r in rows], columns=["bid_id", "village", "bidder", "plan", "commitments",
                                                         "submitted_at", "outcome"])
    ms = session.execute(sa.select(col(ProjectMilestone.id), col(ProjectMilestone.seq), col(ProjectMilestone.title),
                                   col(ProjectMilestone.due_on), col(ProjectMilestone.done_on))
                         .where(col(ProjectMilestone.project_id) == p.id).order_by(col(ProjectMilestone.seq))).tuples().all()
    milestones = pd.DataFrame([(int(i), s, t, d, done, urgency(d, done, as_of, cfg.due_soon_days) if p.village_id else "ok")
                               for i, s, t, d, done in ms],
                              columns=["milestone_id", "seq", "title", "due_on", "done_on", "urgency"])
    return ProjectDetail(facts, bids, milestones, _events(session, p))


def _winner_name(scope: Scope, village_id: int | None, names: dict[int, str]) -> str | None:
    """The winning village's name, or OTHER_VILLAGE when the viewer's scope does not hold it."""
    if village_id is None:
        return None
    return names.get(village_id) if scope.contains(village_id) else OTHER_VILLAGE


def _events(session: Session, p: BidProject) -> pd.DataFrame:
    ms_ids = sa.select(col(ProjectMilestone.id)).where(col(ProjectMilestone.project_id) == p.id)
    bid_ids = sa.select(col(ProjectBid.id)).where(col(ProjectBid.project_id) == p.id)
    rows = session.execute(
        sa.select(col(SceneEvent.at), col(Person.name), col(SceneEvent.action), col(SceneEvent.note))
        .outerjoin(Person, col(Person.id) == SceneEvent.actor_id)
        .where(sa.or_(sa.and_(col(SceneEvent.kind) == "bid_project", col(SceneEvent.record_id) == p.id),
                      sa.and_(col(SceneEvent.kind) == "project_milestone", col(SceneEvent.record_id).in_(ms_ids)),
                      sa.and_(col(SceneEvent.kind) == "project_bid", col(SceneEvent.record_id).in_(bid_ids))))
        .order_by(col(SceneEvent.at), col(SceneEvent.id))).tuples().all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["at", "actor", "action", "note"])
