"""Where the bot's CPU went, from a py-spy raw profile taken by interaction_latency.py --py-spy.

    python bench/latency_profile.py /tmp/profile.txt [--top 25]

py-spy's raw format is one line per distinct stack: frames root first, separated by ';', then
the sample count. Each sample is attributed three ways:
- to the work it served, by the outermost frame that names one (a command's handler, the
  group-committed answer batch, the gateway's parsing, logging, the event loop itself);
- to a library, by the innermost frame (where the CPU was actually spent);
- to lines: the innermost frame's file:line (self), and every frame of ours (inclusive).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?):(?P<line>\d+)\)$")
# (label, file fragment, function) — the first match from the root names the work.
WORK = [
    ("/quiz", "features/quiz/cog.py", "quiz"),
    ("Next", "features/quiz/buttons.py", "handle"),  # refined below by class, when shown
    ("answer (button/form) handler", "features/quiz/buttons.py", "answer"),
    ("open form", "features/quiz/buttons.py", "lookup"),
    ("form dispatch", "interactions/forms.py", ""),
    ("/stats chart (thread)", "ui/charts", ""),
    ("/stats", "features/progress/cog.py", "stats"),
    ("/leaderboard", "features/progress/", "leaderboard"),
    ("/leaderboard", "features/progress/board.py", ""),
    ("daily answer", "features/daily/", ""),
    ("/help", "features/account/cog.py", "help"),
    ("answer batch (group commit)", "db/group_commit.py", ""),
    ("Responder deferral (1.5 s budget ran out)", "interactions/respond.py", "_defer_after"),
    ("other button/form handler", "interactions/guard.py", "run_guarded"),
    ("command dispatch (discord.py tree)", "discord/app_commands/", ""),
    ("component dispatch (discord.py views)", "discord/ui/", ""),
    ("REST: aiohttp request write", "aiohttp/client_reqrep.py", "write_bytes"),
    ("gateway: receive + parse", "discord/gateway.py", ""),
    ("gateway: receive + parse", "discord/state.py", ""),
    ("logging", "logging/__init__.py", ""),
    ("aiosqlite worker thread", "aiosqlite/core.py", ""),
    ("asyncio.to_thread worker", "concurrent/futures/thread.py", ""),
    ("event loop", "asyncio/", ""),
]
LIBRARIES = [
    ("sqlalchemy", "sqlalchemy/"),
    ("sqlmodel", "sqlmodel/"),
    ("aiosqlite/sqlite3", "aiosqlite/"),
    ("aiosqlite/sqlite3", "sqlite3/"),
    ("asyncpg", "asyncpg/"),
    ("discord.py", "discord/"),
    ("aiohttp/yarl/multidict", "aiohttp/"),
    ("aiohttp/yarl/multidict", "yarl/"),
    ("aiohttp/yarl/multidict", "multidict/"),
    ("json", "json/"),
    ("logging", "logging/"),
    ("charts (matplotlib/PIL)", "matplotlib/"),
    ("charts (matplotlib/PIL)", "PIL/"),
    ("numpy", "numpy/"),
    ("embedding model", "tokenizers/"),
    ("embedding model", "onnxruntime/"),
    ("embedding model", "bot/domain/semantic.py"),
    ("pydantic", "pydantic"),
    ("bot.domain (grading, rules)", "bot/domain/"),
    ("bot.db (queries)", "bot/db/"),
    ("bot.ui (embeds, charts)", "bot/ui/"),
    ("bot (other)", "bot/"),
    ("asyncio", "asyncio/"),
    ("selectors/socket/ssl", "selectors.py"),
    ("selectors/socket/ssl", "socket.py"),
]


def parse(path: Path) -> list[tuple[list[tuple[str, str, int]], int]]:
    """Each stack (root first) as (function, file, line) frames, with its sample count."""
    stacks = []
    for raw in path.read_text().splitlines():
        body, _, count = raw.rpartition(" ")
        if not count.isdigit():
            continue
        frames = []
        for part in body.split(";"):
            match = FRAME.match(part.strip())
            if match:
                frames.append((match["func"], match["file"], int(match["line"])))
            else:
                frames.append((part.strip(), "", 0))  # "thread (0x…)", "process …"
        stacks.append((frames, int(count)))
    return stacks


# Where a thread sits waiting, not working (py-spy's idle detection misses these here).
IDLE = [
    ("selectors.py", "select"),
    ("aiosqlite/core.py", "_connection_worker_thread"),
    ("concurrent/futures/thread.py", "_worker"),
    ("threading.py", "wait"),
    ("queue.py", "get"),
]


def idle(frames: list[tuple[str, str, int]]) -> bool:
    """Whether the innermost frame is a wait."""
    func, file, _ = frames[-1]
    return any(f in file and func.split(".")[-1] == name for f, name in IDLE)


def work_of(frames: list[tuple[str, str, int]]) -> str:
    """What a stack was doing: the first WORK entry (in priority order) any frame matches."""
    for label, fragment, name in WORK:
        for func, file, _ in frames:
            if fragment in file and (not name or func.split(".")[-1] == name):
                if label == "Next" and not func.startswith("NextButton"):
                    continue
                return label
    # SQLAlchemy's async layer runs the ORM in greenlets: their stacks lack the caller's frames.
    if any(f in frames[0][1] for f in ("sqlalchemy/", "sqlmodel/", "/bot/db/")):
        return "SQLAlchemy ORM in a greenlet (caller unknown)"
    return "other"


def library_of(file: str) -> str:
    """The library a file belongs to."""
    for label, fragment in LIBRARIES:
        if fragment in file:
            return label
    return "other (stdlib, C)"


def short(file: str) -> str:
    """A file path from the package root (site-packages/…, bot/…)."""
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


def show(title: str, counter: Counter[str], total: int, top: int) -> None:
    """A ranked share table."""
    print(f"\n{title}")
    for key, n in counter.most_common(top):
        print(f"{n / total:>7.1%} {n:>7}  {key}")


def main() -> int:
    """Print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    stacks = parse(args.profile)
    total = sum(n for _, n in stacks)
    work: Counter[str] = Counter()
    libraries: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    threads: Counter[str] = Counter()
    waiting = 0
    mixed: Counter[tuple[str, str]] = Counter()
    for frames, n in stacks:
        real = [f for f in frames if f[1]]
        if not real:
            continue
        if idle(real):
            waiting += n
            continue
        head = frames[0][0] if not frames[0][1] else "?"
        # "thread (123): gradient-worker_0" → "gradient-worker_*": pool threads as one.
        threads[re.sub(r"_\d+$", "_*", head.split(": ", 1)[-1])] += n
        label = work_of(real)
        work[label] += n
        func, file, line = real[-1]
        libraries[library_of(file)] += n
        mixed[label, library_of(file)] += n
        leaves[f"{short(file)}:{line} {func}"] += n
        for key in {f"{short(f)}:{ln} {fn}" for fn, f, ln in real if short(f).startswith("bot/")}:
            ours[key] += n
    total -= waiting
    print(f"{total + waiting} samples in {args.profile}; {waiting} waiting (left out)")
    print("shares below are of the remaining", total, "working samples")
    show("by thread", threads, total, 8)
    show("by work (outermost frame that names it)", work, total, args.top)
    show("by library (innermost frame: where the CPU is spent)", libraries, total, args.top)
    print("\nby work, its top libraries")
    for label, n in work.most_common(12):
        inside = Counter({lib: m for (w, lib), m in mixed.items() if w == label})
        parts = ", ".join(f"{lib} {m / total:.1%}" for lib, m in inside.most_common(4))
        print(f"{n / total:>7.1%}  {label}: {parts}")
    show("hottest lines (self)", leaves, total, args.top)
    show("our frames (inclusive)", ours, total, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
