"""Discord's limits on messages, embeds, components and modals."""

from __future__ import annotations

from typing import Any

from .models import COMPONENTS_V2, walk_components
from .validation import Path, Problems

BUTTON, STRING_SELECT, TEXT_INPUT, TEXT_DISPLAY, LABEL = 2, 3, 4, 10, 18
SELECT_TYPES = {3, 5, 6, 7, 8}
LINK_STYLE, PREMIUM_STYLE = 5, 6


def check_message(
    payload: dict[str, Any], problems: Problems, *, files: int = 0, creating: bool = True
) -> None:
    """Content, embeds and components of a message create or (with creating=False) edit."""
    content = payload.get("content")
    if content is not None:
        problems.length(str(content), ("content",), 0, 2000)
    embeds = payload.get("embeds") or []
    if embeds:
        _check_embeds(embeds, problems)
    components = payload.get("components") or []
    if components:
        check_components(components, int(payload.get("flags") or 0), problems)
    if creating and not (
        content
        or embeds
        or components
        or files
        or payload.get("attachments")
        or payload.get("sticker_ids")
        or payload.get("poll")
    ):
        problems.add((), "EMPTY_MESSAGE", "Cannot send an empty message")


def _check_embeds(embeds: list[dict[str, Any]], problems: Problems) -> None:
    problems.length(embeds, ("embeds",), 0, 10)
    total = 0
    for index, embed in enumerate(embeds):
        here: Path = ("embeds", index)
        for key, limit in (("title", 256), ("description", 4096)):
            if embed.get(key) is not None:
                problems.length(str(embed[key]), (*here, key), 0, limit)
                total += len(str(embed[key]))
        fields = embed.get("fields") or []
        problems.length(fields, (*here, "fields"), 0, 25)
        for f_index, embed_field in enumerate(fields):
            name, value = str(embed_field.get("name", "")), str(embed_field.get("value", ""))
            problems.length(name, (*here, "fields", f_index, "name"), 1, 256)
            problems.length(value, (*here, "fields", f_index, "value"), 1, 1024)
            total += len(name) + len(value)
        for key, sub, limit in (("footer", "text", 2048), ("author", "name", 256)):
            if embed.get(key):
                text = str(embed[key].get(sub, ""))
                problems.length(text, (*here, key, sub), 1, limit)
                total += len(text)
    if total > 6000:
        problems.add(
            ("embeds",),
            "MESSAGE_EMBEDS_TOO_LONG",
            f"Embed size exceeds maximum size of 6000 ({total})",
        )


def check_components(components: list[dict[str, Any]], flags: int, problems: Problems) -> None:
    """Action rows and their buttons/selects (or any tree with components v2), ids unique."""
    path: Path = ("components",)
    if flags & COMPONENTS_V2:
        count = sum(1 for _ in walk_components(components))
        if count > 40:
            problems.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in total.")
    else:
        problems.length(components, path, 0, 5)
        for index, row in enumerate(components):
            _check_row(row, (*path, index), problems)
    for component in walk_components(components):
        if component.get("type") == BUTTON:
            _check_button_fields(component, problems)
        if component.get("type") in SELECT_TYPES:
            _check_select(component, problems)
    seen: set[str] = set()
    for custom_id in (c.get("custom_id") for c in walk_components(components)):
        if custom_id is None:
            continue
        if not isinstance(custom_id, str) or not 1 <= len(custom_id) <= 100:
            problems.add(
                path,
                "BASE_TYPE_BAD_LENGTH",
                f"custom_id must be between 1 and 100 in length: {custom_id!r}",
            )
        elif custom_id in seen:
            problems.add(
                path,
                "COMPONENT_CUSTOM_ID_DUPLICATED",
                f"Component custom id cannot be duplicated: {custom_id!r}",
            )
        seen.add(str(custom_id))


def _check_row(row: dict[str, Any], path: Path, problems: Problems) -> None:
    if row.get("type") != 1:
        problems.add(
            (*path, "type"),
            "UNION_TYPE_CHOICES",
            "Top-level components must be action rows without the components v2 flag",
        )
        return
    children = row.get("components") or []
    problems.length(children, (*path, "components"), 1, 5)
    selects = [c for c in children if c.get("type") in SELECT_TYPES]
    if selects and len(children) > 1:
        problems.add(
            (*path, "components"),
            "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
            "A select menu must be alone in its action row",
        )


