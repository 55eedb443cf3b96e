"""A Gradient bot as its own OS process, for tests: the real entry point, aimed at a fake Discord.

The parent test runs the fake and passes its URLs in the environment. GRADIENT_TEST_DIE makes
the process fail at a chosen point of the daily post, the way a crash would: `before-post`
(claimed, nothing sent) and `after-post` (sent, the message id not yet stored) kill it with
SIGKILL; `store-fails-once` makes storing the message id fail once with a database error.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

import yarl
from discord import gateway, http


def _aim_at_fake(api: str, ws: str) -> None:
    route = http.Route
    setter = http._set_api_version

    def set_api_version(value: int) -> None:
        setter(value)
        route.BASE = api

    route.BASE = api
    http._set_api_version = set_api_version
    gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(ws)


def _die_at(point: str) -> None:
    from bot.features.daily.poster import DailyPoster

    original = DailyPoster.post

    async def post(self: DailyPoster, *args: Any, **kwargs: Any) -> int:
        if point == "before-post":
            os.kill(os.getpid(), signal.SIGKILL)
        message_id = await original(self, *args, **kwargs)
        if point == "after-post":
            os.kill(os.getpid(), signal.SIGKILL)
        return message_id

    DailyPoster.post = post  # type: ignore[method-assign]


def _store_fails_once() -> None:
    from sqlalchemy.exc import OperationalError

    from bot.services.daily import DailyService

    original = DailyService.mark_posted
    failed: list[bool] = []

    async def mark_posted(self: DailyService, *args: Any, **kwargs: Any) -> None:
        if not failed:
            failed.append(True)
            raise OperationalError("UPDATE daily_challenges", {}, Exception("disk I/O error"))
        await original(self, *args, **kwargs)

    DailyService.mark_posted = mark_posted  # type: ignore[method-assign]


def main() -> int:
    """Run `python -m bot run` against the fake named in the environment."""
    _aim_at_fake(os.environ["GRADIENT_FAKE_API"], os.environ["GRADIENT_FAKE_GATEWAY"])
    point = os.environ.get("GRADIENT_TEST_DIE")
    if point == "store-fails-once":
        _store_fails_once()
    elif point:
        _die_at(point)
    from bot.__main__ import main as gradient

    return gradient(["run"])


if __name__ == "__main__":
    sys.exit(main())
