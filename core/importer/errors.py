"""A row error (sheet, row, column, value, reason) and its one line in either language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core.i18n import normalize_lang, translate


@dataclass(frozen=True)
class RowError:
    """One problem of one cell (or of a row, then `column` names the cell it shows in)."""

    sheet: str  # the tab or file name as in the file
    row: int  # 1-based row number in the file
    column: str  # column letter ('' when the column is missing altogether)
    header: str  # the column's header
    value: Any
    key: str  # catalog key of the reason (import.err.*)
    params: dict[str, Any] = field(default_factory=dict)
    header_en: str = ""

    def reason(self, lang: str = "zh") -> str:
        """The reason alone, in `lang` (parameters named *_en replace their Chinese twin in English)."""
        en = normalize_lang(lang) == "en"
        params = {k: v for k, v in self.params.items() if not k.endswith("_en")}
        if en:
            params.update({k.removesuffix("_en"): v for k, v in self.params.items() if k.endswith("_en")})
        if "target" in params:
            params["target"] = translate(f"import.err.ref.{params['target']}", lang)
        return translate(self.key, lang, **params)

    def text(self, lang: str = "zh") -> str:
        """'任务 第 12 行 F 列〔办结时间〕「2026-13-01」：无法识别的时间' (or the English line)."""
        en = normalize_lang(lang) == "en"
        return translate("import.err.line", lang, sheet=self.sheet, row=self.row, column=self.column or "—",
                         header=(self.header_en or self.header) if en else self.header,
                         value=shown(self.value), reason=self.reason(lang))


def shown(value: Any) -> str:
    """A cell's value as it is quoted in an error line."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes") if value.second == 0 else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
