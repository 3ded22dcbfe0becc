"""Articles' addresses while ``serve`` runs: where a broken article would be published (its
errors are shown there), and where an article went when an edit moved it (a new title and
no ``slug``, a new date), so that a page open at its old address follows it. [IO: reads a
broken article's front matter]"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from sitegen.core.config import PAGES_DIR, Config
from sitegen.core.frontmatter import decode, parse, split
from sitegen.core.urls import article_path, output_file, page_path
from sitegen.core.when import parse_when
from sitegen.vn.slug import slugify

INDEX = "index.html"


def planned_address(config: Config, source: str) -> str | None:
    """The output file the article ``source`` (its path below the site) would be published
    at, as far as its front matter tells (its title or slug, its date), though it has
    errors; None when it does not tell (or the file cannot be read)."""
    path = config.root / source
    try:
        text = decode(path.read_bytes())
        folders = path.relative_to(config.content_dir).parts
    except (OSError, ValueError):
        return None
    parts = split(text) if text is not None and len(folders) > 1 else None
    data = parse(source, parts)[0] if parts is not None else None
    name = data.get("slug") or data.get("title") if data else None
    if not data or not isinstance(name, str) or not name.strip():
        return None
    slug = slugify(name, config.slug_length)
    if folders[0] == PAGES_DIR:
        return output_file(page_path(slug))
    when = parse_when(data.get("date"))
    if when is None:
        return None
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day, tzinfo=config.zone)
    return output_file(article_path(folders[0], when.astimezone(config.zone)
                                    if when.tzinfo else when, slug))


def moves(before: Mapping[str, str], after: Mapping[str, str]) -> dict[str, str]:
    """The addresses a build moved articles from, each → its source: ``before`` and
    ``after`` give each source's address (output file) as the last good build and this one
    made it (a source new or gone is no move)."""
    return {old: source for source, now in after.items()
            if (old := before.get(source)) is not None and old != now}


def gone_after(gone: Mapping[str, str], before: Mapping[str, str],
               after: Mapping[str, str]) -> dict[str, str]:
    """The addresses that articles left, each → its source: ``gone`` (those known so far)
    with the :func:`moves` of a build from ``before`` to ``after``."""
    return {**gone, **moves(before, after)}


def moved(gone: Mapping[str, str], addresses: Mapping[str, str],
          files: Collection[str]) -> dict[str, str]:
    """Each address an article left (``gone``) → the address it has now (``addresses``, by
    source), when no file is at the old one (``files``: what is served) and one is at the
    new one; an article moved twice leads from both old addresses to the last."""
    out = {}
    for old, source in gone.items():
        now = addresses.get(source)
        if old not in files and now is not None and now != old and now in files:
            out[old] = now
    return out


def location(path: str, key: str, target: str) -> str:
    """The URL path a request for ``path``, which named the output file ``key``, is sent on
    to for the output file ``target``: below the same root (``/`` or base_url's path) and
    in the same form (a folder's address, or its ``index.html``)."""
    asked = key[:-len(INDEX)] if key.endswith("/" + INDEX) else key
    for named, new in ((key, target), (asked, _folder(target))):
        if named and path.endswith(named):
            return path[:len(path) - len(named)] + new
    return "/" + _folder(target)


def _folder(output: str) -> str:
    """A page's address from its output file (``a/b/index.html`` → ``a/b/``)."""
    return output[:-len(INDEX)] if output.endswith("/" + INDEX) else output
