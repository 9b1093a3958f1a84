"""The one normaliser of names, and what is known of their forms.

Normalisation folds what spelling varies without changing the name: case,
diacritics (and Arabic short vowels), apostrophes (Kata'ib = Kataib), hyphens
and dashes (al-Saadi = al Saadi = al—Saadi), and Arabic letter variants
(أ/إ/آ = ا, ى = ي, ة = ه). :func:`normalise` also says where each character
came from; :func:`normal_form` is the same text at ``str.translate`` speed.
The Arabic article, in its Latin spellings and in Arabic script, is optional
(:func:`strip_articles`); :func:`slug` makes an id of any name, whatever its
script.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_DROP = frozenset("'’‘`´ʼʻʿʾ\u0640")  # apostrophes, ayn/hamza marks, Arabic tatweel
_SPACE = frozenset("-‐‑‒–—―_")
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
LATIN_ARTICLES = frozenset(
    {"al", "el", "ul", "il", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az"}
)
"""The Arabic article as Latin script writes it, assimilated or not (al-, ash-, ad-...)."""
ARABIC_ARTICLE = "ال"


def normalise(text: str, *, fold: bool = True) -> tuple[str, list[int]]:
    """Normalise ``text`` for matching, with each output character's offset in ``text``.

    Examples
    --------
    >>> normalise("Kata’ib Hizbollah")[0]
    'kataib hizbollah'
    >>> normalise("al—Saadi", fold=False)[0]
    'al Saadi'
    """
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char, fold)
        if folded is None:
            if out and out[-1] != " ":
                out.append(" ")
                where.append(index)
            continue
        for piece in folded:
            out.append(piece)
            where.append(index)
    while out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


@lru_cache(maxsize=8192)
def _fold_char(char: str, fold: bool) -> str | None:
    """What one character becomes: ``""`` if dropped, ``None`` if a space, else its letters."""
    if char in _DROP:
        return ""
    if char in _SPACE or char.isspace():
        return None
    base = "".join(
        c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
    ).translate(_ARABIC)
    return base.casefold() if fold else base


_TABLE_SIZE = 1 << 16
_GAP = "\x00"  # a space in the translated text, before runs are collapsed
_GAPS = re.compile(_GAP + "+")


class _FoldTable(dict[int, str]):
    """:func:`_fold_char` as a ``str.translate`` table, filled as characters are met."""

    def __init__(self, fold: bool) -> None:
        super().__init__()
        self.fold = fold

    def __missing__(self, ordinal: int) -> str:
        folded = _fold_char(chr(ordinal), self.fold)
        value = _GAP if folded is None else folded
        if len(self) < _TABLE_SIZE:  # bounded, whatever text comes in
            self[ordinal] = value
        return value


_TABLES = {True: _FoldTable(fold=True), False: _FoldTable(fold=False)}


def normal_form(text: str, *, fold: bool = True) -> str:
    """``normalise(text, fold=fold)[0]`` without the offset map, at ``str.translate`` speed.

    Examples
    --------
    >>> normal_form("  Hashd al-Sha'bi ")
    'hashd al shabi'
    """
    if _GAP in text:
        return normalise(text, fold=fold)[0]
    out = text.translate(_TABLES[fold])
    if " " not in out:  # as normalise: one space per run of spaces, none leading or trailing
        return " ".join(part for part in out.split(_GAP) if part)
    out = _GAPS.sub(lambda m: " " if m.start() and out[m.start() - 1] != " " else "", out)
    return out.rstrip(" ")


def is_acronym(name: str) -> bool:
    """Whether ``name`` is written all in capitals (``US``, ``PMF``, ``U.S.``): matched case-kept.

    Examples
    --------
    >>> is_acronym("US"), is_acronym("Us"), is_acronym("1920")
    (True, False, False)
    """
    return name == name.upper() and name != name.lower()


_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def is_arabic(text: str) -> bool:
    """Whether ``text`` has a letter of the Arabic script.

    Examples
    --------
    >>> is_arabic("كتائب حزب الله"), is_arabic("Kataib")
    (True, False)
    """
    return _ARABIC_SCRIPT.search(text) is not None


def strip_articles(normal: str) -> str:
    """``normal`` (a normalised name) without the Arabic article.

    A Latin-script article is a word of its own (hyphens are spaces by now)
    before another word; an Arabic-script one is ``ال`` fused to a word that
    keeps three letters or more (so ``الله`` stays).

    Examples
    --------
    >>> strip_articles("abu mahdi al muhandis"), strip_articles("الحشد الشعبي")
    ('abu mahdi muhandis', 'حشد شعبي')
    """
    words = normal.split()
    return " ".join(
        w[len(ARABIC_ARTICLE) :]
        if w.startswith(ARABIC_ARTICLE) and len(w) - len(ARABIC_ARTICLE) >= 3
        else w
        for i, w in enumerate(words)
        if not (w in LATIN_ARTICLES and i < len(words) - 1)
    )


def slug(text: str) -> str:
    """A lowercase ASCII id made of ``text``'s first words, in any script.

    Examples
    --------
    >>> slug("Al Masdar News"), slug("قناة العهد")
    ('al-masdar-news', 'qnh-lhd')
    """
    words = re.findall(r"[a-z0-9]+", normal_form(anyascii(normal_form(text))))
    return "-".join(words[:4])
