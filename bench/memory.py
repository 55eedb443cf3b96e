"""Resident memory of the bot, connected to the fake Discord, after thousands of interactions.

    python bench/memory.py [--guilds 2500] [--members 50] [--interactions 10000]

The fake Discord (tests/e2e/fake_discord) runs in this process with `--guilds` servers of
`--members` members each; the bot runs as its own process (`python -m bot run` through
tests/e2e/bot_process.py) on a migrated SQLite file and the real question bank, so its VmRSS
in /proc/<pid>/status is the bot's alone. Users then run /quiz, answer it, /leaderboard, /stats
and /help in turns, several at once. The baseline, measured in the same run against the same
fake: a bare discord.py client (the same intents, discord.py's default caches), then the same
process after loading the grader's embedding model, which gives the model's share. The last
line is the summary: guilds=… interactions=… rss_mb=…
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

CONCURRENCY = 8
# RSS is read right after the last interaction, then again after this long idle (the bot hands
# freed heap back to the system every bot.app.TRIM_EVERY_SECONDS).
SETTLE_SECONDS = 8.0


def rss_mb(pid: int | str = "self") -> tuple[float, float]:
    """VmRSS and VmHWM (peak) of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def mappings_mb(pid: int) -> dict[str, float]:
    """Resident MB by mapping in /proc/<pid>/smaps: anonymous memory (Python's objects and
    every native allocation), the brk heap, and each file mapped (shared libraries)."""
    resident: dict[str, float] = {}
    name = "anonymous"
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split(maxsplit=5)
        if "-" in head[0] and len(head) >= 5 and ":" in head[3]:  # a mapping's header line
            name = head[5].strip() if len(head) > 5 else "anonymous"
            if "site-packages/" in name:
                name = name.split("site-packages/")[1].split("/")[0]
            name = Path(name).name if name.startswith("/") else name
        elif head[0] == "Rss:":
            resident[name] = resident.get(name, 0.0) + int(head[1]) / 1024
    return resident


def bare_client() -> int:
    """The child process: a bare discord.py client on the fake, then the grader's model."""
    from tests.e2e.bot_process import _aim_at_fake

    _aim_at_fake(os.environ["GRADIENT_FAKE_API"], os.environ["GRADIENT_FAKE_GATEWAY"])
    import discord

    chosen = discord.Intents.none()
    chosen.guilds = True  # Gradient's intents (bot.app.intents), without importing the bot
    client = discord.AutoShardedClient(intents=chosen)

    @client.event
    async def on_ready() -> None:
        await asyncio.sleep(1.0)
        bare, _ = rss_mb()
        from bot.domain.semantic import Embedder

        Embedder.load()
        loaded, _ = rss_mb()
        print(f"bare {len(client.guilds)} {bare:.1f} {loaded:.1f}", file=sys.stderr, flush=True)

    client.run(os.environ["DISCORD_TOKEN"], log_handler=None)
    return 0


async def drive(
    fake: Any, places: list[Any], total: int, order: list[str], seed: int
) -> dict[str, int]:
    """`total` interactions by random members, CONCURRENCY at a time; counts by kind."""
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    per_worker = total // CONCURRENCY

    async def worker(n: int) -> None:
        done = 0
        while done < n:
            guild, channel, members = rng.choice(places)
            user = rng.choice(members)
            question = None
            for kind in order:
                if done >= n:
                    break
                if kind == "quiz":
                    ix = await fake.slash(
                        user, "quiz", {"kind": "mcq"}, guild=guild, channel=channel
                    )
                    await ix.done(timeout=30)
                    question = await ix.wait_message(timeout=30)
                elif kind == "answer":
                    assert question is not None
                    answers = [c for c in question.custom_ids() if c.startswith("gq:a:")]
                    ix = await fake.click(user, question, rng.choice(answers), guild=guild)
                    await ix.done(timeout=30)
                elif kind == "leaderboard":
                    options = {"scope": rng.choice(["server", "global"])}
                    ix = await fake.slash(
                        user, "leaderboard", options, guild=guild, channel=channel
                    )
                    await ix.done(timeout=30)
                else:
                    ix = await fake.slash(user, kind, {}, guild=guild, channel=channel)
                    await ix.done(timeout=30)
                counts[kind] = counts.get(kind, 0) + 1
                done += 1

    await asyncio.gather(*(worker(per_worker) for _ in range(CONCURRENCY)))
    return counts


