"""Names as the report's reader reads them: Chinese as stored; in English the way the English UI shows them —
places and people in pinyin with the Chinese beside them ("Keqiao District (柯桥区)", "Li Nan (李楠)",
core.romanize.bilingual) and matter types by their English name (core.i18n.matters, the stored name in
parentheses when the catalog has none)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from core import romanize
from core.briefing.data import BriefingData
from core.i18n.matters import MATTER_EN
from core.regions import RegionRef


def place(name: str | None, lang: str) -> str:
    """A place name in `lang`."""
    return romanize.bilingual(name or "") if lang == "en" else (name or "")


def person(name: str | None, lang: str) -> str:
    """A person's name in `lang`."""
    return romanize.bilingual(name or "", "person") if lang == "en" else (name or "")


def _region(r: RegionRef) -> RegionRef:
    return replace(r, name=place(r.name, "en"))


def _columns(df: pd.DataFrame, places: tuple[str, ...] = (), people: tuple[str, ...] = ()) -> pd.DataFrame:
    if df.empty:
        return df
    df = df.copy()
    for col in (c for c in places if c in df):
        df[col] = [place(v, "en") if isinstance(v, str) else v for v in df[col]]
    for col in (c for c in people if c in df):
        df[col] = [person(v, "en") if isinstance(v, str) else v for v in df[col]]
    return df


def localized(d: BriefingData, lang: str) -> BriefingData:
    """BriefingData with every place, person and matter name in `lang` (unchanged for Chinese)."""
    if lang != "en":
        return d
    rep = d.screening
    if rep is not None:
        matters = rep.by_matter.copy()
        if not matters.empty:
            matters["matter"] = [MATTER_EN.get(str(c), f"({m})") for c, m in zip(matters["matter_code"], matters["matter"], strict=True)]
        rep = replace(rep, by_dispatcher=_columns(rep.by_dispatcher, ("region",), ("dispatcher",)), by_matter=matters)
    return replace(
        d, region=_region(d.region), parent=_region(d.parent) if d.parent else None,
        children=_columns(d.children, ("name",)),
        overdue_tasks=_columns(d.overdue_tasks, ("village", "township"), ("owner", "leader")),
        names={k: place(v, "en") for k, v in d.names.items()},
        leaders=_columns(d.leaders, ("village_name",), ("name",)),
        screening=rep,
    )
