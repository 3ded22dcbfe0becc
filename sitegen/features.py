"""The feature renderers that add files of their own (feeds, search, calendar …).

Each is a function ``(Renderer) -> Iterable[RenderedFile]``; ``render.other_files``
calls them in this order after the core pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .calendar import calendar_files
from .feeds import reach_files
from .render import RenderedFile, Renderer
from .roll import roll_files
from .search import search_files

Feature = Callable[[Renderer], Iterable[RenderedFile]]

FEATURES: tuple[Feature, ...] = (
    calendar_files,
    roll_files,
    search_files,
    reach_files,  # last: its sitemap lists the pages rendered before it
)

#: Features that read the site model alone, not what the pages rendered before them (as
#: the sitemap does), and that a build runs in a process of its own while it writes the
#: pages (sitegen.publish.work_ahead): the search index, a fifth of an edit at 10,000
#: articles. The calendar and the roll are quicker made here than waited for (measured:
#: the edit took 1.16 s with them ahead, 0.98 s without).
AHEAD: tuple[Feature, ...] = (search_files,)
