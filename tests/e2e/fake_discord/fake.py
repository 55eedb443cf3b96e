"""FakeDiscord: the state, lifecycle, patching and failure injection of the loopback fake."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import yarl
from discord import gateway as discord_gateway
from discord import http as discord_http

from .commands import CommandRoutes
from .gateway import Gateway
from .models import (
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeUser,
    Interaction,
    Message,
    Notifier,
    Snowflakes,
)
from .payloads import (
    INTENT_GUILD_MEMBERS,
    channel_payload,
    guild_create_payload,
    member_payload,
)
from .rest import RestRoutes
from .server import HttpServer, RateLimitRule
from .user_actions import UserActionsMixin
from .webhooks import InteractionRoutes


class FakeDiscord(UserActionsMixin):
    """A loopback Discord: REST API v10 and gateway that a real discord.py client connects to."""

    def __init__(
        self,
        *,
        heartbeat_interval_ms: int = 1000,
        interaction_deadline: float = 3.0,
        token_ttl: float = 15 * 60.0,
        bot_name: str = "Gradient",
    ) -> None:
        self.ids = Snowflakes()
        self.application_id: int = self.ids.next()
        self.bot_user = FakeUser(self.application_id, bot_name, bot=True)
        self.token: str = f"{self.application_id}.fake.{secrets.token_urlsafe(24)}"
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.interaction_deadline = interaction_deadline
        self.token_ttl = token_ttl
        self.users: dict[int, FakeUser] = {self.bot_user.id: self.bot_user}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self.messages: dict[int, Message] = {}
        self.interactions: dict[int, Interaction] = {}
        self._tokens: dict[str, Interaction] = {}
        self.registered: dict[int | None, list[dict[str, Any]]] = {}
        self.command_syncs: list[tuple[int | None, int]] = []
        self.served_files: dict[str, tuple[bytes, str]] = {}
        # Attachment downloads answer with this HTTP status instead of the file (None: serve it).
        self.download_status: int | None = None
        # Attachment downloads wait this long before answering (a stuck CDN), in seconds.
        self.download_delay: float = 0.0
        # Discord refuses a second message with the same nonce (enforce_nonce) for a few minutes.
        self.nonce_ttl = 300.0
        self.nonces: dict[tuple[int, int, str], tuple[int, float]] = {}
        self.duplicate_nonces = 0
        # Without Read Message History, Discord returns an empty channel history.
        self.history_visible = True
        self.violations: list[str] = []
        self.unknown_routes: list[tuple[str, str]] = []
        self.requests: list[tuple[str, str]] = []
        self.request_times: list[float] = []
        self.rate_limited = 0
        self.connections = 0
        self.resumes = 0
        self.events = Notifier()
        self.gateway = Gateway(self)
        self.server = HttpServer(self)
        for routes in (RestRoutes(self), CommandRoutes(self), InteractionRoutes(self)):
            routes.register(self.server)

    # lifecycle and patching

    async def start(self) -> None:
        """Start the HTTP and websocket server on 127.0.0.1 with an OS-chosen port."""
        await self.server.start()

    async def stop(self) -> None:
        """Close every gateway socket and stop the server."""
        await self.gateway.close_all()
        await self.server.stop()

    @property
    def url(self) -> str:
        """The server root, e.g. http://127.0.0.1:54321."""
        if not self.server.port:
            raise RuntimeError("FakeDiscord is not started; await fake.start() first")
        return f"http://127.0.0.1:{self.server.port}"

    def api_base(self, version: int = 10) -> str:
        """What discord.http.Route.BASE points at while patched."""
        return f"{self.url}/api/v{version}"

    @property
    def gateway_url(self) -> str:
        """The websocket URL (DEFAULT_GATEWAY and resume_gateway_url)."""
        return f"ws://127.0.0.1:{self.server.port}/ws"

    @contextmanager
    def patched(self) -> Iterator[FakeDiscord]:
        """Point discord.py's REST base, API-version setter and gateway at the fake; undo after."""
        route = discord_http.Route
        old_base, old_setter = route.BASE, discord_http._set_api_version
        old_gateway = discord_gateway.DiscordWebSocket.DEFAULT_GATEWAY

        def set_api_version(value: int) -> None:
            """discord.http._set_api_version that keeps Route.BASE on the fake."""
            old_setter(value)
            route.BASE = self.api_base(value)

        route.BASE = self.api_base(discord_http.INTERNAL_API_VERSION)
        discord_http._set_api_version = set_api_version
        discord_gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield self
        finally:
            route.BASE = old_base
            discord_http._set_api_version = old_setter
            discord_gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    # world building

    def add_user(self, name: str, *, dms_open: bool = True) -> FakeUser:
        """A new human user."""
        user = FakeUser(self.ids.next(), name, dms_open=dms_open)
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, *, owner: FakeUser | None = None) -> FakeGuild:
        """A guild the bot is in (owned by `owner` or a new user), announced if connected."""
        owner = owner or self.add_user(f"{name} owner")
        guild = FakeGuild(self.ids.next(), name, owner.id, admin_role_id=self.ids.next())
        guild.members[self.bot_user.id] = FakeMember(self.bot_user)
        guild.members[owner.id] = FakeMember(owner)
        self.guilds[guild.id] = guild
        session = self.gateway.sessions.get(self.gateway.shard_for(guild.id))
        if session is not None:
            data = guild_create_payload(
                guild,
                self.bot_user.id,
                self.users,
                all_members=bool(session.intents & INTENT_GUILD_MEMBERS),
            )
            self.gateway.dispatch("GUILD_CREATE", data, guild.id)
        return guild

    def add_channel(self, guild: FakeGuild, name: str, *, bot_can_send: bool = True) -> FakeChannel:
        """A text channel; bot_can_send=False denies the bot VIEW_CHANNEL and SEND_MESSAGES."""
        channel = FakeChannel(
            self.ids.next(), guild.id, name, bot_can_send=bot_can_send, position=len(guild.channels)
        )
        guild.channels.append(channel)
        self.channels[channel.id] = channel
        self.gateway.dispatch("CHANNEL_CREATE", self._channel_json(channel), guild.id)
        return channel

    def delete_channel(self, channel: FakeChannel) -> None:
        """Delete a channel: later requests to it get 404 10003; CHANNEL_DELETE is dispatched."""
        channel.deleted = True
        self.gateway.dispatch("CHANNEL_DELETE", self._channel_json(channel), channel.guild_id)

    def add_member(self, guild: FakeGuild, user: FakeUser, *, admin: bool = False) -> None:
        """Make a user a guild member; admin=True gives the ADMINISTRATOR | MANAGE_GUILD role."""
        guild.members[user.id] = FakeMember(user, admin=admin)
        data = {**member_payload(guild, user.id), "guild_id": str(guild.id)}
        self.gateway.dispatch("GUILD_MEMBER_ADD", data, guild.id, intent=INTENT_GUILD_MEMBERS)

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """The DM channel between the bot and a user, created on first use."""
        for channel in self.channels.values():
            if channel.guild_id is None and channel.recipient_id == user.id:
                return channel
        channel = FakeChannel(self.ids.next(), None, "", type=1, recipient_id=user.id)
        self.channels[channel.id] = channel
        return channel

    def _channel_json(self, channel: FakeChannel) -> dict[str, Any]:
        return channel_payload(channel, self.bot_user.id, self.users)

    # queries

    def commands(self, guild_id: int | None = None) -> list[dict[str, Any]]:
        """The registered command payloads (with ids) for a guild, or global ones for None."""
        return list(self.registered.get(guild_id, []))

    def channel_messages(
        self, channel: FakeChannel, *, include_deleted: bool = False
    ) -> list[Message]:
        """Non-ephemeral messages posted in a channel, oldest first."""
        return [
            m
            for m in self.messages.values()
            if m.channel_id == channel.id and not m.ephemeral and (include_deleted or not m.deleted)
        ]

    def interaction_by_token(self, token: str) -> Interaction | None:
        """The interaction a webhook token belongs to."""
        return self._tokens.get(token)

    def unanswered(self) -> list[Interaction]:
        """Interactions whose 3 s deadline passed without an accepted initial response."""
        now = asyncio.get_running_loop().time()
        return [
            ix
            for ix in self.interactions.values()
            if ix.response is None and now - ix.sent_at > self.interaction_deadline
        ]

    # gateway state

    async def wait_ready(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Return once a client IDENTIFYed and got READY plus every GUILD_CREATE (or RESUMED)."""
        deadline = asyncio.get_running_loop().time() + timeout
        await self.events.wait_for(
            lambda: self.gateway.ready,
            deadline,
            lambda: f"no client became ready within {timeout}s",
        )

    async def wait_resumed(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Return once the client RESUMEd after the last disconnect()."""
        deadline = asyncio.get_running_loop().time() + timeout
        await self.events.wait_for(
            lambda: self.gateway.resumed and self.gateway.ready,
            deadline,
            lambda: f"the client did not RESUME within {timeout}s",
        )

    async def disconnect(self, resume: bool = True, *, code: int | None = 4000) -> None:
        """Drop the gateway socket (code None: TCP reset); resume=False answers RESUME with op 9."""
        await self.gateway.disconnect(resume=resume, code=code)

    # failure injection

    def rate_limit_next(
        self,
        method: str,
        path_regex: str,
        retry_after: float = 0.3,
        count: int = 1,
        *,
        via: bool = True,
    ) -> None:
        """Answer the next `count` requests matching (method, re.search(path_regex)) with 429."""
        self.server.rate_limits.append(
            RateLimitRule(method.upper(), re.compile(path_regex), retry_after, count, via)
        )
