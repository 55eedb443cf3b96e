"""score buckets: players per points value on each ranked board

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 18:00:00.000000

A rank is 1 + the players with more points, and a board's size the players on it: both become
sums over a board's buckets (one per distinct points value) instead of counts over its rows.
The buckets are filled here from the scores already stored; from then on bot/db/scores.py keeps
them exact in the same statement batch as every score change.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        'score_buckets',
        sa.Column('scope', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('points', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('players', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            'scope',
            'period',
            'period_start',
            'points',
            name=op.f('pk_score_buckets'),
            postgresql_include=['players'],
        ),
        sqlite_with_rowid=False,
    )
    # Only players with points are on a board, and the day rows back the daily cap, unranked.
    op.execute(
        "INSERT INTO score_buckets (scope, period, period_start, points, players) "
        "SELECT scope, period, period_start, points, count(*) FROM scores "
        "WHERE points > 0 AND period <> 'day' "
        "GROUP BY scope, period, period_start, points"
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table('score_buckets')
