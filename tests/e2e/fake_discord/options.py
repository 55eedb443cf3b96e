"""Finding a registered command and typing option values the way Discord's client sends them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .models import FakeChannel, FakeGuild, FakeUser
from .payloads import (
    ADMINISTRATOR,
    DM_PERMISSIONS,
    member_payload,
    member_permissions,
    role_payloads,
)

if TYPE_CHECKING:
    from .fake import FakeDiscord

MAX_SAFE_INTEGER = 2**53


@dataclass
class CommandLookup:
    """A registered command, the subcommand chain named, and the leaf whose options apply."""

    command: dict[str, Any]
    chain: list[dict[str, Any]]
    leaf: dict[str, Any]
    scope: int | None
    name: str

    @classmethod
    def find(
        cls, fake: FakeDiscord, name: str, guild: FakeGuild | None, user: FakeUser
    ) -> CommandLookup:
        """Look the command up (guild, then global); fail loudly where Discord would hide it."""
        parts = name.split()
        for scope in [*([guild.id] if guild else []), None]:
            command = next(
                (
                    c
                    for c in fake.registered.get(scope, [])
                    if c["name"] == parts[0] and c.get("type", 1) == 1
                ),
                None,
            )
            if command is not None:
                break
        else:
            known = sorted({c["name"] for cmds in fake.registered.values() for c in cmds})
            where = f"in {guild.name} or globally" if guild else "globally (DMs see only global)"
            raise AssertionError(f"/{parts[0]} is not registered {where}; registered: {known}")
        _check_visible(fake, command, name, guild, user)
        node, chain = command, []
        for part in parts[1:]:
            sub = next(
                (
                    o
                    for o in node.get("options") or []
                    if o.get("name") == part and o.get("type") in (1, 2)
                ),
                None,
            )
            if sub is None:
                subs = [o["name"] for o in node.get("options") or [] if o.get("type") in (1, 2)]
                raise AssertionError(f"/{name}: no subcommand {part!r}; there are {subs}")
            chain.append(sub)
            node = sub
        if any(o.get("type") in (1, 2) for o in node.get("options") or []):
            raise AssertionError(f"/{name} is a group; name one of its subcommands")
        return cls(command, chain, node, scope, name)

    def data(self, options: list[dict[str, Any]], resolved: dict[str, Any]) -> dict[str, Any]:
        """The application command interaction data, options nested under the subcommands."""
        for node in reversed(self.chain):
            options = [{"name": node["name"], "type": node["type"], "options": options}]
        data: dict[str, Any] = {
            "id": self.command["id"],
            "name": self.command["name"],
            "type": 1,
            "options": options,
        }
        if resolved:
            data["resolved"] = resolved
        if self.scope is not None:
            data["guild_id"] = str(self.scope)
        return data


def _check_visible(
    fake: FakeDiscord, command: dict[str, Any], name: str, guild: FakeGuild | None, user: FakeUser
) -> None:
    contexts = command.get("contexts")
    if guild is None:
        if command.get("dm_permission") is False or (contexts is not None and 1 not in contexts):
            raise AssertionError(f"/{name} is not available in DMs (contexts={contexts})")
        return
    if contexts is not None and 0 not in contexts:
        raise AssertionError(f"/{name} is not available in guilds (contexts={contexts})")
    required = command.get("default_member_permissions")
    if required is None:
        return
    perms = member_permissions(guild, user.id, None, fake.bot_user.id)
    needed = int(required)
    if not perms & ADMINISTRATOR and (needed == 0 or perms & needed != needed):
        raise AssertionError(
            f"{user.name} cannot see /{name}: it needs permissions {needed} "
            "(default_member_permissions) and Discord hides it from them"
        )


def build_options(
    fake: FakeDiscord,
    lookup: CommandLookup,
    values: dict[str, Any],
    resolved: dict[str, Any],
    guild: FakeGuild | None,
    user: FakeUser,
    *,
    focused: str | None = None,
) -> list[dict[str, Any]]:
    """Option payloads typed per the registered option types; resolved data filled in."""
    declared = {o["name"]: o for o in lookup.leaf.get("options") or []}
    unknown = set(values) - set(declared)
    if unknown:
        raise AssertionError(
            f"/{lookup.name} has no options {sorted(unknown)}; it has {sorted(declared)}"
        )
    if focused is None:
        missing = [n for n, o in declared.items() if o.get("required") and n not in values]
        if missing:
            raise AssertionError(f"/{lookup.name}: required options missing: {missing}")
    elif focused not in values or not declared[focused].get("autocomplete"):
        raise AssertionError(f"/{lookup.name}: {focused!r} must be given and have autocomplete")
    out: list[dict[str, Any]] = []
    for key, value in values.items():
        option = declared[key]
        if key == focused:
            out.append({"name": key, "type": option["type"], "value": str(value), "focused": True})
            continue
        typed = _typed(fake, lookup, option, value, resolved, guild, user)
        out.append({"name": key, "type": option["type"], "value": typed})
    return out


def _typed(
    fake: FakeDiscord,
    lookup: CommandLookup,
    option: dict[str, Any],
    value: Any,
    resolved: dict[str, Any],
    guild: FakeGuild | None,
    user: FakeUser,
) -> Any:
    kind, where = option["type"], f"/{lookup.name} option {option['name']!r}"
    if kind == 3:
        _require(isinstance(value, str), where, "a str", value)
        low, high = option.get("min_length", 0), option.get("max_length", 6000)
        _require(low <= len(value) <= high, where, f"{low}-{high} characters", value)
    elif kind in (4, 10):
        number_types = int if kind == 4 else int | float
        _require(
            isinstance(value, number_types) and not isinstance(value, bool),
            where,
            "an int" if kind == 4 else "a number",
            value,
        )
        low = option.get("min_value", -MAX_SAFE_INTEGER)
        high = option.get("max_value", MAX_SAFE_INTEGER)
        _require(low <= value <= high, where, f"between {low} and {high}", value)
    elif kind == 5:
        _require(isinstance(value, bool), where, "a bool", value)
    elif kind in (6, 9):
        _require(isinstance(value, FakeUser), where, "a FakeUser", value)
        resolved.setdefault("users", {})[str(value.id)] = value.payload()
        if guild is not None and value.id in guild.members:
            perms = member_permissions(guild, value.id, None, fake.bot_user.id)
            resolved.setdefault("members", {})[str(value.id)] = {
                **member_payload(guild, value.id, with_user=False),
                "permissions": str(perms),
            }
        return str(value.id)
    elif kind == 7:
        _require(isinstance(value, FakeChannel), where, "a FakeChannel", value)
        types = option.get("channel_types")
        _require(types is None or value.type in types, where, f"a channel of types {types}", value)
        perms = (
            member_permissions(guild, user.id, value, fake.bot_user.id) if guild else DM_PERMISSIONS
        )
        resolved.setdefault("channels", {})[str(value.id)] = {
            "id": str(value.id),
            "name": value.name,
            "type": value.type,
            "permissions": str(perms),
            "parent_id": None,
            **({"guild_id": str(value.guild_id)} if value.guild_id else {}),
        }
        return str(value.id)
    elif kind == 8:
        roles = {int(r["id"]): r for r in role_payloads(guild)} if guild else {}
        _require(isinstance(value, int) and value in roles, where, "a role id of the guild", value)
        resolved.setdefault("roles", {})[str(value)] = roles[value]
        return str(value)
    elif kind == 11:
        _require(
            isinstance(value, tuple) and len(value) == 3,
            where,
            "a (filename, bytes, content_type) tuple",
            value,
        )
        record = fake._attachment_option(value, guild.id if guild else 0)
        resolved.setdefault("attachments", {})[record["id"]] = record
        return record["id"]
    choices = option.get("choices")
    if choices is not None:
        allowed = [c["value"] for c in choices]
        _require(value in allowed, where, f"one of the choices {allowed}", value)
    return value


def _require(ok: bool, where: str, expected: str, value: Any) -> None:
    if not ok:
        raise AssertionError(f"{where} must be {expected}, got {value!r}")
