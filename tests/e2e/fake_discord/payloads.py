"""Discord's JSON shapes for guilds, channels, members, roles and permissions."""

from __future__ import annotations

from typing import Any

from .models import FakeChannel, FakeGuild, FakeUser

# Permission bits (https://discord.com/developers/docs/topics/permissions).
CREATE_INSTANT_INVITE = 1 << 0
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_EXTERNAL_EMOJIS = 1 << 18
CONNECT = 1 << 20
SPEAK = 1 << 21
CHANGE_NICKNAME = 1 << 26
USE_APPLICATION_COMMANDS = 1 << 31
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = 8866461766385663  # discord.Permissions.all().value in discord.py 2.7

EVERYONE_PERMISSIONS = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | CONNECT
    | SPEAK
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | SEND_MESSAGES_IN_THREADS
)
ADMIN_ROLE_PERMISSIONS = ADMINISTRATOR | MANAGE_GUILD
BOT_DENIED_WHEN_MUTED = VIEW_CHANNEL | SEND_MESSAGES
DM_PERMISSIONS = EVERYONE_PERMISSIONS & ~(CREATE_INSTANT_INVITE | CHANGE_NICKNAME)

# Gateway intent bits that decide which events a session receives.
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12


def member_permissions(
    guild: FakeGuild, user_id: int, channel: FakeChannel | None, bot_id: int
) -> int:
    """A member's total permissions in a channel, overwrites included, as Discord computes them."""
    if user_id == guild.owner_id:
        return ALL_PERMISSIONS
    member = guild.members.get(user_id)
    perms = EVERYONE_PERMISSIONS
    if member is not None and member.admin:
        perms |= ADMIN_ROLE_PERMISSIONS
    if perms & ADMINISTRATOR:
        return ALL_PERMISSIONS
    if channel is not None and user_id == bot_id and not channel.bot_can_send:
        perms &= ~BOT_DENIED_WHEN_MUTED
    return perms


def role_payloads(guild: FakeGuild) -> list[dict[str, Any]]:
    """The @everyone role (id == guild id) and the Admin role that admin members hold."""
    base = {
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }
    return [
        {
            **base,
            "id": str(guild.id),
            "name": "@everyone",
            "permissions": str(EVERYONE_PERMISSIONS),
            "position": 0,
        },
        {
            **base,
            "id": str(guild.admin_role_id),
            "name": "Admin",
            "permissions": str(ADMIN_ROLE_PERMISSIONS),
            "position": 1,
        },
    ]


def channel_payload(
    channel: FakeChannel, bot_id: int, users: dict[int, FakeUser]
) -> dict[str, Any]:
    """A guild text channel or DM channel object."""
    if channel.guild_id is None:
        recipient = users.get(channel.recipient_id or 0)
        return {
            "id": str(channel.id),
            "type": 1,
            "flags": 0,
            "last_message_id": None,
            "recipients": [recipient.payload()] if recipient else [],
        }
    overwrites = []
    if not channel.bot_can_send:
        overwrites.append(
            {"id": str(bot_id), "type": 1, "allow": "0", "deny": str(BOT_DENIED_WHEN_MUTED)}
        )
    return {
        "id": str(channel.id),
        "type": channel.type,
        "guild_id": str(channel.guild_id),
        "name": channel.name,
        "position": channel.position,
        "permission_overwrites": overwrites,
        "parent_id": None,
        "nsfw": False,
        "topic": None,
        "rate_limit_per_user": 0,
        "last_message_id": None,
        "flags": 0,
    }


def member_payload(guild: FakeGuild, user_id: int, *, with_user: bool = True) -> dict[str, Any]:
    """A guild member object; `with_user=False` gives the resolved-data form without `user`."""
    member = guild.members[user_id]
    data: dict[str, Any] = {
        "nick": None,
        "avatar": None,
        "banner": None,
        "roles": [str(guild.admin_role_id)] if member.admin else [],
        "joined_at": member.joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if with_user:
        data["user"] = member.user.payload()
    return data


def guild_rest_payload(guild: FakeGuild) -> dict[str, Any]:
    """The guild object as GET /guilds/{id} returns it (no channels or members)."""
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(guild.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": role_payloads(guild),
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": guild.channels[0].id if guild.channels else None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "max_members": 500000,
        "max_video_channel_users": 25,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
    }


def guild_create_payload(
    guild: FakeGuild, bot_id: int, users: dict[int, FakeUser], *, all_members: bool
) -> dict[str, Any]:
    """GUILD_CREATE's data; without the members intent only the bot's own member is included."""
    member_ids = [uid for uid in guild.members if all_members or uid == bot_id]
    data = guild_rest_payload(guild)
    if data["system_channel_id"] is not None:
        data["system_channel_id"] = str(data["system_channel_id"])
    data.update(
        {
            "joined_at": guild.joined_at,
            "large": False,
            "unavailable": False,
            "member_count": len(guild.members),
            "voice_states": [],
            "members": [member_payload(guild, uid) for uid in member_ids],
            "channels": [
                channel_payload(c, bot_id, users) for c in guild.channels if not c.deleted
            ],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "embedded_activities": [],
        }
    )
    return data


def application_payload(app_id: int, bot: FakeUser) -> dict[str, Any]:
    """GET /oauth2/applications/@me: the bot's application with the bot user as owner."""
    return {
        "id": str(app_id),
        "name": bot.name,
        "icon": None,
        "description": "A loopback fake of Discord's application.",
        "summary": "",
        "type": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": 0,
        "owner": bot.payload(),
        "team": None,
        "bot": bot.payload(),
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "approximate_guild_count": 0,
        "tags": [],
    }
