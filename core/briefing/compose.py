"""The report's sections, in the order of issue #23: cover, overview, four-module ranking, overdue tasks,
early warnings, 领雁指数, appeals, 过筛 and the appendix of definitions. Each section is narrative +
tables (+ a chart) built from BriefingData; every cell goes through core.briefing.blocks' formats."""

from __future__ import annotations

from core.briefing import blocks as b
from core.briefing import charts, definitions, narrative
from core.briefing.data import BriefingData
from core.config import BriefingConfig
from core.early_warning import WARNING_KINDS
from core.enums import child_level
from core.i18n import evidence_text, format_date, format_month, term, translate
from core.scoring import MODULES


def _t(key: str, lang: str, **params: object) -> str:
    return translate(key, lang, **params)


def _cols(lang: str, *keys: str) -> tuple[str, ...]:
    return tuple(_t(f"briefing.col.{k}", lang) for k in keys)


def _para(sentences: list[b.Sentence], lang: str) -> list[b.Block]:
    return [b.Paragraph(tuple(sentences), " " if lang == "en" else "")] if sentences else []


def cover(d: BriefingData, lang: str, viewer: str) -> b.Table:
    """Region, level, period, months with data, 数据截至, generated on, scope."""
    months = (", " if lang == "en" else "、").join(format_month(m, lang) for m in d.months)
    rows = [("region", d.region.name), ("level", term("level", d.region.level, lang)), ("period", d.period.label(lang)),
            ("months", months or "—"), ("as_of", format_date(d.as_of, lang)),
            ("generated", format_date(d.generated, lang, with_time=True)), ("viewer", viewer)]
    return b.Table("", (_t("briefing.cover.item", lang), _t("briefing.cover.value", lang)),
                   tuple((_t(f"briefing.cover.{k}", lang), v) for k, v in rows), (False, False), (1, 3))


def overview(d: BriefingData, lang: str, cfg: BriefingConfig) -> list[b.Block]:
    """Narrative, the headline table (this period, previous, change, target) and the monthly trend."""
    k, r = d.kpis, d.rank
    rows = [(_t("briefing.row.composite", lang), b.score(r.get("composite")), b.score(r.get("composite_prev")),
             b.change(r.get("composite"), r.get("composite_prev")), "—"),
            (_t("briefing.row.rank", lang, parent=narrative.parent_name(d, lang)), b.rank_of(r.get("rank_in_parent"), r.get("n_in_parent")),
             b.rank_of(r.get("rank_prev"), r.get("n_in_parent")), _rank_move(r), "—")]
    floors = {"completion": cfg.completion_floor, "on_time_rate": cfg.on_time_floor, "satisfaction": cfg.satisfaction_floor}
    for name, key in (("completion", "kpi.completion"), ("on_time_rate", "kpi.on_time"), ("satisfaction", "kpi.satisfaction")):
        now, before = k.get(name, (None, None))
        rows.append((_t(key, lang), b.pct(now), b.pct(before), b.change(now, before), b.pct(floors[name])))
    now, before = k.get("overdue", (None, None))
    rows.append((_t("kpi.overdue", lang), b.count(now), b.count(before), b.change(now, before, 0), "—"))
    out: list[b.Block] = [b.Heading(_t("briefing.sec.summary", lang)), *_para(narrative.headline(d, lang, cfg), lang),
                          b.Table(_t("briefing.tbl.headline", lang), _cols(lang, "indicator", "current", "previous", "change", "target"),
                                  tuple(rows), (False, True, True, True, True), (3, 1.3, 1.3, 1.1, 1.1))]
    if len(d.trend) > 1:
        labels = {"completion": _t("kpi.completion", lang), "on_time_rate": _t("kpi.on_time", lang),
                  "satisfaction": _t("kpi.satisfaction", lang)}
        series = {c: [None if b.missing(v) else float(v) for v in d.trend[c]] for c in labels}
        months = [_short_month(int(p), lang) for p in d.trend["period"]]
        png = charts.trend_lines(months, series, labels, _t("briefing.chart.trend", lang, n=len(months)))
        out.append(b.Figure(png, _t("briefing.chart.trend", lang, n=len(months)), 165))
    return out


