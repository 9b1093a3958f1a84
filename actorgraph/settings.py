"""Settings from the environment (pydantic-settings).

``NEO4J_URI`` (with ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``)
selects Neo4j; without it, the embedded store under ``ACTORGRAPH_DATA``.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path
from pydantic import AliasChoices, Field, SecretStr
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
    neo4j_uri
        ``bolt://`` or ``neo4j://`` (``+s`` for TLS) URI of a Neo4j server,
        cluster or Aura instance; unset means the embedded store.
    """

    model_config = SettingsConfigDict(extra="ignore")

    data_dir: Path = Field(
        default_factory=_default_data_dir,
        validation_alias=AliasChoices("ACTORGRAPH_DATA", "data_dir"),
    )
    neo4j_uri: str | None = Field(default=None, validation_alias="NEO4J_URI")
    neo4j_username: str = Field(default="neo4j", validation_alias="NEO4J_USERNAME")
    neo4j_password: SecretStr = Field(default=SecretStr(""), validation_alias="NEO4J_PASSWORD")
    neo4j_database: str = Field(default="neo4j", validation_alias="NEO4J_DATABASE")
