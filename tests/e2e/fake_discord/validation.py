"""Discord's error shape for invalid forms, and its limits on application commands."""

from __future__ import annotations

import re
from typing import Any

COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")

Path = tuple[str | int, ...]


class Problems:
    """Collects (path, code, message) problems and renders Discord's nested `errors` object."""

    def __init__(self, prefix: Path = ()) -> None:
        self.prefix = prefix
        self.items: list[tuple[Path, str, str]] = []

    def __bool__(self) -> bool:
        return bool(self.items)

    def add(self, path: Path, code: str, message: str) -> None:
        """Record one problem at a path below the prefix."""
        self.items.append((self.prefix + path, code, message))

    def length(self, value: Any, path: Path, low: int, high: int) -> None:
        """Check a string or list length is within [low, high], Discord's wording included."""
        size = len(value) if isinstance(value, str | list) else 0
        if low <= size <= high:
            return
        if low == 0:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {high} or fewer in length.")
        else:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def errors(self) -> dict[str, Any]:
        """The nested {"0": {"name": {"_errors": [...]}}} object Discord returns."""
        root: dict[str, Any] = {}
        for path, code, message in self.items:
            node = root
            for key in path:
                node = node.setdefault(str(key), {})
            node.setdefault("_errors", []).append({"code": code, "message": message})
        return root

    def lines(self) -> list[str]:
        """One readable line per problem, like "embeds.0.title: Must be 256 or fewer in length."."""
        return [".".join(map(str, p)) + f": {m}" for p, _, m in self.items]


def check_command_list(commands: Any, problems: Problems) -> None:
    """A bulk overwrite body: a list of commands with unique (name, type) pairs."""
    if not isinstance(commands, list):
        problems.add((), "LIST_TYPE_CONVERT", "Must be a list.")
        return
    seen: set[tuple[str, int]] = set()
    for index, command in enumerate(commands):
        check_command(command, (index,), problems)
        key = (str(command.get("name")), int(command.get("type", 1)))
        if key in seen:
            problems.add(
                (index, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                f"Application command names must be unique: {key[0]}",
            )
        seen.add(key)
    if sum(1 for c in commands if c.get("type", 1) == 1) > 100:
        problems.add((), "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")


def _check_name(name: Any, path: Path, problems: Problems, *, chat_input: bool) -> None:
    if not isinstance(name, str):
        problems.add(path, "BASE_TYPE_REQUIRED", "This field is required")
    elif chat_input and (not COMMAND_NAME.match(name) or name != name.lower()):
        problems.add(path, "APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {name!r}")
    else:
        problems.length(name, path, 1, 32)


def check_command(command: dict[str, Any], path: Path, problems: Problems) -> None:
    """One command: name, description, options, and the 4000-character total."""
    kind = int(command.get("type", 1))
    _check_name(command.get("name"), (*path, "name"), problems, chat_input=kind == 1)
    description = command.get("description", "")
    if kind == 1:
        problems.length(description, (*path, "description"), 1, 100)
        _check_options(command.get("options") or [], (*path, "options"), problems, depth=0)
    elif description:
        problems.add(
            (*path, "description"),
            "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
            "Context menu commands cannot have description",
        )
    if _command_chars(command) > 4000:
        problems.add(path, "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (4000)")


def _command_chars(node: dict[str, Any]) -> int:
    total = len(str(node.get("name", ""))) + len(str(node.get("description", "")))
    for choice in node.get("choices") or []:
        total += len(str(choice.get("name", ""))) + len(str(choice.get("value", "")))
    return total + sum(_command_chars(o) for o in node.get("options") or [])


def _check_options(options: Any, path: Path, problems: Problems, *, depth: int) -> None:
    if not isinstance(options, list):
        problems.add(path, "LIST_TYPE_CONVERT", "Must be a list.")
        return
    problems.length(options, path, 0, 25)
    kinds = [int(o.get("type", 0)) for o in options]
    nesting = [k in (1, 2) for k in kinds]
    if any(nesting) and not all(nesting):
        problems.add(
            path,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-command and sub-command group option types are mutually exclusive to all "
            "other types",
        )
    seen_optional = False
    names: set[str] = set()
    for index, option in enumerate(options):
        here = (*path, index)
        kind = int(option.get("type", 0))
        _check_name(option.get("name"), (*here, "name"), problems, chat_input=True)
        problems.length(option.get("description", ""), (*here, "description"), 1, 100)
        if option.get("name") in names:
            problems.add(
                (*here, "name"), "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Duplicate name"
            )
        names.add(str(option.get("name")))
        if not 1 <= kind <= 11:
            problems.add(
                (*here, "type"), "BASE_TYPE_CHOICES", f"Value must be one of 1-11, not {kind}"
            )
        if kind in (1, 2):
            if (kind == 2 and depth > 0) or (kind == 1 and depth > 1):
                problems.add(
                    (*here, "type"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Sub-commands nest at most two levels deep",
                )
            inner = option.get("options") or []
            if kind == 2 and any(int(o.get("type", 0)) != 1 for o in inner):
                problems.add(
                    (*here, "options"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "A sub-command group may only contain sub-commands",
                )
            _check_options(inner, (*here, "options"), problems, depth=depth + 1)
            continue
        if option.get("required"):
            if seen_optional:
                problems.add(
                    (*here, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        choices = option.get("choices")
        if choices is not None:
            _check_choices(choices, (*here, "choices"), problems, kind)
            if option.get("autocomplete"):
                problems.add(
                    (*here, "autocomplete"),
                    "APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES",
                    "Autocomplete and choices are mutually exclusive",
                )


def _check_choices(choices: Any, path: Path, problems: Problems, kind: int) -> None:
    if not isinstance(choices, list):
        problems.add(path, "LIST_TYPE_CONVERT", "Must be a list.")
        return
    problems.length(choices, path, 0, 25)
    for index, choice in enumerate(choices):
        problems.length(choice.get("name"), (*path, index, "name"), 1, 100)
        value = choice.get("value")
        if kind == 3 or isinstance(value, str):
            problems.length(value, (*path, index, "value"), 1, 100)
        elif not isinstance(value, int | float) or isinstance(value, bool):
            problems.add((*path, index, "value"), "NUMBER_TYPE_COERCE", "Value is not a number.")


def check_autocomplete(data: dict[str, Any], problems: Problems) -> None:
    """An autocomplete result: at most 25 choices, names 1-100 characters."""
    _check_choices(data.get("choices"), ("choices",), problems, 0)