def _short_month(p: int, lang: str) -> str:
    y, m = divmod(p, 100)
    return format_month(p, lang) if lang == "en" else f"{y % 100:02d}年{m}月"


def _rank_move(r: dict) -> str:
    if b.missing(r.get("rank_prev")) or b.missing(r.get("rank_in_parent")):
        return "—"
    return b.movement(int(r["rank_prev"]) - int(r["rank_in_parent"]))


def ranking(d: BriefingData, lang: str, cfg: BriefingConfig) -> list[b.Block]:
    """Narrative (module leaders and laggards, movers), the chart, best/last per module, the children's score table."""
    kids = d.children
    if kids.empty:
        return []
    level = term("level", child_level(d.region.level) or "", lang)
    month = format_month(int(d.last_month or 0), lang)
    shown = kids.head(cfg.ranking_rows)
    drawn = shown.head(cfg.chart_rows)
    title = _t("briefing.chart.ranking", lang, level=level, month=month)
    chart = charts.ranking_chart(drawn["name"].tolist(), drawn["composite"].tolist(), MODULES,
                                 [term("module", m, lang) for m in MODULES], drawn[list(MODULES)].to_numpy(dtype=float),
                                 title, _t("briefing.col.composite", lang))
    out: list[b.Block] = [b.Heading(_t("briefing.sec.ranking", lang)), *_para(narrative.ranking(d, lang, cfg, MODULES), lang),
                          b.Figure(chart, title), _module_table(d, lang), _score_table(shown, lang, level, month)]
    if len(kids) > len(shown):
        out.append(b.Note(_t("briefing.more_rows", lang, n=len(kids), shown=len(shown))))
    return out


def _module_table(d: BriefingData, lang: str) -> b.Table:
    rows = []
    for m in MODULES:
        ranked = d.children.dropna(subset=[m]).sort_values([f"{m}_rank_in_parent", "code"])
        if not ranked.empty:
            top, last = ranked.iloc[0], ranked.iloc[-1]
            rows.append((term("module", m, lang), top["name"], b.score(top[m]), last["name"], b.score(last[m])))
    return b.Table(_t("briefing.tbl.modules", lang), _cols(lang, "module", "best", "score", "worst", "score"),
                   tuple(rows), (False, False, True, False, True), (1.6, 2, 0.9, 2, 0.9))


def _score_table(shown, lang: str, level: str, month: str) -> b.Table:
    rows = tuple((b.rank_of(x["rank_in_parent"], x["n_in_parent"]) if not b.missing(x["rank_in_parent"]) else "—",
                  x["name"], b.score(x["composite"]), *(b.score(x[m]) for m in MODULES), b.movement(x["movement"]))
                 for _, x in shown.iterrows())
    cols = (*_cols(lang, "rank", "region", "composite"), *(term("module", m, lang) for m in MODULES),
            _t("briefing.col.movement", lang))
    return b.Table(_t("briefing.tbl.ranking", lang, level=level, month=month), cols, rows,
                   (True, False, True, True, True, True, True, True), (0.9, 2.2, 1, 1, 1, 1, 1, 1))


def tasks(d: BriefingData, lang: str, cfg: BriefingConfig) -> list[b.Block]:
    """Narrative, alert counts per level (with the overdue total) and the longest overdue tasks."""
    c = d.alert_counts
    rows = [(term("alert_level", lv, lang), b.count(c.get(lv, 0))) for lv in ("near_due", "overdue", "town", "county")]
    rows.append((_t("briefing.row.overdue_total", lang), b.count(sum(c.get(lv, 0) for lv in ("overdue", "town", "county")))))
    out: list[b.Block] = [b.Heading(_t("briefing.sec.tasks", lang)), *_para(narrative.tasks(d, lang), lang),
                          b.Table(_t("briefing.tbl.alert_counts", lang), _cols(lang, "level", "count"), tuple(rows), (False, True), (3, 1))]
    t = d.overdue_tasks
    if len(t):
        trows = tuple((x["code"], x["village"] or "—", x["owner"] or "—", format_date(x["deadline"], lang),
                       b.count(x["days_overdue"]), term("alert_level", x["level"], lang), b.count(x["urge_count"]))
                      for _, x in t.head(cfg.task_rows).iterrows())
        out.append(b.Table(_t("briefing.tbl.overdue", lang), _cols(lang, "task", "village", "owner", "deadline", "days_overdue", "level", "urges"),
                           trows, (False, False, False, False, True, False, True), (1.6, 1.3, 1, 1.4, 0.9, 1.2, 0.8)))
    return out


