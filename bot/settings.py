"""Typed settings, read once from the environment (and `.env`) by the entry point."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
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
    shard_count: int | None = Field(default=None, alias="SHARD_COUNT", ge=1, le=4096)
    # NoDecode: "0,1" is a list in our own format, not JSON.
    shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = Field(default=None, alias="SHARD_IDS")
    fanout_per_second: float = Field(default=25.0, alias="FANOUT_PER_SECOND", gt=0, le=45)
    metrics_port: int | None = Field(default=None, alias="METRICS_PORT", ge=1, le=65535)
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

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _shard_list(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(" ", ",").split(",") if p.strip()]
            if not parts:
                return None
            if not all(p.isdigit() for p in parts):
                raise ValueError("a comma-separated list of shard numbers, e.g. 0,1")
            return tuple(int(p) for p in parts)
        return value

    @field_validator("metrics_port", "shard_count", mode="before")
    @classmethod
    def _blank_number_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _shards_fit(self) -> Settings:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("SHARD_IDS needs SHARD_COUNT")
            bad = [i for i in self.shard_ids if i >= self.shard_count]
            if bad or len(set(self.shard_ids)) != len(self.shard_ids):
                raise ValueError(
                    f"SHARD_IDS must be distinct numbers below SHARD_COUNT ({self.shard_count})"
                )
        return self

    @property
    def fanout_share(self) -> float:
        """This process's part of the deployment's daily fan-out budget (requests per second).

        Processes split the budget by the shards they own, so together they stay under it.
        """
        if self.shard_count is None or self.shard_ids is None:
            return self.fanout_per_second
        return self.fanout_per_second * len(self.shard_ids) / self.shard_count

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
