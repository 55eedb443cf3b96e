"""Interaction latency under a study-night load: 200 learners, then a daily-challenge burst.

    python bench/interaction_latency.py                          # SQLite (a migrated file)
    python bench/interaction_latency.py --backend postgresql     # BENCH_DATABASE_URL (h_lat)
    python bench/interaction_latency.py --users 50 --seconds 20 --attempts 100000   # quick

The fake Discord (tests/e2e/fake_discord) runs in this process; the bot runs as its own process
(`python -m bot run` through tests/e2e/bot_process.py) on the real question bank and a database
seeded with `--seeded-users` users and `--attempts` attempts (bench/latency_seed.py). Three
phases, each learner pausing 2–5 s like a human before every action (bench/latency_users.py):

- floor: every learner runs /help, which touches no database: what any interaction costs;
- mixed, for `--seconds`: /quiz, answer (a button, or the form for short and explain-it
  questions), Next, answer, /leaderboard, /stats, over and over;
- burst: every learner answers the posted daily challenge within one second.

Latency is from the fake dispatching INTERACTION_CREATE to it accepting the bot's first response;
a miss is no first response within 3 s. "follow-up" is the time until the first follow-up (the
/stats chart, an answer's private feedback). Bot CPU is utime+stime of the bot process from
/proc/<pid>/stat over each phase. `--py-spy FILE` samples the bot during mixed and burst (raw
collapsed stacks; see bench/latency_profile.py), which slows it: time a run without it.
The last line sums up mixed and burst, without the floor:
  backend=… p50_ms=… p99_ms=… floor_p99_ms=… cpu_ms_per_interaction=… deadline_misses=…
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.latency_seed import reset_postgres, seed
from bench.latency_users import Learner, Record, Tracker, ids
from bot.bank.bank import DEFAULT_BANK_DIR, Bank, load_bank
from bot.db import migrate
from tests.e2e.fake_discord import FakeChannel, FakeDiscord, FakeGuild, FakeUser
from tests.e2e.fake_discord.models import Message
from tests.e2e.processes import READY_LINE, BotProcess, start_bot

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/h_lat")
TICK = os.sysconf("SC_CLK_TCK")


def cpu_ms(pid: int | str = "self", thread: int | None = None) -> float:
    """utime + stime of a process (every thread), or of one of its threads, in milliseconds."""
    where = f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat"
    stat = Path(where).read_text()
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / TICK


def pct(values: list[float], p: float) -> float:
    """The nearest-rank percentile (NaN for no values)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


class Phase:
    """A phase's records, wall time and CPU of the bot and of this (the fake's) process."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.records: list[Record] = []
        self.seconds = self.bot_cpu = self.loop_cpu = self.fake_cpu = 0.0

    async def run(
        self, tracker: Tracker, pid: int, work: Sequence[Callable[[], Awaitable[None]]]
    ) -> None:
        """Run every learner's part; measure around it."""
        first = len(tracker.records)
        # The main thread (its id is the pid) runs the event loop; SQLite and charts have threads.
        bot0, loop0, me0 = cpu_ms(pid), cpu_ms(pid, pid), cpu_ms()
        t0 = time.perf_counter()
        await asyncio.gather(*(w() for w in work))
        self.seconds = time.perf_counter() - t0
        self.bot_cpu, self.loop_cpu = cpu_ms(pid) - bot0, cpu_ms(pid, pid) - loop0
        self.fake_cpu = cpu_ms() - me0
        self.records = tracker.records[first:]


