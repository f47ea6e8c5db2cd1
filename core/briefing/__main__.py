"""`python -m core.briefing …` (see core.briefing.cli)."""

from core.briefing.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
