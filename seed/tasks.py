"""Tasks over the window with their full event trail, screened-out dispatches and 催办.

Everything is drawn column-wise with numpy for one township's villages at a time (a chunk), and
written straight from the columns: no dict per task or per event.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.enums import Module, TaskCategory, TaskStatus
from core.models import DispatchScreening, Task, TaskEvent
from core.screening import off_list_reason
from seed.chunk import Chunk
from seed.context import SeedContext, sql_dates, sql_times
from seed.matters import CO_OFFICES, MATTER_TYPES

CATEGORIES = [TaskCategory.MAJOR, TaskCategory.SUPERIOR, TaskCategory.TOWNSHIP, TaskCategory.VILLAGE_REPORT, TaskCategory.PLEDGE]
CATEGORY_P = [0.05, 0.25, 0.45, 0.15, 0.10]
CATEGORY_FACTOR = np.array([2.0, 1.3, 1.0, 0.8, 1.5])
CATEGORY_DAYS = np.array([30, 15, 10, 7, 60])
MAJOR, SUPERIOR, TOWNSHIP, VILLAGE_REPORT, PLEDGE = range(5)
#: Seasonal load by calendar month: spring ploughing and the year-end push peak.
MONTH_LOAD = {1: 1.15, 2: 0.6, 3: 1.2, 4: 1.2, 5: 1.0, 6: 1.05, 7: 0.9, 8: 0.85, 9: 1.05, 10: 1.0, 11: 1.15, 12: 1.3}
DAY = np.timedelta64(86_400, "s")
MODULES = [str(m) for m in Module]
MAX_URGES = 12

# 准入清单 picks as indices into MATTER_TYPES
ON_TOWN = np.array([i for i, m in enumerate(MATTER_TYPES) if m[4] and m[2] == "township" and not m[5]])
ON_VILLAGE = np.array([i for i, m in enumerate(MATTER_TYPES) if m[4] and m[2] == "village" and m[0] != "V-EC-02"])
OFF_LIST = np.array([i for i, m in enumerate(MATTER_TYPES) if not m[4]])
EMERGENCY_MATTER = next(i for i, m in enumerate(MATTER_TYPES) if m[5])
PLEDGE_MATTER = next(i for i, m in enumerate(MATTER_TYPES) if m[0] == "V-EC-02")
MATTER_MODULE = np.array([MODULES.index(m[3]) for m in MATTER_TYPES])
MATTER_DIFFICULTY = np.array([m[6] for m in MATTER_TYPES])

# Event kinds in the order a task's same-instant events are listed; urges are kind URGE.
DISPATCH, REJECT, SIGN, START, COMPLETE, SCORE, URGE = range(7)
_D, _S, _R = TaskStatus.DISPATCHED, TaskStatus.SIGNED, TaskStatus.REJECTED
EVENT_ACTION = np.array(["dispatch", "reject", "sign", "start", "complete", "score", "urge"], dtype=object)
EVENT_FROM = np.array([None, str(_D), str(_D), str(_S), str(TaskStatus.IN_PROGRESS), str(TaskStatus.DONE), None],
                      dtype=object)
EVENT_TO = np.array([str(_D), str(_R), str(_S), str(TaskStatus.IN_PROGRESS), str(TaskStatus.DONE),
                     str(TaskStatus.SCORED), None], dtype=object)
EVENT_NOTE = np.array([None, "非本村职责，退回派单单位", None, None, None, None, "请抓紧办理"], dtype=object)
STATUS = np.array([str(s) for s in (_D, _S, TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.SCORED, _R)],
                  dtype=object)


def day_weights(ctx: SeedContext) -> np.ndarray:
    """Probability of a dispatch on each day of the window (season × weekday)."""
    days = np.datetime64(ctx.start, "D") + np.arange(ctx.days)
    month = days.astype("datetime64[M]").astype(int) % 12 + 1
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
    w = np.array([MONTH_LOAD[m] for m in range(1, 13)])[month - 1] * np.where(weekday >= 5, 0.25, 1.0)
    return w / w.sum()


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def write_tasks(ctx: SeedContext, ch: Chunk) -> None:
    """All tasks of one chunk of villages, their events, the dispatches screening removed."""
    rng = ctx.rng(ch.county_id // 1_000_000, 11, ch.seq)
    lam = ctx.preset.tasks_per_village_year * ctx.preset.months / 12
    vidx = np.repeat(np.arange(ch.size), rng.poisson(lam * (0.7 + 0.6 * np.minimum(ch.households / 1200, 1.0))))
    n = len(vidx)
    if n:
        t = _draw(ctx, rng, ch, vidx)
        ids = np.asarray(ctx.ids("task", n))
        stamps = _stamps(t)
        _write_tasks(ctx, ch, t, ids, stamps)
        _write_events(ctx, t, ids, stamps)
    _screened(ctx, rng, ch, int(n * 0.04))


def _draw(ctx: SeedContext, rng: np.random.Generator, ch: Chunk, vidx: np.ndarray) -> dict[str, np.ndarray]:
    """Every random draw of the tasks and the lifecycle they imply as of the as-of date."""
    n = len(vidx)
    q = ch.quality[vidx]
    start64 = np.datetime64(ctx.start, "s")
    as_of_end = np.datetime64(ctx.as_of, "s") + DAY - np.timedelta64(1, "s")
    day = rng.choice(ctx.days, size=n, p=day_weights(ctx))
    dispatched = start64 + (day * 86400 + rng.integers(8 * 3600, 18 * 3600, n)).astype("timedelta64[s]")
    cat = rng.choice(len(CATEGORIES), size=n, p=CATEGORY_P)
    duration = np.maximum(2, (CATEGORY_DAYS[cat] * rng.uniform(0.6, 1.4, n)).astype(int))
    deadline = dispatched.astype("datetime64[D]") + duration.astype("timedelta64[D]")
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
    t = dict(vidx=vidx, cat=cat, dispatched=dispatched, deadline=deadline, sign=sign, start=start, done=done,
             quality=np.clip(rng.normal(82 + 6 * q, 8), 40, 100).round(1),
             scored=done + (rng.uniform(1, 6, n) * 86400).astype("timedelta64[s]"),
             emergency=rng.random(n) < 0.01, town_pick=rng.integers(0, len(ON_TOWN), n),
             vil_pick=rng.integers(0, len(ON_VILLAGE), n), owner_pick=rng.random(n), grid_pick=rng.random(n),
             rating=rng.integers(3, 6, n), rated=rng.random(n) < 0.6)
    # What has happened by the as-of date (a rejected task is only ever turned back at signing).
    t["rejected"] = rejected & (sign <= as_of_end)
    t["signed"] = ~rejected & (sign <= as_of_end)
    t["started"] = t["signed"] & (start <= as_of_end)
    t["finished"] = t["started"] & ~never & (done <= as_of_end)
    t["scored_ok"] = t["finished"] & (t["scored"] <= as_of_end)
    t["matter"] = np.where(t["emergency"], EMERGENCY_MATTER, np.where(
        cat == PLEDGE, PLEDGE_MATTER, np.where(cat == VILLAGE_REPORT, ON_VILLAGE[t["vil_pick"]], ON_TOWN[t["town_pick"]])))
    _draw_urges(rng, t, as_of_end)
    return t


def _draw_urges(rng: np.random.Generator, t: dict, as_of_end: np.datetime64) -> None:
    """催办: leaders push overdue tasks every few days until done (at most MAX_URGES times)."""
    end = np.where(t["finished"], t["done"], as_of_end)
    first = t["deadline"].astype("datetime64[s]") + DAY + np.timedelta64(9 * 3600, "s")
    who = np.nonzero(~t["rejected"] & (end > first))[0]
    m = len(who)
    step = rng.integers(2, 6, (m, MAX_URGES - 1)) * 86400 + rng.integers(0, 8, (m, MAX_URGES - 1)) * 3600
    offsets = np.concatenate([np.zeros((m, 1), dtype=np.int64), np.cumsum(step, axis=1)], axis=1)
    at = first[who][:, None] + offsets.astype("timedelta64[s]")
    k = (at < end[who][:, None]).sum(axis=1)  # times rise, so the urges are a prefix
    t["urge_task"] = np.repeat(who, k)
    t["urge_at"] = at[np.arange(MAX_URGES)[None, :] < k[:, None]]  # row-major: each task's urges in order
    t["urge_count"] = np.zeros(len(t["vidx"]), dtype=np.int64)
    t["urge_count"][who] = k
    last = np.full(len(t["vidx"]), np.datetime64("NaT"), dtype="datetime64[s]")
    last[who[k > 0]] = at[np.nonzero(k > 0)[0], k[k > 0] - 1]
    t["last_urged"] = last


def _stamps(t: dict) -> dict[str, np.ndarray]:
    """SQL text of each lifecycle stamp (all drawn values; masked per column when written)."""
    out = {k: np.array(sql_times(t[k]), dtype=object) for k in ("dispatched", "sign", "start", "done", "scored")}
    out["urge"] = np.array(sql_times(t["urge_at"]), dtype=object) if len(t["urge_at"]) else np.empty(0, dtype=object)
    return out


def _masked(values: np.ndarray, ok: np.ndarray) -> list:
    out = values.copy()
    out[~ok] = None
    return out.tolist()


def _write_tasks(ctx: SeedContext, ch: Chunk, t: dict, ids: np.ndarray, st: dict) -> None:
    vidx, cat, matter, n = t["vidx"], t["cat"], t["matter"], len(t["vidx"])
    module = MATTER_MODULE[matter]
    leader = ch.leaders[vidx, module]
    village = ch.ids[vidx]
    upper = (cat == MAJOR) | (cat == SUPERIOR)
    town_disp = np.where(t["owner_pick"] < 0.5, ch.town_admin[vidx], leader)
    disp = np.where(upper, ch.county_admin, np.where(cat == VILLAGE_REPORT, ch.secretary[vidx], town_disp))
    disp_region = np.where(upper, ch.county_id, np.where(cat == VILLAGE_REPORT, village, ch.township[vidx]))
    committee = ch.committee[vidx, (t["owner_pick"] * 10).astype(int) % 4]
    owner = np.where(t["owner_pick"] < 0.4, ch.secretary[vidx], committee)
    difficulty = np.round(MATTER_DIFFICULTY[matter] * CATEGORY_FACTOR[cat] * 2) / 2
    gp = t["grid_pick"]
    grid = ch.grid_ids[ch.grid_start[vidx] + (gp * ch.grid_count[vidx]).astype(int)]
    co = np.array(CO_OFFICES, dtype=object)[(gp * 60).astype(int) % len(CO_OFFICES)]
    status = np.select([t["rejected"], t["scored_ok"], t["finished"], t["started"], t["signed"]], [5, 4, 3, 2, 1], 0)
    month = t["dispatched"].astype("datetime64[M]").astype(int)
    ym = (month // 12 + 1970) * 100 + month % 12 + 1
    ctx.write(Task.__table__, n, {
        "id": ids.tolist(),
        "code": [f"RW{a}{b:07d}" for a, b in zip(ym.tolist(), ids.tolist(), strict=True)],
        "title": ch.titles[vidx, matter].tolist(),
        "category": np.array([str(c) for c in CATEGORIES], dtype=object)[cat].tolist(),
        "module": np.array(MODULES, dtype=object)[module].tolist(),
        "matter_type_id": (matter + 1).tolist(),  # catalog ids follow MATTER_TYPES order
        "difficulty": difficulty.tolist(),
        "dispatcher_id": disp.tolist(), "dispatcher_region_id": disp_region.tolist(), "village_id": village.tolist(),
        "grid_id": np.where(gp < 0.3, grid, None).tolist(),  # type: ignore[attr-defined]  # numpy's stubs reject None as where()'s fill
        "owner_id": owner.tolist(), "leader_id": leader.tolist(),
        "co_office": np.where(difficulty >= 4, co, None).tolist(),  # type: ignore[attr-defined]  # numpy's stubs reject None as where()'s fill
        "status": STATUS[status].tolist(),
        "dispatched_at": st["dispatched"].tolist(), "deadline": sql_dates(t["deadline"]),
        "signed_at": _masked(st["sign"], t["signed"]), "started_at": _masked(st["start"], t["started"]),
        "done_at": _masked(st["done"], t["finished"]), "scored_at": _masked(st["scored"], t["scored_ok"]),
        "quality_score": np.where(t["scored_ok"], t["quality"], None).tolist(),  # type: ignore[attr-defined]  # numpy's stubs reject None as where()'s fill
        "dispatch_rating": np.where(t["finished"] & t["rated"], t["rating"], None).tolist(),  # type: ignore[attr-defined]  # numpy's stubs reject None as where()'s fill
        "urge_count": t["urge_count"].tolist(),
        "last_urged_at": sql_times(t["last_urged"], ~np.isnat(t["last_urged"])),
        "emergency": t["emergency"].astype(int).tolist(), "needs_review": t["emergency"].astype(int).tolist(),
    })
    t["owner"], t["leader"], t["disp"], t["module"] = owner, leader, disp, module


def _write_events(ctx: SeedContext, t: dict, ids: np.ndarray, st: dict) -> None:
    """The event trail of every task, in time order per task (same-instant events in lifecycle order)."""
    every = np.ones(len(ids), dtype=bool)
    parts = [(DISPATCH, every, t["dispatched"], t["disp"], st["dispatched"]),
             (REJECT, t["rejected"], t["sign"], t["owner"], st["sign"]),
             (SIGN, t["signed"], t["sign"], t["owner"], st["sign"]),
             (START, t["started"], t["start"], t["owner"], st["start"]),
             (COMPLETE, t["finished"], t["done"], t["owner"], st["done"]),
             (SCORE, t["scored_ok"], t["scored"], t["leader"], st["scored"])]
    task: Any  # the lists of per-step arrays, then (below) their concatenation
    kind: Any
    at: Any
    task, kind, at, actor, text = [], [], [], [], []
    for k, ok, stamp, who, strings in parts:
        pos = np.nonzero(ok)[0]
        task.append(pos)
        kind.append(np.full(len(pos), k))
        at.append(stamp[pos])
        actor.append(who[pos])
        text.append(strings[pos])
    u = t["urge_task"]
    task.append(u)
    kind.append(np.full(len(u), URGE))
    at.append(t["urge_at"])
    actor.append(t["leader"][u])
    text.append(st["urge"])
    task, kind, at = np.concatenate(task), np.concatenate(kind), np.concatenate(at)
    order = np.lexsort((np.arange(len(task)), at, task))  # per task by time; ties keep lifecycle order
    kind = kind[order]
    ctx.write(TaskEvent.__table__, len(order), {
        "id": list(ctx.ids("task_event", len(order))),
        "task_id": ids[task[order]].tolist(), "at": np.concatenate(text)[order].tolist(),
        "actor_id": np.concatenate(actor)[order].tolist(), "action": EVENT_ACTION[kind].tolist(),
        "from_status": EVENT_FROM[kind].tolist(), "to_status": EVENT_TO[kind].tolist(),
        "note": EVENT_NOTE[kind].tolist(),
    })


def _screened(ctx: SeedContext, rng: np.random.Generator, ch: Chunk, n: int) -> None:
    """Dispatches refused by 过筛 because their matter type is not on the village access list."""
    if n == 0:
        return
    vidx = rng.integers(0, ch.size, n)
    matter = OFF_LIST[rng.integers(0, len(OFF_LIST), n)]
    by_county = rng.random(n) < 0.3
    at = np.datetime64(ctx.start, "s") + rng.integers(0, ctx.days * 86400, n).astype("timedelta64[s]")
    order = np.argsort(at, kind="stable")
    vidx, matter, by_county, at = vidx[order], matter[order], by_county[order], at[order]
    names = np.array([m[1] for m in MATTER_TYPES], dtype=object)[matter]
    codes = np.array([m[0] for m in MATTER_TYPES], dtype=object)[matter]
    ctx.write(DispatchScreening.__table__, n, {
        "id": list(ctx.ids("dispatch_screening", n)), "at": sql_times(at),
        "dispatcher_id": np.where(by_county, ch.county_admin, ch.town_admin[vidx]).tolist(),
        "dispatcher_region_id": np.where(by_county, ch.county_id, ch.township[vidx]).tolist(),
        "village_id": ch.ids[vidx].tolist(), "matter_type_id": (matter + 1).tolist(), "matter_code": codes.tolist(),
        "title": ch.titles[vidx, matter].tolist(),
        "reason": [off_list_reason(a, b, "village") for a, b in zip(names.tolist(), codes.tolist(), strict=True)],
    })
