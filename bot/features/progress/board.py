"""Leaderboard pages and their pager: the top 10 for a period, here or globally, and your rank."""

from __future__ import annotations

from typing import Any

import discord

from bot.domain.errors import GradientError
from bot.domain.periods import Period
from bot.interactions.buttons import PersistentButton, small
from bot.interactions.context import services
from bot.interactions.guard import respond
from bot.ui import reports

LABELS = {"prev": "◀ Previous", "next": "Next ▶", "me": "Find me"}


class PageButton(
    PersistentButton,
    template=r"lb:(?P<scope>\w{1,8}):(?P<period>\w{1,8}):(?P<page>\d{1,5}):(?P<label>\w{1,5})",
):
    """Leaderboard pager: anyone may page; "your rank" is the clicker's."""

    fields = (("scope", str), ("period", str), ("page", small(99_999, 0)), ("label", str))

    def __init__(
        self, scope: str, period: str, page: int, label: str, *, disabled: bool = False
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=LABELS.get(label, label),
                custom_id=f"lb:{scope}:{period}:{page}:{label}",
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
            )
        )
        self.scope, self.period, self.page, self.label = scope, period, page, label

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Show the page."""
        message = await board_message(interaction, self.scope, self.period, self.page)
        await respond(interaction).edit(**message)


async def board_message(
    interaction: discord.Interaction[Any], scope: str, period: str, page: int
) -> dict[str, Any]:
    """A leaderboard page with its pager, for the person who asked."""
    container = services(interaction)
    if period not in {"week", "month", "all", "season"} or scope not in {"s", "g"}:
        raise GradientError("That leaderboard doesn't exist.")
    guild_id = interaction.guild_id if scope == "s" else None
    if scope == "s" and guild_id is None:
        raise GradientError("The server leaderboard only works in a server.")
    # Only reads: on SQLite it runs beside the answers being written, not behind them.
    async with container.database.reading() as session:
        board = await container.leaderboards.leaderboard(
            session,
            guild_id=guild_id,
            period=Period(period),
            page=page,
            caller_id=interaction.user.id,
        )
    title = interaction.guild.name if scope == "s" and interaction.guild else "Global"
    view = discord.ui.View(timeout=None)
    view.add_item(
        PageButton(scope, period, max(board.page - 1, 0), "prev", disabled=board.page == 0)
    )
    view.add_item(
        PageButton(scope, period, board.page + 1, "next", disabled=board.page + 1 >= board.pages)
    )
    if board.me is not None:
        mine = (board.me.rank - 1) // 10
        view.add_item(PageButton(scope, period, mine, "me", disabled=mine == board.page))
    return {"embed": reports.leaderboard(board, title), "view": view}
