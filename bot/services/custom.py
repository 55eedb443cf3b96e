"""A server's own questions: add, import, list, export, retire; served only in that server."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import datetime

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.bank.bank import Bank
from bot.bank.custom import export_yaml
from bot.db.models import QuestionRow
from bot.db.questions import question_row
from bot.db.types import utcnow
from bot.db.users import ensure_guild
from bot.domain.errors import GradientError
from bot.domain.questions import AnyQuestion, Question

MAX_PER_SERVER = 500
_QUESTION = TypeAdapter[AnyQuestion](Question)


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

    def __init__(self, bank: Bank, clock: Callable[[], datetime] = utcnow) -> None:
        self.bank = bank
        self.clock = clock

    async def count(self, session: AsyncSession, guild_id: int) -> int:
        """How many active questions the server has."""
        query = (
            select(func.count())
            .select_from(QuestionRow)
            .where(col(QuestionRow.guild_id) == guild_id, col(QuestionRow.retired).is_(False))
        )
        return int((await session.execute(query)).scalar_one())

    async def add_many(
        self,
        session: AsyncSession,
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
        await ensure_guild(session, guild_id, guild_name, now)
        stored = []
        for question in questions:
            q = question.model_copy(update={"id": new_id(guild_id)})
            owner = {
                "guild_id": guild_id,
                "payload": q.model_dump(mode="json"),
                "created_by": user_id,
            }
            session.add(question_row(q, now, **owner))
            stored.append(q)
        await session.flush()
        return stored

    async def active(self, session: AsyncSession, guild_id: int | None) -> list[AnyQuestion]:
        """The server's active questions (none outside a server)."""
        if guild_id is None:
            return []
        rows = await session.scalars(
            select(QuestionRow)
            .where(col(QuestionRow.guild_id) == guild_id, col(QuestionRow.retired).is_(False))
            .order_by(col(QuestionRow.first_seen_at), col(QuestionRow.id))
        )
        return [q for q in (_load(row) for row in rows) if q is not None]

    async def get(
        self, session: AsyncSession, question_id: str, guild_id: int | None
    ) -> AnyQuestion | None:
        """A bank question, or this server's own question; never another server's."""
        banked = self.bank.get(question_id)
        if banked is not None:
            return banked
        if guild_id is None:
            return None
        row = await session.get(QuestionRow, question_id)
        if row is None or row.guild_id != guild_id:
            return None
        return _load(row)

    async def remove(self, session: AsyncSession, guild_id: int, question_id: str) -> AnyQuestion:
        """Retire one of the server's questions (answers to it are kept)."""
        question = await self.get(session, question_id, guild_id)
        if question is None or self.bank.get(question_id) is not None:
            raise NotThisServersQuestion()
        await session.execute(
            update(QuestionRow)
            .where(col(QuestionRow.id) == question_id)
            .values(retired=True, updated_at=self.clock())
        )
        return question

    async def export(self, session: AsyncSession, guild_id: int) -> str:
        """The server's questions as an importable YAML file."""
        return export_yaml(await self.active(session, guild_id))


def _load(row: QuestionRow) -> AnyQuestion | None:
    if row.payload is None:
        return None
    try:
        return _QUESTION.validate_python({**row.payload, "id": row.id, "retired": row.retired})
    except ValidationError:
        return None
