"""Quizzes and answers: /quiz, /review, /behavioral, /mock, the answer buttons and form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.features.quiz.buttons import FORM_PREFIX, ITEMS
from bot.features.quiz.cog import QuizCog
from bot.features.quiz.forms import submit_answer

if TYPE_CHECKING:
    from bot.app import GradientBot

__all__ = ["QuizCog"]


async def setup(bot: GradientBot) -> None:
    """Add the commands, the buttons and the answer form."""
    await bot.add_cog(QuizCog(bot.container))
    bot.add_dynamic_items(*ITEMS)
    bot.forms.add(FORM_PREFIX, submit_answer)
