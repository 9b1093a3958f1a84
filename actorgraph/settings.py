"""Settings from the environment (pydantic-settings).

``NEO4J_URI`` (with ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``)
selects Neo4j; without it, the embedded store under ``ACTORGRAPH_DATA``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from platformdirs import user_data_path
from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def setting_error(exc: ValidationError) -> str:
    """A bad setting as one line naming its variable: ``ACTORGRAPH_TILE_URL: not an http(s)
    URL``."""
    error = exc.errors()[0]
    said = error.get("ctx", {}).get("error", error["msg"])
    return f"{'.'.join(map(str, error['loc']))}: {said}"


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
    api_key
        ``ACTORGRAPH_API_KEY``: when set, write endpoints need
        ``Authorization: Bearer <key>``; required to listen beyond loopback.
    protect_reads
        ``ACTORGRAPH_PROTECT_READS``: read endpoints need the key too.
    cors_origins
        ``ACTORGRAPH_CORS_ORIGINS``: comma-separated origins allowed by CORS
        (none by default).
    tile_url
        ``ACTORGRAPH_TILE_URL``: a tile server's URL template
        (``https://tile.example.org/{z}/{x}/{y}.png``) the map draws under its outlines;
        unset (the default), the map asks nothing of the network.
    tile_attribution
        ``ACTORGRAPH_TILE_ATTRIBUTION``: the credit those tiles need, shown as text.
    max_body_bytes
        ``ACTORGRAPH_MAX_BODY_BYTES``: larger request bodies get 413.
    cypher_timeout
        ``ACTORGRAPH_CYPHER_TIMEOUT``: seconds a ``POST /cypher`` query may run.
    cypher_max_rows
        ``ACTORGRAPH_CYPHER_MAX_ROWS``: rows ``POST /cypher`` returns at most.
    cypher_max_bytes
        ``ACTORGRAPH_CYPHER_MAX_BYTES``: bytes of JSON ``POST /cypher`` returns at most.
    cypher_concurrency
        ``ACTORGRAPH_CYPHER_CONCURRENCY``: raw queries that may run at once; the next
        gets 429.
    allowed_hosts
        ``ACTORGRAPH_ALLOWED_HOSTS``: comma-separated host names the API answers to,
        besides the loopback names; any other ``Host`` header gets 400. Required, like
        the key, to listen beyond loopback.
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
    api_key: SecretStr | None = Field(default=None, validation_alias="ACTORGRAPH_API_KEY")
    protect_reads: bool = Field(default=False, validation_alias="ACTORGRAPH_PROTECT_READS")
    cors_origins: str = Field(default="", validation_alias="ACTORGRAPH_CORS_ORIGINS")
    max_body_bytes: int = Field(
        default=2 * 1024 * 1024, gt=0, validation_alias="ACTORGRAPH_MAX_BODY_BYTES"
    )
    cypher_timeout: float = Field(default=10.0, gt=0, validation_alias="ACTORGRAPH_CYPHER_TIMEOUT")
    cypher_max_rows: int = Field(default=1000, gt=0, validation_alias="ACTORGRAPH_CYPHER_MAX_ROWS")
    cypher_max_bytes: int = Field(
        default=4 * 1024 * 1024, gt=0, validation_alias="ACTORGRAPH_CYPHER_MAX_BYTES"
    )
    cypher_concurrency: int = Field(
        default=4, gt=0, validation_alias="ACTORGRAPH_CYPHER_CONCURRENCY"
    )
    allowed_hosts_text: str = Field(default="", validation_alias="ACTORGRAPH_ALLOWED_HOSTS")
    tile_url: str | None = Field(default=None, validation_alias="ACTORGRAPH_TILE_URL")
    tile_attribution: str = Field(default="", validation_alias="ACTORGRAPH_TILE_ATTRIBUTION")

    @field_validator("tile_url")
    @classmethod
    def _a_tile_template(cls, url: str | None) -> str | None:
        if not url:
            return None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("not an http(s) URL")
        if not all(f"{{{k}}}" in url for k in "zxy"):
            raise ValueError("a tile URL holds {z}, {x} and {y}")
        return url

    @property
    def tile_origin(self) -> str | None:
        """The origin the map's tiles come from, which pages may load images from.

        Examples
        --------
        >>> Settings(ACTORGRAPH_TILE_URL="https://tile.example.org/{z}/{x}/{y}.png").tile_origin
        'https://tile.example.org'
        """
        if self.tile_url is None:
            return None
        parts = urlsplit(self.tile_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def allowed_origins(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    @property
    def allowed_hosts(self) -> list[str]:
        """The host names set beside the loopback ones, lower-case.

        Examples
        --------
        >>> Settings(ACTORGRAPH_ALLOWED_HOSTS=" Graph.Example.org, 10.0.0.5 ").allowed_hosts
        ['graph.example.org', '10.0.0.5']
        """
        return [h.strip().lower() for h in self.allowed_hosts_text.split(",") if h.strip()]

    @field_validator("api_key", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value
