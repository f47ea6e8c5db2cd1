"""Row models: one pydantic model per sheet, built from the sheet's columns, that reads and checks a row.

Every cell goes through its column's normaliser (core.importer.normalize) as a before-validator, so a
row's errors come back together from one `model_validate` call, each with its column and a catalog key;
rules across cells of one row (a task closed before it was dispatched, a rate without its parts) are the
model's after-validators.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache, partial
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, create_model, model_validator

from core.i18n import translate
from core.importer import normalize as n
from core.importer.schema import SHEET_BY_KEY, Column, Sheet
from core.indicators import CATALOG
from core.moral_bank import DEDUCTIONS, EVAL_SOURCE, VOLUNTEER_SOURCE

RATE_CODES = frozenset(i.code for i in CATALOG if i.is_rate)


def choice_label(column: Column, value: str, lang: str = "zh") -> str:
    """How an enumeration value is shown in the template (its label in `lang`)."""
    if column.choice_kind == "indicator_name":
        return translate(f"indicator.{value}.name", lang)
    key = f"{column.choice_kind}.{value}"
    text = translate(key, lang)
    return value if text == key else text


@cache
def choice_aliases(sheet_key: str, column_key: str) -> dict[str, str]:
    """Every way to type a value of an enumeration column (the value, its Chinese and English labels) → the value."""
    column = SHEET_BY_KEY[sheet_key].column(column_key)
    out: dict[str, str] = {}
    for value in column.choices:
        for alias in (value, choice_label(column, value, "zh"), choice_label(column, value, "en")):
            out.setdefault(n.folded(alias), value)
            out.setdefault(n.folded(alias).lower(), value)
    return out


def _shown(sheet: Sheet, column: Column) -> tuple[str, str]:
    """The allowed values as an error line lists them: (Chinese labels, English labels)."""
    if len(column.choices) > 12:
        return "…", "…"
    return ("、".join(choice_label(column, v, "zh") for v in column.choices),
            ", ".join(choice_label(column, v, "en") for v in column.choices))


def _bounded(fn: Callable[[Any], Any], column: Column) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        out = fn(value)
        if out is None:
            if column.required:
                raise n.fail("import.err.required")
            return None
        if column.ge is not None and out < column.ge:
            raise n.fail("import.err.below", lo=column.ge)
        if column.le is not None and out > column.le:
            raise n.fail("import.err.above", hi=column.le)
        return out
    return check


def reader(sheet: Sheet, column: Column) -> Callable[[Any], Any]:
    """The normaliser of one column's cells (empty → None, or the required error)."""
    kind = column.kind
    fn: Callable[[Any], Any]
    if column.choices:
        fn = partial(n.choice, aliases=choice_aliases(sheet.key, column.key), shown=_shown(sheet, column))
    elif kind in ("code", "ref"):
        fn = partial(n.code, width=column.width)
    elif kind == "int":
        fn = n.integer
    elif kind == "float":
        fn = n.number
    elif kind == "date":
        fn = n.to_date
    elif kind == "datetime":
        fn = n.to_datetime
    elif kind == "month":
        fn = n.month
    elif kind == "bool":
        fn = n.boolean
    elif column.key == "params":
        fn = n.json_text
    else:
        fn = partial(n.text, max_len=column.max_len)
    return _bounded(fn, column)


_PY_TYPE = {"int": int, "float": float, "date": date, "datetime": datetime, "bool": bool, "month": int}

#: Times of a row that must not come before another one: (later, earlier).
ORDER: dict[str, tuple[tuple[str, str], ...]] = {
    "tasks": (("signed_at", "dispatched_at"), ("started_at", "dispatched_at"), ("done_at", "dispatched_at"),
              ("scored_at", "done_at")),
    "appeals": (("due_at", "reported_at"), ("first_response_at", "reported_at"), ("closed_at", "reported_at")),
    "decisions": (("closed_on", "opened_on"),),
    "dataset": (("as_of", "start"),),
    "party_members": (("left_on", "joined_on"),),
    "key_persons": (("released_on", "registered_on"),),
    "bid_projects": (("awarded_at", "published_at"),),
    "one_thing_cases": (("closed_at", "opened_at"),),
}
#: Counts of a row that cannot exceed another one: (part, whole).
PARTS: dict[str, tuple[tuple[str, str], ...]] = {
    "party_meetings": (("attended", "expected"),),
    "trainings": (("attended", "expected"),),
    "safety_inspections": (("premises_checked", "premises_due"), ("hazards_fixed", "hazards_found")),
    "waste_checks": (("households_passed", "households_checked"),),
}
#: A status that needs a time: (sheet, status column, statuses, time column).
STATUS_TIMES = (("tasks", "status", ("done", "scored"), "done_at"), ("appeals", "status", ("closed",), "closed_at"))


