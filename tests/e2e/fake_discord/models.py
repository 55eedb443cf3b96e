"""Records the fake keeps: users, guilds, channels, messages, interactions, and a waiter."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .fake import FakeDiscord

DISCORD_EPOCH_MS = 1420070400000
EPHEMERAL = 1 << 6
LOADING = 1 << 7
COMPONENTS_V2 = 1 << 15

INTERACTION_KINDS = {1: "ping", 2: "slash", 3: "component", 4: "autocomplete", 5: "modal submit"}


def iso_now() -> str:
    """The current UTC time in Discord's ISO 8601 timestamp format."""
    return datetime.now(UTC).isoformat()


class Snowflakes:
    """Hands out increasing snowflake ids stamped with the current time, like Discord's."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        """A fresh snowflake, strictly greater than every earlier one."""
        stamped = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last = max(self._last + 1, stamped)
        return self._last


@dataclass(eq=False)
class FakeUser:
    """A Discord user; `dms_open=False` makes DMs to them fail with 50007 like a privacy setting."""

    id: int
    name: str
    bot: bool = False
    dms_open: bool = True

    def payload(self) -> dict[str, Any]:
        """The user object as Discord serialises it."""
        return {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": None if self.bot else self.name,
            "avatar": None,
            "bot": self.bot,
            "system": False,
            "public_flags": 0,
        }


@dataclass(eq=False)
class FakeChannel:
    """A text channel in a guild (type 0) or a DM channel (type 1, guild_id None)."""

    id: int
    guild_id: int | None
    name: str
    type: int = 0
    bot_can_send: bool = True
    position: int = 0
    recipient_id: int | None = None
    deleted: bool = False


@dataclass(eq=False)
class FakeMember:
    """A user's membership of one guild."""

    user: FakeUser
    admin: bool = False
    joined_at: str = field(default_factory=iso_now)


@dataclass(eq=False)
class FakeGuild:
    """A guild with its channels and members; its @everyone role id is the guild id."""

    id: int
    name: str
    owner_id: int
    channels: list[FakeChannel] = field(default_factory=list)
    members: dict[int, FakeMember] = field(default_factory=dict)
    admin_role_id: int = 0
    joined_at: str = field(default_factory=iso_now)


def walk_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every component in a tree: rows, labels, sections and containers are all descended."""
    for component in components:
        yield component
        yield from walk_components(component.get("components") or [])
        for key in ("component", "accessory"):
            child = component.get(key)
            if isinstance(child, dict):
                yield from walk_components([child])


@dataclass(eq=False, repr=False)
class Message:
    """A message the fake holds; `files` keeps the uploaded bytes by filename."""

    id: int
    channel_id: int
    author_id: int
    author: dict[str, Any]
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    flags: int = 0
    interaction_id: int | None = None
    deleted: bool = False
    guild_id: int | None = None
    type: int = 0
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    legacy_interaction: dict[str, Any] | None = None
    timestamp: str = field(default_factory=iso_now)
    edited_timestamp: str | None = None

    def __repr__(self) -> str:
        flags = f" flags={self.flags}" if self.flags else ""
        deleted = " deleted" if self.deleted else ""
        return f"<Message {self.id} in {self.channel_id}{flags}{deleted} {self.text()[:60]!r}>"

    @property
    def ephemeral(self) -> bool:
        """Whether only the invoking user sees this message (flag 64)."""
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """Whether this is a deferred "thinking..." placeholder not yet filled in."""
        return bool(self.flags & LOADING)

    def buttons(self) -> list[dict[str, Any]]:
        """Every button component (type 2), flattened out of rows, sections and containers."""
        return [c for c in walk_components(self.components) if c.get("type") == 2]

    def custom_ids(self) -> list[str]:
        """The custom_id of every interactive component, in document order."""
        return [c["custom_id"] for c in walk_components(self.components) if "custom_id" in c]

    def text(self) -> str:
        """Content, embed text and text-display components joined by newlines, for asserts."""
        parts = [self.content] if self.content else []
        for embed in self.embeds:
            parts.extend(str(embed[key]) for key in ("title", "description") if embed.get(key))
            for embed_field in embed.get("fields") or []:
                parts.extend([str(embed_field.get("name", "")), str(embed_field.get("value", ""))])
            for key in ("footer", "author"):
                sub = embed.get(key) or {}
                if sub.get("text") or sub.get("name"):
                    parts.append(str(sub.get("text") or sub.get("name")))
        parts.extend(
            str(c["content"]) for c in walk_components(self.components) if c.get("type") == 10
        )
        return "\n".join(parts)

    def payload(self) -> dict[str, Any]:
        """The message object as Discord serialises it."""
        data: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author,
            "content": self.content,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self.attachments,
            "embeds": self.embeds,
            "components": self.components,
            "pinned": False,
            "type": self.type,
            "flags": self.flags,
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            data["application_id"] = str(self.application_id)
        if self.interaction_metadata is not None:
            data["interaction_metadata"] = self.interaction_metadata
        if self.legacy_interaction is not None:
            data["interaction"] = self.legacy_interaction
        return data


class Notifier:
    """Wakes every waiter whenever the fake's state changes, so waits need no polling."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        """Wake everyone waiting; each re-checks its own condition."""
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait_for(
        self, predicate: Callable[[], bool], deadline: float, describe: Callable[[], str]
    ) -> None:
        """Return once predicate() holds; raise AssertionError(describe()) at loop time deadline."""
        loop = asyncio.get_running_loop()
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(describe())
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.add(waiter)
            try:
                await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                pass
            finally:
                self._waiters.discard(waiter)


