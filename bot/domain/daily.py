"""Daily-challenge rules: local post times across DST, and a fair question per server and day."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.domain.errors import GradientError

_HHMM = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*$")


class DailyStatus(StrEnum):
    """A daily challenge's life: claimed before it is sent, posted, then revealed the next day."""

    CLAIMED = "claimed"
    POSTED = "posted"
    REVEALED = "revealed"


class BadSchedule(GradientError):
    """A time or timezone that cannot be used."""


def parse_time(text: str) -> time:
    """'7:30', '07:30', '19.05' → a time; a friendly error otherwise."""
    match = _HHMM.match(text)
    if match is None:
        raise BadSchedule(f"“{text[:20]}” isn't a time. Use 24-hour HH:MM, like 09:00 or 18:30.")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise BadSchedule(f"“{text[:20]}” isn't a time of day. Use 00:00 to 23:59.")
    return time(hour, minute)


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name this system knows, sorted (for autocomplete)."""
    return tuple(sorted(available_timezones()))


def parse_zone(name: str) -> ZoneInfo:
    """An IANA zone such as Europe/Berlin; a friendly error otherwise."""
    cleaned = name.strip().replace(" ", "_")
    by_fold = {z.casefold(): z for z in zone_names()}
    real = by_fold.get(cleaned.casefold())
    if real is None:
        raise BadSchedule(
            f"“{name[:40]}” isn't a timezone I know. Pick one from the list, e.g. Europe/Berlin."
        )
    try:
        return ZoneInfo(real)
    except ZoneInfoNotFoundError as exc:  # pragma: no cover - listed zones load
        raise BadSchedule(f"The timezone {real} can't be loaded here.") from exc


def local_date(moment: datetime, zone: ZoneInfo | str) -> date:
    """The calendar date of an aware instant in a zone or a zone name (DST handled by zoneinfo)."""
    return moment.astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone).date()


def post_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """When `day`'s post happens: the local wall time, moved forward out of a DST gap."""
    local = datetime.combine(day, at, tzinfo=zone)
    # fold=0 picks the first of two repeated times (autumn); a time skipped in spring does not
    # exist, and its round trip through UTC lands later: post at the first real instant.
    roundtrip = local.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if roundtrip.replace(tzinfo=None) != local.replace(tzinfo=None):
        return roundtrip.astimezone(ZoneInfo("UTC"))
    return local.astimezone(ZoneInfo("UTC"))


def next_post(now: datetime, at: time, zone: ZoneInfo) -> datetime:
    """The next post instant strictly after `now` (UTC)."""
    today = local_date(now, zone)
    for offset in (0, 1, 2):
        candidate = post_instant(today + timedelta(days=offset), at, zone)
        if candidate > now:
            return candidate
    raise AssertionError("unreachable: a post exists every day")


def due_today(now: datetime, at: time, zone: ZoneInfo) -> date | None:
    """The local date whose post time has passed today (so it may be caught up), else None."""
    today = local_date(now, zone)
    return today if post_instant(today, at, zone) <= now else None


def choose_question(
    pool: Sequence[str], guild_id: int, day: date, used: Sequence[str]
) -> str | None:
    """A question for a guild and day: stable for that pair, never repeated until the pool runs out.

    `used` is the guild's past daily questions, oldest first. Once every pool question has been
    used, a new cycle starts with only the current cycle's questions excluded.
    """
    candidates = sorted(set(pool))
    if not candidates:
        return None
    in_pool = [q for q in used if q in set(candidates)]
    cycle_start = (len(in_pool) // len(candidates)) * len(candidates)
    this_cycle = set(in_pool[cycle_start:])
    fresh = [q for q in candidates if q not in this_cycle] or candidates
    digest = hashlib.sha256(f"{guild_id}:{day.isoformat()}".encode()).digest()
    return fresh[int.from_bytes(digest[:8], "big") % len(fresh)]
