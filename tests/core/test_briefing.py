"""简报 (core.briefing) on the 绍兴 city_lite database for the seeded month: the city and a county report as
PDF (text read back with pdftotext) and Word (python-docx) carry the cockpit's numbers; every narrative
number is in a table; the English report has no untranslated label; fonts are embedded; the county PDF's
pages are rendered to PNG under tests/artifacts/briefing/ (for a person to look at)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document
from sqlmodel import Session

from core import briefing, kpis, scoring, task_alerts
from core.briefing import blocks, colours
from core.briefing import fonts as fonts_mod
from core.briefing.periods import parse_period
from core.config import REPO_ROOT, get_settings
from core.db import make_engine
from core.regions import children, dataset_root
from core.scope import Scope

MONTH = 202610
NOW = datetime(2026, 11, 1, 9, 30)
ARTIFACTS = REPO_ROOT / "tests" / "artifacts" / "briefing"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
# Without Debian's pango WeasyPrint cannot load: skip with the reason, except under CI (.ci/run installs it).
needs_pdf = pytest.mark.skipif(bool(briefing.pdf_engine_missing()) and not os.environ.get("CI"),
                               reason=str(briefing.pdf_engine_missing()))


@pytest.fixture(scope="module")
def city(city_lite_url):
    """(engine, session, scope, city RegionRef, first county RegionRef) on the city_lite database."""
    eng = make_engine(city_lite_url)
    with Session(eng) as s:
        root = dataset_root(s)
        scope = Scope(root.id, root.level)
        county = children(s, scope, root.id)[0]
        yield s, scope, root, county
    eng.dispose()


@pytest.fixture(scope="module")
def reports(city) -> dict:
    """(region key, lang) → Report, for the city and the county in Chinese and the county in English."""
    s, scope, root, county = city
    return {(key, lang): briefing.make_report(s, scope, rid, MONTH, now=NOW, lang=lang)
            for key, rid, lang in (("city", root.id, "zh"), ("county", county.id, "zh"), ("county", county.id, "en"))}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pdf_text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def _docx_text(data: bytes) -> tuple[str, list[list[list[str]]]]:
    doc = Document(io.BytesIO(data))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return "\n".join(p.text for p in doc.paragraphs), tables


def _expected(session, scope, region_id: int) -> dict:
    """What the cockpit's core functions say for the region and month, formatted as the report formats it."""
    as_of = get_settings().as_of
    k = kpis.period_kpis(session, scope, region_id, MONTH, scoring.previous_period(MONTH), as_of)
    rank = scoring.region_rank(session, scope, region_id, MONTH)
    kids = scoring.region_scores(session, scope, region_id, MONTH)
    here = scope.narrow(region_id, "city" if region_id == scope.region_id else "county")
    alerts = task_alerts.alert_counts(session, here, as_of)
    modules = {}
    for m in scoring.MODULES:
        ranked = kids.dropna(subset=[m]).sort_values([f"{m}_rank_in_parent", "code"])
        modules[m] = (ranked.iloc[0]["name"], f"{ranked.iloc[0][m]:.1f}", ranked.iloc[-1]["name"], f"{ranked.iloc[-1][m]:.1f}")
    return {"completion": f"{k['completion'][0]:.1f}%", "on_time": f"{k['on_time_rate'][0]:.1f}%",
            "satisfaction": f"{k['satisfaction'][0]:.1f}%", "overdue": f"{k['overdue'][0]:,}", "overdue_n": k["overdue"][0],
            "composite": f"{rank['composite']:.1f}", "modules": modules, "alerts": alerts,
            "first": kids.iloc[0]["name"], "last": kids.dropna(subset=["composite"]).iloc[-1]["name"]}


