"""Acting as users: the INTERACTION_CREATE payloads for slash, autocomplete, clicks and modals."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from .messages import add_served_file, create_message
from .models import FakeChannel, FakeGuild, FakeUser, Interaction, Message, walk_components
from .options import CommandLookup, build_options
from .payloads import DM_PERMISSIONS, channel_payload, member_payload, member_permissions

if TYPE_CHECKING:
    from .fake import FakeDiscord

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class UserActionsMixin:
    """FakeDiscord's methods that make users do things; each returns an Interaction record."""

    async def slash(
        self: FakeDiscord,
        user: FakeUser,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
    ) -> Interaction:
        """Invoke a registered slash command ("group sub" names reach subcommands)."""
        lookup = CommandLookup.find(self, name, guild, user)
        resolved: dict[str, Any] = {}
        opts = build_options(self, lookup, options or {}, resolved, guild, user)
        payload = self._base_payload(2, user, guild, channel, lookup.data(opts, resolved))
        return self._send(payload, user, f"/{name} by {user.name}")

    async def autocomplete(
        self: FakeDiscord,
        user: FakeUser,
        name: str,
        options: dict[str, Any],
        *,
        focused: str,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
    ) -> list[dict[str, Any]]:
        """Type into an autocomplete option and return the choices the bot answered with."""
        lookup = CommandLookup.find(self, name, guild, user)
        resolved: dict[str, Any] = {}
        opts = build_options(self, lookup, options, resolved, guild, user, focused=focused)
        payload = self._base_payload(4, user, guild, channel, lookup.data(opts, resolved))
        ix = self._send(payload, user, f"autocomplete /{name} {focused}={options[focused]!r}")
        response = await ix.done()
        if response.get("type") != 8:
            raise AssertionError(f"{ix.label}: answered with callback type {response.get('type')}")
        return list((response.get("data") or {}).get("choices") or [])

    async def click(
        self: FakeDiscord,
        user: FakeUser,
        message: Message,
        custom_id: str,
        *,
        guild: FakeGuild | None = None,
    ) -> Interaction:
        """Press a button (component type 2) on a message the fake holds."""
        component = self._component(message, custom_id)
        if component.get("type") != 2:
            raise AssertionError(
                f"{custom_id!r} is a type {component.get('type')} component, "
                "not a button; use fake.select()"
            )
        data = {"custom_id": custom_id, "component_type": 2}
        return self._send_component(user, message, data, guild, f"click {custom_id!r}")

    async def select(
        self: FakeDiscord,
        user: FakeUser,
        message: Message,
        custom_id: str,
        values: list[str],
        *,
        guild: FakeGuild | None = None,
    ) -> Interaction:
        """Pick values in a string select (component type 3) on a message."""
        component = self._component(message, custom_id)
        if component.get("type") != 3:
            raise AssertionError(f"{custom_id!r} is not a string select")
        allowed = {o["value"] for o in component.get("options") or []}
        low, high = component.get("min_values", 1), component.get("max_values", 1)
        if not set(values) <= allowed or not low <= len(values) <= high:
            raise AssertionError(
                f"select {custom_id!r}: {values} not allowed "
                f"(options {sorted(allowed)}, {low}-{high} values)"
            )
        data = {"custom_id": custom_id, "component_type": 3, "values": list(values)}
        return self._send_component(user, message, data, guild, f"select {custom_id!r}")

    async def submit_modal(
        self: FakeDiscord,
        user: FakeUser,
        modal_custom_id: str,
        values: dict[str, Any],
        *,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
        message: Message | None = None,
    ) -> Interaction:
        """Fill in and submit a modal the bot opened for this user, mirroring its layout."""
        openers = [
            ix
            for ix in self.interactions.values()
            if ix.modal is not None and ix.modal.get("custom_id") == modal_custom_id
        ]
        if not openers:
            opened = [ix.modal["custom_id"] for ix in self.interactions.values() if ix.modal]
            raise AssertionError(
                f"the bot never opened a modal {modal_custom_id!r}; opened: {opened}"
            )
        mine = [ix for ix in openers if ix.user.id == user.id]
        if not mine:
            raise AssertionError(
                f"modal {modal_custom_id!r} was shown to {openers[-1].user.name}, not {user.name}"
            )
        opener = mine[-1]
        assert opener.modal is not None
        components = _modal_submission(opener.modal, values)
        guild = guild or self.guilds.get(opener.guild_id or 0)
        channel = channel or self.channels.get(opener.channel_id or 0)
        message = message or opener.clicked
        data = {"custom_id": modal_custom_id, "components": components}
        payload = self._base_payload(5, user, guild, channel, data, message)
        ix = self._send(payload, user, f"modal {modal_custom_id!r} by {user.name}")
        ix.clicked = message
        return ix

    def component_payload(
        self: FakeDiscord,
        user: FakeUser,
        message: Message,
        custom_id: str,
        *,
        guild: FakeGuild | None = None,
        component_type: int = 2,
        values: list[str] | None = None,
    ) -> dict[str, Any]:
        """A MESSAGE_COMPONENT payload for any custom_id (even forged) for send_raw_interaction."""
        channel = self.channels[message.channel_id]
        guild = guild or self.guilds.get(channel.guild_id or 0)
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = list(values)
        return self._base_payload(
            3, user, guild, channel, data, self.messages.get(message.id, message)
        )

    async def send_raw_interaction(self: FakeDiscord, payload: dict[str, Any]) -> Interaction:
        """Dispatch a forged INTERACTION_CREATE as given (id, token, version filled if absent)."""
        payload = dict(payload)
        payload.setdefault("id", str(self.ids.next()))
        payload.setdefault("token", "fake-ix-" + secrets.token_urlsafe(32))
        payload.setdefault("application_id", str(self.application_id))
        payload.setdefault("version", 1)
        raw_user = (payload.get("member") or {}).get("user") or payload.get("user") or {}
        user = self.users.get(int(raw_user.get("id") or 0)) or FakeUser(
            int(raw_user.get("id") or 0), str(raw_user.get("username", "unknown"))
        )
        ix = self._send(payload, user, f"raw interaction type {payload.get('type')}")
        clicked = (payload.get("message") or {}).get("id")
        ix.clicked = self.messages.get(int(clicked)) if clicked else None
        return ix

    async def say(self: FakeDiscord, user: FakeUser, channel: FakeChannel, content: str) -> Message:
        """A user posts a plain message (MESSAGE_CREATE if the bot's intents ask for it)."""
        if channel.guild_id is not None and user.id not in self.guilds[channel.guild_id].members:
            raise AssertionError(f"{user.name} is not a member of the channel's guild")
        return create_message(self, channel, {"content": content}, [], author=user)

    # helpers

    def _component(self: FakeDiscord, message: Message, custom_id: str) -> dict[str, Any]:
        message = self.messages.get(message.id, message)
        if message.deleted:
            raise AssertionError(f"message {message.id} was deleted; nothing to click")
        found = next(
            (c for c in walk_components(message.components) if c.get("custom_id") == custom_id),
            None,
        )
        if found is None:
            raise AssertionError(
                f"no component {custom_id!r} on message {message.id}; it has {message.custom_ids()}"
            )
        # Disabled buttons and other users' ephemeral messages stay clickable on purpose: tests
        # use them to exercise the bot's own guards, as a forged client could.
        return found

    def _send_component(
        self: FakeDiscord,
        user: FakeUser,
        message: Message,
        data: dict[str, Any],
        guild: FakeGuild | None,
        label: str,
    ) -> Interaction:
        channel = self.channels[message.channel_id]
        guild = guild or self.guilds.get(channel.guild_id or 0)
        payload = self._base_payload(3, user, guild, channel, data, message)
        ix = self._send(payload, user, f"{label} by {user.name}")
        ix.clicked = message
        return ix

    def _base_payload(
        self: FakeDiscord,
        kind: int,
        user: FakeUser,
        guild: FakeGuild | None,
        channel: FakeChannel | None,
        data: dict[str, Any],
        message: Message | None = None,
    ) -> dict[str, Any]:
        """The fields every INTERACTION_CREATE carries, for a guild channel or a DM."""
        if guild is None:
            if channel is None or channel.guild_id is not None:
                channel = self.dm_channel(user)
            elif channel.recipient_id != user.id:
                raise AssertionError(f"{user.name} is not the recipient of DM channel {channel.id}")
        else:
            if user.id not in guild.members:
                raise AssertionError(
                    f"{user.name} is not a member of {guild.name}; "
                    "call fake.add_member(guild, user) first"
                )
            channel = channel or next((c for c in guild.channels if not c.deleted), None)
            if channel is None or channel.guild_id != guild.id or channel.deleted:
                raise AssertionError(f"no usable channel of {guild.name} for this interaction")
        bot_id = self.bot_user.id
        payload: dict[str, Any] = {
            "id": str(self.ids.next()),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "channel_id": str(channel.id),
            "channel": channel_payload(channel, bot_id, self.users),
            "token": "fake-ix-" + secrets.token_urlsafe(32),
            "version": 1,
            "locale": "en-US",
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "authorizing_integration_owners": {"0": str(guild.id) if guild else "0"},
            "context": 0 if guild else 1,
        }
        if guild is not None:
            user_perms = member_permissions(guild, user.id, channel, bot_id)
            payload["channel"]["permissions"] = str(user_perms)
            payload["app_permissions"] = str(member_permissions(guild, bot_id, channel, bot_id))
            payload["guild_id"] = str(guild.id)
            payload["guild_locale"] = "en-US"
            payload["guild"] = {"id": str(guild.id), "locale": "en-US", "features": []}
            payload["member"] = {**member_payload(guild, user.id), "permissions": str(user_perms)}
        else:
            payload["app_permissions"] = str(DM_PERMISSIONS)
            payload["user"] = user.payload()
        if message is not None:
            payload["message"] = message.payload()
        return payload

    def _send(
        self: FakeDiscord, payload: dict[str, Any], user: FakeUser, label: str
    ) -> Interaction:
        """Register the record, then dispatch INTERACTION_CREATE on the guild's shard."""
        if not self.gateway.sessions:
            raise AssertionError(
                "no bot is connected to the fake gateway; start a client and "
                "await fake.wait_ready() first"
            )
        ix = Interaction(self, payload, user, label)
        self.interactions[ix.id] = ix
        self._tokens[ix.token] = ix
        if not self.gateway.dispatch("INTERACTION_CREATE", payload, ix.guild_id):
            raise AssertionError(f"no gateway session handles guild {ix.guild_id}")
        return ix

    def _attachment_option(self: FakeDiscord, value: Any, channel_id: int) -> dict[str, Any]:
        """An ATTACHMENT option value (filename, bytes, content_type) served by the fake."""
        filename, data, content_type = value
        record = add_served_file(self, channel_id, filename, data, content_type)
        record["ephemeral"] = True
        return record


