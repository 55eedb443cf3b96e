"""Discord's size limits, and helpers that trim gracefully instead of failing."""

from __future__ import annotations

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELD_NAME = 256
EMBED_FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_TOTAL = 6000
EMBED_FIELDS = 25
BUTTON_LABEL = 80
CUSTOM_ID = 100
MODAL_TITLE = 45
TEXT_INPUT_LABEL = 45
TEXT_INPUT_MAX = 4000
CHOICES = 25
CHOICE_NAME = 100
ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """Text cut to `limit` characters at a word boundary where possible, marked with an ellipsis."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + ELLIPSIS


def bullet_list(
    items: list[str] | tuple[str, ...], limit: int = EMBED_FIELD_VALUE, mark: str = "•"
) -> str:
    """A bulleted list that fits `limit`, saying how many items were left out."""
    lines: list[str] = []
    used = 0
    for i, item in enumerate(items):
        line = f"{mark} {item}"
        remaining = len(items) - i
        tail = f"\n…and {remaining} more" if remaining > 1 else ""
        if used + len(line) + 1 + len(tail) > limit:
            lines.append(f"…and {remaining} more")
            break
        lines.append(line)
        used += len(line) + 1
    return clip("\n".join(lines), limit) if lines else "—"