def table(phases: list[Phase]) -> None:
    """Per phase and command: latency percentiles, misses, follow-ups; then per phase: CPU."""
    head = f"{'phase':<7}{'command':<18}{'n':>6}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}"
    print(head + f"{'miss':>6}{'fail':>6}{'fu p50':>8}{'fu p99':>8}   (ms)")
    for phase in phases:
        for command in dict.fromkeys(r.command for r in phase.records):
            rows = [r for r in phase.records if r.command == command]
            first = [r.first_ms for r in rows if r.first_ms is not None]
            follow = [r.followup_ms for r in rows if r.followup_ms is not None]
            line = f"{phase.name:<7}{command:<18}{len(rows):>6}"
            line += "".join(f"{pct(first, p):>8.0f}" for p in (0.5, 0.95, 0.99, 1.0))
            line += f"{sum(r.missed for r in rows):>6}{sum(r.failed for r in rows):>6}"
            line += "".join(f"{pct(follow, p):>8.0f}" for p in (0.5, 0.99)) if follow else ""
            print(line)
    for phase in phases:
        failures: dict[str, str] = {}
        for r in phase.records:
            if r.failed and r.command not in failures:
                reply = r.ix.message or (r.ix.followups[0] if r.ix.followups else None)
                said = reply.text() if reply else str((r.ix.response or {}).get("data"))
                failures[r.command] = " ".join(said.split())[:110]
        for command, said in failures.items():
            print(f"  {phase.name} {command} failed, e.g.: {said}")
    print(
        f"{'phase':<7}{'interactions':>13}{'seconds':>9}{'per s':>8}{'bot cpu ms':>12}"
        f"{'ms/ix':>8}{'bot %core':>10}{'loop %core':>11}{'fake %core':>11}"
    )
    for phase in phases:
        n = len(phase.records)
        print(
            f"{phase.name:<7}{n:>13}{phase.seconds:>9.1f}{n / phase.seconds:>8.1f}"
            f"{phase.bot_cpu:>12.0f}{phase.bot_cpu / max(n, 1):>8.1f}"
            # CPU ms per wall second / 10 is percent of one core.
            f"{phase.bot_cpu / phase.seconds / 10:>10.0f}"
            f"{phase.loop_cpu / phase.seconds / 10:>11.0f}"
            f"{phase.fake_cpu / phase.seconds / 10:>11.0f}"
        )


async def wait(predicate: Callable[[], bool], what: str, limit: float = 120.0) -> None:
    """Until predicate() holds, or fail naming `what` (set-up only)."""
    end = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def post_daily(
    fake: FakeDiscord, admin: FakeUser, guild: FakeGuild, channel: FakeChannel
) -> Message:
    """Configure the server's daily challenge and post it now, as an admin would."""
    later = (datetime.now(UTC) + timedelta(hours=12)).strftime("%H:%M")  # never during the run
    options = {"channel": channel, "time": later, "timezone": "UTC"}
    ix = await fake.slash(admin, "gradient daily set", options, guild=guild, channel=channel)
    await ix.done(timeout=30)
    ix = await fake.slash(admin, "gradient daily now", {}, guild=guild, channel=channel)
    await ix.wait_message(timeout=60)
    for message in reversed(fake.channel_messages(channel)):
        if ids(message, "dc:"):
            return message
    raise AssertionError(f"no daily post; the admin was told: {(await ix.wait_message()).text()}")


async def start_profiler(pid: int, out: str, gil: bool) -> asyncio.subprocess.Process:
    """py-spy sampling the bot (raw collapsed stacks, one line per stack and thread)."""
    binary = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    command = [binary, "record", "--pid", str(pid), "--rate", "100", "--format", "raw"]
    command += ["--gil"] if gil else []
    return await asyncio.create_subprocess_exec(
        *command,
        "--threads",
        "--full-filenames",
        "--output",
        out,
        stdout=asyncio.subprocess.DEVNULL,
    )


