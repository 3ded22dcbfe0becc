"""Rendering: the Site in, its pages as :class:`Task` and :class:`RenderedFile` out.

``page_tasks`` lists the core pages; a :class:`Renderer` keeps or renders each (``run``),
then ``other_files`` adds the features' and the copied files. Reads templates; nothing is
written here. Each page is rendered with an ``href`` helper bound to its own address, so
that every internal link is relative and the output works under any sub-path and from disk.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import Any, Protocol, TypeVar

import jinja2
from markupsafe import Markup

from sitegen.core.errors import ContentError
from sitegen.core.markup import resolve_markers
from sitegen.core.pages import Page, Picture
from sitegen.core.site import Site
from sitegen.core.sources import Asset
from sitegen.core.urls import Links, absolute, relative, rooted
from sitegen.output.files import RenderedFile
from sitegen.render.cardlinks import completed, completed_data, depth_of, up_link, ups
from sitegen.render.environment import template_problem
from sitegen.render.helpers import site_helpers
from sitegen.render.ids import kept_template_ids, own_ids
from sitegen.render.pictures import expand_pictures, featured_html
from sitegen.render.splices import Splices
from sitegen.render.tasks import Task
from sitegen.render.theme import theme_dir
from sitegen.render.trace import Dep, Reads, feature_names, traced

T = TypeVar("T")


class RenderMemo(Protocol):
    """What the incremental layer lends a Renderer (:class:`sitegen.incremental.reuse.Memo`):
    whether a page's last file can be kept (its key and reads unchanged), the record of what
    each page rendered read, and the features' states kept between builds. Without one,
    every page is rendered."""

    keys: dict[str, Any]

    @property
    def keep_made(self) -> bool:
        """Whether a feature keeps the files it made ahead of their writing."""

    @property
    def whole(self) -> str:
        """The digest of everything any page shows (what files keyed directly start from)."""

    @property
    def base(self) -> str:
        """The digest of what any page may read without naming it (code, config …)."""

    def key(self, template: str, here: str, own: str, context: bytes = b"") -> str:
        """The key of the page at ``here`` (``own``: its body's digest, if any)."""

    def own(self, page: Page) -> str:
        """The digest of ``page``'s body: its own part of its render key."""

    def shown(self, page: Page) -> bytes:
        """The digest of what other pages show of ``page`` (core.pages.shown_digest)."""

    def context_digest(self, context: Mapping[str, object]) -> bytes:
        """The digest of a page's context."""

    def check(self, template: str, here: str, own: str,
              context: Callable[[], Mapping[str, object]], origin: str,
              known: bool = False) -> RenderedFile | None:
        """The last build's file for the page at ``here`` when nothing it read changed
        (``known``: its reads hold what its context is made from)."""

    def card(self, key: tuple[Any, ...], page: Page) -> bytes | None:
        """The theme's card ``key`` of ``page`` as the last builds rendered it (UTF-8), when what
        ``page`` shows is as it was then (:mod:`sitegen.incremental.cards`); else None."""

    def card_made(self, key: tuple[Any, ...], page: Page, html: bytes) -> None:
        """Keep card ``key`` of ``page`` (UTF-8), which read nothing of the site, for the next
        builds."""

    def rendered(self, template: str, here: str, own: str, reads: Iterable[Dep],
                 context: bytes) -> None:
        """Note the page at ``here`` as rendered now, with what it read."""

    def reuse(self, here: str, key: str, origin: str) -> RenderedFile | None:
        """The last build's file for ``here`` when its key was ``key`` and it is unchanged."""

    def state(self, name: str) -> object | None:
        """What feature ``name`` kept from the last build, or None."""

    def keep(self, name: str, value: object) -> None:
        """Keep ``value`` for feature ``name``'s next build."""

    def save_states(self) -> None:
        """Write the features' changed states now."""


#: ``sizes`` of a card's picture in a list of cards (site.css: ``.cards-3``: one column,
#: two from 40em, three from 62em); the theme's templates pass their own for other lists.
CARD_SIZES = "(min-width: 62em) 24rem, (min-width: 40em) 48vw, calc(100vw - 2rem)"


def _as_in_theme(env: jinja2.Environment, name: str) -> bool:
    """Whether template ``name``, as ``env`` finds it, is the default theme's: its file or a
    copy with the same text (a site's ``templates/`` often starts as a copy of the theme)."""
    shipped = theme_dir() / name
    if env.loader is None:
        return False
    try:
        source = env.loader.get_source(env, name)[0]
        return shipped.is_file() and source == shipped.read_text(encoding="utf-8")
    except (jinja2.TemplateError, OSError, UnicodeDecodeError):
        return False


class Renderer:
    """Renders the pages of one Site with one environment."""

    def __init__(self, site: Site, env: jinja2.Environment, static: frozenset[str],
                 memo: RenderMemo | None = None,
                 features: Mapping[str, Any] | None = None) -> None:
        """``features``: the names the features give every template (the home page's coming
        commemorations, the unit pages' roll, the feeds a page announces; see
        :meth:`sitegen.features.registry.Registry.template_globals`)."""
        self.site = site
        self.memo = memo
        self.config = site.config
        self.env = env
        #: What each page reads while it renders (sitegen.render.trace).
        self.reads: Reads = getattr(env, "reads", None) or Reads()
        reads = self.reads
        reads.clear_roots()
        #: The features' objects templates read by name (the roll), and their plain values.
        self.roots, plain = feature_names(features or {}, reads)
        self.common: dict[str, Any] = {
            **site_helpers(site, static, reads), "ui": self._ui,
            **{name: traced(value, reads) if callable(value) else value
               for name, value in (features or {}).items()},
            "chrome": self._chrome, "picture": self._picture, "card": self._card,
            "cards": self._cards_of,
        }
        #: What every page has but its cards, for the pages with cards of their own (_links).
        self._but_card = {k: v for k, v in self.common.items() if k not in ("card", "cards")}
        self._words: Mapping[str, Mapping[str, str]] | None = None
        #: The ids the theme's templates write literally (see _own_ids).
        self._theme_ids: frozenset[str] | None = None
        #: Fragments by key, with what they read (noted again on each page that shows them).
        self._chrome_cache: dict[tuple[object, ...], tuple[Markup, frozenset[Dep]]] = {}
        #: Cards by (page path, options), as UTF-8, their links behind UP (see _card): cards
        #: rendered once per depth took much memory on a large site, and so did each card
        #: held both as text and encoded (benchmarks/README.md, 'Figures behind the code').
        self._cards: dict[tuple[object, ...], tuple[bytes, frozenset[Dep]]] = {}
        #: Each fragment's text above as UTF-8, by the text, and the page's cards and chrome
        #: kept encoded until its own text is (render/splices.py: encoding was a tenth of a
        #: list page).
        self._encoded: dict[str, bytes] = {}
        self.splices = Splices()
        #: Whether cards are shared across depths: only the default theme's card (its files
        #: or copies of them); a site's own may filter its links or show the page's context.
        self.shares_cards = all(_as_in_theme(env, name) for name in ("_card.html", "_macros.html"))
        pretty, assets = site.config.pretty_links, site.config.paths.assets
        self._up_links = {"href": lambda target: up_link(target, pretty),
                          "asset": lambda name: up_link(f"{assets}/{name}", True)}
        menu_paths = {"", *(s.path for s in site.sections), *(p.path for p in site.pages),
                      *(item.path for item in self.common["menu_extra"])}
        self._menu_paths = frozenset(menu_paths)
        #: What every page may read without naming it: the menu and the features' plain
        #: values (part of the base signature, sitegen.incremental.reuse).
        self.plain = (self.common["menu_extra"], plain)
        #: (site path, template) of every page rendered so far, for the sitemap.
        self.rendered: list[tuple[str, str]] = []
        #: Features run ahead in another process: {feature's name: its files, waited for}
        #: (sitegen.incremental.publish.work_ahead).
        self.ahead: dict[str, Callable[[], Iterable[RenderedFile]]] = {}

    def _ui(self, lang: str) -> Mapping[str, str]:
        """The interface's words in ``lang`` (Vietnamese for a language not known): the one
        table, ``words`` of the theme's ``_words.html``, with a site's own ``_words.html``
        over it (a site's table made for an older theme lacks the newer words)."""
        if self._words is None:
            words = self.env.get_template("_words.html").module.words  # type: ignore[attr-defined]
            shipped = theme_dir() / "_words.html"
            if not _as_in_theme(self.env, "_words.html") and shipped.is_file():
                theme = self.env.from_string(shipped.read_text(encoding="utf-8")).module.words  # type: ignore[attr-defined]
                words = {k: {**theme.get(k, {}), **words.get(k, {})} for k in {*theme, *words}}
            self._words = words
        assert self._words is not None
        return self._words.get(lang, self._words["vi"])

    @jinja2.pass_context
    def _chrome(self, ctx: jinja2.runtime.Context, name: str) -> Markup:
        """Render the shared header or footer ``name`` once per kind of page, and reuse it.

        The header and footer are most of a page's work and differ only by the page's
        depth (their links are relative), its language and which menu entry is current.
        They are rendered as if from a stand-in page of the same depth (``_/_/``), whose
        relative links are valid from every page of that depth. Spliced into the page's
        bytes as kept encoded when the page is (:mod:`sitegen.render.splices`).
        """
        here: str = ctx["here"]
        exact = here if here in self._menu_paths else None
        html = self._fragment(ctx, name, (ctx.get("lang"), here.split("/", 1)[0], exact))
        return self.splices.hold(self._utf8(html)) if self.splices.active else html

    def _utf8(self, text: str) -> bytes:
        """``text``, a fragment kept for many pages, as UTF-8, encoded once."""
        encoded = self._encoded
        return encoded.get(text) or encoded.setdefault(text, text.encode("utf-8"))

    @staticmethod
    @jinja2.pass_context
    def _picture(ctx: jinja2.runtime.Context, picture: Picture, sizes: str, eager: bool = False,
                 cls: str = "", alt: str | None = None) -> Markup:
        """A page's or a card's picture, linked from the page (sitegen.render.pictures)."""
        return featured_html(ctx["href"], picture, sizes=sizes, eager=eager, cls=cls, alt=alt)

    @jinja2.pass_context
    def _card(self, ctx: jinja2.runtime.Context, page: Page, heading: str = "h2",
              image: bool = True, summary: bool = True, placeholder: bool = True,
              sizes: str = CARD_SIZES, eager: bool = False) -> Markup:
        """One article's card in a list, for a page whose ``card`` is not :meth:`_shared_card`
        (see :meth:`_links`): a site's own ``_card.html`` or ``_macros.html``, rendered once per
        depth (:meth:`_fragment`), or any card of a page linked from the server's root."""
        key = (page.path, heading, image, summary, placeholder, sizes, eager)
        if not self.shares_cards or ctx.get("rooted"):
            return self._fragment(ctx, "_card.html", key, {
                "p": page, "heading": heading, "image": image, "summary": summary,
                "placeholder": placeholder, "sizes": sizes, "eager": eager})
        return self._shared_card(ups(depth_of(ctx["here"])), page, heading, image, summary,
                                 placeholder, sizes, eager)

    def _shared_card(self, up: str, page: Page, heading: str = "h2", image: bool = True,
                     summary: bool = True, placeholder: bool = True, sizes: str = CARD_SIZES,
                     eager: bool = False) -> Markup:
        """One article's card in a list, rendered once and reused on every list page, its
        links completed with ``up``, the ``../`` of its page (:func:`sitegen.render.cardlinks.completed`).

        Its links are rendered from the site's root behind the marker :data:`UP`, which each
        use replaces: the same links a stand-in page of that depth gives. Bound to its page's
        ``up`` as that page's ``card`` (:meth:`_links`), so that a list's ten cards look
        nothing up in the page's context.
        """
        return Markup(completed(self._card_text(page, heading, image, summary, placeholder,
                                                sizes, eager).decode("utf-8"), up))

    def _shared_cards(self, up: str, pages: Sequence[Page], heading: str = "h2",
                      image: bool = True, summary: bool = True, placeholder: bool = True,
                      sizes: str = CARD_SIZES) -> Markup:
        """The cards of ``pages``, the first eager (the page's first picture), as
        :meth:`_shared_card` writes each: what ``{% for p in pages %}{{ card(p,
        eager=loop.first) }}{% endfor %}`` writes, with one call and one completion of the
        links for the list instead of one a card (each copied a card's text three times).
        Bound to its page's ``up`` as that page's ``cards`` (:meth:`_links`)."""
        data = b"".join([self._card_text(page, heading, image, summary, placeholder, sizes,
                                         n == 0) for n, page in enumerate(pages)])
        if self.splices.active:  # spliced into the page's bytes: see render/splices.py
            return self.splices.hold(completed_data(data, up))
        return Markup(completed(data.decode("utf-8"), up))

    def _card_text(self, page: Page, heading: str, image: bool, summary: bool,
                   placeholder: bool, sizes: str, eager: bool) -> bytes:
        """The theme's card of ``page`` with these options, as UTF-8, its links behind :data:`UP`:
        rendered once (or kept from the last builds by the memo), its reads noted in the page
        being rendered each time it is shown."""
        key = (page.path, heading, image, summary, placeholder, sizes, eager)
        cached = self._cards.get(key)
        if cached is None and self.memo is not None and (kept := self.memo.card(key, page)):
            cached = self._cards[key] = (kept, frozenset())  # from the last builds: read nothing
        elif cached is None:
            cached = self._cards[key] = self._traced(lambda: str(self._card_macro(
                page, heading, image=image, summary=summary, placeholder=placeholder,
                sizes=sizes, eager=eager)).encode("utf-8"))
            if self.memo is not None and not cached[1]:
                self.memo.card_made(key, page, cached[0])
        elif cached[1]:
            self.reads.note_all(cached[1])
        return cached[0]

    @jinja2.pass_context
    def _cards_of(self, ctx: jinja2.runtime.Context, pages: Sequence[Page], heading: str = "h2",
               image: bool = True, summary: bool = True, placeholder: bool = True,
               sizes: str = CARD_SIZES) -> Markup:
        """The cards of ``pages``, the first eager, for a page whose ``cards`` is not
        :meth:`_shared_cards` (see :meth:`_card`)."""
        return Markup("").join([self._card(ctx, page, heading, image, summary, placeholder,
                                           sizes, n == 0) for n, page in enumerate(pages)])

    @cached_property
    def _card_macro(self) -> Callable[..., Markup]:
        """The theme's ``card`` macro, imported once with what every page has and the links
        behind :data:`UP` (a shared card reads no more): once a card, it was most of the work."""
        values = {"site": self.site, "config": self.config, **self.common, **self._up_links}
        return self.env.get_template("_macros.html").make_module(values).card  # type: ignore[attr-defined, no-any-return]

    def _traced(self, make: Callable[[], T]) -> tuple[T, frozenset[Dep]]:
        """What ``make`` renders, and what it read (noted in the page being rendered too)."""
        self.reads.begin()
        try:
            html = make()
        finally:
            reads = self.reads.end()
        return html, reads

    def _fragment(self, ctx: jinja2.runtime.Context, name: str, key: tuple[object, ...],
                  extra: dict[str, Any] | None = None) -> Markup:
        """Render template ``name`` as if from a stand-in page of the same depth, cached by key.

        Relative links from ``_/_/`` are valid from every page of depth two, so a fragment
        whose content depends only on ``key`` can be rendered once and reused.
        """
        here: str = ctx["here"]
        depth, root = depth_of(here), bool(ctx.get("rooted"))
        full = (name, depth, root, *key)
        cached = self._chrome_cache.get(full)
        if cached is None:
            values = dict(ctx.get_all())
            values.update(self._links("_/" * depth, root))
            values["here"] = here
            values.update(extra or {})
            outer = self.splices.pause()  # kept for other pages: no marker of this one's
            try:
                html, reads = self._traced(lambda: self.env.get_template(name).render(values))
            finally:
                self.splices.resume(outer)
            cached = self._chrome_cache[full] = (Markup(html), reads)
        else:
            self.reads.note_all(cached[1])
        return cached[0]

    def _links(self, here: str, root: bool = False) -> dict[str, Any]:
        """The link helpers of the page at ``here``: relative links, or with ``root`` links
        from the server's root (the 404 page: :func:`sitegen.core.urls.rooted`)."""
        pretty, config = self.config.pretty_links, self.config
        link: Callable[[str, bool], str] = \
            (lambda target, p: rooted(config, target, p)) if root else Links(here)

        def href(target: str) -> str:
            return link(target, pretty)

        helpers = {"href": href, "here": here, "canonical": absolute(config, here),
                   "rooted": root, "asset": lambda name: link(f"{config.paths.assets}/{name}", True)}
        if self.shares_cards and not root:  # else the card of the page's context (_card)
            up = ups(depth_of(here))
            helpers["card"] = functools.partial(self._shared_card, up)
            helpers["cards"] = functools.partial(self._shared_cards, up)
        return helpers

    def page(self, template: str, here: str, origin: str, *, reuse: bool = False,
             body_of: Page | None = None, **context: Any) -> RenderedFile:
        """Render ``template`` as the page at site path ``here``; template mistakes become errors.

        ``body_of``: the article or page whose body the template shows (as ``body``). With
        ``reuse`` (for pages whose context comes from the site model only, see
        :mod:`sitegen.incremental.reuse`) and a memo, the last build's file is kept when its key matches.
        """
        task = Task(template, here, origin, body_of, lambda: context)
        if reuse:
            return self.run(task)
        self.rendered.append((here, template))
        return self.make(task, record=False)

    def before_fork(self) -> None:
        """Work out the features' objects that are made when first read (the roll's
        entries: their ``warm``), once here rather than in each worker about to be forked."""
        for value in self.roots.values():
            warm = getattr(value, "warm", None)
            if callable(warm):
                warm()

    def kept(self, task: Task) -> RenderedFile | None:
        """The last build's file of ``task`` when nothing it read changed (with a memo;
        recorded as this build's then), else None: it is to be rendered."""
        if self.memo is None:
            return None
        own = self.memo.own(task.body_of) if task.body_of is not None else ""
        return self.memo.check(task.template, task.here, own, task.context, task.origin,
                               known=task.reads is not None)

    def make(self, task: Task, record: bool = True) -> RenderedFile:
        """Render ``task``'s page (the caller lists it in ``rendered``: page, run, publish);
        with ``record``, what it read is noted in the memo for the next build."""
        context = task.context()
        known = task.reads is not None  # the context told by reads: no need to digest it
        digest = self.memo.context_digest(context) if self.memo is not None and not known \
            else b""
        self.reads.begin()
        self.reads.note_all(task.reads() if task.reads is not None else ())
        try:
            if task.body_of is not None:
                context["body"] = self.body(task.body_of)
            links = self._links(task.here, task.rooted)
            template = self.env.get_template(task.template)
            data = self._page_data(lambda: template.render(
                site=self.site, config=self.config,
                **(self._but_card if "card" in links else self.common), **links, **context))
        except jinja2.TemplateError as exc:
            self.reads.abandon()
            raise ContentError([template_problem(exc, task.template, task.origin)]) from None
        except BaseException:
            self.reads.abandon()
            raise
        reads = self.reads.end()
        if self.memo is not None and record:
            own = self.memo.own(task.body_of) if task.body_of is not None else ""
            self.memo.rendered(task.template, task.here, own, reads, digest)
        return RenderedFile(path=task.here, origin=task.origin, data=data)

    def _page_data(self, render: Callable[[], str]) -> bytes:
        """What ``render`` gives, as UTF-8, with the fragments kept encoded spliced in
        (:mod:`sitegen.render.splices`); rendered again without them when they could not be
        (a template that filtered or repeated its cards)."""
        outer = self.splices.open()
        try:
            html = render()
        except BaseException:
            self.splices.resume(outer)
            raise
        data = self.splices.close(html, outer)
        if data is None:
            outer = self.splices.pause()
            try:
                data = render().encode("utf-8")
            finally:
                self.splices.resume(outer)
        return data

    def run(self, task: Task) -> RenderedFile:
        """``task``'s page: kept from the last build, or rendered."""
        self.rendered.append((task.here, task.template))
        kept = self.kept(task)
        return kept if kept is not None else self.make(task)

    def made(self, here: str, origin: str, inputs: str, make: Callable[[], bytes],
             bodies: Iterable[Page] = (), site_wide: bool = True) -> RenderedFile:
        """The file at site path ``here`` that ``make`` writes from the site model,
        ``inputs`` (what else it reads) and the ``bodies`` of these pages; with a memo, the
        last build's file when what every page shows (``Memo.whole``), ``inputs`` and those
        bodies are the same. Not ``site_wide``: ``inputs`` say all the file is made from
        (with the base: the config, the code …), so the rest of the site is not compared."""
        if self.memo is not None:
            start = self.memo.whole if site_wide else self.memo.base
            own = start + inputs + "".join(map(self.memo.own, bodies))
            kept = self.memo.reuse(here, self.memo.key("", here, own), origin)
            if kept is not None:
                return kept
        return RenderedFile(path=here, origin=origin, data=make())

    def body(self, page: Page) -> Markup:
        """The article's body with its link markers made relative to its own address."""
        def resolve(kind: str, target: str) -> str | None:
            if kind == "page":
                self.reads.note(("page", target))  # its address, which may change
                linked = self.site.by_source.get(target)
                return relative(page.path, linked.path, self.config.pretty_links) if linked else None
            if kind == "static":
                return relative(page.path, target, True)
            return relative(page.path, target, self.config.pretty_links)

        html = resolve_markers(expand_pictures(page.body_html, page), resolve)
        return Markup(self._own_ids(html) if 'id="' in html else html)

    def _own_ids(self, html: str) -> str:
        """``html`` (a body) with the ids the theme's templates also write renamed
        (:func:`sitegen.render.ids.own_ids`)."""
        if self._theme_ids is None:
            self._theme_ids = kept_template_ids(self.env, self.memo)
        return own_ids(html, self._theme_ids)


def other_files(r: Renderer,
                features: Sequence[tuple[str, Callable[[Renderer], Iterable[RenderedFile]]]] = (),
                theme_assets: Sequence[Asset] = (), static: Sequence[Asset] = (),
                bundles: Sequence[tuple[Page, Sequence[Asset]]] = ()) -> Iterator[RenderedFile]:
    """After the core pages: the features' files (feeds, search, calendar …, which may read
    ``r.rendered``), by (name, files) in order, then the theme's assets, the static files
    and the bundles' files."""
    for name, files in features:
        ahead = r.ahead.get(name)
        yield from ahead() if ahead is not None else files(r)
    yield from (RenderedFile(f"{r.config.paths.assets}/{a.rel}", "theme", source=a.path)
                for a in theme_assets)
    yield from (RenderedFile(a.rel, "static/" + a.rel, source=a.path) for a in static)
    for page, assets in bundles:
        yield from (RenderedFile(page.path + a.rel, page.source, source=a.path) for a in assets)