@needs_poppler
@needs_pdf
@pytest.mark.parametrize("key", ["city", "county"])
def test_pdf_and_docx_carry_the_cockpits_numbers(city, reports, key, tmp_path):
    s, scope, root, county = city
    region = root if key == "city" else county
    want = _expected(s, scope, region.id)
    rep = reports[(key, "zh")]
    pdf_text = _squash(_pdf_text(briefing.render(rep, "pdf"), tmp_path, key))
    doc_text, doc_tables = _docx_text(briefing.render(rep, "docx"))
    doc_all = _squash(doc_text + "".join(c for t in doc_tables for r in t for c in r))
    headline = [want[k] for k in ("composite", "completion", "on_time", "satisfaction", "overdue")]
    for text in (pdf_text, doc_all):
        assert _squash(rep.title) in text
        assert all(v in text for v in headline), [v for v in headline if v not in text]
        for best, best_score, worst, worst_score in want["modules"].values():
            assert best in text and worst in text and best_score in text and worst_score in text
        assert want["first"] in text and want["last"] in text
    # Word keeps the table structure: the headline rows and each module's best/last row, cell by cell.
    rows = [r for t in doc_tables for r in t]
    assert ["任务完成率", want["completion"]] == rows[[r[0] for r in rows].index("任务完成率")][:2]
    assert ["逾期任务", want["overdue"]] == rows[[r[0] for r in rows].index("逾期任务")][:2]
    from core.i18n import term

    for m, row in want["modules"].items():
        assert [term("module", m), *row] in rows, (m, row)
    # overdue tasks: the tile's count is the alert levels' sum, and the report's total row says it
    a = want["alerts"]
    assert a["overdue"] + a["town"] + a["county"] == want["overdue_n"]
    total = next(r for r in rows if r[0].startswith("逾期合计"))
    assert total[1] == want["overdue"]


def test_every_narrative_number_is_in_a_table(reports):
    for (key, lang), rep in reports.items():
        table_numbers = {n.replace(",", "") for t in rep.tables() for row in (t.columns, *t.rows) for cell in row
                         for n in NUMBER.findall(str(cell))}
        sentences = rep.sentences()
        assert len(sentences) >= 10, (key, lang)
        for s in sentences:
            missing = [n for n in NUMBER.findall(s.text) if n.replace(",", "") not in table_numbers]
            assert not missing, f"{key}/{lang} {s.key}: {missing} of {s.text!r} in no table"


def test_narrative_conditions_follow_the_numbers(city, reports):
    s, scope, root, county = city
    rank = scoring.region_rank(s, scope, county.id, MONTH)
    move = int(rank["rank_prev"]) - int(rank["rank_in_parent"])
    keys = [x.key for x in reports[("county", "zh")].sentences()]
    assert keys[0] == f"briefing.n.headline.{'stable' if move == 0 else ('rise' if move > 0 else 'fall')}"
    k = kpis.period_kpis(s, scope, county.id, MONTH, scoring.previous_period(MONTH), get_settings().as_of)
    cfg = get_settings().briefing
    completion = next(x for x in reports[("county", "zh")].sentences() if x.text.startswith("任务完成率"))
    if k["completion"][0] < cfg.completion_floor:
        assert completion.key == "briefing.n.rate.below"
    else:
        assert completion.key.split(".")[-1] in ("rise", "fall", "stable")
    assert keys[1:].count("briefing.n.module") + keys.count("briefing.n.module.weak") == 4
    assert reports[("city", "zh")].sentences()[0].key == "briefing.n.headline.alone"  # the dataset's root has no peers


def _data_words(url: str) -> tuple[str, ...]:
    eng = make_engine(url)
    with eng.connect() as con:
        words = {r[0] for q in ("SELECT name FROM region", "SELECT name FROM person", "SELECT name FROM matter_type",
                                "SELECT title FROM task", "SELECT title FROM decision") for r in con.execute(sa.text(q)) if r[0]}
    eng.dispose()
    return tuple(words)


@needs_poppler
@needs_pdf
def test_english_report_has_no_untranslated_label(city_lite_url, reports, tmp_path):
    rep = reports[("county", "en")]
    words = _data_words(city_lite_url)
    texts = [rep.title, rep.subtitle, *(c for t in rep.tables() for row in (t.columns, *t.rows) for c in row),
             *(t.title for t in rep.tables()), *(getattr(b, "text", "") for b in rep.blocks),
             *(getattr(b, "caption", "") for b in rep.blocks)]
    texts += _pdf_text(briefing.render(rep, "pdf"), tmp_path, "county-en").splitlines()
    bad = sorted({run for text in texts for run in CJK.findall(str(text)) if not any(run in w for w in words)})
    assert bad == [], bad[:20]


