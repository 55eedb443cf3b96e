"""Turn start-up failures into one clear sentence instead of a traceback."""

from __future__ import annotations

import sys

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.bank.problems import BankError
from bot.container import SchemaOutOfDate, safe_url


def explain(exc: BaseException, database_url: str) -> str | None:
    """A friendly message for a known start-up failure, or None for a real bug."""
    where = safe_url(database_url)
    if isinstance(exc, BankError):
        return f"the bank cannot be loaded, nothing was started.\n{exc}"
    if isinstance(exc, SchemaOutOfDate):
        return str(exc)
    text = str(getattr(exc, "orig", None) or exc)
    if isinstance(exc, (OperationalError, DBAPIError)):
        if "readonly" in text or "read-only" in text:
            return f"the database at {where} is read-only; make the file writable and try again."
        if "unable to open" in text:
            return f"cannot open the database file at {where}; is its folder there and writable?"
        return f"cannot use the database at {where}: {text.splitlines()[0]}"
    if isinstance(exc, (OSError, ConnectionError)):
        return f"cannot reach the database at {where}: {exc}"
    return None


def fail_clearly(exc: Exception, database_url: str) -> int:
    """Print a known start-up failure as one line and return exit code 1; re-raise a real bug."""
    message = explain(exc, database_url)
    if message is None:
        raise exc
    print(f"gradient: {message}", file=sys.stderr)
    return 1
