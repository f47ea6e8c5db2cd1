"""Every early warning of a scope in one list: the appeal detectors (core.appeal_warnings) and the
议事决策 checks (core.decisions), newest first, and their counts per kind for the KPI tiles."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from core.appeal_warnings import appeal_warnings, stored_warnings
from core.config import WarningConfig, get_settings
from core.decisions import decision_warnings
from core.early_warning import WARNING_KINDS, EarlyWarning
from core.scope import Scope


def all_warnings(session: Session, scope: Scope, as_of: date | None = None,
                 cfg: WarningConfig | None = None) -> list[EarlyWarning]:
    """Every warning of the scope over the twelve months to as_of (appeals and 议事决策), newest first.

    With the default thresholds at the stored as-of day the appeal warnings are read from rollup_warning.
    """
    as_of = as_of or get_settings().as_of
    stored = stored_warnings(session, scope, as_of) if cfg is None else None
    cfg = cfg or get_settings().warnings
    appeal = stored if stored is not None else appeal_warnings(session, scope, as_of, cfg)
    found = appeal + decision_warnings(session, scope, as_of, cfg)
    return sorted(found, key=lambda w: (w.window_end, w.score), reverse=True)


def warning_counts(session: Session, scope: Scope, as_of: date | None = None,
                   cfg: WarningConfig | None = None, recent_days: int | None = None) -> dict[str, int]:
    """Warnings per kind whose window ends within the last `recent_days` days (for KPI tiles), plus 'total'."""
    as_of = as_of or get_settings().as_of
    recent_days = recent_days or (cfg or get_settings().warnings).recent_days
    found = [w for w in all_warnings(session, scope, as_of, cfg) if w.window_end > as_of - timedelta(days=recent_days)]
    out = {k: 0 for k in WARNING_KINDS}
    for w in found:
        out[w.kind] += 1
    out["total"] = len(found)
    return out
