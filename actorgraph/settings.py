"""Settings from the environment (pydantic-settings).

No ``NEO4J_URI`` means the embedded store under ``ACTORGRAPH_DATA``.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return user_data_path("actorgraph", appauthor=False)


class Settings(BaseSettings):
    """Where the graph lives.

    Attributes
    ----------
    data_dir
        Folder of the embedded store (``ACTORGRAPH_DATA``); defaults to the
        user's data directory, e.g. ``~/.local/share/actorgraph``.
    """

    model_config = SettingsConfigDict(extra="ignore")

    data_dir: Path = Field(
        default_factory=_default_data_dir,
        validation_alias=AliasChoices("ACTORGRAPH_DATA", "data_dir"),
    )
