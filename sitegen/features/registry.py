"""The feature renderers that add files of their own (feeds, search, calendar …).

Each is a function ``(Renderer) -> Iterable[RenderedFile]``; ``render.other_files``
calls them in this order after the core pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sitegen.features.calendar import calendar_files
from sitegen.features.feeds import reach_files
from sitegen.features.search.index import search_files
from sitegen.render.renderer import RenderedFile, Renderer
from sitegen.thidua.roll import roll_files

Feature = Callable[[Renderer], Iterable[RenderedFile]]

FEATURES: tuple[Feature, ...] = (
    calendar_files,
    roll_files,
    search_files,
    reach_files,  # last: its sitemap lists the pages rendered before it
)

#: Features that read the site model alone, not what the pages rendered before them (as
#: the sitemap does), and that a build runs in a process of its own while it writes the
#: pages (sitegen.incremental.publish.work_ahead): the search index, a fifth of an edit at 10,000
#: articles, and the calendar, whose .ics is made every build. An edit at 10,000 articles,
#: medians of 5 taken in turn: search alone ahead 1.02 and 0.96 s, with the calendar 0.97 and
#: 0.89 s; with the roll as well the build waited for the process (1.16 s against 0.98 s).
AHEAD: tuple[Feature, ...] = (search_files, calendar_files)
