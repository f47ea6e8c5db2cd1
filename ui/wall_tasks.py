"""任务督办 on the wall: the four counts large, overdue by child region as bars, the longest-overdue tasks
rotating, and 催办 counts. Reads through ui.tasks_data (the desk's cached reads) and core.wall_stats."""

from __future__ import annotations

from datetime import date
from html import escape

from core import wall_stats
from core.config import get_settings
from core.enums import child_level
from core.scope import Scope
from core.task_alerts import AlertFilters
from ui import data
from ui import tasks_data as td
from ui import wall as w
from ui.i18n import place_short, t, term
from ui.theme import Palette, palette

#: The longest-overdue tasks that take turns on the wall (pages of BigScreenConfig.wall_rows).
LONGEST = 60
BAR_ROWS = 10
#: Rows of the longest-overdue list per page (the panel is two thirds of the board tall).
LONGEST_ROWS = 12


def _numbers(n: dict[str, int]) -> str:
    rules = get_settings().alert_rules
    return w.number_row([
        w.big_number(t("tasks.near_due"), w.count(n["near_due"]), cls="warn",
                     sub=t("tasks.near_due_help", days=rules.remind_days_before)),
        w.big_number(t("tasks.overdue"), w.count(n["overdue"] + n["town"] + n["county"]), cls="bad",
                     sub=t("wall.tasks.overdue_sub", n=w.count(n["overdue"]), days=rules.escalate_town_after)),
        w.big_number(t("tasks.to_town"), w.count(n["town"]), cls="bad",
                     sub=t("tasks.to_town_help", days=rules.escalate_town_after)),
        w.big_number(t("tasks.to_county"), w.count(n["county"]), cls="bad",
                     sub=t("tasks.to_county_help", days=rules.escalate_county_after)),
    ])


def _shades(pal: Palette) -> dict[str, str]:
    """Overdue is red; the deeper the escalation, the fuller the red."""
    return {"overdue": f"{pal.bad}73", "town": f"{pal.bad}b3", "county": pal.bad}


def _by_child(scope: Scope, region, alerts, pal: Palette, per_page: int = BAR_ROWS) -> str:
    by = wall_stats.overdue_by_child(alerts, region.level)
    names = {k.id: place_short(k.name) for k in data.children(scope, region.id)} or {region.id: place_short(region.name)}
    shade = _shades(pal)
    top = float(by["total"].max()) if not by.empty else 1.0
    rows = w.bar_rows([(names.get(int(r.child_id), str(r.child_id)),
                        [(r.overdue, shade["overdue"]), (r.town, shade["town"]), (r.county, shade["county"])],
                        w.count(r.total)) for r in by.itertuples()], top)
    key = w.legend([(t("wall.tasks.seg_overdue"), shade["overdue"]), (t("tasks.to_town"), shade["town"]),
                    (t("tasks.to_county"), shade["county"])])
    body = w.rotate([f"<div class='bars'>{p}</div>" for p in w.pages(rows, per_page)]) if rows else \
        f"<div class='empty'>{escape(t('wall.none'))}</div>"
    sub = child_level(region.level)
    title = t("wall.tasks.by_child", level=term("level", sub) if sub else term("level", region.level))
    return w.panel(title, f"<div style='height:calc(100% - 2rem)'>{body}</div>{key}", grow=3)


def _urges(alerts) -> str:
    u = wall_stats.urge_summary(alerts)
    return w.panel(t("wall.tasks.urge_title"), w.number_row([
        w.big_number(t("wall.tasks.urges"), w.count(u["urges"]), cls="acc", sub=t("wall.tasks.urges_sub")),
        w.big_number(t("wall.tasks.urged"), w.count(u["urged"]), cls="good",
                     sub=t("wall.tasks.urged_sub", n=w.count(u["tasks"]))),
        w.big_number(t("wall.tasks.never"), w.count(u["never"]), cls="warn", sub=t("wall.tasks.never_sub")),
        w.big_number(t("wall.tasks.repeated"), w.count(u["repeated"]), cls="bad", sub=t("wall.tasks.repeated_sub")),
    ]), fixed=True)


def _longest(alerts) -> str:
    head = [("", t("col.task")), ("", t("col.township")), ("", t("col.owner")), ("n", t("col.days_overdue")),
            ("n", t("col.urge_count"))]
    rows = []
    for r in alerts.sort_values(["days_overdue", "task_id"], ascending=[False, True]).head(LONGEST).itertuples():
        level = "bad" if r.level in ("town", "county") else "warn"
        rows.append([("", escape(str(r.title))), ("", escape(place_short(str(r.township or "")))),
                     ("", escape(str(r.owner or "—"))), (f"n {level}", escape(w.count(r.days_overdue))),
                     ("n", escape(w.count(r.urge_count)))])
    body = w.rotating_table(head, rows, ["50%", "17%", "12%", "11%", "10%"], LONGEST_ROWS)
    return w.panel(t("wall.tasks.longest", n=w.count(min(len(alerts), LONGEST))), body)


def by_child_panel(ctx, as_of: date, version: int, per_page: int) -> str:
    """The overdue-by-child bars as one panel (the cockpit wall fills the room under its table with it)."""
    region = ctx.region
    alerts = td.alerts(Scope(region.id, region.level), as_of, AlertFilters(levels=wall_stats.OVERDUE_LEVELS), version)
    return _by_child(ctx.scope, region, alerts, palette(True), per_page)


def render(ctx, as_of: date, version: int) -> None:
    """The tasks wall of the region in view."""
    region, pal = ctx.region, palette(True)
    view = Scope(region.id, region.level)
    counts = td.counts(view, as_of, version)
    alerts = td.alerts(view, as_of, AlertFilters(levels=wall_stats.OVERDUE_LEVELS), version)
    html = w.board("1fr 1.3fr", [_by_child(ctx.scope, region, alerts, pal) + _urges(alerts), _longest(alerts)],
                   top=_numbers(counts))
    w.show(html, "wall-tasks", pal)

