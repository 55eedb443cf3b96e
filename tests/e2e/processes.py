"""Starting, waiting for and killing Gradient bot processes that talk to the test's fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import TEST_BANK
from tests.e2e.fake_discord import FakeDiscord

ROOT = Path(__file__).resolve().parents[2]
READY_LINE = "connected as"


@dataclass
class BotProcess:
    """One bot process and everything it logged."""

    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None

    async def _read(self) -> None:
        assert self.process.stderr is not None
        while line := await self.process.stderr.readline():
            self.lines.append(line.decode(errors="replace").rstrip())

    @property
    def log(self) -> str:
        """Everything the process logged so far."""
        return "\n".join(self.lines)

    async def wait_for(self, text: str, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Until the process logs `text`; fails if it exits or the time runs out."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while not any(text in line for line in self.lines):
            if self.process.returncode is not None:
                raise AssertionError(f"the bot exited ({self.process.returncode}):\n{self.log}")
            if loop.time() > end:
                raise AssertionError(f"the bot never logged {text!r}:\n{self.log}")
            await asyncio.sleep(0.05)

    async def exited(self, timeout: float = 30.0) -> int:  # noqa: ASYNC109
        """The exit code, once the process has ended."""
        code = await asyncio.wait_for(self.process.wait(), timeout)
        if self._reader is not None:
            await self._reader
        return code

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
            try:
                await self.exited(10)
            except TimeoutError:
                self.process.kill()
                await self.exited(10)


async def start_bot(
    fake: FakeDiscord, db_url: str, *, die: str | None = None, **settings: str
) -> BotProcess:
    """Start `python -m bot run` in a new process against the fake; returns once it starts."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "DISCORD_TOKEN": fake.token,
        "DATABASE_URL": db_url,
        "QUESTIONS_DIR": str(TEST_BANK),
        "LOG_LEVEL": "INFO",
        "GRADIENT_FAKE_API": fake.api_base(),
        "GRADIENT_FAKE_GATEWAY": fake.gateway_url,
        **settings,
    }
    if die is not None:
        env["GRADIENT_TEST_DIE"] = die
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.e2e.bot_process",
        cwd=str(ROOT),
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    bot = BotProcess(process)
    bot._reader = asyncio.create_task(bot._read())
    return bot
