"""The /stats chart: mastery per topic and recent activity, as PNG bytes (render off the loop).

Drawn with Pillow's ImageDraw and its bundled font: a plotting library would cost the bot
tens of MB of memory and seconds of GIL per chart for two panels of plain bars.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.ImageDraw import ImageDraw
    from PIL.ImageFont import FreeTypeFont

WIDTH, HEIGHT = 800, 600
PAD = 18
MOST_TOPICS = 12
BACKGROUND = (255, 255, 255)
INK = (32, 34, 37)  # titles and labels
MUTED = (104, 108, 116)  # axis captions and ticks
GRID = (228, 230, 233)
MASTERY = (88, 101, 242)  # Discord's blurple
ANSWERED = (185, 187, 190)
CORRECT = (87, 242, 135)
# A topic's bar is blended towards the background the less sure we are of its level.
SUREST, LEAST_SURE = 1.0, 0.35
EMPTY = "No answers yet: try /quiz"


@dataclass(frozen=True)
class TopicBar:
    """One topic's bar: mastery level and how sure we are."""

    name: str
    level: float
    confidence: float


@dataclass(frozen=True)
class _Fonts:
    title: FreeTypeFont
    label: FreeTypeFont
    small: FreeTypeFont


@dataclass(frozen=True)
class _Box:
    left: int
    top: int
    right: int
    bottom: int


