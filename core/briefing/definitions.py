"""The appendix: the definition of every figure the report uses (cockpit tiles, module weights, the 40
indicators, task alert levels, warning kinds and the other terms), in the report's language."""

from __future__ import annotations

from core.briefing import blocks as b
from core.config import get_settings
from core.early_warning import WARNING_KINDS
from core.i18n import term, translate
from core.indicators import CATALOG
from core.scoring import MODULES

_KPIS = ("composite", "completion", "on_time", "overdue", "satisfaction")


def _t(key: str, lang: str, **params: object) -> str:
    return translate(key, lang, **params)


def _cols(lang: str, *keys: str) -> tuple[str, ...]:
    return tuple(_t(f"briefing.col.{k}", lang) for k in keys)


def _kind_params() -> dict[str, dict]:
    w = get_settings().warnings
    return {"burst": {"hours": w.burst_window_hours, "n": w.burst_min_count},
            "high": {"z": f"{w.high_z:g}", "n": w.high_min_count}, "chronic": {"months": w.chronic_months},
            "new": {"months": w.new_lookback_months, "n": w.new_min_count}, "silent": {"days": w.silent_days},
            "decision_overdue": {"days": w.decision_limit_days}}


def _alert_rows(lang: str) -> tuple[tuple[str, str], ...]:
    r = get_settings().alert_rules
    return ((term("alert_level", "near_due", lang), _t("briefing.def.alert_near", lang, n=r.remind_days_before)),
            (term("alert_level", "overdue", lang), _t("briefing.def.alert_level", lang, lo=1, hi=r.escalate_town_after)),
            (term("alert_level", "town", lang), _t("briefing.def.alert_level", lang, lo=r.escalate_town_after + 1,
                                                     hi=r.escalate_county_after)),
            (term("alert_level", "county", lang), _t("briefing.def.alert_over", lang, n=r.escalate_county_after)))


def appendix(lang: str, multi_month: bool) -> list[b.Block]:
    """Headings and tables of the appendix."""
    weights = get_settings().scoring.module_weights
    indicators = tuple((term("module", i.module, lang), _t(f"indicator.{i.code}.name", lang),
                        _t(f"indicator.{i.code}.definition", lang), term("unit", i.unit, lang),
                        _t("briefing.dir.up" if i.higher_is_better else "briefing.dir.down", lang), f"{i.weight:g}")
                       for i in CATALOG)
    other = [_t("briefing.def.movement", lang), _t("briefing.def.leader_index", lang), _t("briefing.def.appeals", lang),
             _t("briefing.def.screening", lang)] + ([_t("briefing.def.period_scores", lang)] if multi_month else [])
    params = _kind_params()
    return [
        b.Heading(_t("briefing.sec.appendix", lang)),
        b.Table(_t("briefing.tbl.def_kpis", lang), _cols(lang, "indicator", "definition"),
                tuple((_t(f"kpi.{k}", lang), _t(f"kpi.{k}.definition", lang)) for k in _KPIS), (False, False), (1, 4)),
        b.Table(_t("briefing.tbl.def_modules", lang), _cols(lang, "module", "weight"),
                tuple((term("module", m, lang), f"{weights.get(m, 0.0):g}") for m in MODULES), (False, True), (3, 1)),
        b.Table(_t("briefing.tbl.def_indicators", lang), _cols(lang, "module", "indicator", "definition", "unit_of", "direction", "weight"),
                indicators, (False, False, False, False, False, True), (1.1, 1.7, 3.6, 0.9, 1, 0.6)),
        b.Table(_t("briefing.tbl.def_alerts", lang), _cols(lang, "level", "definition"), _alert_rows(lang), (False, False), (1, 3)),
        b.Table(_t("briefing.tbl.def_warnings", lang), _cols(lang, "kind", "definition"),
                tuple((term("warning_kind", k, lang), _t(f"briefing.def.kind.{k}", lang, **params.get(k, {}))) for k in WARNING_KINDS),
                (False, False), (1, 4)),
        b.Heading(_t("briefing.def.other", lang), 2),
        *(b.Note(text) for text in other),
    ]
