"""REST routes for users, applications, channels, messages, guilds and the gateway URL."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .message_limits import check_message
from .messages import apply_edit, create_message, delete_message
from .models import FakeChannel, FakeGuild, Message
from .payloads import (
    application_payload,
    channel_payload,
    guild_rest_payload,
    member_payload,
    role_payloads,
)
from .server import HttpError, HttpServer, RestRequest, invalid_form, json_response, no_content
from .validation import Problems

if TYPE_CHECKING:
    from .fake import FakeDiscord


class RestRoutes:
    """Handlers for the bot-token-authenticated REST API (everything but interactions)."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def register(self, server: HttpServer) -> None:
        """Add every route to the server's table."""
        add = server.add
        add("GET", "/users/@me", self.get_me)
        add("GET", "/users/{user_id}", self.get_user)
        add("POST", "/users/@me/channels", self.create_dm)
        add("GET", "/oauth2/applications/@me", self.get_application)
        add("GET", "/applications/@me", self.get_application)
        add("GET", "/gateway", self.get_gateway, auth=False)
        add("GET", "/gateway/bot", self.get_gateway_bot)
        add("GET", "/channels/{channel_id}", self.get_channel)
        add("GET", "/channels/{channel_id}/messages", self.list_messages)
        add("POST", "/channels/{channel_id}/messages", self.post_message)
        add("POST", "/channels/{channel_id}/typing", self.typing)
        add("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message)
        add("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message)
        add("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message)
        add("GET", "/guilds/{guild_id}", self.get_guild)
        add("GET", "/guilds/{guild_id}/channels", self.get_guild_channels)
        add("GET", "/guilds/{guild_id}/roles", self.get_roles)
        add("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member)

    # users and application

    async def get_me(self, req: RestRequest) -> web.Response:
        """The bot user."""
        data = self.fake.bot_user.payload()
        data.update({"verified": True, "mfa_enabled": False, "flags": 0, "locale": "en-US"})
        return json_response(data)

    async def get_user(self, req: RestRequest) -> web.Response:
        """Any user the fake knows."""
        user = self.fake.users.get(_int(req.params["user_id"]))
        if user is None:
            raise HttpError(404, 10013, "Unknown User")
        return json_response(user.payload())

    async def create_dm(self, req: RestRequest) -> web.Response:
        """Open (or reuse) the DM channel with a user."""
        user = self.fake.users.get(_int((req.payload or {}).get("recipient_id")))
        if user is None:
            raise HttpError(
                400,
                50035,
                "Invalid Form Body",
                {
                    "recipient_id": {
                        "_errors": [{"code": "NUMBER_TYPE_COERCE", "message": "Unknown user"}]
                    }
                },
            )
        channel = self.fake.dm_channel(user)
        return json_response(channel_payload(channel, self.fake.bot_user.id, self.fake.users))

    async def get_application(self, req: RestRequest) -> web.Response:
        """The application, owned by the bot user."""
        return json_response(application_payload(self.fake.application_id, self.fake.bot_user))

    async def get_gateway(self, req: RestRequest) -> web.Response:
        """The gateway URL."""
        return json_response({"url": self.fake.gateway_url})

    async def get_gateway_bot(self, req: RestRequest) -> web.Response:
        """The gateway URL, one recommended shard, and a generous session start limit."""
        return json_response(
            {
                "url": self.fake.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    # channels and messages

    def _channel(self, req: RestRequest) -> FakeChannel:
        channel = self.fake.channels.get(_int(req.params["channel_id"]))
        if channel is None or channel.deleted:
            raise HttpError(404, 10003, "Unknown Channel")
        return channel

    def _message(self, req: RestRequest, channel: FakeChannel) -> Message:
        message = self.fake.messages.get(_int(req.params["message_id"]))
        if (
            message is None
            or message.deleted
            or message.channel_id != channel.id
            or message.ephemeral
        ):
            raise HttpError(404, 10008, "Unknown Message")
        return message

    async def get_channel(self, req: RestRequest) -> web.Response:
        """A channel object."""
        channel = self._channel(req)
        return json_response(channel_payload(channel, self.fake.bot_user.id, self.fake.users))

    async def list_messages(self, req: RestRequest) -> web.Response:
        """Channel history, newest first, honouring `limit`."""
        channel = self._channel(req)
        limit = min(int(req.query.get("limit", "50")), 100)
        if not self.fake.history_visible:
            return json_response([])
        history = self.fake.channel_messages(channel)[::-1][:limit]
        return json_response([m.payload() for m in history])

    async def post_message(self, req: RestRequest) -> web.Response:
        """Send a message as the bot, with permission and form checks."""
        channel = self._channel(req)
        if channel.guild_id is not None and not channel.bot_can_send:
            raise HttpError(403, 50013, "Missing Permissions")
        if channel.guild_id is None:
            recipient = self.fake.users.get(channel.recipient_id or 0)
            if recipient is None or not recipient.dms_open:
                raise HttpError(403, 50007, "Cannot send messages to this user")
        payload = _dict(req.payload)
        problems = Problems()
        check_message(payload, problems, files=len(req.uploads))
        if problems:
            raise invalid_form(self.fake, req.where(), problems)
        earlier = self._same_nonce(channel, payload)
        if earlier is not None:
            return json_response(earlier.payload())
        message = create_message(
            self.fake,
            channel,
            payload,
            req.uploads,
            author=self.fake.bot_user,
            msg_type=19 if payload.get("message_reference") else 0,
        )
        nonce = payload.get("nonce")
        if nonce is not None and payload.get("enforce_nonce"):
            key = (channel.id, self.fake.bot_user.id, str(nonce))
            self.fake.nonces[key] = (message.id, time.monotonic())
        return json_response(message.payload())

    def _same_nonce(self, channel: FakeChannel, payload: dict[str, Any]) -> Message | None:
        """With enforce_nonce, Discord answers a repeated nonce with the message it made first."""
        nonce = payload.get("nonce")
        if nonce is None or not payload.get("enforce_nonce"):
            return None
        if len(str(nonce)) > 25:
            raise HttpError(
                400,
                50035,
                "Invalid Form Body",
                {"nonce": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "too long"}]}},
            )
        found = self.fake.nonces.get((channel.id, self.fake.bot_user.id, str(nonce)))
        if found is None or time.monotonic() - found[1] > self.fake.nonce_ttl:
            return None
        message = self.fake.messages.get(found[0])
        if message is None or message.deleted:
            return None
        self.fake.duplicate_nonces += 1
        return message

    async def typing(self, req: RestRequest) -> web.Response:
        """Typing indicators are accepted and ignored."""
        self._channel(req)
        return no_content()

    async def get_message(self, req: RestRequest) -> web.Response:
        """One message."""
        channel = self._channel(req)
        return json_response(self._message(req, channel).payload())

    async def edit_message(self, req: RestRequest) -> web.Response:
        """Edit one of the bot's own messages."""
        channel = self._channel(req)
        message = self._message(req, channel)
        if message.author_id != self.fake.bot_user.id:
            raise HttpError(403, 50005, "Cannot edit a message authored by another user")
        payload = _dict(req.payload)
        problems = Problems()
        merged = {"flags": message.flags, **payload}
        check_message(merged, problems, creating=False)
        if problems:
            raise invalid_form(self.fake, req.where(), problems)
        apply_edit(self.fake, message, payload, req.uploads)
        return json_response(message.payload())

    async def delete_message(self, req: RestRequest) -> web.Response:
        """Delete a message."""
        channel = self._channel(req)
        delete_message(self.fake, self._message(req, channel))
        return no_content()

    # guilds

    def _guild(self, req: RestRequest) -> FakeGuild:
        guild = self.fake.guilds.get(_int(req.params["guild_id"]))
        if guild is None:
            raise HttpError(404, 10004, "Unknown Guild")
        return guild

    async def get_guild(self, req: RestRequest) -> web.Response:
        """A guild object (REST form, without channels or members)."""
        guild = self._guild(req)
        data: dict[str, Any] = guild_rest_payload(guild)
        if data["system_channel_id"] is not None:
            data["system_channel_id"] = str(data["system_channel_id"])
        if req.flag("with_counts"):
            data["approximate_member_count"] = len(guild.members)
            data["approximate_presence_count"] = 0
        return json_response(data)

    async def get_guild_channels(self, req: RestRequest) -> web.Response:
        """A guild's channels."""
        guild = self._guild(req)
        bot_id = self.fake.bot_user.id
        return json_response(
            [channel_payload(c, bot_id, self.fake.users) for c in guild.channels if not c.deleted]
        )

    async def get_roles(self, req: RestRequest) -> web.Response:
        """A guild's roles."""
        return json_response(role_payloads(self._guild(req)))

    async def get_member(self, req: RestRequest) -> web.Response:
        """One member of a guild."""
        guild = self._guild(req)
        user_id = _int(req.params["user_id"])
        if user_id not in guild.members:
            raise HttpError(404, 10007, "Unknown Member")
        return json_response(member_payload(guild, user_id))


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _dict(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise HttpError(400, 50109, "The request body contains invalid JSON.")
    return payload
