"""appeal cube rollup (民情 page) and decision warnings inputs.

Revision ID: 0005_appeal_cube
Revises: 0004_rollup_scores
Create Date: 2026-11-23 18:00:00

Placeholder in the chain, filled by the change that adds these tables (no schema change until then).
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = '0005_appeal_cube'
down_revision: str | None = '0004_rollup_scores'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """No schema change yet."""


def downgrade() -> None:
    """No schema change yet."""
