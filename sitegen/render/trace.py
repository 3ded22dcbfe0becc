"""What a page read of the site while it rendered: its *reads*, which its render key follows.

A template reaches the site model through its context, the site (``site``) and the
helpers sitegen gives it. Jinja reads every ``a.b`` and ``a[b]`` through the environment
(:class:`sitegen.render.environment.SiteEnvironment` hands both to :meth:`Reads.watch`), so
what a template reads is seen here whatever the template is, a site's own included:

- a list of the site model (``site.articles``, ``term.pages``, ``year.months`` …) comes back
  :class:`Watched`: counting it (``| length``, ``{% if %}``) is one read, its first k items
  another, all of it a third;
- a method of the model (``site.status``, ``taxonomy.of``) reads the whole object;
- any other field of the model but those its fingerprint holds (:data:`KNOWN`: a term's
  name, a year's address …) is read whole (``site.by_source``, ``site.next_change``);
- another page's body (``p.body_html``) reads that body.

A page reached through a list, its context or a helper is known by its *token* (its
address and every field but its body, :mod:`sitegen.incremental.depends`), so reading its
title is not a read of its own. The helpers that look further into the site (related
articles, a section's latest, the features' helpers) say what they read with
:meth:`Reads.note`. A read is a :data:`Dep`, a tuple naming what can be looked up again on
the next build's site (:class:`sitegen.incremental.depends.Values`):

==========================================  ================================================
``("all", owner, attr)``                    every item of ``owner.attr``
``("len", owner, attr)``                    how many items ``owner.attr`` has
``("head", owner, attr, k)``                its first ``k`` items
``("slice", owner, attr, i, j)``            its items ``i`` to ``j`` (a page of a list)
``("win", owner, attr, path, w)``           the items within ``w`` places of page ``path``
``("call", owner)``                         all of ``owner`` (one of its methods was called)
``("body", source)``                        the body of the page of ``source``
``("page", content_rel)``                   the page a body links to (its address …)
``("names", taxonomy)``                     the terms of a taxonomy: their slugs and names
``("site",)``                               every page's token: any change of what is shown
==========================================  ================================================

``owner`` is an object's *identity* (:func:`identity`): ``("site",)``, ``("tax", name)``,
``("term", taxonomy, slug)``, ``("section", name)``, ``("year", y)``, ``("month", y, m)``,
or ``("g", name)`` for a name the features give templates (the roll). Pure: no IO.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, SupportsIndex, TypeVar, overload

from sitegen.core.pages import Page
from sitegen.core.site import MonthArchive, SectionListing, Site, Taxonomy, Term, YearArchive

Dep = tuple[Any, ...]
#: The whole site as shown: what a helper that says nothing of its reads depends on.
WHOLE_SITE: Dep = ("site",)
#: A page's fields that come from its body (not in its token).
BODY_FIELDS = frozenset({"body", "body_html", "derived", "derived_text", "pictures", "originals"})

#: The fields of each kind of owner that are part of its fingerprint wherever it comes from
#: (its identity, its scalars) or of the base (the config, the build's day): reading them
#: is no read of its own.
KNOWN: dict[type, frozenset[str]] = {
    Site: frozenset({"config", "now", "tags", "units", "fields"}),
    Taxonomy: frozenset({"name", "title", "path"}),
    Term: frozenset({"taxonomy", "name", "slug", "path"}),
    SectionListing: frozenset({"section", "path"}),
    YearArchive: frozenset({"year", "path"}),
    MonthArchive: frozenset({"year", "month", "path"}),
}

IDENTITIES: dict[type, Callable[[Any], Dep]] = {
    Site: lambda s: ("site",),
    Taxonomy: lambda t: ("tax", t.name),
    Term: lambda t: ("term", t.taxonomy, t.slug),
    SectionListing: lambda s: ("section", s.section.name),
    YearArchive: lambda y: ("year", y.year),
    MonthArchive: lambda m: ("month", m.year, m.month),
}


def identity(obj: object, roots: Mapping[int, Dep] | None = None) -> Dep | None:
    """The name ``obj`` is looked up by on the next build, or None (a value, known by what it
    holds). ``roots``: the features' template objects, by ``id``."""
    made = IDENTITIES.get(type(obj))
    if made is not None:
        return made(obj)
    return roots.get(id(obj)) if roots else None


