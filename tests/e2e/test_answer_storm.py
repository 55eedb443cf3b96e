"""A storm of answers, a SIGKILL in the middle of it, a restart: no acknowledged answer is lost.

The bot is its own OS process (tests/e2e/processes.py). The test is black-box: it only clicks
buttons through the fake Discord and reads the database afterwards, so it holds whatever the
answer path does inside (one transaction per click or a group-commit batcher).
"""

from __future__ import annotations

import asyncio
import random
import signal
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import text

from bot.db.engine import make_engine
from bot.db.models import GLOBAL_SCOPE
from bot.domain.periods import Period
from tests.e2e.fake_discord import FakeChannel, FakeDiscord, FakeGuild, FakeUser, Interaction
from tests.e2e.fake_discord.models import Message
from tests.e2e.processes import BotProcess, start_bot

KILLED = -signal.SIGKILL
USERS = 80  # 400 questions served; 100 of them are clicked twice
QUIZZES_PER_USER = 5  # under the study commands' cooldown of 6 per 30 s
CLICKS = 500
KILL_AFTER = 150  # feedback replies seen before the bot is killed


@dataclass
class Click:
    """One answer click: which served question, by whom, and the interaction it became."""

    user: FakeUser
    message: Message
    custom_id: str
    ix: Interaction | None = None

    @property
    def token(self) -> str:
        """The served question's token, from gq:a:<token>:<choice>."""
        return self.custom_id.split(":")[2]

    @property
    def letter(self) -> str:
        """The option clicked, as the answer is stored: A for choice 0."""
        return chr(ord("A") + int(self.custom_id.split(":")[3]))


def feedback_of(ix: Interaction | None) -> Message | None:
    """The private answer feedback an interaction received (it carries a Next button), if any."""
    if ix is None:
        return None
    replies = ([ix.message] if ix.message is not None else []) + ix.followups
    for reply in replies:
        if reply.ephemeral and any(c.startswith("gq:n:") for c in reply.custom_ids()):
            return reply
    return None


async def until(check: object, what: str, limit: float = 30.0) -> None:
    """Until check() is true, or fail naming `what`."""
    assert callable(check)
    loop = asyncio.get_running_loop()
    end = loop.time() + limit
    while not check():
        assert loop.time() < end, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def ready(fake: FakeDiscord, bot: BotProcess) -> None:
    """The bot is connected and its commands are registered."""
    await bot.wait_for("connected as")
    await until(lambda: bool(fake.commands()), "the command sync")


async def serve_questions(
    fake: FakeDiscord, guild: FakeGuild, channel: FakeChannel, users: list[FakeUser]
) -> list[tuple[FakeUser, Message]]:
    """/quiz kind:mcq, QUIZZES_PER_USER times for every user; each posted question."""
    limit = asyncio.Semaphore(25)

    async def one(user: FakeUser) -> tuple[FakeUser, Message]:
        async with limit:
            ix = await fake.slash(user, "quiz", {"kind": "mcq"}, guild=guild, channel=channel)
            message = await ix.wait_message(timeout=15)
        assert any(c.startswith("gq:a:") for c in message.custom_ids()), message.text()
        return user, message

    served: list[tuple[FakeUser, Message]] = []
    for _ in range(QUIZZES_PER_USER):
        served += await asyncio.gather(*(one(u) for u in users))
    return served


def plan_clicks(served: list[tuple[FakeUser, Message]], rng: random.Random) -> list[Click]:
    """One click per served question, then second clicks (another option) on some of them."""
    clicks = []
    for user, message in served:
        choices = [c for c in message.custom_ids() if c.startswith("gq:a:")]
        clicks.append(Click(user, message, rng.choice(choices)))
    for user, message in rng.sample(served, CLICKS - len(served)):
        choices = [c for c in message.custom_ids() if c.startswith("gq:a:")]
        clicks.append(Click(user, message, rng.choice(choices)))
    rng.shuffle(clicks)
    return clicks


async def fire(fake: FakeDiscord, guild: FakeGuild, clicks: list[Click]) -> None:
    """Send every click at once, without waiting for any answer."""
    for click in clicks:
        click.ix = await fake.click(click.user, click.message, click.custom_id, guild=guild)


@dataclass
class Stored:
    """What the database holds after the storm."""

    attempts: list[tuple[int, int, int, str]]  # id, user, points, answer
    served: dict[str, int | None]  # token: attempt id
    scores: dict[int, tuple[int, int]]  # user: (points, answers), all-time global


