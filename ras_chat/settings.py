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
    """`RAS_CHAT_DB`, `RAS_CHAT_POLICY`, `RAS_CHAT_DATA_DIR`, `RAS_CHAT_THEME`, `RAS_CHAT_WORKER`,
    `RAS_CHAT_AUDIT_HEAD`, `RAS_CHAT_AUDIT_KEY_FILE`, `RAS_CHAT_SERVE_VISITORS`."""

    model_config = SettingsConfigDict(env_prefix="RAS_CHAT_", extra="ignore")

    db: str | None = None
    """A SQLite file path or a postgresql:// address; default: sessions.db in the data folder."""
    policy: str = "example"
    data_dir: Path | None = None
    theme: str = "default"
    worker: str | None = None
    """The worker's name or id for the audit trail (default: the login name)."""
    audit_head: Path | None = None
    """Where the audit chain's head is kept (default: beside the SQLite file as
    `sessions.db.audit-head`; for a postgresql:// address, a file in the data folder)."""
    audit_key_file: Path | None = None
    """A file holding a secret key (kept outside the database): the head is then signed
    with an HMAC under it, so it cannot be rewritten without the key."""
    serve_visitors: int = 20
    """`ras-chat serve`: how many browser visitors at once."""

    def resolved_data_dir(self) -> Path:
        return self.data_dir or data_dir()

    def database(self) -> str:
        return self.db or str(self.resolved_data_dir() / "sessions.db")
