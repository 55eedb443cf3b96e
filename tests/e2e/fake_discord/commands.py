"""Application command registration routes: bulk overwrite, get, create, edit, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from .server import HttpError, HttpServer, RestRequest, invalid_form, json_response, no_content
from .validation import Problems, check_command, check_command_list

if TYPE_CHECKING:
    from .fake import FakeDiscord


class CommandRoutes:
    """Global (/applications/{app}/commands) and guild command routes."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def register(self, server: HttpServer) -> None:
        """Add the global and guild variants of every command route."""
        for prefix in ("/applications/{app_id}", "/applications/{app_id}/guilds/{guild_id}"):
            server.add("GET", prefix + "/commands", self.list_commands)
            server.add("PUT", prefix + "/commands", self.bulk_overwrite)
            server.add("POST", prefix + "/commands", self.upsert)
            server.add("GET", prefix + "/commands/{command_id}", self.get_command)
            server.add("PATCH", prefix + "/commands/{command_id}", self.edit_command)
            server.add("DELETE", prefix + "/commands/{command_id}", self.delete_command)

    def _scope(self, req: RestRequest) -> int | None:
        if req.params["app_id"] != str(self.fake.application_id):
            raise HttpError(403, 50001, "Missing Access")
        if "guild_id" not in req.params:
            return None
        guild_id = int(req.params["guild_id"]) if req.params["guild_id"].isdigit() else -1
        if guild_id not in self.fake.guilds:
            raise HttpError(403, 50001, "Missing Access")
        return guild_id

    def _stored(
        self, scope: int | None, payload: dict[str, Any], command_id: int
    ) -> dict[str, Any]:
        command: dict[str, Any] = {
            "type": 1,
            "description": "",
            "default_member_permissions": None,
            "nsfw": False,
            "integration_types": [0],
            "contexts": None,
            **payload,
            "id": str(command_id),
            "application_id": str(self.fake.application_id),
            "version": str(self.fake.ids.next()),
        }
        if scope is not None:
            command["guild_id"] = str(scope)
        return command

    def _existing_id(self, scope: int | None, payload: dict[str, Any]) -> int:
        key = (payload.get("name"), payload.get("type", 1))
        for command in self.fake.registered.get(scope, []):
            if (command["name"], command.get("type", 1)) == key:
                return int(command["id"])
        return self.fake.ids.next()

    async def list_commands(self, req: RestRequest) -> web.Response:
        """The registered commands in this scope."""
        return json_response(self.fake.registered.get(self._scope(req), []))

    async def bulk_overwrite(self, req: RestRequest) -> web.Response:
        """Replace the scope's commands, keeping the ids of commands that stay (name and type)."""
        scope = self._scope(req)
        problems = Problems()
        check_command_list(req.payload, problems)
        if problems:
            raise invalid_form(self.fake, req.where(), problems)
        commands = [self._stored(scope, c, self._existing_id(scope, c)) for c in req.payload]
        self.fake.registered[scope] = commands
        self.fake.command_syncs.append((scope, len(commands)))
        self.fake.events.notify()
        return json_response(commands)

    async def upsert(self, req: RestRequest) -> web.Response:
        """Create a command, or overwrite the one with the same name and type."""
        scope = self._scope(req)
        payload = req.payload if isinstance(req.payload, dict) else {}
        problems = Problems()
        check_command(payload, (), problems)
        if problems:
            raise invalid_form(self.fake, req.where(), problems)
        command = self._stored(scope, payload, self._existing_id(scope, payload))
        before = self.fake.registered.get(scope, [])
        others = [c for c in before if c["id"] != command["id"]]
        self.fake.registered[scope] = [*others, command]
        return json_response(command, 201 if len(others) == len(before) else 200)

    def _find(self, req: RestRequest) -> tuple[int | None, dict[str, Any]]:
        scope = self._scope(req)
        for command in self.fake.registered.get(scope, []):
            if command["id"] == req.params["command_id"]:
                return scope, command
        raise HttpError(404, 10063, "Unknown application command")

    async def get_command(self, req: RestRequest) -> web.Response:
        """One registered command."""
        return json_response(self._find(req)[1])

    async def edit_command(self, req: RestRequest) -> web.Response:
        """Apply a partial edit to one command."""
        scope, command = self._find(req)
        merged = {k: v for k, v in command.items() if k not in ("id", "application_id", "version")}
        merged.update(req.payload if isinstance(req.payload, dict) else {})
        problems = Problems()
        check_command(merged, (), problems)
        if problems:
            raise invalid_form(self.fake, req.where(), problems)
        updated = self._stored(scope, merged, int(command["id"]))
        self.fake.registered[scope] = [
            updated if c["id"] == command["id"] else c for c in self.fake.registered[scope]
        ]
        return json_response(updated)

    async def delete_command(self, req: RestRequest) -> web.Response:
        """Remove one command."""
        scope, command = self._find(req)
        self.fake.registered[scope] = [
            c for c in self.fake.registered[scope] if c["id"] != command["id"]
        ]
        return no_content()
