"""Twelve months of tasks with their full event trail, screened-out dispatches and 催办."""

from __future__ import annotations

import datetime as dt

import numpy as np

from core.enums import TaskCategory, TaskStatus
from core.models import DispatchScreening, Task, TaskEvent
from seed.context import SeedContext, VillageUnit, sql_datetimes
from seed.matters import CO_OFFICES, MATTER_TYPES

CATEGORIES = [TaskCategory.MAJOR, TaskCategory.SUPERIOR, TaskCategory.TOWNSHIP, TaskCategory.VILLAGE_REPORT, TaskCategory.PLEDGE]
CATEGORY_P = [0.05, 0.25, 0.45, 0.15, 0.10]
CATEGORY_FACTOR = np.array([2.0, 1.3, 1.0, 0.8, 1.5])
CATEGORY_DAYS = np.array([30, 15, 10, 7, 60])
#: Seasonal load by calendar month: spring ploughing and the year-end push peak.
MONTH_LOAD = {1: 1.15, 2: 0.6, 3: 1.2, 4: 1.2, 5: 1.0, 6: 1.05, 7: 0.9, 8: 0.85, 9: 1.05, 10: 1.0, 11: 1.15, 12: 1.3}
DAY = np.timedelta64(86_400, "s")


def day_weights(ctx: SeedContext) -> np.ndarray:
    """Probability of a dispatch on each day of the window (season × weekday)."""
    days = np.arange(ctx.days)
    dates = [ctx.day(int(d)) for d in days]
    w = np.array([MONTH_LOAD[d.month] * (0.25 if d.weekday() >= 5 else 1.0) for d in dates])
    return w / w.sum()


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _matters(ctx: SeedContext):
    on_town = [m for m in MATTER_TYPES if m[4] and m[2] == "township" and not m[5]]
    on_village = [m for m in MATTER_TYPES if m[4] and m[2] == "village" and m[0] != "V-EC-02"]
    return on_town, on_village


