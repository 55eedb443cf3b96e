"""Embeds that report progress: mock results, stats, weak topics, leaderboards, help."""

from __future__ import annotations

import discord

from bot.bank.bank import Bank
from bot.services.leaderboard import LeaderboardPage
from bot.services.mock import MockReport
from bot.services.progress import Profile, WeakTopics
from bot.ui.limits import EMBED_DESCRIPTION, EMBED_FIELD_VALUE, bullet_list, clip

BLUE = 0x5865F2
PERIOD_NAMES = {
    "week": "this week",
    "month": "this month",
    "all": "all time",
    "season": "this season",
}


def _topic(bank: Bank, slug: str | None) -> str:
    if slug is None:
        return "—"
    topic = bank.topics.get(slug)
    return topic.name if topic else slug


def _name(name: str) -> str:
    return discord.utils.escape_markdown(clip(name, 40))


def mock_report(report: MockReport, bank: Bank) -> discord.Embed:
    """The end of a mock interview."""
    embed = discord.Embed(
        title="Mock interview report",
        description=(
            f"You answered {report.answered} of {report.length} questions with an average score of "
            f"{report.average_credit:.0%} in {report.total_seconds / 60:.1f} minutes."
        ),
        colour=BLUE,
    )
    scores = [
        f"{_topic(bank, t)}: {v:.0%}"
        for t, v in sorted(report.by_topic.items(), key=lambda kv: -kv[1])
    ]
    embed.add_field(name="Score per topic", value=bullet_list(scores), inline=False)
    times = [
        f"Q{i}. {_topic(bank, a.topic)}: {a.credit:.0%}"
        + (f" in {a.seconds:.0f} s" if a.seconds is not None else "")
        for i, a in enumerate(report.answers, 1)
    ]
    embed.add_field(name="Time per answer", value=bullet_list(times), inline=False)
    embed.add_field(name="Strongest", value=_topic(bank, report.strongest), inline=True)
    embed.add_field(name="Weakest", value=_topic(bank, report.weakest), inline=True)
    embed.set_footer(text="Your weakest area is where /quiz will steer you next.")
    return embed


def profile(profile: Profile, name: str) -> discord.Embed:
    """Totals, streaks and mastery for /stats."""
    embed = discord.Embed(title=clip(f"{name}'s progress", 256), colour=BLUE)
    embed.add_field(
        name="Answers", value=f"{profile.answers} ({profile.accuracy:.0%} correct)", inline=True
    )
    embed.add_field(name="Points", value=str(profile.points), inline=True)
    embed.add_field(
        name="Streak", value=f"{profile.current_streak} (best {profile.best_streak})", inline=True
    )
    embed.add_field(name="Reviews due", value=str(profile.due_reviews), inline=True)
    if profile.topics:
        lines = [
            f"{t.name}: {t.level:.0%} · {t.attempts} answers · {t.confidence_label}"
            for t in sorted(profile.topics, key=lambda t: -t.level)
        ]
        embed.add_field(
            name="Mastery by topic", value=bullet_list(lines, EMBED_FIELD_VALUE), inline=False
        )
    else:
        embed.description = "No answers yet. Start with /quiz!"
    embed.set_image(url="attachment://stats.png")
    return embed


def weak(weak: WeakTopics, bank: Bank) -> discord.Embed:
    """The weakest topics with confidence."""
    embed = discord.Embed(title="Your weakest topics", colour=0xFEE75C)
    if weak.weakest:
        lines = [
            f"**{t.name}**: {t.level:.0%} mastery ({t.confidence_label}, {t.attempts} answers)"
            for t in weak.weakest
        ]
        embed.description = clip("\n".join(lines), EMBED_DESCRIPTION)
    else:
        embed.description = (
            "Not enough answers yet to tell. Answer at least three questions in a topic."
        )
    if weak.thin:
        thin = ", ".join(_topic(bank, t) for t in weak.thin)
        embed.add_field(
            name="Not enough answers yet", value=clip(thin, EMBED_FIELD_VALUE), inline=False
        )
    return embed


def leaderboard(page: LeaderboardPage, title_scope: str) -> discord.Embed:
    """One page of a leaderboard and the caller's own rank."""
    period = PERIOD_NAMES.get(page.period, page.period)
    embed = discord.Embed(
        title=clip(f"🏆 {title_scope} leaderboard, {period}", 256), colour=0xF1C40F
    )
    if page.entries:
        medals = {1: "🥇", 2: "🥈", 3: "🥉"}
        lines = [
            f"{medals.get(e.rank, f'`#{e.rank}`')} **{_name(e.name)}**"
            f" · {e.points} pts · {e.correct}/{e.answers} correct"
            for e in page.entries
        ]
        embed.description = "\n".join(lines)
    else:
        embed.description = "No points yet in this period. Be the first: /quiz"
    if page.me is not None:
        mine = f"You are #{page.me.rank} with {page.me.points} points."
    else:
        mine = "You have no points in this period yet."
    embed.add_field(name="Your rank", value=mine, inline=False)
    embed.set_footer(text=f"Page {page.page + 1}/{page.pages}")
    return embed


HELP = [
    (
        "/quiz [topic] [difficulty] [kind]",
        "A question picked for you: due reviews first, then your weakest topic.",
    ),
    ("/review", "Your next spaced-repetition review, or when it is due."),
    ("/behavioral [competency]", "A tell-me-about-a-time question with STAR feedback."),
    (
        "/mock [length]",
        "A timed mock interview: concept questions, then a behavioral one, with a report.",
    ),
    ("/stats [member]", "Totals, accuracy, streaks and mastery per topic, with a chart."),
    ("/weak", "Your weakest topics, and a button to drill the weakest."),
    (
        "/leaderboard [period] [scope]",
        "Top 10 of the server or the world, week, month or all time.",
    ),
    ("/daily", "Today's daily challenge in this server, and your streak."),
    ("/forget-me", "Delete everything Gradient knows about you (asks first)."),
]


def help_embed() -> discord.Embed:
    """What Gradient does and how to use it."""
    embed = discord.Embed(
        title="Gradient: interview practice from first principles",
        description=(
            "Every answer comes with the *why*. Wrong answers come back at the right time, "
            "your weakest topics get more practice, and behavioral answers get STAR coaching. "
            "Your answers and feedback are private to you; questions are posted where you ask."
        ),
        colour=BLUE,
    )
    for name, text in HELP:
        embed.add_field(name=name, value=text, inline=False)
    embed.set_footer(text="Points: easy 10, medium 20, hard 30 × your credit; daily cap 400.")
    return embed
