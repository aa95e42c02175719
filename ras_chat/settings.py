"""Settings in one typed place: environment variables with the `RAS_CHAT_` prefix.

Nothing is created on import: folders are made when something is first saved.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "ras-chat"


def data_dir() -> Path:
    """The user data folder (not created here)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class Settings(BaseSettings):
    """`RAS_CHAT_DB`, `RAS_CHAT_POLICY`, `RAS_CHAT_DATA_DIR`, `RAS_CHAT_THEME`, `RAS_CHAT_WORKER`."""

    model_config = SettingsConfigDict(env_prefix="RAS_CHAT_", extra="ignore")

    db: str | None = None
    """A SQLite file path or a postgresql:// address; default: sessions.db in the data folder."""
    policy: str = "example"
    data_dir: Path | None = None
    theme: str = "default"
    worker: str | None = None
    """The worker's name or id for the audit trail (default: the login name)."""

    def resolved_data_dir(self) -> Path:
        return self.data_dir or data_dir()

    def database(self) -> str:
        return self.db or str(self.resolved_data_dir() / "sessions.db")