def warnings(d: BriefingData, lang: str, cfg: BriefingConfig) -> list[b.Block]:
    """Narrative, warnings per kind, and the warnings with their evidence (window, observed, baseline, threshold)."""
    by_kind = {k: sum(1 for w in d.warnings if w.kind == k) for k in WARNING_KINDS}
    by_kind = {k: n for k, n in by_kind.items() if n}
    out: list[b.Block] = [b.Heading(_t("briefing.sec.warnings", lang)), *_para(narrative.warnings(d, lang, by_kind), lang)]
    if not d.warnings:
        return out
    rows = [(term("warning_kind", k, lang), b.count(n)) for k, n in by_kind.items()]
    rows.append((_t("briefing.row.total", lang), b.count(len(d.warnings))))
    out.append(b.Table(_t("briefing.tbl.warning_kinds", lang), _cols(lang, "kind", "count"), tuple(rows), (False, True), (3, 1)))
    listed = sorted(d.warnings, key=lambda w: (-w.score, w.village_id))[:cfg.warning_rows]
    cols = _cols(lang, "kind", "village", "category", "window", "observed", "baseline", "threshold", "test")
    wrows = tuple((term("warning_kind", w.kind, lang), d.names.get(w.village_id, str(w.village_id)),
                   term("appeal_category", w.category, lang) if w.category else "—",
                   f"{format_date(w.window_start, lang)} – {format_date(w.window_end, lang)}",
                   f"{w.count:g}", f"{w.baseline:.1f}", f"{w.threshold:g}", evidence_text(w.test, lang)) for w in listed)
    numeric = (False, False, False, False, True, True, True, False)
    widths = (1.1, 1.1, 0.9, 2.2, 0.8, 0.8, 0.8, 2.4)
    out.append(b.Table(_t("briefing.tbl.warnings", lang), cols, wrows, numeric, widths))
    if len(d.warnings) > len(listed):
        out.append(b.Note(_t("briefing.more_rows", lang, n=len(d.warnings), shown=len(listed))))
    out.append(b.Note(_t("briefing.def.warnings_source", lang)))
    return out


def leaders(d: BriefingData, lang: str, cfg: BriefingConfig) -> list[b.Block]:
    """Narrative and the first and last secretaries by 领雁指数 (rank, name, village, index, movement)."""
    out: list[b.Block] = [b.Heading(_t("briefing.sec.leaders", lang)), *_para(narrative.leaders(d, lang), lang)]
    ranked = d.leaders.dropna(subset=["index"]) if not d.leaders.empty else d.leaders
    if ranked.empty:
        return out
    n = cfg.leader_rows
    cols = _cols(lang, "rank", "name", "village", "leader_index", "movement")

    def rows(part) -> tuple:
        return tuple((b.rank_of(x["rank"], len(ranked)), x["name"], x["village_name"], b.index2(x["index"]),
                      b.movement(x["movement"])) for _, x in part.iterrows())

    out.append(b.Table(_t("briefing.tbl.leaders_top", lang), cols, rows(ranked.head(n)), (True, False, False, True, True)))
    if len(ranked) > n:
        out.append(b.Table(_t("briefing.tbl.leaders_bottom", lang), cols, rows(ranked.tail(min(n, len(ranked) - n))),
                           (True, False, False, True, True)))
    return out


