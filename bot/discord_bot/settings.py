"""Settings of the Discord bot: Pearlbot's settings plus Discord's, from the environment and
an optional `.env` file."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

from pearlbot.settings import PearlbotSettings, SettingsError
from pearlbot.settings import load_settings as _load

__all__ = ["DISCORD_API_BASE", "DiscordSettings", "SettingsError", "load_settings"]

DISCORD_API_BASE = "https://discord.com/api/v10"
DEVELOPER_PORTAL = "https://discord.com/developers/applications"


class DiscordSettings(PearlbotSettings):
    """Everything `pearlbot run` reads: Pearlbot's settings (the corpus among them) and
    Discord's. The token is a SecretStr so reprs never show it."""

    token: SecretStr | None = Field(None, validation_alias="DISCORD_TOKEN")
    api_base: str = Field(DISCORD_API_BASE, validation_alias="DISCORD_API_BASE")
    gateway_url: str | None = Field(None, validation_alias="DISCORD_GATEWAY_URL")
    guild_id: int | None = Field(None, gt=0, validation_alias="PEARLBOT_GUILD_ID")
    sync_commands: bool = Field(False, validation_alias="PEARLBOT_SYNC_COMMANDS")
    shard_count: int | None = Field(None, ge=1, validation_alias="PEARLBOT_SHARD_COUNT")
    shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = Field(
        None, validation_alias="PEARLBOT_SHARD_IDS"
    )
    cooldown_rate: int = Field(5, ge=1, validation_alias="PEARLBOT_COOLDOWN_RATE")
    cooldown_seconds: float = Field(30.0, ge=0, validation_alias="PEARLBOT_COOLDOWN_SECONDS")
    defer_after: float = Field(1.0, ge=0, le=2.5, validation_alias="PEARLBOT_DEFER_AFTER")
    # A mention in a guild text channel starts a thread from the question and answers there.
    reply_in_thread: bool = Field(False, validation_alias="PEARLBOT_REPLY_IN_THREAD")

    @field_validator("token")
    @classmethod
    def _strip_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        return SecretStr(value.get_secret_value().strip())

    @field_validator("api_base")
    @classmethod
    def _check_api_base(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("gateway_url")
    @classmethod
    def _check_gateway(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("ws://", "wss://")):
            raise ValueError("must be a ws:// or wss:// URL")
        return value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _split_shard_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(" ", ",").split(",") if p.strip()]
            return tuple(parts)
        return value

    @model_validator(mode="after")
    def _check_shards(self) -> DiscordSettings:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("PEARLBOT_SHARD_IDS needs PEARLBOT_SHARD_COUNT")
            bad = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
            if bad or not self.shard_ids:
                raise ValueError(f"PEARLBOT_SHARD_IDS must be between 0 and {self.shard_count - 1}")
        return self

    @property
    def uses_discord(self) -> bool:
        """True when REST goes to Discord itself (then the gateway is Discord's too)."""
        return self.api_base == DISCORD_API_BASE

    @property
    def sharded(self) -> bool:
        return self.shard_count is not None


def load_settings(**overrides: Any) -> DiscordSettings:
    """Read the settings; a bad value becomes a SettingsError naming the variable only."""
    return _load(DiscordSettings, **overrides)
