"""Fragments a page shows that are kept encoded: a page's text in, its UTF-8 bytes out,
with each fragment spliced in as bytes; pure.

Encoding a page to UTF-8 was a tenth of a list page's work, and four fifths of a list page
is its cards, its header and its footer, the same on every page that shows them. While a
page renders, :meth:`Splices.hold` takes a fragment's bytes and gives the template a
marker in its place (``<sitegen-splice-N>``); :meth:`Splices.close` encodes the page's text
and puts each fragment where its marker is. A marker that is not in the page exactly once
(a template that filtered the fragment, dropped it or showed it twice, or content that
holds one: autoescaping makes that Markup only) makes :meth:`close` give None: the
caller renders the page again without splicing.
"""

from __future__ import annotations

from markupsafe import Markup

#: What every marker starts with; its number and ``>`` follow.
_PREFIX = "<sitegen-splice-"


def _marker(n: int) -> str:
    return f"{_PREFIX}{n}>"


class Splices:
    """The fragments held for the page being rendered (none when none is)."""

    def __init__(self) -> None:
        self._held: list[bytes] | None = None

    @property
    def active(self) -> bool:
        """Whether a fragment given to :meth:`hold` now is spliced in at the end."""
        return self._held is not None

    def open(self) -> list[bytes] | None:
        """Start holding fragments for a page; returns what to give :meth:`close` (the
        fragments of a page being rendered around this one, if any)."""
        outer, self._held = self._held, []
        return outer

    def pause(self) -> list[bytes] | None:
        """Stop holding fragments (a fragment rendered once and kept must hold no marker);
        returns what to give :meth:`resume`."""
        outer, self._held = self._held, None
        return outer

    def resume(self, outer: list[bytes] | None) -> None:
        """Hold fragments again as before :meth:`pause`."""
        self._held = outer

    def hold(self, data: bytes) -> Markup:
        """The marker that stands for ``data`` (UTF-8) in the page being rendered."""
        assert self._held is not None, "hold() outside a page: check active first"
        self._held.append(data)
        return Markup(_marker(len(self._held) - 1))

    def close(self, html: str, outer: list[bytes] | None) -> bytes | None:
        """``html``, the page's text, as UTF-8 with the fragments held in place of their
        markers; None when a marker is not there exactly once (see the module). One pass
        over the text finds them all (a scan and a copy of the page for each fragment
        cost more than encoding a header)."""
        held, self._held = self._held or [], outer
        if not held:
            return html.encode("utf-8")
        first, *parts = html.split(_PREFIX)
        pieces, used = [first.encode("utf-8")], set()
        for part in parts:
            number, end, text = part.partition(">")
            index = int(number) if end and number.isascii() and number.isdigit() else -1
            if not 0 <= index < len(held) or index in used:
                return None
            used.add(index)
            pieces += (held[index], text.encode("utf-8"))
        return b"".join(pieces) if len(used) == len(held) else None
