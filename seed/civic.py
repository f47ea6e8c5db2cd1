"""民情日记 visits, 议事决策 with their "五议两公开" steps, and evaluations of cadres."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import numpy as np

from core.enums import EvaluationKind
from core.models import Decision, DecisionStep, DiaryVisit, Evaluation, PlantedAnomaly
from seed.chunk import Chunk
from seed.context import SeedContext, VillageUnit, periods, sql_dates
from seed.matters import DECISION_TITLES, DIARY_TOPICS

CADRES_PER_VILLAGE = 6  # secretary, four committee members and the stationed cadre keep the diary


def write_diary(ctx: SeedContext, ch: Chunk) -> None:
    """Weekly household visits by each village cadre and the stationed cadre (一周一记)."""
    rng = ctx.rng(ch.county_id // 1_000_000, 31, ch.seq)
    weeks = ctx.days // 7
    people = np.column_stack([ch.secretary, ch.committee, [v.stationed_id for v in ch.villages]])
    keep = 1 / (1 + np.exp(-(1.6 + 0.9 * ch.quality)))  # share of weeks a cadre actually logs
    vidx, pi, week = np.nonzero(rng.random((ch.size, people.shape[1], weeks)) < keep[:, None, None])
    n = len(vidx)
    offs = week * 7 + rng.integers(0, 5, n)
    grid = ch.grid_start[vidx] + (rng.random(n) * ch.grid_count[vidx]).astype(int)
    household = 1 + (rng.random(n) * ch.households[vidx]).astype(int)
    topic = rng.integers(0, len(DIARY_TOPICS), n)
    person = people[vidx, pi]
    order = np.lexsort((person, vidx, offs))
    vidx, offs, grid, household, topic, person = (a[order] for a in (vidx, offs, grid, household, topic, person))
    day = np.datetime64(ctx.start, "D") + offs
    ctx.write(DiaryVisit.__table__, n, {
        "id": list(ctx.ids("diary_visit", n)), "person_id": person.tolist(), "village_id": ch.ids[vidx].tolist(),
        "grid_id": ch.grid_ids[grid].tolist(), "household_no": household.tolist(), "visited_on": sql_dates(day),
        "topic": np.array(DIARY_TOPICS, dtype=object)[topic].tolist(),
    })


def plan_decisions(ctx: SeedContext, villages: list[VillageUnit], county_id: int) -> dict[int, str]:
    """Village id → the decision flaw planted in its last decision: one skipped, one reordered, one overdue."""
    rng = ctx.rng(county_id // 1_000_000, 41)
    picks = rng.choice(len(villages), size=min(3, len(villages)), replace=False).tolist()
    return {villages[vi].id: kind for vi, kind in zip(picks, ("skipped_step", "reordered_step", "overdue"), strict=False)}


def write_decisions(ctx: SeedContext, ch: Chunk, planted: dict[int, str]) -> None:
    """Village decisions with their steps (五议两公开), the planted flaws with their truth rows."""
    rng = ctx.rng(ch.county_id // 1_000_000, 41, ch.seq)
    dec: dict[str, list[Any]] = {k: [] for k in ("id", "village_id", "title", "opened_on", "closed_on", "limit_days")}
    steps: dict[str, list[Any]] = {k: [] for k in ("decision_id", "step", "seq", "done_on")}
    counted: list[tuple[int, date, bool]] = []
    truth = []
    for vi, v in enumerate(ch.villages):
        flaw = planted.get(v.id)
        n = int(rng.poisson(5 * ctx.preset.months / 12)) + (1 if flaw else 0)
        for k in range(n):
            kind = flaw if k == n - 1 else None
            did, opened, order, done, closed = _decision(ctx, rng, steps, kind)
            dec["id"].append(did)
            dec["village_id"].append(v.id)
            dec["title"].append(f"{v.name}{DECISION_TITLES[int(rng.integers(0, len(DECISION_TITLES)))]}")
            dec["opened_on"].append(opened.isoformat())
            dec["closed_on"].append(closed.isoformat() if closed else None)
            dec["limit_days"].append(90)
            if closed:
                counted.append((vi, closed, done == list(range(1, 8))))
            if kind:
                truth.append({"kind": f"decision_{kind}", "village_id": v.id, "grid_id": None, "category": None,
                              "start_on": opened, "end_on": closed or _last_step(steps, did) or opened,
                              "detail": json.dumps({"decision_id": did, "steps": order}, ensure_ascii=False)})
    ctx.write(Decision.__table__, len(dec["id"]), dec)
    ctx.write(DecisionStep.__table__, len(steps["seq"]),
              {**steps, "id": list(ctx.ids("decision_step", len(steps["seq"])))})
    ctx.insert(PlantedAnomaly.__table__, truth)


def _decision(ctx: SeedContext, rng: np.random.Generator, steps: dict, kind: str | None):
    """One decision's steps appended to `steps`; returns (id, opened, planned order, done steps, closed on)."""
    did = ctx.ids("decision", 1)[0]
    opened = ctx.day(int(rng.integers(0, max(1, ctx.days - 100))))
    gaps = rng.integers(2, 12, 7).cumsum()
    order = list(range(1, 8))
    if kind == "overdue":
        opened = ctx.as_of - timedelta(days=int(rng.integers(130, 200)))
        gaps = np.array([3, 8, 15, 30, 0, 0, 0])
    open_case = kind == "overdue" or (opened + timedelta(days=int(gaps[-1])) > ctx.as_of)
    if kind == "skipped_step":
        order.remove(4)  # 党员大会审议 left out
    if kind == "reordered_step":
        order[2], order[3] = order[3], order[2]
    planned = order[:4] if kind == "overdue" else order
    last, done = None, []
    for seq, step in enumerate(planned, start=1):
        day = opened + timedelta(days=int(gaps[seq - 1]))
        if day > ctx.as_of:
            break
        steps["decision_id"].append(did)
        steps["step"].append(step)
        steps["seq"].append(seq)
        steps["done_on"].append(day.isoformat())
        done.append(step)
        last = day
    is_closed = not open_case and last is not None and len(planned) == len(order) and kind != "overdue"
    return did, opened, order, done, (last if is_closed else None)


