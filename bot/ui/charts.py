"""The /stats chart: mastery per topic and recent activity, as PNG bytes (render off the loop)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class TopicBar:
    """One topic's bar: mastery level and how sure we are."""

    name: str
    level: float
    confidence: float


def render_stats_png(
    topics: Sequence[TopicBar], activity: Sequence[tuple[date, int, int]]
) -> bytes:
    """Draw the chart; blocking, so call it through asyncio.to_thread."""
    # Imported here: matplotlib is slow to import and only /stats needs it. The object API
    # (no pyplot) keeps rendering free of global state, so it is safe in a worker thread.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 6), dpi=100)
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1, gridspec_kw={"height_ratios": [3, 2]})
    shown = list(topics)[-12:]
    if shown:
        names = [t.name for t in shown]
        levels = [100 * t.level for t in shown]
        alphas = [0.35 + 0.65 * t.confidence for t in shown]
        bars = top.barh(names, levels, color="#5865F2")
        for bar, alpha in zip(bars, alphas, strict=True):
            bar.set_alpha(alpha)
        top.set_xlim(0, 100)
        top.set_xlabel("mastery (%; paler = less certain)")
    else:
        top.text(0.5, 0.5, "No answers yet: try /quiz", ha="center", va="center")
        top.set_axis_off()
    top.set_title("Mastery by topic")
    days = [d.strftime("%d %b") for d, _, _ in activity]
    answers = [n for _, n, _ in activity]
    correct = [c for _, _, c in activity]
    bottom.bar(days, answers, color="#B9BBBE", label="answered")
    bottom.bar(days, correct, color="#57F287", label="correct")
    bottom.set_title("Last 14 days")
    bottom.tick_params(axis="x", labelrotation=60, labelsize=7)
    bottom.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
