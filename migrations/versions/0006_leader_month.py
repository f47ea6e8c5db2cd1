"""leader index stored per person x month (领雁指数).

Revision ID: 0006_leader_month
Revises: 0005_appeal_cube
Create Date: 2026-11-23 18:00:00

Placeholder in the chain, filled by the change that adds these tables (no schema change until then).
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = '0006_leader_month'
down_revision: str | None = '0005_appeal_cube'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """No schema change yet."""


def downgrade() -> None:
    """No schema change yet."""
