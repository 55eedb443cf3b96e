"""/leaderboard ranks: equal points share a rank, and every way of losing scores updates it."""

from __future__ import annotations

from datetime import date

import pytest

from bot.db.scores import Tally, add_tallies
from bot.db.users import ensure_user
from bot.domain.periods import Period
from bot.services.account import forget_user
from bot.services.leaderboard import competition_ranks
from tests.db.test_score_buckets import check_every_board
from tests.services.conftest import GUILD, Services

WEEK = (GUILD, "week", date(2026, 3, 9))  # the test clock's week


def test_competition_ranks_share_a_rank_within_a_tie() -> None:
    assert competition_ranks(1, 0, [50, 40, 40, 30]) == [1, 2, 2, 4]
    # A page that opens inside a tie begun on the page before.
    assert competition_ranks(4, 10, [90, 90, 80, 80, 70]) == [4, 4, 13, 13, 15]
    assert competition_ranks(1, 0, []) == []


async def test_pages_rank_ties_together_across_page_breaks(services: Services) -> None:
    s = services
    # Three players on 100, ten on 90, twelve on 80: the 90s run from rank 4 onto page 2.
    points = {uid: 100 if uid < 13 else 90 if uid < 23 else 80 for uid in range(10, 35)}
    async with s.database.unit_of_work() as session:
        for uid in points:
            await ensure_user(session, user_id=uid, name=f"p{uid}", now=s.clock())
        await add_tallies(
            session, tallies={(WEEK, uid): Tally(p, 3, uid % 3) for uid, p in points.items()}
        )
    async with s.database.unit_of_work() as session:
        pages = [
            await s.leaderboards.leaderboard(
                session, guild_id=GUILD, period=Period.WEEK, page=n, caller_id=20
            )
            for n in (0, 1, 2, 7)
        ]
    first, second, third, past_the_end = pages
    assert [e.rank for e in first.entries] == [1, 1, 1] + [4] * 7
    assert [e.rank for e in second.entries] == [4, 4, 4] + [14] * 7
    assert [e.rank for e in third.entries] == [14] * 5
    assert past_the_end.page == 2 and past_the_end.entries == third.entries
    assert first.pages == 3
    assert first.me is not None and (first.me.rank, first.me.points) == (4, 90)
    # Inside a tie the page lists more correct answers first, then lower ids.
    tied = [e for e in first.entries + second.entries if e.points == 90]
    assert [e.user_id for e in tied] == sorted(range(13, 23), key=lambda u: (-(u % 3), u))


async def test_forget_me_and_resets_take_players_off_the_boards(services: Services) -> None:
    s = services
    async with s.database.unit_of_work() as session:
        for user in (1, 2, 3):
            await s.learning.submit_answer(session, user, "tt-001", "A", guild_id=GUILD)
    async with s.database.unit_of_work() as session:
        before = await s.leaderboards.leaderboard(
            session, guild_id=None, period=Period.ALL, caller_id=3
        )
    assert before.me is not None and before.me.rank == 1
    assert len(before.entries) == 3, "three players tied on the same points"
    async with s.database.unit_of_work() as session:
        assert await forget_user(session, 1)
        await s.admin.reset_scores(session, GUILD, 2)
    await check_every_board(s.database)
    async with s.database.unit_of_work() as session:
        world = await s.leaderboards.leaderboard(
            session, guild_id=None, period=Period.ALL, caller_id=2
        )
        here = await s.leaderboards.leaderboard(
            session, guild_id=GUILD, period=Period.ALL, caller_id=2
        )
    assert [e.user_id for e in world.entries] == [2, 3], "forgotten everywhere"
    assert [e.user_id for e in here.entries] == [3], "reset on the server board only"
    assert here.me is None and world.me is not None and world.me.rank == 1
    async with s.database.unit_of_work() as session:
        await s.admin.reset_scores(session, GUILD)
    await check_every_board(s.database)


async def test_the_day_board_is_not_ranked(services: Services) -> None:
    async with services.database.unit_of_work() as session:
        with pytest.raises(ValueError, match="not ranked"):
            await services.leaderboards.leaderboard(session, guild_id=None, period=Period.DAY)
