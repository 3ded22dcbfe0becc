"""The values of a page's reads on this build's site: what decides whether it is rendered again.

A page's reads (:mod:`sitegen.render.trace`) name parts of the site model. Here each is
looked up again on the site being built and reduced to a digest (:meth:`Values.of`); the
record of the last build keeps each read's digest as it was, so a page is rendered again
exactly when something it read now differs. What is compared:

- a page by its *token*: its marks' digest of everything other pages show of it (title,
  date, summary, tags, unit, picture, address …; :mod:`sitegen.incremental.marks`) and
  whether it is shown as a draft or scheduled;
- an object of the model with an identity (a term, a section, a year …) by its identity and
  its scalar fields (a term's name and address); its lists are reads of their own;
- a value that says what it is made from (``made_from()``: a roll entry, its article and
  its terms) by those;
- any other value (a pager, strings, dates) by what it holds.

:func:`fingerprint` also gives a page's *context* its digest (what its task hands the
template: the article, its neighbours, its terms; a pager and its items …). Pure: no IO.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Container, Iterable, Mapping
from datetime import date, datetime, time
from typing import Any

from sitegen.core.pages import Page
from sitegen.core.site import Site
from sitegen.incremental.marks import Marks, marks_of
from sitegen.render.trace import WHOLE_SITE, Dep, identity

_SCALARS = (str, bytes, int, float, bool, type(None), date, datetime, time)
GONE = b"gone"
#: The field names of each dataclass fingerprinted, once a process.
_FIELDS: dict[type, tuple[str, ...]] = {}


def _digest(value: object) -> bytes:
    """A short digest of a fingerprint (nested tuples of scalars, or bytes)."""
    data = value if type(value) is bytes else repr(value).encode("utf-8", "surrogateescape")
    return hashlib.blake2b(data, digest_size=12).digest()


class Values:
    """Looks up reads and fingerprints values on one site (memoised for the build)."""

    def __init__(self, site: Site, marks: Mapping[str, Marks],
                 roots: Mapping[str, object] | None = None) -> None:
        """``marks``: the pages' marks by source; ``roots``: the features' objects that
        templates read by name (``("g", name)``)."""
        self.site = site
        self.marks_by_source = marks
        self.roots = roots or {}
        self._tokens: dict[str, bytes] = {}
        self._values: dict[Dep, bytes] = {}
        self._root_ids = {id(v): ("g", k) for k, v in self.roots.items()}
        #: Fingerprints of dataclasses by (id, deep), with the object (kept alive: its id
        #: is not reused while the build runs).
        self._made: dict[tuple[int, bool], tuple[object, Any]] = {}
        self._pages: dict[str, Page] | None = None  # by source (Site.by_source: by content_rel)
        self._places: dict[tuple[Dep, str], dict[Any, int]] = {}

    # --- pages ---------------------------------------------------------------------------

    def marks(self, page: Page) -> Marks:
        """``page``'s marks: those made when it was read, or made now (its body read)."""
        found = self.marks_by_source.get(page.source)
        return found if found is not None else marks_of(page)

    def token(self, page: Page) -> bytes:
        """What other pages see of ``page``: its shown digest and its status."""
        found = self._tokens.get(page.source)
        if found is None:
            found = self.marks(page).shown + (self.site.status(page) or "-").encode()
            self._tokens[page.source] = found
        return found

    def tokens(self) -> dict[str, bytes]:
        """Every published page's token, by source (the record keeps them); under ``""``,
        the site's next change (the one field of the model the unpublished pages make)."""
        found = {p.source: self.token(p) for p in (*self.site.articles, *self.site.pages)}
        found[""] = repr(self.site.next_change).encode()
        return found

    # --- values --------------------------------------------------------------------------

    def fingerprint(self, value: Any, deep: bool = False) -> Any:
        """``value`` as nested tuples of scalars: a page as its token, an object with an
        identity as that and its scalar fields (``deep``: all its fields), other values by
        what they hold. A dataclass's is a digest, made once a build (kept by ``id``, with the
        object)."""
        kind = type(value)
        if kind is Page:
            return self.token(value)
        if kind in _SCALARS or isinstance(value, str):
            return value
        if kind is tuple or kind is list or isinstance(value, tuple | list):
            if value and type(value[0]) is Page and all(type(v) is Page for v in value):
                return b"".join(map(self.token, value))
            return tuple(self.fingerprint(v) for v in value)
        if isinstance(value, dict):
            return tuple((k, self.fingerprint(v)) for k, v in value.items())
        found = self._made.get((id(value), deep))
        if found is not None:
            return found[1]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            made = _digest(self._fields(value, deep))
            self._made[(id(value), deep)] = (value, made)
            return made
        if isinstance(value, frozenset | set):
            return tuple(sorted(repr(self.fingerprint(v)) for v in value))
        return repr(value)  # unknown: its repr (with an id in it, never equal: rendered again)

    def _fields(self, value: Any, deep: bool) -> Any:
        made_from = getattr(value, "made_from", None)
        if made_from is not None:  # a value made from pages and terms: those say it all
            return (type(value).__name__, self.fingerprint(made_from()))
        owner = identity(value, self._root_ids)
        names = _FIELDS.get(type(value))
        if names is None:
            names = _FIELDS[type(value)] = tuple(f.name for f in dataclasses.fields(value))
        fields = ((name, getattr(value, name)) for name in names)
        if owner is not None and not deep:
            return (owner, tuple((k, v) for k, v in fields if type(v) in _SCALARS))
        return (type(value).__name__, tuple((k, self.fingerprint(v)) for k, v in fields))

    def context_digest(self, context: Mapping[str, Any]) -> bytes:
        """The digest of a task's context (its names in name order)."""
        h = hashlib.blake2b(digest_size=12)
        for name in sorted(context):
            value = self.fingerprint(context[name])
            h.update(name.encode() + b"\0")
            h.update(value if type(value) is bytes
                     else repr(value).encode("utf-8", "surrogateescape"))
            h.update(b"\1")
        return h.digest()

    # --- reads ---------------------------------------------------------------------------

    def resolve(self, owner: Dep) -> Any:
        """The object named ``owner`` on this site, or None when it is gone."""
        site, kind = self.site, owner[0]
        if kind == "site":
            return site
        if kind == "tax":
            return getattr(site, owner[1], None)
        if kind == "term":
            taxonomy = getattr(site, owner[1], None)
            return taxonomy.term(owner[2]) if taxonomy else None
        if kind == "section":
            return next((s for s in site.sections if s.section.name == owner[1]), None)
        if kind == "year":
            return next((y for y in site.years if y.year == owner[1]), None)
        if kind == "month":
            year = self.resolve(("year", owner[1]))
            return next((m for m in year.months if m.month == owner[2]), None) if year else None
        if kind == "g":
            return self.roots.get(owner[1])
        return None

    def of(self, dep: Dep) -> bytes:
        """The digest of read ``dep`` on this site (see sitegen.render.trace)."""
        found = self._values.get(dep)
        if found is None:
            found = self._values[dep] = _digest(self._look(dep))
        return found

    def _look(self, dep: Dep) -> Any:
        kind = dep[0]
        if kind == "body":
            if self._pages is None:
                self._pages = {p.source: p for p in (*self.site.articles, *self.site.pages)}
            page = self._pages.get(dep[1])
            return self.marks(page).body if page is not None else GONE
        if kind == "page":  # by content_rel: what a body's link to it reads
            linked = self.site.by_source.get(dep[1])
            return self.token(linked) if linked is not None else GONE
        if dep == WHOLE_SITE:
            return tuple(sorted(self.tokens().items()))
        if kind == "names":
            taxonomy = getattr(self.site, dep[1], None)
            return tuple((t.slug, t.name) for t in taxonomy.terms) if taxonomy else GONE
        if kind == "call":
            owner = self.resolve(dep[1])
            return self.fingerprint(owner, deep=True) if owner is not None else GONE
        items = self.list_of(dep[1], dep[2])
        if items is GONE:
            return GONE
        if kind == "len":
            return len(items)
        if kind == "head":
            return self.fingerprint(items[:dep[3]])
        if kind == "slice":
            return self.fingerprint(items[dep[3]:dep[4]])
        if kind == "win":
            return self.fingerprint(self._window(dep[1], dep[2], items, dep[3], dep[4]))
        if kind == "all":
            return self.fingerprint(items)
        return GONE

    def _window(self, owner: Dep, attribute: str, items: Any, path: str,
                width: int) -> tuple[Any, ...]:
        """The items within ``width`` places of the page at ``path`` in ``items`` (related
        articles weigh these, :mod:`sitegen.core.related`); () when it is not there."""
        at = self.place(owner, attribute, path, items)
        return () if at is None else tuple(items[max(at - width, 0):at + width + 1])

    def place(self, owner: Dep, attribute: str, path: str, items: Any = None) -> int | None:
        """Where the page at ``path`` is in the list ``owner.attribute`` (``items``, when
        already looked up), or None."""
        places = self._places.get((owner, attribute))
        if places is None:
            if items is None:
                items = self.list_of(owner, attribute)
            places = {} if items is GONE else \
                {getattr(item, "path", None): i for i, item in enumerate(items)}
            self._places[(owner, attribute)] = places
        return places.get(path)

    def list_of(self, owner: Dep, attribute: str) -> Any:
        """The list ``owner.attribute`` on this site, or GONE."""
        found = self.resolve(owner)
        return GONE if found is None else getattr(found, attribute, GONE)

    def list_mark(self, owner: Dep, attribute: str, changed: Container[str]
                  ) -> tuple[tuple[str, ...] | bytes, tuple[int, ...] | None]:
        """What the record keeps of the list ``owner.attribute``, and where in it are pages
        whose token is among the sources ``changed``.

        A list of pages is kept as its pages' sources in order: with the last build's, and
        the places of the changed pages, that says which of its counts, heads, slices and
        windows are as they were without fingerprinting them (:mod:`sitegen.incremental.reuse`).
        Any other list is kept as its whole fingerprint's digest, its places None (each read
        of it is looked up).
        """
        items = self.list_of(owner, attribute)
        if isinstance(items, tuple | list) and all(type(v) is Page for v in items):
            sources = tuple(p.source for p in items)
            return sources, tuple(i for i, src in enumerate(sources) if src in changed)
        return self.of(("all", owner, attribute)), None

    def changed(self, deps: Iterable[Dep], recorded: Mapping[Dep, bytes],
                bodies_only: bool) -> bool:
        """Whether any of ``deps`` now differs from its ``recorded`` digest; ``bodies_only``:
        no page's token changed, so only body reads can have."""
        for dep in deps:
            if bodies_only and dep[0] != "body":
                continue
            if recorded.get(dep) != self.of(dep):
                return True
        return False


