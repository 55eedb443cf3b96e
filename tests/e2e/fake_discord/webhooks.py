"""Interaction callbacks, followups and @original edits (the routes without a bot token)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .message_limits import check_message, check_modal
from .messages import apply_edit, create_message, delete_message, number_components
from .models import INTERACTION_KINDS, LOADING, FakeChannel, Interaction, Message
from .server import HttpError, HttpServer, RestRequest, invalid_form, json_response, no_content
from .validation import Problems, check_autocomplete

if TYPE_CHECKING:
    from .fake import FakeDiscord

# Callback types Discord accepts for each interaction type (4 = autocomplete takes only 8).
ALLOWED_CALLBACKS = {1: {1}, 2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}
CHAT_INPUT_COMMAND_MESSAGE = 20


class InteractionRoutes:
    """POST /interactions/{id}/{token}/callback and /webhooks/{app}/{token}[/messages/{id}]."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def register(self, server: HttpServer) -> None:
        """Add the routes; like Discord, none of them needs the bot token."""
        server.add(
            "POST", "/interactions/{interaction_id}/{token}/callback", self.callback, auth=False
        )
        server.add("POST", "/webhooks/{app_id}/{token}", self.followup, auth=False)
        route = "/webhooks/{app_id}/{token}/messages/{message_id}"
        server.add("GET", route, self.get_message, auth=False)
        server.add("PATCH", route, self.edit_message, auth=False)
        server.add("DELETE", route, self.delete_message, auth=False)

    def _channel(self, ix: Interaction) -> FakeChannel:
        channel = self.fake.channels.get(ix.channel_id or 0)
        if channel is None or channel.deleted:
            raise HttpError(404, 10003, "Unknown Channel")
        return channel

    async def callback(self, req: RestRequest) -> web.Response:
        """The initial response: checked for type, deadline, double-ack and form limits."""
        fake = self.fake
        interaction_id = req.params["interaction_id"]
        ix = fake.interactions.get(int(interaction_id)) if interaction_id.isdigit() else None
        if ix is None or ix.token != req.params["token"]:
            raise HttpError(404, 10062, "Unknown interaction")
        payload: dict[str, Any] = req.payload if isinstance(req.payload, dict) else {}
        kind, data = payload.get("type"), payload.get("data") or {}
        where = f"{ix.label} callback"
        if ix.response is not None:
            fake.violations.append(f"{where}: the interaction was acknowledged twice")
            raise HttpError(400, 40060, "Interaction has already been acknowledged.")
        elapsed = asyncio.get_running_loop().time() - ix.sent_at
        if elapsed > fake.interaction_deadline:
            ix.late_callbacks.append(payload)
            fake.violations.append(
                f"{where}: initial response (type {kind}) arrived {elapsed:.2f}s after the "
                f"interaction was sent; Discord's deadline is {fake.interaction_deadline:g}s "
                "and it answers 404 10062 Unknown interaction"
            )
            fake.events.notify()
            raise HttpError(404, 10062, "Unknown interaction")
        problems = self._check(ix, kind, data, len(req.uploads))
        if problems:
            error = invalid_form(fake, where, problems)
            ix.rejections.extend(problems.lines())
            fake.events.notify()
            raise error
        self._apply(ix, kind, data, req)
        ix.response = payload
        ix.responded_at = asyncio.get_running_loop().time()
        fake.events.notify()
        if not req.flag("with_response"):
            return no_content()
        return json_response(self._callback_body(ix, int(kind)))

    def _check(self, ix: Interaction, kind: Any, data: dict[str, Any], files: int) -> Problems:
        problems = Problems(("data",))
        allowed = ALLOWED_CALLBACKS.get(ix.type, set())
        if kind not in allowed or (kind in (6, 7) and ix.clicked is None):
            problems.prefix = ()
            problems.add(
                ("type",),
                "INTERACTION_RESPONSE_TYPE_INVALID",
                f"Callback type {kind} is not valid for a "
                f"{INTERACTION_KINDS.get(ix.type, ix.type)} interaction",
            )
        elif kind == 4:
            check_message(data, problems, files=files)
        elif kind == 7:
            assert ix.clicked is not None
            check_message({"flags": ix.clicked.flags, **data}, problems, creating=False)
        elif kind == 8:
            check_autocomplete(data, problems)
        elif kind == 9:
            check_modal(data, problems)
        return problems

    def _apply(self, ix: Interaction, kind: Any, data: dict[str, Any], req: RestRequest) -> None:
        fake = self.fake
        msg_type = CHAT_INPUT_COMMAND_MESSAGE if ix.type == 2 else 0
        if kind == 4:
            ix.message = create_message(
                fake,
                self._channel(ix),
                data,
                req.uploads,
                author=fake.bot_user,
                ix=ix,
                msg_type=msg_type,
            )
        elif kind == 5:
            ix.message = create_message(
                fake,
                self._channel(ix),
                {"flags": data.get("flags")},
                [],
                author=fake.bot_user,
                ix=ix,
                msg_type=msg_type,
                extra_flags=LOADING,
            )
        elif kind == 6:
            ix.message = ix.clicked
        elif kind == 7:
            assert ix.clicked is not None
            apply_edit(fake, ix.clicked, data, req.uploads)
            ix.message = ix.clicked
        elif kind == 9:
            number_components(data.get("components") or [])
            ix.modal = data

    @staticmethod
    def _callback_body(ix: Interaction, kind: int) -> dict[str, Any]:
        """The interaction callback response object discord.py asks for with ?with_response."""
        inner: dict[str, Any] = {"id": str(ix.id), "type": ix.type}
        resource: dict[str, Any] = {"type": kind}
        if kind in (4, 5, 7) and ix.message is not None:
            inner["response_message_id"] = str(ix.message.id)
            inner["response_message_loading"] = kind == 5
            inner["response_message_ephemeral"] = ix.message.ephemeral
            if kind != 5:
                resource["message"] = ix.message.payload()
        return {"interaction": inner, "resource": resource}

    def _interaction(self, req: RestRequest) -> Interaction:
        fake = self.fake
        ix = fake.interaction_by_token(req.params["token"])
        if req.params["app_id"] != str(fake.application_id) or ix is None:
            raise HttpError(404, 10015, "Unknown Webhook")
        if asyncio.get_running_loop().time() - ix.sent_at > fake.token_ttl:
            raise HttpError(404, 10015, "Unknown Webhook")
        if ix.response is None:
            # the token only works once the interaction was acknowledged in time
            raise HttpError(404, 10015, "Unknown Webhook")
        return ix

    def _target(self, req: RestRequest, ix: Interaction) -> Message:
        wanted = req.params["message_id"]
        candidates = [ix.message, *ix.followups] if wanted != "@original" else [ix.message]
        for message in candidates:
            if (
                message is not None
                and not message.deleted
                and (wanted == "@original" or str(message.id) == wanted)
            ):
                return message
        raise HttpError(404, 10008, "Unknown Message")

    async def followup(self, req: RestRequest) -> web.Response:
        """A followup; after a type 5 deferral the first one fills the "thinking" message."""
        fake = self.fake
        ix = self._interaction(req)
        payload: dict[str, Any] = req.payload if isinstance(req.payload, dict) else {}
        problems = Problems()
        check_message(payload, problems, files=len(req.uploads))
        if problems:
            ix.rejections.extend(problems.lines())
            raise invalid_form(fake, f"{ix.label} followup", problems)
        if ix.response_type == 5 and ix.message is not None and ix.message.loading:
            apply_edit(fake, ix.message, payload, req.uploads)
            message = ix.message
        else:
            message = create_message(
                fake,
                self._channel(ix),
                payload,
                req.uploads,
                author=fake.bot_user,
                ix=ix,
                original=ix.message,
            )
        ix.followups.append(message)
        fake.events.notify()
        return json_response(message.payload()) if req.flag("wait") else no_content()

    async def get_message(self, req: RestRequest) -> web.Response:
        """The original response or a followup."""
        ix = self._interaction(req)
        return json_response(self._target(req, ix).payload())

    async def edit_message(self, req: RestRequest) -> web.Response:
        """Edit @original (filling a deferral) or a followup."""
        ix = self._interaction(req)
        message = self._target(req, ix)
        payload: dict[str, Any] = req.payload if isinstance(req.payload, dict) else {}
        problems = Problems()
        check_message({"flags": message.flags, **payload}, problems, creating=False)
        if problems:
            ix.rejections.extend(problems.lines())
            raise invalid_form(self.fake, f"{ix.label} edit {req.params['message_id']}", problems)
        apply_edit(self.fake, message, payload, req.uploads)
        return json_response(message.payload())

    async def delete_message(self, req: RestRequest) -> web.Response:
        """Delete @original or a followup."""
        ix = self._interaction(req)
        delete_message(self.fake, self._target(req, ix))
        return no_content()
