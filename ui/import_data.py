"""The import page's calls into core.importer: the template, the county's export, a dry run and the load.

Uploaded files are written to a private temporary folder (the importer reads paths: it streams large
workbooks), run through `core.importer.load.load_files` as the signed-in administrator, and removed.
A dry run and the real load are the same call; only the load commits, and only when there is no error.
"""

from __future__ import annotations

import csv
import hashlib
import io
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlmodel import Session

from core.actors import Actor
from core.db import session_scope
from core.errors import DomainError
from core.importer.errors import shown
from core.importer.export import export_county
from core.importer.load import Outcome, load_files
from core.importer.read import UnusableFile
from core.importer.schema import SHEET_BY_KEY
from core.importer.template import write_template
from ui.data import bump_data_version, engine
from ui.i18n import error_text, lang, t

Progress = Callable[[str, int, int], None]
#: What the uploader takes: the template's workbook or CSV sheets, and boundary files (GeoJSON, zipped Shapefile).
UPLOAD_TYPES = ["xlsx", "csv", "geojson", "json", "zip"]


@dataclass
class Report:
    """What the page shows for one run: one message for an unusable file, or the row errors and the counts."""

    unusable: str = ""
    errors: pd.DataFrame = field(default_factory=pd.DataFrame)
    counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    notices: list[str] = field(default_factory=list)
    seconds: float = 0.0
    new: int = 0
    updated: int = 0
    passwords: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unusable and self.errors.empty


def files_key(files: Sequence[tuple[str, bytes]]) -> str:
    """One key for a set of uploaded files (names and contents): a dry run belongs to exactly these files."""
    h = hashlib.sha256()
    for name, body in files:
        h.update(name.encode())
        h.update(hashlib.sha256(body).digest())
    return h.hexdigest()


@st.cache_data(show_spinner=False, max_entries=4)
def template_bytes(language: str) -> bytes:
    """The empty import template in `language`."""
    out = io.BytesIO()
    write_template(out, lang=language)
    return out.getvalue()


def county_export(actor: Actor) -> tuple[str, bytes]:
    """(file name, workbook) of the administrator's county in the template."""
    out = io.BytesIO()
    with Session(engine()) as s:
        export_county(s, actor.scope, out, lang=lang())
    return f"{str(actor.region_id)[:6]}-{datetime.now():%Y%m%d}.xlsx", out.getvalue()


def _report(out: Outcome) -> Report:
    language = lang()
    errors = pd.DataFrame(
        [{t("importer.col.sheet"): e.sheet, t("importer.col.row"): e.row, t("importer.col.column"): e.column or "—",
          t("importer.col.header"): (e.header_en or e.header) if language == "en" else e.header,
          t("importer.col.value"): shown(e.value), t("importer.col.reason"): e.reason(language)}
         for e in out.errors])
    counts = pd.DataFrame(
        [{t("importer.col.kind"): SHEET_BY_KEY[k].zh if language == "zh" else SHEET_BY_KEY[k].en,
          t("importer.col.new"): c.new, t("importer.col.updated"): c.updated, t("importer.col.unchanged"): c.unchanged}
         for k, c in out.counts.items()])
    return Report(errors=errors, counts=counts, notices=[t(k, **p) for k, p in out.notices], seconds=out.seconds,
                  new=sum(c.new for c in out.counts.values()), updated=sum(c.updated for c in out.counts.values()),
                  passwords=out.passwords)


def run_import(actor: Actor, files: Sequence[tuple[str, bytes]], *, dry_run: bool, progress: Progress) -> Report:
    """Check (dry run) or load the uploaded files as `actor`; all or nothing, one message for an unusable file."""
    with tempfile.TemporaryDirectory(prefix="xc-import-") as tmp:
        paths = []
        for name, body in files:
            path = Path(tmp) / Path(name).name
            path.write_bytes(body)
            paths.append(path)
        try:
            with session_scope(engine(), write=not dry_run) as s:
                out = load_files(s, paths, now=datetime.now().replace(microsecond=0), actor=actor, dry_run=dry_run,
                                 progress=progress)
                if not out.ok or dry_run:
                    s.rollback()
        except UnusableFile as err:
            return Report(unusable=t(err.key, **err.params))
        except DomainError as err:
            return Report(unusable=error_text(err))
    if not dry_run and out.ok:
        st.cache_data.clear()  # every cached read (regions, scores, the demo flag) is from before the import
        bump_data_version()
    return _report(out)


def passwords_csv(rows: list[tuple[str, str, str]]) -> bytes:
    """The one-time passwords as a CSV (UTF-8 with BOM, so Excel opens it in Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([t("auth.username"), t("importer.col.kind"), t("auth.password")])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")
