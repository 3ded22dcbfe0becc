"""The theme's breadcrumb trail and pager, written in Python: a trail and a page's place in
its list (with the page's link helper and words) in, their HTML out; pure.

The ``breadcrumbs`` and ``pager_nav`` macros of ``templates/_macros.html`` call these: every
list page shows both, and written by Jinja they were a sixth of a list page's work (a loop,
a dozen escapes and links through Jinja's calls). The HTML is the macros' as they were,
byte for byte, whitespace included (``tests/test_list_fast_paths.py`` renders the old macros and
compares); a site's own ``_macros.html`` may still write its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from markupsafe import Markup

from sitegen.core.htmltext import shorten
from sitegen.core.site import Pager
from sitegen.render.environment import escaped_text as _h

#: What the current page's label is cut to in the trail (the macro's ``shorten(60)``).
LAST_LABEL = 60


def breadcrumbs_html(items: Sequence[tuple[Any, str]], words: Mapping[str, str],
                     href: Callable[[str], str]) -> Markup:
    """The trail from the home page through ``items`` ((label, site path), the page itself
    last, shown unlinked and shortened) as the theme's ``<nav class="breadcrumbs">``, its
    links made by the page's ``href`` and its words from ``words`` (the interface's table)."""
    crumbs = []
    last = len(items) - 1
    for n, (label, path) in enumerate(items):
        if n == last:
            crumbs.append(f'<li><span aria-current="page">{_h(shorten(label, LAST_LABEL))}'
                          '</span></li>\n')
        else:
            crumbs.append(f'<li><a href="{_h(href(path))}">{_h(label)}</a></li>')
    return Markup(
        f'<nav class="breadcrumbs" aria-label="{_h(words["breadcrumbs"])}">\n'
        '  <div class="wrap">\n'
        '    <ol>\n'
        f'      <li><a href="{_h(href(""))}">{_h(words["home"])}</a></li>\n'
        f'{"".join(crumbs)}'
        '    </ol>\n'
        '  </div>\n'
        '</nav>\n')


def pager_html(pager: Pager, words: Mapping[str, str], href: Callable[[str], str]) -> Markup:
    """The links to the newer and older pages of ``pager``'s list and its number among them,
    as the theme's ``<nav class="pager">``; nothing for a list of one page."""
    if pager.count <= 1:
        return Markup("")
    newer = (f'<li><a href="{_h(href(pager.previous))}" rel="prev"><span aria-hidden="true">'
             f'« </span>{_h(words["newer"])}</a></li>' if pager.previous is not None else "")
    older = (f'<li><a href="{_h(href(pager.next))}" rel="next">{_h(words["older"])}'
             '<span aria-hidden="true"> »</span></a></li>' if pager.next is not None else "")
    return Markup(
        f'<nav class="pager" aria-label="{_h(words["pages"])}">\n'
        '  <ul>\n'
        f'{newer}'
        f'    <li><span aria-current="page">{_h(words["page"])} {pager.number}/'
        f'{pager.count}</span></li>\n'
        f'{older}'
        '  </ul>\n'
        '</nav>\n')