def _row_rules(sheet: Sheet) -> Callable[[BaseModel], BaseModel]:
    order, parts, key = ORDER.get(sheet.key, ()), PARTS.get(sheet.key, ()), sheet.key

    def rules(row: BaseModel) -> BaseModel:
        for part, whole in parts:
            a, b = getattr(row, part), getattr(row, whole)
            if a is not None and b is not None and a > b:
                label = sheet.column(whole).label
                raise n.fail("import.err.more_than", column=part, whole=label.zh, whole_en=label.en)
        for later, earlier in order:
            a, b = getattr(row, later), getattr(row, earlier)
            if a is not None and b is not None and a < b:
                label = sheet.column(earlier).label
                raise n.fail("import.err.order", column=later, earlier=label.zh, earlier_en=label.en)
        for sk, status_col, statuses, time_col in STATUS_TIMES:
            if sk == key and getattr(row, status_col) in statuses and getattr(row, time_col) is None:
                status, label = getattr(row, status_col), sheet.column(time_col).label
                raise n.fail("import.err.status_time", column=time_col, time=label.zh, time_en=label.en,
                             status=choice_label(sheet.column(status_col), status, "zh"),
                             status_en=choice_label(sheet.column(status_col), status, "en"))
        if key == "moral_entries":
            _moral_rules(sheet, row)
        if key == "reports" and row.indicator_code in RATE_CODES and (  # type: ignore[attr-defined]
                row.numerator is None or row.denominator is None):  # type: ignore[attr-defined]
            raise n.fail("import.err.rate_parts", column="numerator" if row.numerator is None else "denominator")  # type: ignore[attr-defined]
        return row

    return rules


def _moral_rules(sheet: Sheet, row: BaseModel) -> None:
    """A ledger line: a deduction names its source and takes points off; an evaluation names its level, volunteering
    its hours, and both add points (a blank source is the level's evaluation or the volunteer register)."""
    kind, points = row.kind, row.points  # type: ignore[attr-defined]
    kinds = sheet.column("kind")
    names = {"kind": choice_label(kinds, kind, "zh"), "kind_en": choice_label(kinds, kind, "en")}
    if kind in DEDUCTIONS:
        if row.source is None:  # type: ignore[attr-defined]
            raise n.fail("import.err.moral_source", column="source")
        if points is not None and points >= 0:
            raise n.fail("import.err.moral_minus", column="points", **names)
        return
    if points is not None and points < 0:
        raise n.fail("import.err.moral_plus", column="points", **names)
    if kind == "evaluation" and row.level is None:  # type: ignore[attr-defined]
        raise n.fail("import.err.moral_level", column="level")
    if kind == "volunteer" and row.hours is None:  # type: ignore[attr-defined]
        raise n.fail("import.err.moral_hours", column="hours")
    if row.source is None:  # type: ignore[attr-defined]
        row.source = EVAL_SOURCE[row.level] if kind == "evaluation" else VOLUNTEER_SOURCE  # type: ignore[attr-defined]


@cache
def row_model(sheet_key: str) -> type[BaseModel]:
    """The pydantic model of one sheet's rows (fields = column keys, all read by their column's normaliser)."""
    sheet = SHEET_BY_KEY[sheet_key]
    fields: dict[str, Any] = {}
    for column in sheet.columns:
        base = str if column.choices or column.kind in ("text", "code", "ref", "json") else _PY_TYPE[column.kind]
        fields[column.key] = (Annotated[base | None, BeforeValidator(reader(sheet, column))], None)
    validators = {"row_rules": model_validator(mode="after")(_row_rules(sheet))}
    return create_model(f"{sheet_key.title().replace('_', '')}Row", __config__=ConfigDict(extra="ignore", validate_default=True),
                        __validators__=validators, **fields)  # type: ignore


def validate_row(sheet_key: str, cells: dict[str, Any]) -> tuple[dict[str, Any] | None, list[tuple[str, str, dict]]]:
    """(the row's values, []) or (None, [(column key, catalog key, params), …]) — every error of the row."""
    try:
        return row_model(sheet_key).model_validate(cells).model_dump(), []
    except ValidationError as exc:
        out = []
        for err in exc.errors(include_url=False, include_input=False):
            ctx = dict(err.get("ctx") or {})
            column = str(err["loc"][0]) if err["loc"] else str(ctx.pop("column", ""))
            kind = err["type"] if str(err["type"]).startswith("import.") else "import.err.number"
            out.append((column, kind, ctx))
        return None, out