async def stored(db_url: str) -> Stored:
    """The attempts, the served questions' links to them, and the all-time global scores."""
    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            attempts = await conn.execute(text("SELECT id, user_id, points, answer FROM attempts"))
            served = await conn.execute(text("SELECT token, attempt_id FROM served_questions"))
            scores = await conn.execute(
                text(
                    "SELECT user_id, points, answers FROM scores WHERE scope = :s AND period = :p"
                ),
                {"s": GLOBAL_SCOPE, "p": Period.ALL.value},
            )
            return Stored(
                [(int(i), int(u), int(p), str(a)) for i, u, p, a in attempts],
                {str(t): None if a is None else int(a) for t, a in served},
                {int(u): (int(p), int(n)) for u, p, n in scores},
            )
    finally:
        await engine.dispose()


async def test_a_kill_during_an_answer_storm_loses_and_doubles_nothing(db_url: str) -> None:
    """SIGKILL mid-storm, restart, re-click: every acknowledged answer is stored once and scored."""
    rng = random.Random(20261203)
    fake = FakeDiscord()
    await fake.start()
    bot: BotProcess | None = None
    try:
        guild = fake.add_guild("Storm")
        channel = fake.add_channel(guild, "general")
        users = [fake.add_user(f"learner{n}") for n in range(USERS)]
        for user in users:
            fake.add_member(guild, user)
        bot = await start_bot(fake, db_url)
        await ready(fake, bot)
        served = await serve_questions(fake, guild, channel, users)
        clicks = plan_clicks(served, rng)
        assert len(clicks) == CLICKS

        # The storm: 500 clicks at once; the bot is killed once some feedback has gone out.
        await fire(fake, guild, clicks)
        await until(
            lambda: sum(feedback_of(c.ix) is not None for c in clicks) >= KILL_AFTER,
            f"{KILL_AFTER} feedback replies before the kill",
        )
        bot.process.kill()
        assert await bot.exited() == KILLED, bot.log
        acknowledged = [c for c in clicks if feedback_of(c.ix) is not None]
        assert KILL_AFTER <= len(acknowledged) < CLICKS, "the kill must land mid-storm"

        # Restart and click again everything that got no feedback.
        logs = [bot.log]
        bot = await start_bot(fake, db_url)
        await ready(fake, bot)
        retried = [Click(c.user, c.message, c.custom_id) for c in clicks if c not in acknowledged]
        await fire(fake, guild, retried)
        await until(
            lambda: all(feedback_of(c.ix) is not None for c in retried),
            "feedback for every re-sent click",
            limit=40,
        )
        logs.append(bot.log)
        assert fake.violations == [], fake.violations
    finally:
        if bot is not None:
            await bot.stop()
        await fake.stop()

    assert not [log for log in logs if "unhandled error" in log], "a bug was logged"
    found = await stored(db_url)
    attempts, by_token = found.attempts, found.served
    answer_of = {a[0]: a[3] for a in attempts}

    # Every click that got feedback, before the kill or after, points at a stored attempt, and
    # a verdict on a fresh answer (not "Already answered") is about the option that was stored.
    for click in acknowledged + retried:
        attempt_id = by_token.get(click.token)
        assert attempt_id in answer_of, f"acknowledged, then lost: {click.custom_id}"
        feedback = feedback_of(click.ix)
        assert feedback is not None
        if "Already answered" not in feedback.text():
            assert answer_of[attempt_id] == click.letter, (
                f"told one answer, stored another: {click}"
            )
    # One attempt per served question: no served question was scored twice.
    linked = Counter(a for a in by_token.values() if a is not None)
    assert all(n == 1 for n in linked.values()), "two served questions share an attempt"
    assert len(attempts) == len(linked) == len({c.token for c in clicks}), (
        f"{len(attempts)} attempts for {len({c.token for c in clicks})} answered questions"
    )
    # Each learner's all-time global score is exactly the sum of their attempts.
    points: Counter[int] = Counter()
    answers: Counter[int] = Counter()
    for _id, user_id, earned, _answer in attempts:
        points[user_id] += earned
        answers[user_id] += 1
    assert found.scores == {u: (points[u], answers[u]) for u in answers}, (
        "scores drifted from attempts"
    )
    assert sum(points.values()) > 0, "some answers must have earned points"
