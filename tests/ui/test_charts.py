"""The /stats chart: a PNG of the expected size whose bars say what the numbers say."""

from __future__ import annotations

import io
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from PIL import Image

from bot.ui.charts import (
    ANSWERED,
    CORRECT,
    HEIGHT,
    LEAST_SURE,
    MASTERY,
    WIDTH,
    TopicBar,
    _blend,
    render_stats_png,
)

ROOT = Path(__file__).resolve().parents[2]
DAYS = [(date(2026, 3, 1) + timedelta(days=i), i, i // 2) for i in range(14)]


def colours(png: bytes, top: bool = True) -> Counter[tuple[int, int, int]]:
    """How many pixels of each colour the top (mastery) or bottom (activity) panel has."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (WIDTH, HEIGHT)
    box = (0, 0, WIDTH, HEIGHT // 2) if top else (0, HEIGHT // 2, WIDTH, HEIGHT)
    counts = image.crop(box).getcolors(maxcolors=WIDTH * HEIGHT) or []
    return Counter({colour: n for n, colour in counts})


def test_paler_bars_for_less_certain_levels() -> None:
    png = render_stats_png([TopicBar("Sure", 0.6, 1.0), TopicBar("Unsure", 0.6, 0.0)], DAYS)
    seen = colours(png)
    sure, unsure = seen[MASTERY], seen[_blend(MASTERY, LEAST_SURE)]
    assert sure > 1000 and unsure > 1000
    assert abs(sure - unsure) < sure * 0.05  # the same level: bars of the same length
    assert sum(_blend(MASTERY, LEAST_SURE)) > sum(MASTERY)  # paler


def test_bar_length_follows_the_level() -> None:
    low = colours(render_stats_png([TopicBar("SQL", 0.25, 1.0)], DAYS))[MASTERY]
    high = colours(render_stats_png([TopicBar("SQL", 0.75, 1.0)], DAYS))[MASTERY]
    assert 2.7 < high / low < 3.3


def test_activity_bars_answered_and_correct() -> None:
    png = render_stats_png([TopicBar("SQL", 0.5, 0.5)], DAYS)
    bottom = colours(png, top=False)
    assert bottom[ANSWERED] > 1000 and bottom[CORRECT] > 1000
    idle = colours(render_stats_png([], [(d, 0, 0) for d, _, _ in DAYS]), top=False)
    assert idle[CORRECT] < 200  # only the legend's swatch


def test_any_numbers_and_names_render() -> None:
    odd = [
        TopicBar("x" * 300, float("nan"), float("inf")),
        TopicBar("", -1.0, 2.0),
        TopicBar("Transformers & architectures", 1.5, -0.5),
        *(TopicBar(f"Topic {i}", i / 30, i / 30) for i in range(30)),
    ]
    busy = [(d, 10_000, 9_999) for d, _, _ in DAYS] + [(date(2026, 4, 1), 0, 0)] * 40
    for topics, days in ((odd, busy), ([], []), (odd[:1], DAYS[:1])):
        png = render_stats_png(topics, days)
        assert png.startswith(b"\x89PNG")
        assert Image.open(io.BytesIO(png)).size == (WIDTH, HEIGHT)


def test_drawing_needs_no_plotting_library() -> None:
    script = (
        "import sys; from bot.ui.charts import TopicBar, render_stats_png; "
        "render_stats_png([TopicBar('SQL', 0.4, 0.2)], []); "
        "assert 'matplotlib' not in sys.modules, 'matplotlib was imported'"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)
