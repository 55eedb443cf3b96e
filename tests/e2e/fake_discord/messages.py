"""Creating, editing and deleting the messages the fake holds, and registering their files."""

from __future__ import annotations

import mimetypes
from typing import TYPE_CHECKING, Any, NamedTuple

from .models import (
    EPHEMERAL,
    LOADING,
    FakeChannel,
    FakeUser,
    Interaction,
    Message,
    iso_now,
    walk_components,
)
from .payloads import INTENT_DIRECT_MESSAGES, INTENT_GUILD_MESSAGES, member_payload

if TYPE_CHECKING:
    from .fake import FakeDiscord

# Flags a bot may set on a message it sends; anything else is dropped as Discord does.
SETTABLE_FLAGS = (1 << 2) | EPHEMERAL | (1 << 12) | (1 << 15)


class Upload(NamedTuple):
    """One file part of a multipart request (`files[n]`)."""

    index: int
    filename: str
    content_type: str
    data: bytes


def add_served_file(
    fake: FakeDiscord, channel_id: int, filename: str, data: bytes, content_type: str | None
) -> dict[str, Any]:
    """Register bytes at a URL under the fake and return Discord's attachment object for them."""
    attachment_id = fake.ids.next()
    guessed = mimetypes.guess_type(filename)[0]
    if not content_type or content_type == "application/octet-stream":
        content_type = guessed or "application/octet-stream"
    path = f"/attachments/{channel_id}/{attachment_id}/{filename}"
    fake.served_files[path] = (data, content_type)
    url = fake.url + path
    return {
        "id": str(attachment_id),
        "filename": filename,
        "size": len(data),
        "url": url,
        "proxy_url": url,
        "content_type": content_type,
    }


def _attachments(
    fake: FakeDiscord, message: Message, payload: dict[str, Any], uploads: list[Upload]
) -> None:
    """Keep the attachments the payload lists by id and add the uploaded files it refers to."""
    by_index = {u.index: u for u in uploads}
    listed = payload.get("attachments")
    if listed is None:
        listed = [*message.attachments, *({"id": u.index} for u in uploads)]
    kept: list[dict[str, Any]] = []
    files: dict[str, bytes] = {}
    old = {a["id"]: a for a in message.attachments}
    for entry in listed:
        key = str(entry.get("id"))
        if key in old:
            kept.append(old[key])
            files[old[key]["filename"]] = message.files.get(old[key]["filename"], b"")
            continue
        upload = by_index.get(int(key)) if key.isdigit() else None
        if upload is None:
            continue
        filename = entry.get("filename") or upload.filename
        record = add_served_file(
            fake, message.channel_id, filename, upload.data, upload.content_type
        )
        if entry.get("description"):
            record["description"] = entry["description"]
        kept.append(record)
        files[filename] = upload.data
    message.attachments, message.files = kept, files


def interaction_metadata(ix: Interaction, original: Message | None = None) -> dict[str, Any]:
    """The interaction_metadata Discord attaches to messages an interaction produced."""
    data: dict[str, Any] = {
        "id": str(ix.id),
        "type": ix.type,
        "user": ix.user.payload(),
        "authorizing_integration_owners": ix.payload.get("authorizing_integration_owners", {}),
    }
    if ix.type == 2:
        data["name"] = ix.payload.get("data", {}).get("name")
        data["command_type"] = 1
    if ix.clicked is not None:
        data["interacted_message_id"] = str(ix.clicked.id)
    if original is not None:
        data["original_response_message_id"] = str(original.id)
    return data


def create_message(
    fake: FakeDiscord,
    channel: FakeChannel,
    payload: dict[str, Any],
    uploads: list[Upload],
    *,
    author: FakeUser,
    ix: Interaction | None = None,
    msg_type: int = 0,
    extra_flags: int = 0,
    original: Message | None = None,
) -> Message:
    """Store a new message (from the bot, a user, or an interaction) and announce it."""
    flags = (int(payload.get("flags") or 0) & SETTABLE_FLAGS) | extra_flags
    if ix is None:
        flags &= ~EPHEMERAL
    message = Message(
        id=fake.ids.next(),
        channel_id=channel.id,
        author_id=author.id,
        author=author.payload(),
        content=str(payload.get("content") or ""),
        embeds=list(payload.get("embeds") or []),
        components=number_components(list(payload.get("components") or [])),
        flags=flags,
        guild_id=channel.guild_id,
        type=msg_type,
    )
    if ix is not None:
        message.interaction_id = ix.id
        message.webhook_id = fake.application_id
        message.application_id = fake.application_id
        message.interaction_metadata = interaction_metadata(ix, original)
        if ix.type == 2:
            message.legacy_interaction = {
                "id": str(ix.id),
                "type": 2,
                "name": ix.payload.get("data", {}).get("name"),
                "user": ix.user.payload(),
            }
    _attachments(fake, message, payload, uploads)
    fake.messages[message.id] = message
    announce(fake, "MESSAGE_CREATE", message)
    return message


def apply_edit(
    fake: FakeDiscord, message: Message, payload: dict[str, Any], uploads: list[Upload]
) -> None:
    """Apply a PATCH-style partial edit; filling a deferred placeholder clears its loading flag."""
    if "content" in payload:
        message.content = str(payload["content"] or "")
    if "embeds" in payload:
        message.embeds = list(payload["embeds"] or [])
    if "components" in payload:
        message.components = number_components(list(payload["components"] or []))
    if "flags" in payload and payload["flags"] is not None:
        keep = message.flags & (EPHEMERAL | (1 << 15))
        message.flags = keep | (int(payload["flags"]) & SETTABLE_FLAGS & ~EPHEMERAL)
    if "attachments" in payload or uploads:
        _attachments(fake, message, payload, uploads)
    was_loading = message.loading
    message.flags &= ~LOADING
    message.edited_timestamp = None if was_loading else iso_now()
    announce(fake, "MESSAGE_UPDATE", message)


def delete_message(fake: FakeDiscord, message: Message) -> None:
    """Mark a message deleted and announce it."""
    message.deleted = True
    if not message.ephemeral:
        data: dict[str, Any] = {"id": str(message.id), "channel_id": str(message.channel_id)}
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
        intent = INTENT_GUILD_MESSAGES if message.guild_id else INTENT_DIRECT_MESSAGES
        fake.gateway.dispatch("MESSAGE_DELETE", data, message.guild_id, intent=intent)
    fake.events.notify()


def announce(fake: FakeDiscord, event: str, message: Message) -> None:
    """Dispatch MESSAGE_CREATE/UPDATE to sessions whose intents ask for it (never ephemerals)."""
    fake.events.notify()
    if message.ephemeral:
        return
    data = message.payload()
    guild = fake.guilds.get(message.guild_id or 0)
    if guild is not None and message.author_id in guild.members:
        data["member"] = member_payload(guild, message.author_id, with_user=False)
    intent = INTENT_GUILD_MESSAGES if message.guild_id else INTENT_DIRECT_MESSAGES
    fake.gateway.dispatch(event, data, message.guild_id, intent=intent)


def number_components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give every component a numeric `id` where the bot left none, as Discord does."""
    used = {c["id"] for c in walk_components(components) if isinstance(c.get("id"), int)}
    next_id = 1
    for component in walk_components(components):
        if not isinstance(component.get("id"), int):
            while next_id in used:
                next_id += 1
            component["id"] = next_id
            used.add(next_id)
    return components
