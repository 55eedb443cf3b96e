"""A server's own questions: add, import, list, export, retire; served only in that server."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from bot.bank.bank import Bank
from bot.bank.custom import export_yaml
from bot.clock import Clock
from bot.db import guilds
from bot.db import questions as question_rows
from bot.db.engine import Session
from bot.domain.errors import GradientError
from bot.domain.questions import AnyQuestion

MAX_PER_SERVER = 500


class NotThisServersQuestion(GradientError):
    """An id that is not one of this server's questions."""

    user_message = "This server has no question with that id. See /gradient questions list."


class TooManyQuestions(GradientError):
    """The server's question limit would be exceeded."""


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def new_id(guild_id: int) -> str:
    """A fresh id for a server question; bank ids never take this shape."""
    return f"s{_base36(guild_id)}-{secrets.token_hex(3)}"


class CustomQuestionService:
    """Server questions live in the questions table with their guild and full content."""

    def __init__(self, bank: Bank, *, clock: Clock) -> None:
        self.bank = bank
        self.clock = clock

    async def count(self, session: Session, guild_id: int) -> int:
        """How many active questions the server has."""
        return await question_rows.count_server_questions(session, guild_id=guild_id)

    async def add_many(
        self,
        session: Session,
        guild_id: int,
        guild_name: str,
        user_id: int,
        questions: Sequence[AnyQuestion],
    ) -> list[AnyQuestion]:
        """Store validated questions with fresh ids, all or none; returns them with their ids."""
        have = await self.count(session, guild_id)
        if have + len(questions) > MAX_PER_SERVER:
            raise TooManyQuestions(
                f"A server can have {MAX_PER_SERVER} questions; this one has {have}, "
                f"so {len(questions)} more would be too many."
            )
        now = self.clock()
        await guilds.ensure_guild(session, guild_id=guild_id, name=guild_name, now=now)
        stored = [q.model_copy(update={"id": new_id(guild_id)}) for q in questions]
        await question_rows.add_server_questions(
            session, guild_id=guild_id, author_id=user_id, questions=stored, now=now
        )
        return stored

    async def active(self, session: Session, guild_id: int | None) -> list[AnyQuestion]:
        """The server's active questions (none outside a server)."""
        if guild_id is None:
            return []
        rows = await question_rows.server_questions(session, guild_id=guild_id)
        return [q for q in map(question_rows.server_question, rows) if q is not None]

    async def get(
        self, session: Session, question_id: str, guild_id: int | None
    ) -> AnyQuestion | None:
        """A bank question, or this server's own question; never another server's."""
        banked = self.bank.get(question_id)
        if banked is not None:
            return banked
        if guild_id is None:
            return None
        row = await question_rows.get_row(session, question_id=question_id)
        if row is None or row.guild_id != guild_id:
            return None
        return question_rows.server_question(row)

    async def remove(self, session: Session, guild_id: int, question_id: str) -> AnyQuestion:
        """Retire one of the server's questions (answers to it are kept)."""
        question = await self.get(session, question_id, guild_id)
        if question is None or self.bank.get(question_id) is not None:
            raise NotThisServersQuestion()
        await question_rows.retire_question(session, question_id=question_id, now=self.clock())
        return question

    async def export(self, session: Session, guild_id: int) -> str:
        """The server's questions as an importable YAML file."""
        return export_yaml(await self.active(session, guild_id))
