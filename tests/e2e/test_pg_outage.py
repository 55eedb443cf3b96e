"""PostgreSQL goes down under a running bot, then comes back: clear replies, nothing lost.

The test starts its own PostgreSQL cluster on a free port (so stopping it disturbs nobody), runs
the real bot as its own OS process against it, and stops the server with `pg_ctl -m immediate`
(a crash: no goodbye to the clients) in the middle of the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db import migrate
from bot.db.engine import make_engine
from bot.domain.errors import StoreUnavailable
from tests.e2e.fake_discord import FakeDiscord, Interaction
from tests.e2e.processes import BotProcess, start_bot
from tests.e2e.test_answer_storm import Click, feedback_of, fire, ready, stored, until

PG_BIN = Path(os.environ.get("GRADIENT_PG_BIN", "/usr/lib/postgresql/15/bin"))
TRY_AGAIN = StoreUnavailable.user_message
REPLY_WITHIN = 3.0  # seconds from the interaction to the friendly reply, as Discord's users wait

pytestmark = pytest.mark.skipif(
    not all((PG_BIN / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")),
    reason=f"PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in {PG_BIN}",
)


@dataclass
class Cluster:
    """A private PostgreSQL server: its data directory, port and URL."""

    home: Path
    port: int

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of its `postgres` database."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        # PostgreSQL refuses to run as root: run its tools as the postgres OS user then.
        command = [str(PG_BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout}\n{done.stderr}"

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 -c fsync=off"
        data, log = str(self.home / "data"), str(self.home / "server.log")
        self._run("pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "start")

    def crash(self) -> None:
        """Stop the server the hard way: clients' connections just die."""
        self._run("pg_ctl", "-D", str(self.home / "data"), "-m", "immediate", "-w", "stop")


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def private_cluster() -> AsyncIterator[Cluster]:
    """A fresh, migrated PostgreSQL cluster of our own; stopped and deleted afterwards."""
    home = Path(tempfile.mkdtemp(prefix="gradient-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
    cluster = Cluster(home, free_port())
    try:
        cluster._run("initdb", "-D", str(home / "data"), "-A", "trust", "-U", "postgres")
        cluster.start()
        await asyncio.to_thread(migrate.upgrade, cluster.url)
        yield cluster
    finally:
        with contextlib.suppress(AssertionError):
            cluster.crash()
        shutil.rmtree(home, ignore_errors=True)


def texts(ix: Interaction) -> str:
    """Everything the user was shown for an interaction: the response and every follow-up."""
    shown = [str((ix.response or {}).get("data"))]
    shown += [m.text() for m in ([ix.message] if ix.message else []) + ix.followups]
    return "\n".join(shown)


async def shown_within(fake: FakeDiscord, ix: Interaction, check: Callable[[str], bool]) -> str:
    """What the user saw, once it passes `check`; fails unless that is within REPLY_WITHIN."""
    await fake.events.wait_for(
        lambda: check(texts(ix)),
        ix.sent_at + REPLY_WITHIN,
        lambda: f"{ix.label}: no such reply within {REPLY_WITHIN}s; shown: {texts(ix)!r}",
    )
    return texts(ix)


def answered_or_sorry(ix: Interaction) -> Callable[[str], bool]:
    """A check that the user got either the answer's feedback or the friendly "try again"."""
    return lambda shown: feedback_of(ix) is not None or TRY_AGAIN in shown


async def test_a_database_outage_gets_clear_replies_and_service_resumes_by_itself() -> None:
    """PG crashes mid-run: every interaction says "try again" in 3 s; after, all works again."""
    async with private_cluster() as cluster:
        fake = FakeDiscord()
        await fake.start()
        bot: BotProcess | None = None
        try:
            guild = fake.add_guild("Outage")
            channel = fake.add_channel(guild, "general")
            ada, bo = fake.add_user("ada"), fake.add_user("bo")
            fake.add_member(guild, ada)
            fake.add_member(guild, bo)
            bot = await start_bot(fake, cluster.url)
            await ready(fake, bot)

            # Before the outage: ada answers (acknowledged), bo gets two questions to answer.
            quiz = await fake.slash(ada, "quiz", {"kind": "mcq"}, guild=guild, channel=channel)
            ada_q = await quiz.wait_message(timeout=10)
            ada_pick = next(c for c in ada_q.custom_ids() if c.startswith("gq:a:"))
            answered = await fake.click(ada, ada_q, ada_pick, guild=guild)
            await answered.wait_followup(timeout=10)
            assert feedback_of(answered) is not None, texts(answered)
            quiz = await fake.slash(bo, "quiz", {"kind": "mcq"}, guild=guild, channel=channel)
            bo_mcq = await quiz.wait_message(timeout=10)
            bo_pick = next(c for c in bo_mcq.custom_ids() if c.startswith("gq:a:"))
            quiz = await fake.slash(bo, "quiz", {"kind": "short"}, guild=guild, channel=channel)
            bo_short = await quiz.wait_message(timeout=10)
            bo_form = next(c for c in bo_short.custom_ids() if c.startswith("gq:m:"))

            cluster.crash()

            # During the outage: commands, an answer click and a form button, all at once.
            during = [
                await fake.slash(ada, "quiz", {"kind": "mcq"}, guild=guild, channel=channel),
                await fake.slash(bo, "stats", guild=guild, channel=channel),
                await fake.slash(ada, "leaderboard", guild=guild, channel=channel),
                await fake.click(bo, bo_mcq, bo_pick, guild=guild),
                await fake.click(bo, bo_short, bo_form, guild=guild),
            ]
            for ix in during:
                await shown_within(fake, ix, lambda shown: TRY_AGAIN in shown)
                assert feedback_of(ix) is None, f"{ix.label}: acknowledged during the outage"
            # A second wave, once the pool has noticed its connections are dead.
            again = [
                await fake.slash(bo, "quiz", {"kind": "mcq"}, guild=guild, channel=channel),
                await fake.click(bo, bo_mcq, bo_pick, guild=guild),
            ]
            for ix in again:
                await shown_within(fake, ix, lambda shown: TRY_AGAIN in shown)

            cluster.start()

            # The same bot process serves again: the click that failed now counts.
            assert bot.process.returncode is None, "the bot must survive the outage"
            retry = await fake.click(bo, bo_mcq, bo_pick, guild=guild)
            await shown_within(fake, retry, lambda _shown: feedback_of(retry) is not None)
            assert "Already answered" not in texts(retry), "nothing was recorded in the outage"
            fresh = await fake.slash(ada, "quiz", {"kind": "mcq"}, guild=guild, channel=channel)
            assert (await fresh.wait_message(timeout=REPLY_WITHIN)).buttons()
            opener = await fake.click(bo, bo_short, bo_form, guild=guild)
            assert (await opener.done())["type"] == 9, "the answer form opens again"
            assert fake.unanswered() == []
            assert fake.violations == [], fake.violations
            assert "unhandled error" not in bot.log, bot.log
        finally:
            if bot is not None:
                await bot.stop()
            await fake.stop()

        # Nothing acknowledged was lost: ada's answer from before, bo's from after.
        engine = make_engine(cluster.url)
        try:
            async with engine.connect() as conn:
                rows = (await conn.execute(text("SELECT user_id, answer FROM attempts"))).all()
        finally:
            await engine.dispose()
        assert sorted((int(u), str(a)) for u, a in rows) == sorted(
            [(ada.id, chr(ord("A") + int(ada_pick[-1]))), (bo.id, chr(ord("A") + int(bo_pick[-1])))]
        )


async def test_a_crash_during_an_answer_burst_loses_no_acknowledged_answer() -> None:
    """PG dies under a burst of answers: each gets feedback or "try again" in 3 s, none lost."""
    async with private_cluster() as cluster:
        fake = FakeDiscord()
        await fake.start()
        bot: BotProcess | None = None
        try:
            guild = fake.add_guild("Burst")
            channel = fake.add_channel(guild, "general")
            users = [fake.add_user(f"learner{n}") for n in range(30)]
            for user in users:
                fake.add_member(guild, user)
            bot = await start_bot(fake, cluster.url)
            await ready(fake, bot)
            clicks = []
            for _ in range(5):
                quizzes = [
                    await fake.slash(u, "quiz", {"kind": "mcq"}, guild=guild, channel=channel)
                    for u in users
                ]
                for user, ix in zip(users, quizzes, strict=True):
                    message = await ix.wait_message(timeout=15)
                    pick = next(c for c in message.custom_ids() if c.startswith("gq:a:"))
                    clicks.append(Click(user, message, pick))

            # Answers are group-committed and fast: a first wave is under way when the store
            # crashes, and the rest of the burst arrives while it is down.
            first_wave, second_wave = clicks[:40], clicks[40:]
            await fire(fake, guild, first_wave)
            await until(lambda: any(feedback_of(c.ix) for c in first_wave), "the first feedback")
            cluster.crash()
            await fire(fake, guild, second_wave)
            for click in clicks:
                assert click.ix is not None
                await shown_within(fake, click.ix, answered_or_sorry(click.ix))
            acknowledged = [c for c in clicks if feedback_of(c.ix) is not None]
            assert len(acknowledged) < len(clicks), "the crash must land mid-burst"

            cluster.start()
            retried = [
                Click(c.user, c.message, c.custom_id) for c in clicks if c not in acknowledged
            ]
            await fire(fake, guild, retried)
            await until(
                lambda: all(feedback_of(c.ix) is not None for c in retried),
                "feedback for every retried click, from the same bot process",
            )
            assert bot.process.returncode is None
            assert "unhandled error" not in bot.log, bot.log
        finally:
            if bot is not None:
                await bot.stop()
            await fake.stop()

        found = await stored(cluster.url)
        for click in acknowledged + retried:
            assert found.served.get(click.token) in {a[0] for a in found.attempts}, click
        assert len(found.attempts) == len(clicks), "one attempt per answered question"
        points: Counter[int] = Counter()
        for _id, user_id, earned, _answer in found.attempts:
            points[user_id] += earned
        assert {u: p for u, (p, _n) in found.scores.items()} == dict(points)