F = TypeVar("F", bound=Callable[..., Any])


def reading(*deps: Dep, each: Callable[..., Iterable[Dep]] | None = None
            ) -> Callable[[F], F]:
    """Mark a feature's template helper as reading ``deps`` of the site, and what ``each``
    gives for the arguments of a call (none: only its arguments, the config and the base);
    a helper not marked is taken to read the whole site (:data:`WHOLE_SITE`)."""
    def mark(helper: F) -> F:
        helper.reads = deps  # type: ignore[attr-defined]
        helper.reads_each = each  # type: ignore[attr-defined]
        return helper
    return mark


def term_names(terms: Iterable[Term]) -> Iterator[Dep]:
    """The reads of the names of ``terms`` (the most used spelling of each)."""
    return (("all", ("term", t.taxonomy, t.slug), "name") for t in terms)


class Reads:
    """The reads of the page being rendered, in nested frames (a header or card rendered once
    and reused: its reads are kept with it and noted again on each page that shows it)."""

    def __init__(self) -> None:
        self._frames: list[set[Dep]] = []
        self._roots: dict[int, Dep] = {}
        #: The types of the objects whose reads are noted (:meth:`watch`): the pages, the
        #: owners of :data:`IDENTITIES` and the roots'. Any other's (a page's ``meta``, a
        #: loop, the words table …) is passed over before :meth:`watch` is called.
        self.watched: set[type] = {Page, *IDENTITIES}
        #: Each list of the site model as it was last watched, by (owner, attribute): the
        #: list, and its Watched copy, made once for every page that reads it (a tag's
        #: thousands of articles were copied for each of its list pages).
        self._lists: dict[tuple[Dep, Any], tuple[tuple[Any, ...], Watched]] = {}

    @property
    def roots(self) -> Mapping[int, Dep]:
        """The features' objects that templates read by name, by ``id`` (see identity()):
        given by :meth:`add_root` only, which watches their type too."""
        return MappingProxyType(self._roots)

    def clear_roots(self) -> None:
        """Forget the roots (a new Renderer's features give their own) and the lists
        watched (of the Renderer's site before)."""
        self._roots = {}
        self.watched = {Page, *IDENTITIES}
        self._lists = {}

    def add_root(self, obj: object, dep: Dep) -> None:
        """Note reads of ``obj`` as of ``dep`` (a feature's object templates read by name)."""
        self._roots[id(obj)] = dep
        self.watched.add(type(obj))

    def begin(self) -> None:
        """Start recording the reads of a page or fragment."""
        self._frames.append(set())

    def end(self) -> frozenset[Dep]:
        """Stop recording; the reads since the matching :meth:`begin`, also noted in the
        enclosing frame."""
        done = frozenset(self._frames.pop())
        if self._frames:
            self._frames[-1].update(done)
        return done

    def abandon(self) -> None:
        """Drop the frames of a render that failed."""
        self._frames.clear()

    def note(self, *deps: Dep) -> None:
        """Record ``deps`` in the current frame (nothing when no page is rendering)."""
        self.note_all(deps)

    def note_all(self, deps: Iterable[Dep]) -> None:
        """Record each of ``deps`` (see :meth:`note`)."""
        if self._frames:
            self._frames[-1].update(deps)

    def watch(self, obj: Any, attribute: Any, value: Any) -> Any:
        """``value``, read by a template as ``obj.attribute`` or ``obj[attribute]``: noted,
        and a list of the site model watched (see the module's docstring)."""
        if not self._frames:
            return value
        kind = type(obj)
        if kind is Page:
            if attribute in BODY_FIELDS:
                self._frames[-1].add(("body", obj.source))
            return value
        # identity(), written out: this runs for every ``a.b`` of every page.
        made = IDENTITIES.get(kind)
        owner = made(obj) if made is not None else self._roots.get(id(obj))
        if owner is None:
            return value
        if type(value) is tuple:
            return self._watched(owner, attribute, value)
        if callable(value):
            self._frames[-1].add(("call", owner))
        elif attribute not in KNOWN.get(type(obj), ()):
            self._frames[-1].add(("all", owner, attribute))  # a mapping, a date, a root's …
        return value

    def _watched(self, owner: Dep, attribute: Any, items: tuple[Any, ...]) -> Watched:
        """``items``, ``owner.attribute``, as a :class:`Watched`: the one made for these very
        items before (a Watched notes its reads in whichever page renders when it is read)."""
        known = self._lists.get((owner, attribute))
        if known is None or known[0] is not items:
            known = self._lists[(owner, attribute)] = (items, Watched(items, self, owner, attribute))
        return known[1]