async def main() -> int:
    """Seed, start the bot against the fake, run the three phases, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--users", type=int, default=200, help="simulated learners")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the mixed phase")
    parser.add_argument("--floor-seconds", type=float, default=20.0)
    parser.add_argument("--attempts", type=int, default=1_000_000, help="seeded attempts")
    parser.add_argument("--seeded-users", type=int, default=20_000)
    parser.add_argument("--py-spy", metavar="FILE", help="profile the bot into FILE (raw)")
    parser.add_argument("--py-spy-gil", action="store_true", help="sample the GIL holder only")
    args = parser.parse_args()
    rng = random.Random(7)
    fake = FakeDiscord(interaction_deadline=3.0)
    await fake.start()
    tracker = Tracker(fake)
    tracker.hook()
    guild = fake.add_guild("Study hall")
    channel = fake.add_channel(guild, "study")
    admin = fake.add_user("admin")
    fake.add_member(guild, admin, admin=True)
    users = [fake.add_user(f"learner{i}") for i in range(args.users)]
    for user in users:
        fake.add_member(guild, user)
    bank = await asyncio.to_thread(load_bank, DEFAULT_BANK_DIR)
    tmp = tempfile.TemporaryDirectory()
    try:
        if args.backend == "sqlite":
            url = f"sqlite+aiosqlite:///{Path(tmp.name) / 'bench.db'}"
            await asyncio.to_thread(migrate.upgrade, url)
        else:
            url = PG_URL
            await reset_postgres(url)
        active = [(u.id, u.name) for u in [admin, *users]]
        print(
            await seed(
                url,
                bank,
                guild=(guild.id, guild.name),
                active=active,
                users=args.seeded_users,
                attempts=args.attempts,
                now=datetime.now(UTC),
            ),
            flush=True,
        )
        bot = await start_bot(fake, url, QUESTIONS_DIR=str(DEFAULT_BANK_DIR))
        try:
            await bot.wait_for(READY_LINE, timeout=300)
            await wait(lambda: bool(fake.registered), "the command sync")
            post = await post_daily(fake, admin, guild, channel)
            phases = await run_phases(
                args, fake, tracker, bot, bank, users, admin, guild, channel, post, rng
            )
        finally:
            await bot.stop()
    finally:
        await fake.stop()
        tmp.cleanup()
    report(args, phases)
    return 0


async def run_phases(
    args: argparse.Namespace,
    fake: FakeDiscord,
    tracker: Tracker,
    bot: BotProcess,
    bank: Bank,
    users: list[FakeUser],
    probe: FakeUser,
    guild: FakeGuild,
    channel: FakeChannel,
    post: Message,
    rng: random.Random,
) -> list[Phase]:
    """floor, then mixed, then burst."""
    pid = bot.process.pid
    assert pid is not None
    learners = [
        Learner(fake, tracker, bank, u, guild, channel, random.Random(rng.random())) for u in users
    ]
    loop = asyncio.get_running_loop()
    floor, mixed, burst = Phase("floor"), Phase("mixed"), Phase("burst")
    for learner in learners:
        learner.phase, learner.end = "floor", loop.time() + args.floor_seconds
    await floor.run(tracker, pid, [learner.floor for learner in learners])
    profiler = await start_profiler(pid, args.py_spy, args.py_spy_gil) if args.py_spy else None
    prober = Learner(fake, tracker, bank, probe, guild, channel, random.Random(3))
    for learner in [*learners, prober]:
        learner.phase, learner.end = "mixed", loop.time() + args.seconds
    await mixed.run(tracker, pid, [learner.study for learner in learners] + [prober.probe])
    await asyncio.sleep(2.0)  # the last group commits and follow-ups settle
    order = list(range(len(learners)))
    rng.shuffle(order)

    def answer_daily(learner: Learner, delay: float) -> Callable[[], Awaitable[None]]:
        learner.phase = "burst"
        return lambda: learner.daily(post, delay)

    # Every learner answers within one second, in a random order.
    work = [answer_daily(learner, order[i] / len(learners)) for i, learner in enumerate(learners)]
    await burst.run(tracker, pid, work)
    if profiler is not None:
        profiler.send_signal(signal.SIGINT)
        await profiler.wait()
    return [floor, mixed, burst]


def report(args: argparse.Namespace, phases: list[Phase]) -> None:
    """The tables, then the summary line."""
    floor, mixed, burst = phases
    print(
        f"{args.users} learners; {args.seeded_users} users and {args.attempts} attempts seeded; "
        f"backend {args.backend}"
    )
    table(phases)
    # The probe is a floor measured under load: like the floor, it is left out of the summary.
    loaded = [r for r in mixed.records + burst.records if r.command != "/help (probe)"]
    first = [r.first_ms for r in loaded if r.first_ms is not None]
    floor_first = [r.first_ms for r in floor.records if r.first_ms is not None]
    cpu = (mixed.bot_cpu + burst.bot_cpu) / max(len(loaded), 1)
    print(
        f"backend={args.backend} p50_ms={pct(first, 0.5):.0f} p99_ms={pct(first, 0.99):.0f} "
        f"floor_p99_ms={pct(floor_first, 0.99):.0f} cpu_ms_per_interaction={cpu:.1f} "
        f"deadline_misses={sum(r.missed for r in loaded)}"
    )


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