@needs_poppler
@needs_pdf
def test_pdf_embeds_its_fonts_and_county_pages_render(reports, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for lang in ("zh", "en"):
        pdf = ARTIFACTS / f"county-{MONTH}-{lang}.pdf"
        pdf.write_bytes(briefing.render(reports[("county", lang)], "pdf"))
        fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
        assert any(fonts_mod.FAMILY.replace(" ", "-") in line for line in fonts), fonts  # the app's own font
        for old in ARTIFACTS.glob(f"county-{MONTH}-{lang}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(ARTIFACTS / f"county-{MONTH}-{lang}")], check=True)
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout)[1])
        assert len(list(ARTIFACTS.glob(f"county-{MONTH}-{lang}-*.png"))) == pages >= 5


@needs_poppler
@needs_pdf
def test_a_period_without_data_gives_a_report_saying_so(city, tmp_path):
    s, scope, root, _ = city
    rep = briefing.make_report(s, scope, root.id, "2019Q2", now=NOW)
    assert [x.key for x in rep.sentences()] == ["briefing.n.no_data"]
    text = _squash(_pdf_text(briefing.render(rep, "pdf"), tmp_path, "empty"))
    assert "暂无" in text and "附录" in text
    assert Document(io.BytesIO(briefing.render(rep, "docx"))).paragraphs


def test_quarter_and_year_sum_the_months(city):
    s, scope, _, county = city
    rep = briefing.make_report(s, scope, county.id, "2026Q3", now=NOW, lang="en")
    months = kpis.monthly_kpis(s, scope, county.id, [202607, 202608, 202609], get_settings().as_of)
    want = blocks.pct(round(months["finished"].sum() / months["due"].sum() * 100, 1))
    headline = next(t for t in rep.tables() if t.columns[0] == "Figure")
    assert next(r for r in headline.rows if r[0] == "Task completion")[1] == want
    year = briefing.make_report(s, scope, county.id, "2026", now=NOW)
    assert year.sentences() and year.title.startswith(county.name)


def test_periods_parse_and_step_back():
    assert parse_period("202601").previous().code == "202512"
    assert parse_period("2026Q1").previous().code == "2025Q4"
    assert parse_period("2026q3").months == (202607, 202608, 202609)
    assert parse_period("2026").previous().months[-1] == 202512
    for bad in ("202613", "2026Q5", "26", "2026-10", ""):
        with pytest.raises(briefing.periods.BadPeriod):
            parse_period(bad)


def test_chart_colours_are_the_apps():
    from ui.svg import TREND_SERIES
    from ui.theme import LIGHT, score_color_hex

    assert LIGHT.score_scale == colours.SCORE_SCALE and dict(LIGHT.modules) == colours.MODULES
    assert (LIGHT.accent, LIGHT.good, LIGHT.warn, LIGHT.bad) == (colours.ACCENT, colours.GOOD, colours.WARN, colours.BAD)
    assert {col: getattr(LIGHT, attr) for col, _, attr in TREND_SERIES} == colours.TREND
    assert all(colours.score_color(v) == score_color_hex(v, LIGHT) for v in (None, 0, 12.5, 50, 77.7, 100, 130))


def test_the_pdf_loads_the_apps_font_slices_it_needs():
    slices = fonts_mod.slices()
    assert {s.weight for s in slices if s.ui} == {400, 700}, "the ui slice of each weight"
    rules, stack = fonts_mod.pdf_fonts("绍兴市运行简报 87.5%")
    assert rules.count("@font-face") == 2 and stack.startswith(f'"{fonts_mod.FAMILY} ui"')  # the ui slices hold it
    rare = next(chr(c) for c in range(0x4E00, 0x9FFF) if not any(s.holds(c) for s in slices if s.ui)
                and any(s.holds(c) for s in slices if not s.ui))
    rules, stack = fonts_mod.pdf_fonts(f"绍兴{rare}")
    assert rules.count("@font-face") == 4  # + that character's slice per weight
    # each slice is a family of its own: under one family WeasyPrint merged the slices' glyph tables (wrong glyphs)
    families = re.findall(r"font-family: '([^']+)'; font-weight: 400", rules)
    assert len(families) == len(set(families)) == 2 and all(f'"{f}"' in stack for f in families)
    assert fonts_mod.FAMILY in fonts_mod.chart_families()[0]
