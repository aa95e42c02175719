"""Settings in one typed place: environment variables with the `RAS_CHAT_` prefix.

`Settings` is the one declaration of every setting (its variable, type, default and
meaning). A command reads it once, at its start (`ras_chat.__main__.main`), and the
layers below are given it: the dialogue, the store, the exports, the cache and the app
never read the environment themselves (`tests/test_settings.py` reads their code to
make sure). `ras_chat.environment` keeps the settings of the running command and gives
the few the first screen needs before pydantic is loaded.

Nothing is created on import: folders are made when something is first saved.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "ras-chat"
PREFIX = "RAS_CHAT_"


def data_dir() -> Path:
    """The user data folder (not created here)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class SettingsError(ValueError):
    """A setting in the environment cannot be read: one line, naming the variable."""


class Settings(BaseSettings):
    """Every `RAS_CHAT_` variable (and TERM). An empty variable counts as not set."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", env_ignore_empty=True, frozen=True)

    db: str | None = None
    """`RAS_CHAT_DB`: a SQLite file path or a postgresql:// address; default: sessions.db in the data folder."""
    policy: str = "example"
    """`RAS_CHAT_POLICY`: a shipped policy name or a policy file (`--policy` wins)."""
    dialogue: str | None = None
    """`RAS_CHAT_DIALOGUE`: a council's own dialogue file, used wherever the shipped
    `assessment` would be."""
    data_dir: Path | None = None
    """`RAS_CHAT_DATA_DIR`: the data folder (default: the user data folder)."""
    cache_dir: str | None = None
    """`RAS_CHAT_CACHE_DIR`: where parsed files and trained understanding models are kept
    (default: the user cache folder)."""
    theme: str = "default"
    """`RAS_CHAT_THEME`: default or high-contrast (`--theme` wins)."""
    worker: str | None = None
    """`RAS_CHAT_WORKER`: the worker's name or id for the audit trail (default: the login name)."""
    audit_head: Path | None = None
    """`RAS_CHAT_AUDIT_HEAD`: where the audit chain's head is kept (default: beside the
    SQLite file as `sessions.db.audit-head`; for a postgresql:// address, a file in the data folder)."""
    audit_key_file: Path | None = None
    """`RAS_CHAT_AUDIT_KEY_FILE`: a file holding a secret key (kept outside the database): the
    head is then signed with an HMAC under it, so it cannot be rewritten without the key."""
    serve_visitors: int = 20
    """`RAS_CHAT_SERVE_VISITORS`: `ras-chat serve`: how many browser visitors at once."""
    served: bool = False
    """`RAS_CHAT_SERVED`: set to 1 by `ras-chat serve` for each visitor's process (nothing is
    saved until the person has answered)."""
    web_secret: SecretStr | None = None
    """`RAS_CHAT_WEB_SECRET`: `ras-chat web`: the secret every process signs its cookies with."""
    term: str = Field(default="", validation_alias=AliasChoices("TERM"))
    """`TERM`: `dumb` means plain line mode."""

    def resolved_data_dir(self) -> Path:
        return self.data_dir or data_dir()

    def database(self) -> str:
        return self.db or str(self.resolved_data_dir() / "sessions.db")

    def dialogue_name(self) -> str:
        """The dialogue every command uses: the council's file, else the shipped `assessment`."""
        return self.dialogue or "assessment"


def env_name(field: str) -> str:
    """The environment variable of a field of Settings."""
    alias = Settings.model_fields[field].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return PREFIX + field.upper()


def read() -> Settings:
    """The settings in the environment now. Raises SettingsError (one line) for a value
    that cannot be read, such as `RAS_CHAT_SERVE_VISITORS=many`."""
    try:
        return Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else ""
        name = env_name(field) if field in Settings.model_fields else field
        raise SettingsError(f"{name}: {err['msg'].lower()}") from None