class Interaction:
    """The fake's record of one interaction it sent to the bot, and what the bot did with it."""

    def __init__(
        self, fake: FakeDiscord, payload: dict[str, Any], user: FakeUser, label: str
    ) -> None:
        self._fake = fake
        self.payload = payload
        self.id: int = int(payload["id"])
        self.token: str = payload["token"]
        self.type: int = int(payload["type"])
        self.user = user
        self.label = label
        self.guild_id: int | None = int(payload["guild_id"]) if payload.get("guild_id") else None
        self.channel_id: int | None = (
            int(payload["channel_id"]) if payload.get("channel_id") else None
        )
        self.sent_at: float = asyncio.get_running_loop().time()
        self.responded_at: float | None = None
        self.response: dict[str, Any] | None = None
        self.modal: dict[str, Any] | None = None
        self.message: Message | None = None
        self.clicked: Message | None = None
        self.followups: list[Message] = []
        self.rejections: list[str] = []
        self.late_callbacks: list[dict[str, Any]] = []

    def __repr__(self) -> str:
        return f"<Interaction {self.label} id={self.id} response={self.response_type}>"

    @property
    def response_type(self) -> int | None:
        """The callback type the bot answered with, or None so far."""
        return None if self.response is None else int(self.response["type"])

    def _why_not(self, what: str, timeout: float) -> str:
        parts = [f"{self.label}: no {what} within {timeout:.1f}s"]
        if self.response_type in (1, 8, 9):
            parts = [f"{self.label}: answered with callback type {self.response_type}, no message"]
        if self.rejections:
            parts.append("the fake rejected the bot's callback: " + "; ".join(self.rejections))
        if self.late_callbacks:
            parts.append("a callback arrived after Discord's 3 s deadline and was refused")
        return "; ".join(parts)

    async def done(self, timeout: float = 3.0) -> dict[str, Any]:  # noqa: ASYNC109
        """The initial callback payload; AssertionError if none came within timeout of sending."""
        deadline = self.sent_at + timeout
        # a rejected callback fails fast: discord.py raises instead of retrying a 400
        await self._fake.events.wait_for(
            lambda: self.response is not None or bool(self.late_callbacks or self.rejections),
            deadline,
            lambda: self._why_not("interaction response", timeout),
        )
        if self.response is None:
            raise AssertionError(self._why_not("interaction response", timeout))
        return self.response

    async def wait_message(self, timeout: float = 3.0) -> Message:  # noqa: ASYNC109
        """The original response message once it has content (a deferral must be filled in)."""
        deadline = asyncio.get_running_loop().time() + timeout
        await self._fake.events.wait_for(
            lambda: (
                (self.message is not None and not self.message.loading) or self._no_message_coming()
            ),
            deadline,
            lambda: self._why_not("response message", timeout),
        )
        if self.message is None or self.message.loading:
            raise AssertionError(self._why_not("response message", timeout))
        return self.message

    def _no_message_coming(self) -> bool:
        # a pong, autocomplete result or modal never makes a message; nor does a refused callback
        if self.response_type in (1, 8, 9):
            return True
        return self.response is None and bool(self.rejections or self.late_callbacks)

    async def wait_followup(self, n: int = 1, timeout: float = 3.0) -> Message:  # noqa: ASYNC109
        """The n-th followup message (1-based) once it exists."""
        deadline = asyncio.get_running_loop().time() + timeout
        await self._fake.events.wait_for(
            lambda: len(self.followups) >= n,
            deadline,
            lambda: self._why_not(f"followup #{n} (have {len(self.followups)})", timeout),
        )
        return self.followups[n - 1]
