"""Typed settings, read once from the environment (and `.env`) by the entry point."""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.bank.bank import DEFAULT_BANK_DIR

SUPPORTED_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


class Settings(BaseSettings):
    """Everything Gradient can be configured with; see the README's settings table."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr | None = Field(default=None, alias="DISCORD_TOKEN")
    database_url: str = Field(default="sqlite+aiosqlite:///gradient.db", alias="DATABASE_URL")
    questions_dir: Path = Field(default=DEFAULT_BANK_DIR, alias="QUESTIONS_DIR")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    dev_guild_id: int | None = Field(default=None, alias="DEV_GUILD_ID", gt=0)
    db_timeout_seconds: float = Field(default=8.0, alias="DB_TIMEOUT_SECONDS", ge=0.5, le=120)
    daily_claim_lease_seconds: float = Field(
        default=120.0, alias="DAILY_CLAIM_LEASE_SECONDS", ge=1, le=3600
    )

    @field_validator("discord_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("dev_guild_id", mode="before")
    @classmethod
    def _blank_guild_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        value = value.strip()
        # Common spellings get the async driver Gradient needs.
        for plain, driver in (
            ("postgres://", "postgresql+asyncpg://"),
            ("postgresql://", "postgresql+asyncpg://"),
            ("sqlite://", "sqlite+aiosqlite://"),
        ):
            if value.startswith(plain):
                value = driver + value.removeprefix(plain)
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(f"not a database URL: {value!r}") from exc
        if url.drivername not in SUPPORTED_DRIVERS:
            raise ValueError(f"use one of {', '.join(SUPPORTED_DRIVERS)}, got {url.drivername!r}")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"use one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("questions_dir")
    @classmethod
    def _existing_dir(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(f"{value} is not a folder")
        return value

    @property
    def log_level_number(self) -> int:
        """The logging module's number for LOG_LEVEL."""
        return int(logging.getLevelName(self.log_level))


class SettingsError(Exception):
    """Settings could not be read; the message names each bad setting on one line."""


def load_settings(**overrides: object) -> Settings:
    """Build Settings once, turning validation errors into one line per setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "settings"
            message = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"Setting {name} is invalid: {message}")
        raise SettingsError("\n".join(lines)) from exc