def _check_button_fields(button: dict[str, Any], problems: Problems) -> None:
    where = f"button {button.get('custom_id') or button.get('url') or button.get('label')!r}"
    style = button.get("style")
    if button.get("label") is not None and len(str(button["label"])) > 80:
        problems.add(
            ("components",),
            "BASE_TYPE_MAX_LENGTH",
            f"{where}: label must be 80 or fewer in length.",
        )
    if style == LINK_STYLE:
        if not button.get("url") or button.get("custom_id"):
            problems.add(
                ("components",),
                "BUTTON_COMPONENT_LINK_INVALID",
                f"{where}: a link button needs a url and no custom_id",
            )
    elif style == PREMIUM_STYLE:
        if not button.get("sku_id") or button.get("custom_id") or button.get("url"):
            problems.add(
                ("components",),
                "BUTTON_COMPONENT_PREMIUM_INVALID",
                f"{where}: a premium button needs sku_id only",
            )
    elif style in (1, 2, 3, 4):
        if not button.get("custom_id") or button.get("url"):
            problems.add(
                ("components",),
                "BUTTON_COMPONENT_CUSTOM_ID_REQUIRED",
                f"{where}: a non-link button needs a custom_id and no url",
            )
        if not button.get("label") and not button.get("emoji"):
            problems.add(
                ("components",),
                "BUTTON_COMPONENT_LABEL_REQUIRED",
                f"{where}: a button needs a label or an emoji",
            )
    else:
        problems.add(("components",), "BASE_TYPE_CHOICES", f"{where}: invalid style {style!r}")


def _check_select(select: dict[str, Any], problems: Problems) -> None:
    where = f"select {select.get('custom_id')!r}"
    if select.get("placeholder") is not None and len(str(select["placeholder"])) > 150:
        problems.add(("components",), "BASE_TYPE_MAX_LENGTH", f"{where}: placeholder over 150")
    if select.get("type") == STRING_SELECT:
        options = select.get("options") or []
        if not 1 <= len(options) <= 25:
            problems.add(("components",), "BASE_TYPE_BAD_LENGTH", f"{where}: needs 1-25 options")
        for option in options:
            for key in ("label", "value", "description"):
                if option.get(key) is not None and len(str(option[key])) > 100:
                    problems.add(
                        ("components",), "BASE_TYPE_MAX_LENGTH", f"{where}: option {key} over 100"
                    )
        low, high = int(select.get("min_values", 1)), int(select.get("max_values", 1))
        if not 0 <= low <= high <= max(len(options), 1):
            problems.add(
                ("components",), "BASE_TYPE_BAD_LENGTH", f"{where}: min/max values invalid"
            )


def check_modal(data: dict[str, Any], problems: Problems) -> None:
    """A modal: title 1-45, custom_id 1-100, 1-5 rows/labels of text inputs or selects."""
    problems.length(data.get("title"), ("title",), 1, 45)
    problems.length(data.get("custom_id"), ("custom_id",), 1, 100)
    components = data.get("components")
    if not isinstance(components, list):
        problems.add(("components",), "BASE_TYPE_REQUIRED", "This field is required")
        return
    problems.length(components, ("components",), 1, 5)
    seen: set[str] = set()
    for index, top in enumerate(components):
        here: Path = ("components", index)
        kind = top.get("type")
        if kind == 1:
            inner = top.get("components") or []
            problems.length(inner, (*here, "components"), 1, 1)
            for child in inner:
                _check_modal_input(child, (*here, "components", 0), problems, seen, labelled=False)
        elif kind == LABEL:
            problems.length(top.get("label"), (*here, "label"), 1, 45)
            if top.get("description") is not None:
                problems.length(top["description"], (*here, "description"), 0, 100)
            _check_modal_input(
                top.get("component") or {}, (*here, "component"), problems, seen, labelled=True
            )
        elif kind == TEXT_DISPLAY:
            problems.length(top.get("content"), (*here, "content"), 1, 4000)
        else:
            problems.add(
                (*here, "type"),
                "UNION_TYPE_CHOICES",
                f"Component type {kind} is not allowed in a modal",
            )


def _check_modal_input(
    item: dict[str, Any], path: Path, problems: Problems, seen: set[str], *, labelled: bool
) -> None:
    custom_id = item.get("custom_id")
    problems.length(custom_id, (*path, "custom_id"), 1, 100)
    if custom_id in seen:
        problems.add(
            (*path, "custom_id"),
            "COMPONENT_CUSTOM_ID_DUPLICATED",
            "Component custom id cannot be duplicated",
        )
    seen.add(str(custom_id))
    if item.get("type") in SELECT_TYPES:
        if not labelled:
            problems.add(
                (*path, "type"), "UNION_TYPE_CHOICES", "Selects in modals must be inside a label"
            )
        _check_select(item, problems)
        return
    if item.get("type") != TEXT_INPUT:
        problems.add(
            (*path, "type"),
            "UNION_TYPE_CHOICES",
            f"Component type {item.get('type')} is not allowed here",
        )
        return
    if item.get("style") not in (1, 2):
        problems.add((*path, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2}.")
    if labelled:
        if item.get("label"):
            problems.add(
                (*path, "label"),
                "TEXT_INPUT_LABEL_IN_LABEL",
                "A text input inside a label cannot have its own label",
            )
    else:
        problems.length(item.get("label"), (*path, "label"), 1, 45)
    for key, low, high in (("min_length", 0, 4000), ("max_length", 1, 4000)):
        value = item.get(key)
        if value is not None and not (isinstance(value, int) and low <= value <= high):
            problems.add(
                (*path, key), "NUMBER_TYPE_MAX", f"{key} must be between {low} and {high}."
            )
    if item.get("placeholder") is not None:
        problems.length(item["placeholder"], (*path, "placeholder"), 0, 100)
    if item.get("value") is not None:
        problems.length(item["value"], (*path, "value"), 0, 4000)
