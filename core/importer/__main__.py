"""python -m core.importer template|load|export — the import template, an all-or-nothing load, a county's export.

Exit codes: 0 done, 1 rejected with row errors (every one printed, nothing written), 2 unusable file or
arguments (one line, no traceback).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from core.config import get_settings
from core.db import make_engine
from core.i18n import normalize_lang, translate
from core.importer.read import UnusableFile


def _say_progress(lang: str, quiet: bool):
    state = {"stage": "", "last": 0.0}

    def say(stage: str, done: int, total: int) -> None:
        if quiet:
            return
        label = translate(stage, lang)
        if total:
            width = 30
            filled = int(width * done / total)
            line = f"\r{label:<12} [{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{total:,}"
        else:
            line = f"\r{label:<12} {done:>9,}"
        end = "\n" if total and done >= total else ""
        if stage != state["stage"] and state["stage"]:
            sys.stderr.write("\n")
        state["stage"] = stage
        sys.stderr.write(line + end)
        sys.stderr.flush()

    return say


def _passwords_file(first: Path, now: datetime, rows: list[tuple[str, str, str]]) -> Path:
    """Write the one-time passwords once, to a new file beside the first input (owner-only, never overwritten)."""
    import csv
    import os

    path = first.with_name(f"{first.stem}.一次性密码-{now:%Y%m%d-%H%M%S}.csv")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["username", "name", "one-time password"])
        writer.writerows(rows)
    return path


def _load(args: argparse.Namespace, lang: str) -> int:
    from core.db import session_scope
    from core.importer.load import load_files
    from core.migrate import upgrade

    url = args.db or get_settings().database_url
    engine = make_engine(url)
    upgrade(url)
    now = datetime.now().replace(microsecond=0)
    say = _say_progress(lang, args.quiet)
    try:
        with session_scope(engine, write=True) as session:
            out = load_files(session, args.files, now=now, dry_run=args.dry_run, progress=say)
            if not out.ok or out.dry_run:
                session.rollback()
    finally:
        engine.dispose()
    if not args.quiet:
        sys.stderr.write("\n")
    for key, params in out.notices:
        print(translate(key, lang, **params))
    if not out.ok:
        for e in out.errors:
            print(e.text(lang))
        print(translate("import.summary.rejected", lang, n=len(out.errors)))
        return 1
    from core.importer.schema import SHEET_BY_KEY

    for key, c in out.counts.items():
        sheet = SHEET_BY_KEY[key]
        print(translate("import.summary.head", lang, kind=sheet.zh if lang == "zh" else sheet.en, new=c.new,
                        updated=c.updated, unchanged=c.unchanged))
    print(translate("import.summary.time", lang, seconds=f"{out.seconds:.1f}"))
    if out.dry_run:
        print(translate("import.summary.dry_run", lang))
        return 0
    if out.passwords:
        path = _passwords_file(Path(args.files[0]), now, out.passwords)
        print(translate("import.summary.passwords", lang, n=len(out.passwords), path=path))
    print(translate("import.summary.loaded", lang))
    return 0


def _export(args: argparse.Namespace, lang: str) -> int:
    from core.db import session_scope
    from core.importer.export import export_county
    from core.scope import Scope

    code = args.region.strip()
    code = code + "0" * (12 - len(code)) if code.isdigit() and len(code) <= 12 else code
    engine = make_engine(args.db or get_settings().database_url)
    try:
        with session_scope(engine) as session:
            from core.models import Region

            region = session.get(Region, int(code)) if code.isdigit() else None
            if region is None or region.level != "county":
                raise UnusableFile("import.bad.region", code=args.region)
            counts = export_county(session, Scope(region.id, region.level), args.out, lang=lang)
    finally:
        engine.dispose()
    print(", ".join(f"{k} {n:,}" for k, n in counts.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m core.importer", description=__doc__)
    parser.add_argument("--lang", default="zh", help="zh | en (messages and the template's headers)")
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("template", help="write the empty import template")
    t.add_argument("--out", required=True)
    ld = sub.add_parser("load", help="load .xlsx / .csv files (all or nothing)")
    ld.add_argument("files", nargs="+")
    ld.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    ld.add_argument("--db", help="database URL (default: DATABASE_URL)")
    ld.add_argument("--quiet", action="store_true")
    ex = sub.add_parser("export", help="write a county's data in the template")
    ex.add_argument("--region", required=True, help="the county's code (6 or 12 digits)")
    ex.add_argument("--out", required=True)
    ex.add_argument("--db", help="database URL (default: DATABASE_URL)")
    args = parser.parse_args(argv)
    lang = normalize_lang(args.lang)
    try:
        if args.command == "template":
            from core.importer.template import write_template

            write_template(args.out, lang=lang)
            print(args.out)
            return 0
        if args.command == "export":
            return _export(args, lang)
        return _load(args, lang)
    except UnusableFile as exc:
        print(translate(exc.key, lang, **exc.params), file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
