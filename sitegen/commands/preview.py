"""serve's preview of a body edit: the edited page made at once from the last build.
[IO: reads the edited files]

When a writer saves an article (or undated page) and the edit changed only its body, the
site model is the last build's but for that page's body: what other pages show of it (its
token: title, date, summary, tags …), the pictures and links its body holds, and its
problems are as they were. Its own page, rendered by the last build's renderer with the
page as read now, is then the page the whole rebuild makes, byte for byte
(tests/test_serve_preview.py). ``serve`` shows it and sends the reload signal at once, then
rebuilds the whole site (the search index, the feeds, and any page that shows the body) and
signals again only if a page came out otherwise.

Any other edit (a new title, a new picture, a file added or removed, a template, the
config, an error) is left to the whole rebuild: :func:`preview` says None. That build then
renders the edited pages first (:func:`first_pages`): once the site is read and
assembled, before the thousands of other pages are checked or made, ``serve`` shows them
with a reload signal (a new title, date or tags moves the article: its old address sends
the browser on to the new one, sitegen.commands.addresses).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sitegen.core.config import Config
from sitegen.core.errors import ContentError, Problem
from sitegen.core.markup import MarkdownRenderer
from sitegen.core.pages import Page, ReadContext, TextWork, read_page
from sitegen.core.sources import Source
from sitegen.incremental.reading import read_context
from sitegen.output.files import RenderedFile
from sitegen.pipeline import Loaded
from sitegen.render.renderer import Renderer
from sitegen.render.tasks import Task, body_tasks


@dataclass(frozen=True)
class LastBuild:
    """What a preview takes from the last build: its sources by path (below the site), its
    pages by source, its renderer (with its site model), the core tasks that show each
    page's body, what its reads knew of the other files, and the problems of each source
    that had any (warnings: the page was published)."""

    config: Config
    sources: Mapping[str, Source]
    pages: Mapping[str, Page]
    renderer: Renderer
    tasks: Mapping[str, tuple[Task, ...]]
    context: ReadContext
    problems: Mapping[str, tuple[Problem, ...]]


def last_build(config: Config, loaded: Loaded, r: Renderer, tasks: Collection[Task],
               work: TextWork | None) -> LastBuild:
    """The :class:`LastBuild` of a build that read ``loaded``, rendered ``tasks`` with ``r``,
    with the features' text ``work``."""
    shown: dict[str, list[Task]] = defaultdict(list)
    for task in tasks:
        if task.body_of is not None:
            shown[task.body_of.source].append(task)
    problems: dict[str, list[Problem]] = defaultdict(list)
    for problem in loaded.problems:
        problems[problem.path].append(problem)
    site = loaded.site
    return LastBuild(config, {s.rel: s for s in loaded.sources.articles},
                     {p.source: p for p in (*site.articles, *site.pages)}, r,
                     {source: tuple(found) for source, found in shown.items()},
                     read_context(loaded.sources, work),
                     {path: tuple(found) for path, found in problems.items()})


def preview(last: LastBuild, rels: Collection[str],
            markdown: MarkdownRenderer) -> list[RenderedFile] | None:
    """The pages that show the bodies of the sources ``rels`` (paths below the site), made
    again from the files as they are now, when each edit changed only a body (see the
    module's docstring); None when any did not, a file cannot be read or rendered, or a
    template read an edited body through the site model."""
    edited = {rel: _body_edited(last, rel, markdown) for rel in rels}
    files: list[RenderedFile] = []
    for rel, new in edited.items():
        if new is None:
            return None
        for task in last.tasks.get(rel, ()):
            made = _render(last.renderer, _showing(task, last.pages[rel], new), edited)
            if made is None:
                return None
            files.append(made)
    return files


def _render(r: Renderer, task: Task, edited: Collection[str]) -> RenderedFile | None:
    """``task``'s page, unless its template read the body of an ``edited`` source through
    the site model (a site's own template may: the site holds the page as it was), or
    failed."""
    r.reads.begin()
    try:
        made = r.make(task, record=False)
    except ContentError:  # its frames, and this one, are dropped (Reads.abandon)
        return None
    reads = r.reads.end()
    return None if any(d[0] == "body" and d[1] in edited for d in reads) else made


def _body_edited(last: LastBuild, rel: str, markdown: MarkdownRenderer) -> Page | None:
    """The page of source ``rel`` as read now, when it differs from the last build's only
    in its body (and the text the features derived from it); else None."""
    source, old = last.sources.get(rel), last.pages.get(rel)
    if source is None or old is None:
        return None
    try:
        raw = (last.config.root / rel).read_bytes()
    except OSError:
        return None
    result = read_page(replace(source, raw=raw, stat=None), last.config, last.context, markdown)
    new = result.page
    # Its problems as they were: then none of the site's came of it (those name it too).
    if new is None or result.problems != last.problems.get(rel, ()) or \
            replace(new, body=old.body, derived=old.derived) != old:
        return None
    return new


def _showing(task: Task, old: Page, new: Page) -> Task:
    """``task`` with page ``new`` wherever it had ``old``: as the body it shows, and in its
    context."""
    def context() -> dict[str, Any]:
        return {k: new if v is old else v for k, v in task.context().items()}
    return replace(task, body_of=new, context=context)


def first_pages(r: Renderer, rels: Collection[str]) -> list[RenderedFile]:
    """The pages of a build that show the bodies of the sources ``rels`` (paths below the
    site: the edited files), rendered ahead of the rest by the build's own renderer ``r``
    (its tasks made as the build makes them, :func:`sitegen.render.tasks.body_tasks`),
    without noting them in its record: the pages the build then makes again, byte for
    byte. [] when none is published (an error, a file removed) or one fails."""
    try:
        return [r.make(task, record=False) for task in body_tasks(r.site, rels)]
    except ContentError:  # the build itself says what went wrong
        return []
