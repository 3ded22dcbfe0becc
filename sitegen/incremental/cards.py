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

import zlib
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

#: A card's key: its article's address and its options (Renderer._card).
CardKey = tuple[Hashable, ...]

#: The cards are kept in this many files, so that an edit rewrites a few.
SHARDS = 16

#: Loaded for a build that renders at least this many pages: fewer render few cards, which
#: take less than loading the store (about 10 MB at 10,000 articles).
WORTH_FROM = 50


@dataclass
class CardStore:
    """Cards by key, each with the token of its article when it was rendered, for one base."""

    base: str = ""
    cards: dict[CardKey, tuple[bytes, bytes]] = field(default_factory=dict)
    #: Cards added since the store was loaded (a worker's: sent back to the build).
    new: dict[CardKey, tuple[bytes, bytes]] = field(default_factory=dict)

    @classmethod
    def of(cls, kept: Sequence[object], base: str) -> CardStore:
        """The store the last builds kept (``kept``: each shard as :meth:`saved` gave it,
        or None), of the shards made with ``base``."""
        store = cls(base)
        for shard in kept:
            if isinstance(shard, tuple) and len(shard) == 2 and shard[0] == base and \
                    isinstance(shard[1], dict):
                store.cards.update(shard[1])
        return store

    def get(self, key: CardKey, token: bytes) -> bytes | None:
        """The card ``key`` (UTF-8) when its article's token is ``token``; else None."""
        found = self.cards.get(key)
        return found[1] if found is not None and found[0] == token else None

    def put(self, key: CardKey, token: bytes, html: bytes) -> None:
        self.cards[key] = self.new[key] = (token, html)

    def take_new(self) -> dict[CardKey, tuple[bytes, bytes]]:
        """The cards added since the last call (a worker's, for the build's store)."""
        new, self.new = self.new, {}
        return new

    def add(self, cards: Mapping[CardKey, tuple[bytes, bytes]]) -> None:
        """Cards a worker rendered."""
        self.cards.update(cards)
        self.new.update(cards)

    def saved(self, paths: Collection[str]) -> dict[int, tuple[str, dict[CardKey, tuple[bytes, bytes]]]]:
        """What is kept for the next build, by shard (:func:`shard`): each shard a card was
        added to, with the cards of the pages at ``paths`` (the site's addresses now: a card
        of a page gone or moved is dropped). A title edit writes two of the shards, not the
        19 MB of every card at 10,000 articles."""
        touched = {shard(key) for key in self.new}
        out: dict[int, tuple[str, dict[CardKey, tuple[bytes, bytes]]]] = \
            {n: (self.base, {}) for n in touched}
        for key, value in self.cards.items():
            n = shard(key)
            if n in out and key[0] in paths:
                out[n][1][key] = value
        return out


def shard(key: CardKey) -> int:
    """Which of the :data:`SHARDS` files card ``key`` is kept in (by its article's address)."""
    return zlib.crc32(str(key[0]).encode("utf-8", "surrogateescape")) % SHARDS