def write_tasks(ctx: SeedContext, county_villages: list[VillageUnit], county_id: int) -> list[dict]:
    """All tasks of one county's villages, their events and the dispatches screening removed."""
    rng = ctx.rng(county_id // 1_000_000, 11)
    lam = ctx.preset.tasks_per_village_year * ctx.preset.months / 12
    n_per = rng.poisson(lam * np.array([0.7 + 0.6 * min(v.households / 1200, 1.0) for v in county_villages]))
    vidx = np.repeat(np.arange(len(county_villages)), n_per)
    n = len(vidx)
    if n == 0:
        return []
    q = np.array([v.quality for v in county_villages])[vidx]
    start64 = np.datetime64(ctx.start, "s")
    as_of_end = np.datetime64(ctx.as_of, "s") + DAY - np.timedelta64(1, "s")
    day = rng.choice(ctx.days, size=n, p=day_weights(ctx))
    dispatched = start64 + (day * 86400 + rng.integers(8 * 3600, 18 * 3600, n)).astype("timedelta64[s]")
    cat = rng.choice(len(CATEGORIES), size=n, p=CATEGORY_P)
    duration = np.maximum(2, (CATEGORY_DAYS[cat] * rng.uniform(0.6, 1.4, n)).astype(int))
    deadline = (dispatched.astype("datetime64[D]") + duration.astype("timedelta64[D]"))
    deadline_end = deadline.astype("datetime64[s]") + DAY - np.timedelta64(1, "s")
    # Lifecycle draws: strong villages sign fast and finish on time; weak ones trail.
    sign = dispatched + (rng.exponential(0.4, n) * 86400).astype("timedelta64[s]")
    start = sign + (rng.exponential(0.8, n) * 86400).astype("timedelta64[s]")
    on_time = rng.random(n) < _sigmoid(1.7 + 0.9 * q)
    never = (~on_time) & (rng.random(n) < _sigmoid(-2.0 - 0.7 * q))
    # Stale tasks get finished eventually: the open tail is mostly the last few weeks' deadlines.
    age_days = (np.datetime64(ctx.as_of, "D") - deadline).astype(int)
    never &= rng.random(n) < np.exp(-np.clip(age_days, 0, None) / 40.0)
    span = (deadline_end - start).astype(float)
    done_on_time = start + (np.clip(span, 3600, None) * rng.uniform(0.2, 0.98, n)).astype("timedelta64[s]")
    done_late = deadline_end + ((rng.geometric(0.22, n) + rng.random(n)) * 86400).astype("timedelta64[s]")
    done = np.where(on_time, done_on_time, done_late)
    rejected = rng.random(n) < 0.015
    quality = np.clip(rng.normal(82 + 6 * q, 8), 40, 100).round(1)
    scored = done + (rng.uniform(1, 6, n) * 86400).astype("timedelta64[s]")
    rows, events = _rows(ctx, rng, county_villages, county_id, vidx, cat, dispatched, deadline, sign, start,
                         done, never, rejected, quality, scored, as_of_end)
    ctx.insert(Task.__table__, rows)
    ctx.insert(TaskEvent.__table__, events)
    _screened(ctx, rng, county_villages, county_id, int(n * 0.04))
    return rows


def _rows(ctx, rng, villages, county_id, vidx, cat, dispatched, deadline, sign, start, done, never, rejected,
          quality, scored, as_of_end):
    on_town, on_village = _matters(ctx)
    n = len(vidx)
    ids = ctx.ids("task", n)
    town_pick = rng.integers(0, len(on_town), n)
    vil_pick = rng.integers(0, len(on_village), n)
    emergency = rng.random(n) < 0.01
    owner_pick = rng.random(n)
    grid_pick = rng.random(n)
    rating = rng.integers(3, 6, n)
    rated = rng.random(n) < 0.6
    lists = {k: sql_datetimes(a) for k, a in dict(d=dispatched, s=sign, st=start, dn=done, sc=scored).items()}
    lists["dl"] = deadline.tolist()
    as_of = sql_datetimes(np.array([as_of_end]))[0]
    rows, events = [], []
    for i in range(n):
        v = villages[vidx[i]]
        c = CATEGORIES[cat[i]]
        if emergency[i]:
            m = next(m for m in MATTER_TYPES if m[5])
        elif c == TaskCategory.PLEDGE:
            m = next(m for m in MATTER_TYPES if m[0] == "V-EC-02")
        elif c == TaskCategory.VILLAGE_REPORT:
            m = on_village[vil_pick[i]]
        else:
            m = on_town[town_pick[i]]
        staff = ctx.township_staff[v.township_id]
        leader = staff.leader_by_module[m[3]]
        if c in (TaskCategory.MAJOR, TaskCategory.SUPERIOR):
            disp, disp_region = ctx.county_admin[county_id], county_id
        elif c == TaskCategory.VILLAGE_REPORT:
            disp, disp_region = v.secretary_id, v.id
        else:
            disp, disp_region = (staff.admin_id if owner_pick[i] < 0.5 else leader), v.township_id
        owner = v.secretary_id if owner_pick[i] < 0.4 else v.committee_ids[int(owner_pick[i] * 10) % 4]
        t = _lifecycle(i, lists, as_of, never[i], rejected[i])
        tid = ids[i]
        difficulty = round(m[6] * CATEGORY_FACTOR[cat[i]] * 2) / 2
        urges = _urges(rng, t, lists["dl"][i], as_of)
        rows.append({
            "id": tid, "code": f"RW{lists['d'][i][:4]}{lists['d'][i][5:7]}{tid:07d}", "title": f"{v.name}·{m[1]}", "category": str(c),
            "module": m[3], "matter_type_id": ctx.matter_ids[m[0]], "difficulty": difficulty,
            "dispatcher_id": disp, "dispatcher_region_id": disp_region, "village_id": v.id,
            "grid_id": v.grid_ids[int(grid_pick[i] * len(v.grid_ids))] if grid_pick[i] < 0.3 else None,
            "owner_id": owner, "leader_id": leader,
            "co_office": CO_OFFICES[int(grid_pick[i] * 60) % len(CO_OFFICES)] if difficulty >= 4 else None,
            "status": t["status"], "dispatched_at": lists["d"][i], "deadline": lists["dl"][i],
            "signed_at": t["signed"], "started_at": t["started"], "done_at": t["done"], "scored_at": t["scored"],
            "quality_score": float(quality[i]) if t["scored"] else None,
            "dispatch_rating": int(rating[i]) if t["done"] and rated[i] else None,
            "urge_count": len(urges), "last_urged_at": urges[-1] if urges else None,
            "emergency": bool(emergency[i]), "needs_review": bool(emergency[i]),
        })
        events.extend(_events(tid, t, lists["d"][i], disp, owner, leader, urges))
    return rows, events


def _lifecycle(i, lists, as_of, never, rejected) -> dict:
    """Status and timestamps of task i as seen on the as-of date."""
    t = {"status": TaskStatus.DISPATCHED, "signed": None, "started": None, "done": None, "scored": None, "rejected": None}
    if rejected:
        if lists["s"][i] <= as_of:
            t.update(status=TaskStatus.REJECTED, rejected=lists["s"][i])
        return t
    for key, status, stamp in (("signed", TaskStatus.SIGNED, "s"), ("started", TaskStatus.IN_PROGRESS, "st"),
                               ("done", TaskStatus.DONE, "dn"), ("scored", TaskStatus.SCORED, "sc")):
        if (key in ("done", "scored") and never) or lists[stamp][i] > as_of:
            break
        t[key], t["status"] = lists[stamp][i], status
    return t


def _urges(rng, t, deadline, as_of) -> list[str]:
    """催办 timestamps (SQL text): leaders push overdue tasks every few days until done."""
    end = t["done"] or as_of
    first = dt.datetime.combine(deadline, dt.time(9)) + dt.timedelta(days=1)
    if t["status"] == TaskStatus.REJECTED or end <= first.isoformat(" ", "microseconds"):
        return []
    end_dt = dt.datetime.fromisoformat(end)
    out, at = [], first
    while at < end_dt and len(out) < 12:
        out.append(at.isoformat(" ", "microseconds"))
        at = at + dt.timedelta(days=int(rng.integers(2, 6)), hours=int(rng.integers(0, 8)))
    return out


def _events(tid, t, dispatched, disp, owner, leader, urges) -> list[dict]:
    ev = [_ev(tid, dispatched, disp, "dispatch", None, TaskStatus.DISPATCHED)]
    prev = TaskStatus.DISPATCHED
    if t["rejected"]:
        ev.append(_ev(tid, t["rejected"], owner, "reject", prev, TaskStatus.REJECTED, "非本村职责，退回派单单位"))
    for key, action, status, actor in (("signed", "sign", TaskStatus.SIGNED, owner),
                                       ("started", "start", TaskStatus.IN_PROGRESS, owner),
                                       ("done", "complete", TaskStatus.DONE, owner),
                                       ("scored", "score", TaskStatus.SCORED, leader)):
        if t[key]:
            ev.append(_ev(tid, t[key], actor, action, prev, status))
            prev = status
    ev.extend(_ev(tid, at, leader, "urge", None, None, "请抓紧办理") for at in urges)
    ev.sort(key=lambda e: e["at"])
    return ev


def _ev(tid, at, actor, action, frm, to, note=None) -> dict:
    return {"task_id": tid, "at": at, "actor_id": actor, "action": action,
            "from_status": str(frm) if frm else None, "to_status": str(to) if to else None, "note": note}


def _screened(ctx: SeedContext, rng, villages, county_id, n: int) -> None:
    """Dispatches refused by 过筛 because their matter type is not on the village access list."""
    off = [m for m in MATTER_TYPES if not m[4]]
    rows = []
    for _ in range(n):
        v = villages[int(rng.integers(0, len(villages)))]
        m = off[int(rng.integers(0, len(off)))]
        staff = ctx.township_staff[v.township_id]
        by_county = rng.random() < 0.3
        at = np.datetime64(ctx.start, "s") + np.timedelta64(int(rng.integers(0, ctx.days * 86400)), "s")
        rows.append({"at": sql_datetimes(np.array([at]))[0], "dispatcher_id": ctx.county_admin[county_id] if by_county else staff.admin_id,
                     "dispatcher_region_id": county_id if by_county else v.township_id, "village_id": v.id,
                     "matter_type_id": ctx.matter_ids[m[0]], "matter_code": m[0], "title": f"{v.name}·{m[1]}",
                     "reason": f"事项「{m[1]}」({m[0]}) 不在村级准入清单内"})
    rows.sort(key=lambda r: r["at"])
    for r, i in zip(rows, ctx.ids("dispatch_screening", len(rows)), strict=True):
        r["id"] = i
    ctx.insert(DispatchScreening.__table__, rows)
