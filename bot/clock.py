"""The one clock every service and the scheduler read: real time in production, steered in tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def _aware_utc(moment: datetime) -> datetime:
    # A naive datetime would be read as local time: refuse it rather than guess.
    if moment.tzinfo is None:
        raise ValueError("the clock needs an aware datetime, got a naive one")
    return moment.astimezone(UTC)


class Clock:
    """Now as an aware UTC datetime, from a source (real time by default) or a set moment.

    The container builds one and hands it to every service, so a test that sets or advances it
    moves the whole application's time at once.
    """

    def __init__(self, source: Callable[[], datetime] = utcnow) -> None:
        self._source = source
        self._moment: datetime | None = None

    def __call__(self) -> datetime:
        """The current moment: the one set, or else the source's."""
        return _aware_utc(self._moment if self._moment is not None else self._source())

    def set(self, moment: datetime) -> None:
        """Stop at `moment` until set or advanced again."""
        self._moment = _aware_utc(moment)

    def advance(self, **delta: float) -> None:
        """Move forward from now by a timedelta's worth (days=1, minutes=5) and stop there."""
        self._moment = self() + timedelta(**delta)
