"""The seeds' remaining scenes as records of one chunk (a township): 揭榜挂帅 projects with their bids, awards and
milestones, each step with its 留痕 row. Deterministic per (seed, county, township); no indicator is drawn here
(core counts ec_bidding_projects from the projects that landed).

Volumes: the Shaoxing article gives no count of projects; a township publishes about one project every two
months (BIDDING_PER_MONTH), which its villages bid on in twos and threes — the scale of a township's major
projects, not of its everyday tasks.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import numpy as np

from core.enums import Module
from core.models import BidProject, ProjectBid, ProjectMilestone, SceneEvent
from seed.chunk import Chunk
from seed.context import SeedContext

BIDDING_PER_MONTH = 0.5  # projects a township publishes a month (Poisson mean)
BID_DAYS = 14  # 竞榜 window
PROJECTS = (  # (title, module, budget range in 万元)
    ("共富工坊建设", "economy", (50, 300)), ("茶园提质改造", "economy", (80, 400)), ("闲置农房盘活", "economy", (30, 200)),
    ("强村公司物业项目", "economy", (100, 800)), ("光伏屋顶共富项目", "economy", (60, 500)),
    ("乡村旅游精品线", "economy", (150, 600)), ("美丽庭院连片创建", "public_service", (20, 120)),
    ("居家养老服务站", "public_service", (30, 150)), ("数字乡村应用场景", "party_building", (20, 100)),
    ("矛盾纠纷调解中心", "safety", (15, 80)))
CONDITIONS = ("村集体出资不少于两成，两委班子承诺全程领办", "有可用集体土地或闲置用房，群众支持率不低于八成",
              "近两年无重大信访和安全事故，村党组织为星级支部")
PLANS = ("整合村集体闲置资产，成立项目专班，由村书记挂帅推进", "联合周边农户入股，引入专业运营团队，分期建设",
         "以党建联建带动，党员认领岗位，按月晾晒进度")
COMMITMENTS = ("按期完成全部节点，年增村集体收入不少于 {n} 万元", "带动不少于 {n} 户农户增收，不新增村级债务")
MILESTONES = ("方案设计与审批", "建设施工", "竣工验收", "运营见效")
REASONS = ("方案可行、承诺带动农户最多", "村集体配套资金到位，班子执行力强", "前期基础最好，群众支持率最高")


def _at(day, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0))


def write_bidding(ctx: SeedContext, ch: Chunk) -> None:
    """The township's 揭榜挂帅 projects over the window, drawn month by month."""
    rng = ctx.rng(ch.county_id // 1_000_000, 91, ch.seq)
    if ch.size < 2:
        return
    town = int(ch.township[0])
    publisher = int(ch.town_admin[0])
    projects: list[dict] = []
    bids: list[dict] = []
    milestones: list[dict] = []
    events: list[tuple] = []
    month = ctx.start
    n = 0
    while month <= ctx.as_of:
        for _ in range(rng.poisson(BIDDING_PER_MONTH)):
            published = month + timedelta(days=int(rng.integers(0, 28)))
            if published > ctx.as_of:
                continue
            n += 1
            title, module, (lo, hi) = PROJECTS[int(rng.integers(0, len(PROJECTS)))]
            pid = ctx.ids("bid_project", 1)[0]
            deadline = published + timedelta(days=BID_DAYS)
            leader = int(ch.leaders[0, [str(m) for m in Module].index(module)])
            row = {"id": pid, "code": f"JB{town // 1000}-{n:03d}", "township_id": town, "title": title, "module": module,
                   "budget": float(round(rng.uniform(lo, hi), 1)), "conditions": CONDITIONS[n % len(CONDITIONS)],
                   "bid_deadline": deadline, "status": "published", "published_by": leader or publisher,
                   "published_at": _at(published, 9), "village_id": None, "winner_id": None, "awarded_at": None,
                   "award_reason": None, "landed_on": None}
            events.append(("bid_project", pid, town, _at(published, 9), row["published_by"], "publish", title))
            # 竞榜: stronger villages bid more often
            take = rng.random(ch.size) < 1 / (1 + np.exp(-(0.2 + 0.8 * ch.quality)))
            bidders = np.nonzero(take)[0][:4]
            if len(bidders) == 0:
                bidders = np.array([int(np.argmax(ch.quality))])
            project_bids = []
            for k, vi in enumerate(sorted(bidders, key=lambda i: rng.random())):
                sent = published + timedelta(days=int(rng.integers(1, BID_DAYS)))
                if sent > ctx.as_of:
                    continue
                bid_id = ctx.ids("project_bid", 1)[0]
                project_bids.append((bid_id, int(vi)))
                bids.append({"id": bid_id, "project_id": pid, "village_id": int(ch.ids[vi]),
                             "bidder_id": int(ch.secretary[vi]), "plan": PLANS[(n + k) % len(PLANS)],
                             "commitments": COMMITMENTS[k % len(COMMITMENTS)].format(n=int(rng.integers(5, 60))),
                             "submitted_at": _at(sent, 15), "outcome": "pending"})
                events.append(("project_bid", bid_id, int(ch.ids[vi]), _at(sent, 15), int(ch.secretary[vi]), "bid", row["code"]))
            awarded = deadline + timedelta(days=int(rng.integers(2, 8)))
            stones = _milestones(rng, awarded, len(MILESTONES) - int(rng.integers(0, 2)))
            for seq, (name, due) in enumerate(stones, start=1):
                milestones.append({"id": ctx.ids("project_milestone", 1)[0], "project_id": pid, "seq": seq, "title": name,
                                   "due_on": due, "done_on": None, "done_by": None, "note": None})
            if project_bids and awarded <= ctx.as_of:
                _award(ctx, rng, ch, row, project_bids, bids, milestones[-len(stones):], events, awarded, leader or publisher)
            projects.append(row)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    ctx.insert(BidProject.__table__, projects)
    ctx.insert(ProjectBid.__table__, bids)
    ctx.insert(ProjectMilestone.__table__, milestones)
    ctx.insert(SceneEvent.__table__, [
        {"id": i, "kind": k, "record_id": r, "region_id": g, "at": at, "actor_id": a, "action": act, "note": note}
        for i, (k, r, g, at, a, act, note) in zip(ctx.ids("scene_event", len(events)), events, strict=True)])


def _milestones(rng: np.random.Generator, awarded, n: int) -> list[tuple[str, object]]:
    out, due = [], awarded
    for name in MILESTONES[:n]:
        due = due + timedelta(days=int(rng.integers(25, 70)))
        out.append((name, due))
    return out


def _award(ctx: SeedContext, rng: np.random.Generator, ch: Chunk, row: dict, project_bids: list, bids: list,
           stones: list, events: list, awarded, leader: int) -> None:
    """揭榜 the strongest bid, then deliver the milestones: strong villages on time, weak ones late or stalled."""
    win_id, vi = max(project_bids, key=lambda b: ch.quality[b[1]])
    for b in bids:
        if b["project_id"] == row["id"]:
            b["outcome"] = "won" if b["id"] == win_id else "lost"
    village, secretary = int(ch.ids[vi]), int(ch.secretary[vi])
    reason = REASONS[int(rng.integers(0, len(REASONS)))]
    row.update(status="awarded", village_id=village, winner_id=secretary, awarded_at=_at(awarded, 11), award_reason=reason)
    events.append(("bid_project", row["id"], int(ch.township[0]), _at(awarded, 11), leader, "award", reason))
    q = float(ch.quality[vi])
    last = None
    for ms in stones:
        delay = int(round(rng.normal(-3 - 6 * q, 12)))
        done = ms["due_on"] + timedelta(days=delay)
        start = last or awarded
        done = max(done, start + timedelta(days=3))
        if done > ctx.as_of or rng.random() < 0.04:  # not yet (or stalled: the overdue alert shows it)
            return
        ms.update(done_on=done, done_by=secretary)
        events.append(("project_milestone", ms["id"], village, _at(done, 16), secretary, "milestone", ms["title"]))
        last = done
    row.update(status="landed", landed_on=last)
    events.append(("bid_project", row["id"], village, _at(last, 16), secretary, "land", row["code"]))


#: 县级部门 of every county (the appeals' routing list) with two staff posts each.
DEPARTMENTS = ("县住建局", "县自然资源和规划局", "县公安局", "县民政局", "县卫生健康局", "县农业农村局", "县综合行政执法局",
               "县生态环境分局", "县市场监管局", "县人力社保局")
DEPT_STAFF = 2
CASES_PER_MONTH = 0.15  # 一件事 cases a village sees a month (Poisson mean, scaled by its size; see the module note)
RATE_SHARE = 0.85  # closed cases the township has rated by the as-of day
POOR_NOTES = ("现场处置不及时，多次催办", "答复与实际不符，需二次处理")
FAIR_NOTES = ("按时完成，沟通一般", None)


def write_departments(ctx: SeedContext, county_id: int) -> None:
    """The county's departments and their staff (posts at the county with department_id), after the county's people."""
    from core.enums import Role
    from core.models import Department
    from seed.people import PeopleWriter

    ids = list(ctx.ids("department", len(DEPARTMENTS)))
    ctx.insert(Department.__table__, [{"id": i, "county_id": county_id, "name": n}
                                      for i, n in zip(ids, DEPARTMENTS, strict=True)])
    w = PeopleWriter(ctx)
    w.rng = ctx.rng(county_id // 1_000_000, 95)
    for dept, name in zip(ids, DEPARTMENTS, strict=True):
        for k in range(DEPT_STAFF):
            w.person(county_id, Role.DEPT_STAFF, f"{name} {'联络员' if k else '科长'}")
            w.posts[-1]["department_id"] = dept
    w.flush()


def write_one_thing(ctx: SeedContext, ch: Chunk) -> None:
    """The chunk's 一件事 cases: each party's step done after a delay that depends on the department's own pace
    (some are slow: the ranking shows it), the township's confirmation last, and the township's ratings."""
    import sqlalchemy as sa

    from core.config import ONE_THING_TYPES
    from core.models import CaseStep, DeptRating, OneThingCase

    rng = ctx.rng(ch.county_id // 1_000_000, 97, ch.seq)
    depts: dict[str, tuple[int, int]] = {str(name): (int(i), int(staff)) for i, name, staff in ctx.conn.execute(sa.text(  # type: ignore[call-overload]
        "SELECT d.id, d.name, min(p.person_id) FROM department d JOIN post p ON p.department_id = d.id "
        "WHERE d.county_id = :c GROUP BY d.id, d.name"), {"c": ch.county_id})}
    if not depts:
        return
    pace = {name: float(np.random.default_rng([ctx.seed, ch.county_id // 1_000_000, i]).normal(0, 0.45))
            for name, (i, _) in depts.items()}  # a department's latent pace, the same in every chunk of the county
    types = sorted(ONE_THING_TYPES)
    cases, steps, ratings, events = [], [], [], []
    now_end = datetime.combine(ctx.as_of, time(23, 59))
    n = 0
    town = int(ch.township[0])
    for vi in range(ch.size):
        k = rng.poisson(CASES_PER_MONTH * ch.months * max(0.5, ch.households[vi] / 400))
        for _ in range(int(k)):
            n += 1
            opened = datetime.combine(ctx.start + timedelta(days=int(rng.integers(0, ctx.days))), time(9, 0)) \
                + timedelta(minutes=int(rng.integers(0, 480)))
            kind_name = types[int(rng.integers(0, len(types)))]
            kind = ONE_THING_TYPES[kind_name]
            cid = ctx.ids("one_thing_case", 1)[0]
            village = int(ch.ids[vi])
            case = {"id": cid, "code": f"YJS{town // 1000}{n:04d}", "case_type": kind_name, "village_id": village,
                    "title": f"{ch.villages[vi].name}·{kind_name}", "opened_by": int(ch.town_admin[vi]),
                    "opened_at": opened, "closed_at": None}
            events.append(("one_thing_case", cid, village, opened, int(ch.town_admin[vi]), "open", case["title"]))
            last = opened
            done_all = True
            dept_steps = []
            for party, name, days in [("lead", kind.lead, kind.lead_days), *(("co", c, kind.co_days) for c in kind.co)]:
                sid = ctx.ids("case_step", 1)[0]
                due = opened + timedelta(days=days)
                took = days * float(np.exp(rng.normal(-0.35 + pace[name] - 0.25 * ch.quality[vi], 0.5)))
                finished = (opened + timedelta(days=took)).replace(microsecond=0)  # systems record seconds
                done = finished if finished <= now_end else None
                dept, staff = depts[name]
                steps.append({"id": sid, "case_id": cid, "village_id": village, "party": party, "department_id": dept,
                              "due_at": due, "done_at": done, "done_by": staff if done else None, "note": None})
                if done:
                    events.append(("case_step", sid, village, done, staff, "step", None))
                    last = max(last, done)
                    dept_steps.append((sid, dept, done <= due, name))
                else:
                    done_all = False
            sid = ctx.ids("case_step", 1)[0]
            confirm = (last + timedelta(hours=float(rng.uniform(4, 60)))).replace(microsecond=0) if done_all else None
            confirm = confirm if confirm and confirm <= now_end else None
            steps.append({"id": sid, "case_id": cid, "village_id": village, "party": "township", "department_id": None,
                          "due_at": opened + timedelta(days=kind.township_days), "done_at": confirm,
                          "done_by": int(ch.town_admin[vi]) if confirm else None, "note": None})
            if confirm:
                events.append(("case_step", sid, village, confirm, int(ch.town_admin[vi]), "step", None))
                events.append(("one_thing_case", cid, village, confirm, int(ch.town_admin[vi]), "close", case["code"]))
                case["closed_at"] = confirm
                rated_at = (confirm + timedelta(days=float(rng.uniform(0.5, 5)))).replace(microsecond=0)
                if rated_at <= now_end and rng.random() < RATE_SHARE:
                    for step_id, dept, on_time, name in dept_steps:
                        score = 0.9 + (0.9 if on_time else -1.1) - pace[name] + rng.normal(0, 0.6)
                        rating = "good" if score > 0.6 else ("fair" if score > -0.6 else "poor")
                        note = POOR_NOTES[int(rng.integers(0, 2))] if rating == "poor" else (
                            FAIR_NOTES[int(rng.integers(0, 2))] if rating == "fair" else None)
                        rid = ctx.ids("dept_rating", 1)[0]
                        ratings.append({"id": rid, "case_id": cid, "step_id": step_id, "department_id": dept,
                                        "village_id": village, "rating": rating, "note": note,
                                        "rated_by": int(ch.town_admin[vi]), "rated_at": rated_at})
                        events.append(("dept_rating", rid, village, rated_at, int(ch.town_admin[vi]), f"rate_{rating}", note))
            cases.append(case)
    ctx.insert(OneThingCase.__table__, cases)
    ctx.insert(CaseStep.__table__, steps)
    ctx.insert(DeptRating.__table__, ratings)
    ctx.insert(SceneEvent.__table__, [
        {"id": i, "kind": k, "record_id": r, "region_id": g, "at": at, "actor_id": a, "action": act, "note": note}
        for i, (k, r, g, at, a, act, note) in zip(ctx.ids("scene_event", len(events)), events, strict=True)])
