"""The answer form's submission (answered through the form table, so it survives restarts)."""

from __future__ import annotations

from typing import Any

import discord

from bot.domain.errors import InvalidAnswer
from bot.features.quiz.buttons import ANSWER_INPUT, answer
from bot.interactions.forms import form_values


async def submit_answer(interaction: discord.Interaction[Any], token: str) -> None:
    """An answer form was submitted."""
    text = form_values(interaction).get(ANSWER_INPUT, "").strip()
    if not text:
        raise InvalidAnswer("Your answer was empty. Press Answer to try again.")
    await answer(interaction, token, text, None)