class Watched(tuple):  # type: ignore[type-arg]
    """A list of the site model as a template sees it: a tuple that notes how it is read."""

    _reads: Reads
    _dep: tuple[Any, Any]

    def __new__(cls, items: Iterable[Any], reads: Reads, owner: Dep, attribute: Any) -> Watched:
        made = super().__new__(cls, items)
        made._reads = reads
        made._dep = (owner, attribute)
        return made

    def _all(self) -> None:
        self._reads.note(("all", *self._dep))

    def __len__(self) -> int:
        self._reads.note(("len", *self._dep))
        return tuple.__len__(self)

    def __iter__(self) -> Iterator[Any]:
        self._all()
        return tuple.__iter__(self)

    @overload
    def __getitem__(self, index: SupportsIndex) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Any, ...]: ...

    def __getitem__(self, index: SupportsIndex | slice) -> Any:
        if isinstance(index, slice) and index.start in (None, 0) and index.step in (None, 1) \
                and isinstance(index.stop, int) and index.stop >= 0:
            self._reads.note(("head", *self._dep, index.stop))
        else:
            self._all()
        return tuple.__getitem__(self, index)

    def __contains__(self, item: object) -> bool:
        self._all()
        return tuple.__contains__(self, item)

    def __reversed__(self) -> Iterator[Any]:
        self._all()
        return tuple.__iter__(tuple(reversed(tuple(tuple.__iter__(self)))))

    def __eq__(self, other: object) -> bool:
        self._all()
        return tuple.__eq__(self, other)

    __hash__ = tuple.__hash__

    def __add__(self, other: tuple[Any, ...]) -> tuple[Any, ...]:
        self._all()
        return tuple.__add__(self, other)

    def __radd__(self, other: tuple[Any, ...]) -> tuple[Any, ...]:
        self._all()
        return other + tuple(tuple.__iter__(self))

    def count(self, value: Any) -> int:
        self._all()
        return tuple.count(self, value)

    def index(self, value: Any, *args: Any) -> int:
        self._all()
        return tuple.index(self, value, *args)

    def __reduce__(self) -> tuple[Any, ...]:  # pickled (sent to a worker) as a plain tuple
        return (tuple, (tuple(tuple.__iter__(self)),))


def feature_names(names: Mapping[str, Any], reads: Reads) -> tuple[dict[str, Any], Any]:
    """The features' template names split: the objects templates read by name (noted as
    roots of ``reads``: :func:`sitegen.render.trace.identity`), and the plain values (a
    fingerprint: they are part of the base). Helpers (callables) are neither."""
    roots: dict[str, Any] = {}
    plain: list[tuple[str, Any]] = []
    for name, value in sorted(names.items()):
        if callable(value):
            continue
        if isinstance(value, str | int | float | bool | type(None)):
            plain.append((name, value))
        else:
            roots[name] = value
            reads.add_root(value, ("g", name))
    return roots, tuple(plain)


def traced(helper: Callable[..., Any], reads: Reads) -> Callable[..., Any]:
    """A feature's helper that notes what it reads when called: its ``reads`` attribute
    (:func:`sitegen.render.trace.reading`), or the whole site when it says nothing."""
    deps = getattr(helper, "reads", (WHOLE_SITE,))
    each = getattr(helper, "reads_each", None)

    def traced(*args: Any, **kwargs: Any) -> Any:
        reads.note_all(deps)
        if each is not None:
            reads.note_all(each(*args, **kwargs))
        return helper(*args, **kwargs)

    return traced