async def main() -> int:
    """Build the servers, measure the bare client, then the bot before and after the load."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guilds", type=int, default=2500)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--interactions", type=int, default=10_000)
    parser.add_argument(
        "--kinds",
        default="quiz,answer,leaderboard,stats,help",
        help="the interactions each user runs in turn (to see what one kind costs)",
    )
    args = parser.parse_args()
    from bot.bank.bank import DEFAULT_BANK_DIR
    from bot.db import migrate
    from tests.e2e.fake_discord import FakeDiscord
    from tests.e2e.processes import READY_LINE, BotProcess, start_bot

    fake = FakeDiscord(interaction_deadline=30.0)
    await fake.start()
    places = []
    for g in range(args.guilds):
        guild = fake.add_guild(f"Study group {g}")
        channel = fake.add_channel(guild, "general")
        members = []
        for m in range(args.members - 1):  # the owner is a member too
            user = fake.add_user(f"learner{g}-{m}")
            fake.add_member(guild, user)
            members.append(user)
        places.append((guild, channel, members))
    try:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),
            "DISCORD_TOKEN": fake.token,
            "GRADIENT_FAKE_API": fake.api_base(),
            "GRADIENT_FAKE_GATEWAY": fake.gateway_url,
        }
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            str(HERE),
            "--bare-client",
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        bare = BotProcess(child)
        bare._reader = asyncio.create_task(bare._read())
        await bare.wait_for("bare ", timeout=120)
        _, seen, bare_rss, model_rss = next(x for x in bare.lines if x.startswith("bare ")).split()
        await bare.stop()
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            await asyncio.to_thread(migrate.upgrade, url)
            bot = await start_bot(fake, url, QUESTIONS_DIR=str(DEFAULT_BANK_DIR))
            try:
                await bot.wait_for(READY_LINE, timeout=300)
                await asyncio.sleep(2.0)  # settle
                pid = bot.process.pid
                ready, _ = rss_mb(pid)
                started = time.perf_counter()
                counts = await drive(fake, places, args.interactions, args.kinds.split(","), seed=1)
                elapsed = time.perf_counter() - started
                busy, _ = rss_mb(pid)
                await asyncio.sleep(SETTLE_SECONDS)
                after, peak = rss_mb(pid)
                mapped = mappings_mb(pid)
            finally:
                await bot.stop()
    finally:
        await fake.stop()
    done = sum(counts.values())
    model = float(model_rss) - float(bare_rss)
    print(f"{args.guilds} servers × {args.members} members; {seen} seen by the bare client")
    print(
        f"{done} interactions in {elapsed:.0f} s: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )
    print(f"{'process':<38}{'RSS MB':>8}")
    for name, value in (
        ("bare discord.py client", float(bare_rss)),
        ("  + the grader's embedding model", float(model_rss)),
        ("Gradient, connected, idle", ready),
        (f"Gradient right after {done} interactions", busy),
        (f"  the same, {SETTLE_SECONDS:.0f} s later", after),
        ("Gradient peak (VmHWM)", peak),
    ):
        print(f"{name:<38}{value:>8.1f}")
    print(f"grader model share: {model:.1f} MB ({model / after:.0%} of the bot's RSS)")
    top = sorted(mapped.items(), key=lambda kv: -kv[1])[:8]
    print("where the RSS is, by mapping: " + ", ".join(f"{k} {v:.1f}" for k, v in top))
    print(f"guilds={args.guilds} interactions={done} rss_mb={after:.1f}")
    return 0


if __name__ == "__main__":
    if "--bare-client" in sys.argv:
        sys.exit(bare_client())
    sys.exit(asyncio.run(main()))
