"""民情日记 visits, 议事决策 with their "五议两公开" steps, and evaluations of cadres."""

from __future__ import annotations

import json
from datetime import timedelta

import numpy as np

from core.enums import EvaluationKind
from core.models import Decision, DecisionStep, DiaryVisit, Evaluation, PlantedAnomaly
from seed.context import SeedContext, VillageUnit, periods
from seed.matters import DECISION_TITLES, DIARY_TOPICS


def write_diary(ctx: SeedContext, villages: list[VillageUnit], county_id: int) -> list[dict]:
    """Weekly household visits by each village cadre and the stationed cadre (一周一记)."""
    rng = ctx.rng(county_id // 1_000_000, 31)
    weeks = ctx.days // 7
    rows = []
    for v in villages:
        keep = 1 / (1 + np.exp(-(1.6 + 0.9 * v.quality)))  # share of weeks a cadre actually logs
        for person in [v.secretary_id, *v.committee_ids, v.stationed_id]:
            logged = np.nonzero(rng.random(weeks) < keep)[0]
            offs = logged * 7 + rng.integers(0, 5, len(logged))
            grids = rng.integers(0, len(v.grid_ids), len(logged))
            hh = rng.integers(1, v.households + 1, len(logged))
            topics = rng.integers(0, len(DIARY_TOPICS), len(logged))
            for o, g, h, t in zip(offs.tolist(), grids.tolist(), hh.tolist(), topics.tolist(), strict=True):
                rows.append({"person_id": person, "village_id": v.id, "grid_id": v.grid_ids[g],
                             "household_no": h, "visited_on": ctx.day(o), "topic": DIARY_TOPICS[t]})
    rows.sort(key=lambda r: (r["visited_on"], r["village_id"], r["person_id"]))
    ctx.insert(DiaryVisit.__table__, rows)
    return rows


def write_decisions(ctx: SeedContext, villages: list[VillageUnit], county_id: int) -> tuple[list[dict], list[dict]]:
    """Village decisions with their steps; one skipped, one reordered and one overdue are planted."""
    rng = ctx.rng(county_id // 1_000_000, 41)
    planted = rng.choice(len(villages), size=min(3, len(villages)), replace=False).tolist()
    decisions, steps, truth = [], [], []
    for vi, v in enumerate(villages):
        n = int(rng.poisson(5 * ctx.preset.months / 12)) + (1 if vi in planted else 0)
        for k in range(n):
            did = ctx.ids("decision", 1)[0]
            opened = ctx.day(int(rng.integers(0, max(1, ctx.days - 100))))
            gaps = rng.integers(2, 12, 7).cumsum()
            order = list(range(1, 8))
            kind = None
            if vi in planted and k == n - 1:
                kind = ("skipped_step", "reordered_step", "overdue")[planted.index(vi)]
                if kind == "overdue":
                    opened = ctx.as_of - timedelta(days=int(rng.integers(130, 200)))
                    gaps = np.array([3, 8, 15, 30, 0, 0, 0])
            open_case = kind == "overdue" or (opened + timedelta(days=int(gaps[-1])) > ctx.as_of)
            if kind == "skipped_step":
                order.remove(4)  # 党员大会审议 left out
            if kind == "reordered_step":
                order[2], order[3] = order[3], order[2]
            done_steps = order[:4] if kind == "overdue" else order
            closed = None
            for seq, step in enumerate(done_steps, start=1):
                day = opened + timedelta(days=int(gaps[seq - 1]))
                if day > ctx.as_of:
                    break
                steps.append({"decision_id": did, "step": step, "seq": seq, "done_on": day})
                closed = day
            is_closed = not open_case and closed is not None and len(done_steps) == len(order) and kind != "overdue"
            decisions.append({"id": did, "village_id": v.id, "title": f"{v.name}{DECISION_TITLES[int(rng.integers(0, len(DECISION_TITLES)))]}",
                              "opened_on": opened, "closed_on": closed if is_closed else None, "limit_days": 90})
            if kind:
                truth.append({"kind": f"decision_{kind}", "village_id": v.id, "grid_id": None, "category": None,
                              "start_on": opened, "end_on": closed or opened,
                              "detail": json.dumps({"decision_id": did, "steps": order}, ensure_ascii=False)})
    ctx.insert(Decision.__table__, decisions)
    ctx.insert(DecisionStep.__table__, steps)
    ctx.insert(PlantedAnomaly.__table__, truth)
    return decisions, steps


def write_evaluations(ctx: SeedContext, villages: list[VillageUnit], county_id: int) -> list[dict]:
    """Quarterly 民主测评 by three evaluator groups, rare 荣誉表彰 and 负面预警 per village cadre."""
    rng = ctx.rng(county_id // 1_000_000, 51)
    months = periods(ctx.start, ctx.as_of)
    quarter_ends = [p for p in months if p % 100 in (3, 6, 9, 12)]
    rows = []
    for v in villages:
        for person in [v.secretary_id, *v.committee_ids]:
            skill = v.quality + rng.normal(0, 0.5)
            for p in quarter_ends:
                for source in ("镇领导", "驻村干部", "村民代表"):
                    rows.append(_eval(person, v.id, p, EvaluationKind.DEMOCRATIC, round(float(np.clip(rng.normal(84 + 5 * skill, 5), 50, 100)), 1), source, "季度民主测评"))
            for p in months:
                if rng.random() < 0.025 * np.exp(0.6 * skill):
                    rows.append(_eval(person, v.id, p, EvaluationKind.HONOR, float(rng.choice([2.0, 3.0, 5.0])), "镇党委", "获评先进个人"))
                if rng.random() < 0.02 * np.exp(-0.8 * skill):
                    rows.append(_eval(person, v.id, p, EvaluationKind.WARNING, -float(rng.choice([2.0, 3.0, 5.0])), "镇纪委", "工作不力被通报"))
    ctx.insert(Evaluation.__table__, rows)
    return rows


def _eval(person, village, period, kind, points, source, note) -> dict:
    return {"person_id": person, "village_id": village, "period": period, "kind": str(kind),
            "points": points, "source": source, "note": note}
