"""Settings of one terminal, from environment variables (``PHARMACY_POS_*``) or a file.

Nothing here opens a database or a device; the composition root does that.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "pharmacy-pos"


def default_data_dir() -> Path:
    """Per-user data folder (``~/.local/share/pharmacy-pos`` on Linux)."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


class Settings(BaseSettings):
    """Terminal configuration. Every field has an environment variable, e.g.
    ``PHARMACY_POS_DATABASE_URL=postgresql+psycopg://pos@db/pos``.
    """

    model_config = SettingsConfigDict(env_prefix="PHARMACY_POS_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str = ""
    store_code: str = "H00000000001"
    terminal_id: str = "T01"
    policy_file: Path | None = None
    language: Literal["zh_CN", "en"] = "zh_CN"
    card_reader: Literal["auto", "pcsc", "vendor", "virtual", "none"] = "auto"
    # PC/SC reader to use ("" = the first one that has a card); "Virtual PCD" for training.
    card_reader_name: str = ""
    # The ministry's vendor driver (SSCardDriver) for card_reader = "vendor".
    vendor_library: Path | None = None
    printer: str = "file"
    # The national platform (or the loopback simulator, `pharmacy-pos-cli insurer-sim`):
    # "" = the embedded simulated insurer (training, demo).
    insurer_url: str = ""
    # The interface profile: a name in resources/insurer/ or a path to a TOML file.
    insurer_profile: str = "national"
    # Upload requests on the wire at once (HTTP/1.1 pipelining; 1 = one at a time, for a
    # platform gateway that does not answer pipelined requests in order).
    insurer_pipeline: int = Field(default=8, ge=1, le=32)
    # Seconds between upload passes (SEC-7: at most 20 minutes).
    upload_interval_seconds: int = Field(default=300, ge=5, le=1200)
    backup_before_migration: bool = True
    # Training mode (培训模式): see :meth:`for_training`.
    training: bool = False

    def for_training(self, folder: str = "training") -> Settings:
        """These settings in training mode: a database of its own under the data folder
        (never the store's, whatever ``database_url`` says), a simulated insurer (the
        embedded one, or the loopback simulator ``pharmacy-pos-cli insurer-sim`` when
        ``insurer_url`` points at this machine; never the platform), the virtual card
        (through pcscd), the file printer, and a watermark on the screen and on every
        printout. A new cashier practises without touching real data, the real insurer or
        the real paper."""
        loopback = urlsplit(self.insurer_url).hostname in ("127.0.0.1", "localhost", "::1")
        return self.model_copy(update={
            "data_dir": self.data_dir / folder, "database_url": "",
            "insurer_url": self.insurer_url if loopback else "",
            "card_reader": "virtual", "card_reader_name": "", "vendor_library": None,
            "printer": "file", "training": True,
        })

    def resolved_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'pharmacy_pos.sqlite3'}"

    @property
    def backup_dir(self) -> Path:
        """Where backups (and pre-migration copies) are written."""
        return self.data_dir / "backups"