def _modal_submission(modal: dict[str, Any], values: dict[str, Any]) -> list[dict[str, Any]]:
    """The submitted components: the modal's rows and labels, each input carrying its value."""
    unknown = set(values) - {c.get("custom_id") for c in walk_components(modal["components"])}
    if unknown:
        raise AssertionError(f"modal {modal['custom_id']!r} has no inputs {sorted(unknown)}")

    def answer(item: dict[str, Any]) -> dict[str, Any]:
        """One submitted input: a text input's value or a select's values."""
        custom_id = item.get("custom_id")
        out: dict[str, Any] = {"type": item["type"], "id": item.get("id"), "custom_id": custom_id}
        if item["type"] != 4:
            out["values"] = list(values.get(custom_id, []))
            return out
        value = str(values.get(custom_id, item.get("value") or ""))
        low, high = item.get("min_length") or 0, item.get("max_length") or 4000
        if item.get("required", True) and not value:
            raise AssertionError(f"modal input {custom_id!r} is required")
        if value and not low <= len(value) <= high:
            raise AssertionError(
                f"modal input {custom_id!r}: length {len(value)} not in {low}-{high}"
            )
        out["value"] = value
        return out

    submitted: list[dict[str, Any]] = []
    for top in modal["components"]:
        if top["type"] == 1:
            submitted.append(
                {
                    "type": 1,
                    "id": top.get("id"),
                    "components": [answer(c) for c in top.get("components", [])],
                }
            )
        elif top["type"] == 18:
            submitted.append(
                {"type": 18, "id": top.get("id"), "component": answer(top["component"])}
            )
        else:
            submitted.append({"type": top["type"], "id": top.get("id")})
    return submitted
