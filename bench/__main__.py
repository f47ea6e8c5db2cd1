"""Run every bench/*.py module that has a run() and print its table: python -m bench [name …]."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import traceback
from pathlib import Path


def main(argv: list[str]) -> int:
    """Run the named bench modules (all when none are named); 1 when any of them raised."""
    names = argv or sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])
                           if not m.name.startswith("_"))
    failed = 0
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        if not callable(getattr(module, "run", None)):
            continue
        print(f"\n== bench.{name} ==")
        try:
            module.run()
        except Exception:  # noqa: BLE001 — one broken bench must not hide the others' tables
            traceback.print_exc()
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