def appeals(d: BriefingData, lang: str) -> list[b.Block]:
    """Narrative, the appeals summary, by category (with a chart) and by closing level."""
    s = d.appeal_summary
    out: list[b.Block] = [b.Heading(_t("briefing.sec.appeals", lang)), *_para(narrative.appeals(d, lang), lang)]
    if not s.get("volume"):
        return out
    rows = [("volume", b.count(s["volume"])), ("closed", b.count(s["closed"])), ("on_time", b.pct(s["on_time_rate"])),
            ("satisfaction", b.pct(s["satisfaction"])), ("response_h", b.score(s["mean_response_h"])),
            ("close_h", b.score(s["mean_close_h"]))]
    out.append(b.Table(_t("briefing.tbl.appeals", lang), _cols(lang, "indicator", "value"),
                       tuple((_t(f"briefing.row.{k}", lang), v) for k, v in rows), (False, True), (3, 1)))
    cats = d.appeal_categories
    crow = tuple((term("appeal_category", x["category"], lang), b.count(x["volume"]), b.share(x["volume"], s["volume"]),
                  b.count(x["closed"]), b.pct(x["satisfaction"])) for _, x in cats.iterrows())
    out.append(b.Table(_t("briefing.tbl.appeal_categories", lang), _cols(lang, "category", "count", "share", "closed", "satisfaction"),
                       crow, (False, True, True, True, True), (2, 1, 1, 1, 1)))
    out.append(b.Figure(charts.count_bars([r[0] for r in crow], [int(v) for v in cats["volume"]], _t("briefing.chart.categories", lang)),
                        _t("briefing.chart.categories", lang), 140))
    lrows = tuple((term("appeal_level", lv, lang), b.count(s[f"closed_{lv}"]), b.share(s[f"closed_{lv}"], s["closed"]))
                  for lv in ("grid", "village", "township", "county"))
    out.append(b.Table(_t("briefing.tbl.appeal_levels", lang), _cols(lang, "level", "closed", "share"), lrows, (False, True, True), (2, 1, 1)))
    return out


def screening(d: BriefingData, lang: str, cfg: BriefingConfig) -> list[b.Block]:
    """Narrative, dispatches and refusals, the matters and dispatchers refused most."""
    rep = d.screening
    out: list[b.Block] = [b.Heading(_t("briefing.sec.screening", lang)), *_para(narrative.screening(d, lang), lang)]
    if rep is None:
        return out
    rows = [("dispatched", b.count(rep.dispatched)), ("screened", b.count(rep.screened)),
            ("screened_share", b.share(rep.screened, rep.screened + rep.dispatched)), ("emergency", b.count(rep.emergency))]
    out.append(b.Table(_t("briefing.tbl.screening", lang), _cols(lang, "indicator", "value"),
                       tuple((_t(f"briefing.row.{k}", lang), v) for k, v in rows), (False, True), (3, 1)))
    n = cfg.screening_rows
    if len(rep.by_matter):
        out.append(b.Table(_t("briefing.tbl.screening_matters", lang), _cols(lang, "matter", "times"),
                           tuple((f"{x['matter']} ({x['matter_code']})", b.count(x["screened"])) for _, x in rep.by_matter.head(n).iterrows()),
                           (False, True), (4, 1)))
    if len(rep.by_dispatcher):
        out.append(b.Table(_t("briefing.tbl.screening_dispatchers", lang), _cols(lang, "dispatcher", "unit", "times"),
                           tuple((x["dispatcher"], x["region"], b.count(x["screened"])) for _, x in rep.by_dispatcher.head(n).iterrows()),
                           (False, False, True), (2, 2, 1)))
    return out


def build(d: BriefingData, lang: str, cfg: BriefingConfig, viewer: str) -> b.Report:
    """The whole report of BriefingData in `lang`."""
    title = _t("briefing.title", lang, region=d.region.name, period=d.period.label(lang))
    rep = b.Report(lang, title, _t("briefing.subtitle", lang), cover(d, lang, viewer))
    if not d.has_data:
        rep.blocks += _para(narrative.no_data(d, lang), lang)
    else:
        for part in (overview(d, lang, cfg), ranking(d, lang, cfg), tasks(d, lang, cfg), warnings(d, lang, cfg),
                     leaders(d, lang, cfg), appeals(d, lang), screening(d, lang, cfg)):
            rep.blocks += part
    rep.blocks += definitions.appendix(lang, d.period.kind != "month")
    return rep

