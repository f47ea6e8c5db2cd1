"""`python -m seed`: generate a demo database (see seed.cli)."""

from seed.cli import main

raise SystemExit(main())
