"""简报: a generated report for a region and period (month YYYYMM, quarter YYYYQn, year YYYY) as PDF or Word.

    report = make_report(session, scope, region_id, "202610", now=now, lang="zh")
    pdf = render(report, "pdf")            # or "docx"

Numbers come from the cockpit's own core functions (`core.briefing.data`), the text from catalog templates
chosen by condition (`core.briefing.narrative`), charts from matplotlib in the app's colours
(`core.briefing.charts`); `render_pdf` lays the blocks out with WeasyPrint, `render_docx` with python-docx.
Command line: `python -m core.briefing --region CODE --period P --format pdf|docx --out FILE [--children]`.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from sqlmodel import Session

from core.briefing import compose
from core.briefing.blocks import Report
from core.briefing.data import assemble
from core.briefing.names import localized, place
from core.briefing.periods import Period, as_period
from core.config import get_settings
from core.i18n import normalize_lang, term
from core.regions import get_region
from core.scope import Scope

FORMATS = ("pdf", "docx")
MEDIA_TYPES = {"pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def make_report(session: Session, scope: Scope, region_id: int, period: Period | int | str, *, now: datetime,
                lang: str = "zh", as_of: date | None = None) -> Report:
    """The report of `region_id` (in `scope`) for `period` in `lang` (blocks, narrative and charts), made at `now`."""
    lang = normalize_lang(lang)
    settings = get_settings()
    data = assemble(session, scope, int(region_id), as_period(period), now=now, as_of=as_of,
                    task_rows=settings.briefing.task_rows)
    root = get_region(session, scope, scope.region_id)
    viewer = f"{root.name}（{term('level', root.level, lang)}）" if root and lang != "en" else (
        f"{place(root.name, lang)} ({term('level', root.level, lang)})" if root else "—")
    return compose.build(localized(data, lang), lang, settings.briefing, viewer)


@cache
def pdf_engine_missing() -> str | None:
    """None when the PDF engine loads; else, in one line, why not (WeasyPrint needs Debian's pango:
    libpango-1.0-0 and libpangoft2-1.0-0, which `.ci/run` installs). Word needs no system library."""
    try:
        import weasyprint  # noqa: F401 — loading it is the check (it opens pango through cffi)
    except OSError as err:
        return f"WeasyPrint cannot load pango: {' '.join(str(err).split())[:160]} (apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
    return None


def render(report: Report, fmt: str) -> bytes:
    """The report as PDF or .docx bytes."""
    if fmt == "pdf":
        from core.briefing.render_pdf import pdf_bytes

        return pdf_bytes(report)
    if fmt == "docx":
        from core.briefing.render_docx import docx_bytes

        return docx_bytes(report)
    raise ValueError(f"unknown briefing format {fmt!r} (pdf or docx)")


def file_name(region_code: str, period: Period, fmt: str) -> str:
    """briefing-<region code>-<period>.<pdf|docx>."""
    return f"briefing-{region_code}-{period.code}.{fmt}"


__all__ = ["FORMATS", "MEDIA_TYPES", "Period", "Report", "as_period", "file_name", "make_report", "pdf_engine_missing",
           "render"]