def _last_step(steps: dict, did: int) -> date | None:
    days = [d for i, d in zip(steps["decision_id"], steps["done_on"], strict=True) if i == did]
    return date.fromisoformat(days[-1]) if days else None


def write_evaluations(ctx: SeedContext, ch: Chunk) -> None:
    """Quarterly 民主测评 by three evaluator groups, rare 荣誉表彰 and 负面预警 per village cadre."""
    rng = ctx.rng(ch.county_id // 1_000_000, 51, ch.seq)
    months = np.array(periods(ctx.start, ctx.as_of))
    quarters = np.nonzero(np.isin(months % 100, (3, 6, 9, 12)))[0]
    people = np.column_stack([ch.secretary, ch.committee])  # (V, 5)
    skill = ch.quality[:, None] + rng.normal(0, 0.5, people.shape)
    sources = ("镇领导", "驻村干部", "村民代表")
    # democratic: (V, 5, quarters, sources)
    shape = (*people.shape, len(quarters), len(sources))
    scores = np.round(np.clip(rng.normal(84 + 5 * skill[:, :, None, None], 5, shape), 50, 100), 1)
    dv, dp, dq, ds = (a.ravel() for a in np.indices(shape))
    honor = rng.random((*people.shape, len(months))) < 0.025 * np.exp(0.6 * skill)[:, :, None]
    warn = rng.random((*people.shape, len(months))) < 0.02 * np.exp(-0.8 * skill)[:, :, None]
    hv, hp, hm = np.nonzero(honor)
    wv, wp, wm = np.nonzero(warn)
    pts = np.array([2.0, 3.0, 5.0])
    cols = {
        "v": np.concatenate([dv, hv, wv]), "p": np.concatenate([dp, hp, wp]),
        "m": np.concatenate([quarters[dq], hm, wm]),
        "kind": np.concatenate([np.zeros(len(dv), int), np.ones(len(hv), int), np.full(len(wv), 2)]),
        "src": np.concatenate([ds, np.full(len(hv), 3), np.full(len(wv), 4)]),
        "points": np.concatenate([scores.ravel(), pts[rng.integers(0, 3, len(hv))], -pts[rng.integers(0, 3, len(wv))]]),
    }
    order = np.lexsort((cols["src"], cols["kind"], cols["m"], cols["p"], cols["v"]))
    c = {k: a[order] for k, a in cols.items()}
    n = len(order)
    kinds = np.array([str(EvaluationKind.DEMOCRATIC), str(EvaluationKind.HONOR), str(EvaluationKind.WARNING)], dtype=object)
    ctx.write(Evaluation.__table__, n, {
        "id": list(ctx.ids("evaluation", n)), "person_id": people[c["v"], c["p"]].tolist(),
        "village_id": ch.ids[c["v"]].tolist(), "period": months[c["m"]].tolist(), "kind": kinds[c["kind"]].tolist(),
        "points": c["points"].tolist(),
        "source": np.array([*sources, "镇党委", "镇纪委"], dtype=object)[c["src"]].tolist(),
        "note": np.array(["季度民主测评", "获评先进个人", "工作不力被通报"], dtype=object)[c["kind"]].tolist(),
    })
