"""The feature renderers that add files of their own (feeds, search, calendar …).

Each is a function ``(Renderer) -> Iterable[RenderedFile]``; :func:`render_site`
calls them in this order after the core pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .render import RenderedFile, Renderer

Feature = Callable[[Renderer], Iterable[RenderedFile]]

FEATURES: tuple[Feature, ...] = (
)
