"""`python -m core.briefing --region CODE --period YYYYMM|YYYYQn|YYYY --format pdf|docx --out FILE [--children]`.

Bad arguments (an unknown region, one outside the account's scope, a malformed period or format) print one
line and exit 2. Without `--user` the report is made with the dataset's whole scope (the operator runs it
on the server); with `--user NAME` with that account's scope. `--children` writes one report per child
region into the directory `--out`. The database is DATABASE_URL (or `--database URL`).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from core import briefing
from core.auth import actor_for_username
from core.briefing.periods import BadPeriod, parse_period
from core.config import get_settings
from core.db import make_engine
from core.errors import DomainError
from core.i18n import normalize_lang, translate
from core.regions import RegionRef, children, dataset_root, get_region
from core.scope import Scope

CODE_LENGTHS = (2, 4, 6, 9, 12)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (argparse would print the whole usage)
        print(f"{self.prog}: {message}", file=sys.stderr)
        raise SystemExit(2)


class _BadArgs(Exception):
    """A bad argument: its one-line message, exit 2."""


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m core.briefing", description="简报 / briefing report as PDF or Word")
    p.add_argument("--region", required=True, help="region code (6 or 12 digits)")
    p.add_argument("--period", required=True, help="YYYYMM, YYYYQn or YYYY")
    p.add_argument("--format", required=True, choices=briefing.FORMATS)
    p.add_argument("--out", required=True, help="output file (with --children: a directory)")
    p.add_argument("--children", action="store_true", help="one report per child region, into the --out directory")
    p.add_argument("--lang", default="zh", choices=("zh", "en"))
    p.add_argument("--user", help="make the report with this account's data scope")
    p.add_argument("--database", help="SQLAlchemy URL (default: DATABASE_URL)")
    return p


def region_id_of(code: str, lang: str) -> int:
    """The 12-digit region id of a 6- or 12-digit code (shorter codes padded with zeros)."""
    code = code.strip()
    if not code.isdigit() or len(code) not in CODE_LENGTHS:
        raise _BadArgs(translate("briefing.cli.bad_region", lang, code=code))
    return int(code.ljust(12, "0"))


def _scope(session: Session, user: str | None, lang: str) -> tuple[Scope, str]:
    if not user:
        root = dataset_root(session)
        return Scope(root.id, root.level), root.name
    found = actor_for_username(session, user)
    if found is None:
        raise _BadArgs(translate("briefing.cli.no_user", lang, user=user))
    return found[0].scope, user


def _region(session: Session, scope: Scope, who: str, code: str, lang: str) -> RegionRef:
    rid = region_id_of(code, lang)
    root = dataset_root(session)
    if get_region(session, Scope(root.id, root.level), rid) is None:
        raise _BadArgs(translate("briefing.cli.no_region", lang, code=code))
    region = get_region(session, scope, rid)
    if region is None:
        raise _BadArgs(translate("briefing.cli.out_of_scope", lang, code=code, user=who))
    return region


def _write(session: Session, scope: Scope, region: RegionRef, args, path: Path) -> None:
    t0 = time.perf_counter()
    report = briefing.make_report(session, scope, region.id, parse_period(args.period), now=datetime.now(), lang=args.lang)
    path.write_bytes(briefing.render(report, args.format))
    print(translate("briefing.cli.wrote", args.lang, path=path, seconds=f"{time.perf_counter() - t0:.1f}"))


def main(argv: list[str] | None = None) -> int:
    """Run the command line; 0 on success, 2 on bad arguments, 1 when the report could not be made."""
    args = _parser().parse_args(argv)
    args.lang = normalize_lang(args.lang)
    engine = make_engine(args.database or get_settings().database_url)
    try:
        with Session(engine) as session:
            parse_period(args.period)
            if args.format == "pdf" and (why := briefing.pdf_engine_missing()):
                print(translate("briefing.cli.failed", args.lang, error=why), file=sys.stderr)
                return 1
            scope, who = _scope(session, args.user, args.lang)
            region = _region(session, scope, who, args.region, args.lang)
            if not args.children:
                _write(session, scope, region, args, Path(args.out))
                return 0
            kids = children(session, scope, region.id)
            if not kids:
                raise _BadArgs(translate("briefing.cli.no_children", args.lang, region=region.name))
            out = Path(args.out)
            out.mkdir(parents=True, exist_ok=True)
            for kid in kids:
                _write(session, scope, kid, args, out / briefing.file_name(kid.code, parse_period(args.period), args.format))
            return 0
    except (_BadArgs, BadPeriod) as e:
        print(f"python -m core.briefing: {e}", file=sys.stderr)
        return 2
    except (DomainError, OSError) as e:
        print(translate("briefing.cli.failed", args.lang, error=e), file=sys.stderr)
        return 1
    finally:
        engine.dispose()