def render_stats_png(
    topics: Sequence[TopicBar], activity: Sequence[tuple[date, int, int]]
) -> bytes:
    """Draw the chart; blocking, so call it through asyncio.to_thread."""
    # Imported here: only /stats draws, and Pillow's image core is a few MB.
    from PIL import Image, ImageDraw

    # Fonts are built per chart (a fraction of a millisecond) rather than shared, so charts
    # drawn at once in worker threads never share a FreeType face.
    fonts = _Fonts(title=_font(18), label=_font(13), small=_font(11))
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    split = int(HEIGHT * 0.58)
    _mastery(draw, fonts, list(topics)[-MOST_TOPICS:], _Box(PAD, PAD, WIDTH - PAD, split - 10))
    _activity(draw, fonts, list(activity), _Box(PAD, split + 10, WIDTH - PAD, HEIGHT - PAD))
    buffer = io.BytesIO()
    # No `optimize`: it doubles the encoding time to save a few KB.
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _mastery(draw: ImageDraw, fonts: _Fonts, shown: list[TopicBar], box: _Box) -> None:
    """Horizontal bars, one per topic, 0 to 100 %; paler when the level is less certain."""
    draw.text((box.left, box.top), "Mastery by topic", font=fonts.title, fill=INK)
    top = box.top + _height(fonts.title) + 14
    if not shown:
        spot = ((box.left + box.right) // 2, (top + box.bottom) // 2)
        draw.text(spot, EMPTY, font=fonts.label, fill=MUTED, anchor="mm")
        return
    names = [_fit(t.name, fonts.label, 220) for t in shown]
    label_width = max(int(fonts.label.getlength(n)) for n in names)
    left = box.left + label_width + 10
    right = box.right - int(fonts.small.getlength("100%")) - 8
    bottom = box.bottom - _height(fonts.small) - _height(fonts.label) - 14
    for percent in range(0, 101, 25):
        x = left + (right - left) * percent // 100
        draw.line([(x, top), (x, bottom)], fill=GRID, width=1)
        draw.text((x, bottom + 4), str(percent), font=fonts.small, fill=MUTED, anchor="mt")
    caption = "mastery (%; paler = less certain)"
    middle = (left + right) // 2
    draw.text((middle, box.bottom), caption, font=fonts.label, fill=MUTED, anchor="md")
    row = (bottom - top) / len(shown)
    thickness = max(4.0, min(row * 0.7, 26.0))
    for i, (topic, name) in enumerate(zip(shown, names, strict=True)):
        centre = top + row * (i + 0.5)
        draw.text((left - 10, centre), name, font=fonts.label, fill=INK, anchor="rm")
        level, sure = _unit(topic.level), _unit(topic.confidence)
        colour = _blend(MASTERY, LEAST_SURE + (SUREST - LEAST_SURE) * sure)
        end = left + (right - left) * level
        if end > left:
            draw.rectangle([left, centre - thickness / 2, end, centre + thickness / 2], colour)
        draw.text((end + 5, centre), f"{level:.0%}", font=fonts.small, fill=MUTED, anchor="lm")
    draw.line([(left, top), (left, bottom)], fill=MUTED, width=1)


def _activity(draw: ImageDraw, fonts: _Fonts, days: list[tuple[date, int, int]], box: _Box) -> None:
    """Answered (grey) and correct (green) per day, overlaid, with day labels and a legend."""
    draw.text((box.left, box.top), f"Last {len(days) or 14} days", font=fonts.title, fill=INK)
    _legend(draw, fonts, box.right, box.top + _height(fonts.title) // 2)
    top = box.top + _height(fonts.title) + 16
    bottom = box.bottom - _height(fonts.small) - 6
    step, ceiling = _ticks(max((max(n, c) for _, n, c in days), default=0))
    tick_width = max(int(fonts.small.getlength(str(v))) for v in range(0, ceiling + 1, step))
    left = box.left + tick_width + 8
    for value in range(0, ceiling + 1, step):
        y = bottom - (bottom - top) * value / ceiling
        draw.line([(left, y), (box.right, y)], fill=GRID, width=1)
        draw.text((left - 6, y), str(value), font=fonts.small, fill=MUTED, anchor="rm")
    if not days:
        return
    slot = (box.right - left) / len(days)
    width = slot * 0.72
    label = max(fonts.small.getlength(d.strftime("%d %b")) for d, _, _ in days)
    every = max(1, int(label // (slot * 0.9)) + 1)  # skip labels that would touch
    for i, (day, answered, correct) in enumerate(days):
        centre = left + slot * (i + 0.5)
        for count, colour in ((answered, ANSWERED), (correct, CORRECT)):
            if count > 0:
                height = (bottom - top) * count / ceiling
                x0, x1 = centre - width / 2, centre + width / 2
                draw.rectangle([x0, bottom - height, x1, bottom], colour)
        if answered > 0:
            y = bottom - (bottom - top) * answered / ceiling - 2
            draw.text((centre, y), str(answered), font=fonts.small, fill=MUTED, anchor="md")
        if i % every == 0:
            draw.text(
                (centre, bottom + 5),
                day.strftime("%d %b"),
                font=fonts.small,
                fill=MUTED,
                anchor="mt",
            )
    draw.line([(left, bottom), (box.right, bottom)], fill=MUTED, width=1)


def _legend(draw: ImageDraw, fonts: _Fonts, right: int, middle: int) -> None:
    """Two swatches, right-aligned on the panel's title line."""
    x = float(right)
    for name, colour in (("correct", CORRECT), ("answered", ANSWERED)):
        x -= fonts.label.getlength(name)
        draw.text((x, middle), name, font=fonts.label, fill=INK, anchor="lm")
        x -= 18
        draw.rectangle([x, middle - 6, x + 12, middle + 6], colour)
        x -= 16


def _ticks(most: int) -> tuple[int, int]:
    """A round step (1, 2 or 5 × 10^k) giving at most 5 gridlines, and the axis top."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if most <= step * factor * 5:
                size = step * factor
                return size, max(size, -(-most // size) * size)
        step *= 10


def _unit(value: float) -> float:
    """The value clamped to 0..1 (0 when it is not a number)."""
    return min(max(value, 0.0), 1.0) if math.isfinite(value) else 0.0


def _blend(colour: tuple[int, int, int], opacity: float) -> tuple[int, int, int]:
    """The colour drawn at `opacity` over the white background (255 in every channel)."""
    mixed = [round(c * opacity + 255 * (1 - opacity)) for c in colour]
    return mixed[0], mixed[1], mixed[2]


def _fit(text: str, font: FreeTypeFont, width: int) -> str:
    """The text, cut with an ellipsis to fit `width` pixels."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _font(size: int) -> FreeTypeFont:
    """Pillow's bundled font at `size` pixels (scalable since Pillow 10.1, needs FreeType)."""
    from PIL import ImageFont

    font = ImageFont.load_default(size=size)
    if not isinstance(font, ImageFont.FreeTypeFont):
        raise RuntimeError("the /stats chart needs Pillow built with FreeType (the wheels are)")
    return font


def _height(font: FreeTypeFont) -> int:
    """The font's line height in pixels."""
    ascent, descent = font.getmetrics()
    return int(ascent + descent)
