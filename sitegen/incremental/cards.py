"""The theme's cards kept between builds: a list page rendered again draws its cards from
the last builds instead of rendering each. Pure; the Memo keeps it with the features' states.

    (card key, page's token, HTML) of the cards rendered → the store → a card's HTML, or None

A card of the default theme (:meth:`sitegen.render.renderer.Renderer._card`) is a function
of the base (sitegen's code, the templates, the config, the build's day), its options and
what other pages show of its article (the article's *token*); a card that read anything
else of the site is not kept. A tag change at 10,000 articles renders some 1,200 list
pages again, and rendering their 10,000 distinct cards was a third of that build.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass, field

#: A card's key: its article's address and its options (Renderer._card).
CardKey = tuple[Hashable, ...]

#: Loaded for a build that renders at least this many pages: fewer render few cards, which
#: take less than loading the store (about 10 MB at 10,000 articles).
WORTH_FROM = 50


@dataclass
class CardStore:
    """Cards by key, each with the token of its article when it was rendered, for one base."""

    base: str = ""
    cards: dict[CardKey, tuple[bytes, str]] = field(default_factory=dict)
    #: Cards added since the store was loaded (a worker's: sent back to the build).
    new: dict[CardKey, tuple[bytes, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, kept: object, base: str) -> CardStore:
        """The store kept by the last build (``kept``, as :meth:`saved` gave it) when it was
        made with ``base``; else an empty one."""
        if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == base and \
                isinstance(kept[1], dict):
            return cls(base, kept[1])
        return cls(base)

    def get(self, key: CardKey, token: bytes) -> str | None:
        """The card ``key`` when its article's token is ``token``; else None."""
        found = self.cards.get(key)
        return found[1] if found is not None and found[0] == token else None

    def put(self, key: CardKey, token: bytes, html: str) -> None:
        self.cards[key] = self.new[key] = (token, html)

    def take_new(self) -> dict[CardKey, tuple[bytes, str]]:
        """The cards added since the last call (a worker's, for the build's store)."""
        new, self.new = self.new, {}
        return new

    def add(self, cards: Mapping[CardKey, tuple[bytes, str]]) -> None:
        """Cards a worker rendered."""
        self.cards.update(cards)
        self.new.update(cards)

    def saved(self, paths: Collection[str]) -> tuple[str, dict[CardKey, tuple[bytes, str]]]:
        """What is kept for the next build: the cards of the pages at ``paths`` (the site's
        addresses now: a card of a page gone or moved is dropped)."""
        return self.base, {k: v for k, v in self.cards.items() if k[0] in paths}
