"""Settings from the environment: a tile server for the map, refused with its variable named
when it cannot be one, and allowed by the pages' policy only when set."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from actorgraph.api.security import page_policy
from actorgraph.settings import Settings, setting_error


def test_a_tile_url_gives_the_origin_pages_may_load_images_from() -> None:
    settings = Settings(ACTORGRAPH_TILE_URL="https://tile.example.org:8443/{z}/{x}/{y}.png")
    assert settings.tile_origin == "https://tile.example.org:8443"
    assert Settings().tile_url is None and Settings().tile_origin is None
    images = page_policy(b"<p>map</p>", [settings.tile_origin]).split("; ")[3]
    assert images == "img-src 'self' data: https://tile.example.org:8443"
    assert page_policy(b"<p>map</p>").split("; ")[3] == "img-src 'self' data:"


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("ftp://tile.example.org/{z}/{x}/{y}.png", "not an http(s) URL"),
        ("https:///{z}/{x}/{y}.png", "not an http(s) URL"),
        ("https://tile.example.org/{z}/{x}.png", "holds {z}, {x} and {y}"),
    ],
)
def test_a_tile_url_that_cannot_be_one_is_refused_naming_its_variable(url: str, said: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(ACTORGRAPH_TILE_URL=url)
    message = setting_error(refused.value)
    assert message.startswith("ACTORGRAPH_TILE_URL: ") and said in message
