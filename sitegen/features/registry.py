"""The features: what each adds to a build, by name and order; no IO.

A feature is one module that ends with ``FEATURE = Feature(...)``: its name, its order
among the features, and what it gives the build:

- ``files``: its files, made after the core pages from a :class:`FeatureContext` (to
  render a page, keep the last build's file, or read its saved state);
- ``template_globals``: names every template may use (the home page's coming
  commemorations, the unit pages' roll, the feeds a page announces);
- ``text_work``: work on each page's text while it is read, in the read workers
  (the search's index keys; :data:`sitegen.core.pages.TextWork`), at most one feature's;
- ``ahead``: it reads the site model alone, so a build may run it in a process of its own
  while the pages are written (:func:`sitegen.incremental.publish.work_ahead`);
- ``reads_rendered``: it reads the list of every page rendered (the sitemap), so it runs
  after every feature that does not, whatever its order.

:func:`default_registry` holds the built-in features; a build may be given another
registry (``sitegen.pipeline.build(..., features=)``). A new feature is one module and
one name in :func:`default_registry`; the renderer does not change. (The model is Python-Markdown's
``Registry``: items by name with a priority.)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sitegen.core.config import Config
from sitegen.core.pages import Page, TextWork
from sitegen.core.site import Site
from sitegen.output.files import RenderedFile
from sitegen.render.renderer import RenderMemo


class FeatureContext(Protocol):
    """What a feature may use while it makes its files, read-only but for the pages it
    renders: the site, a page maker (``page``: a template rendered, or the last build's
    file kept; ``made``: bytes made unless kept), the names every template has
    (``common``), the pages rendered so far (``rendered``) and its saved state (``memo``).
    The Renderer gives it; a feature never holds the Renderer itself."""

    @property
    def site(self) -> Site: ...

    @property
    def config(self) -> Config: ...

    @property
    def common(self) -> Mapping[str, Any]: ...

    @property
    def rendered(self) -> Sequence[tuple[str, str]]: ...

    @property
    def memo(self) -> RenderMemo | None: ...

    def page(self, template: str, here: str, origin: str, *, reuse: bool = False,
             body_of: Page | None = None, **context: Any) -> RenderedFile:
        """Render ``template`` as the page at site path ``here`` (see Renderer.page)."""

    def made(self, here: str, origin: str, inputs: str, make: Callable[[], bytes],
             bodies: Iterable[Page] = (), site_wide: bool = True) -> RenderedFile:
        """The file at ``here`` that ``make`` writes, or the last build's (see Renderer.made)."""


FeatureFiles = Callable[[FeatureContext], Iterable[RenderedFile]]
TemplateGlobals = Callable[[Site, frozenset[str]], Mapping[str, Any]]
"""Given the site and its static files, the names a feature gives every template."""


@dataclass(frozen=True)
class Feature:
    """One feature: see the module's docstring."""

    name: str
    order: int
    files: FeatureFiles
    template_globals: TemplateGlobals | None = None
    text_work: TextWork | None = None
    ahead: bool = False
    reads_rendered: bool = False


class Registry:
    """Features by name, run in their order (those that read what was rendered, last)."""

    def __init__(self, features: Iterable[Feature] = ()) -> None:
        self._features: dict[str, Feature] = {}
        for feature in features:
            self.register(feature)

    def register(self, feature: Feature) -> None:
        """Add ``feature``; a name already registered, or a second text work, is an error."""
        if feature.name in self._features:
            raise ValueError(f"feature {feature.name!r} is registered already")
        if feature.text_work is not None and self.text_work is not None:
            raise ValueError(f"feature {feature.name!r}: only one feature may work on the "
                             "text as it is read")
        self._features[feature.name] = feature

    @property
    def features(self) -> tuple[Feature, ...]:
        """Every feature, in the order a build runs them."""
        return tuple(sorted(self._features.values(),
                            key=lambda f: (f.reads_rendered, f.order, f.name)))

    @property
    def ahead(self) -> tuple[Feature, ...]:
        """The features a build may run in a process of its own (see ``Feature.ahead``)."""
        return tuple(f for f in self.features if f.ahead)

    @property
    def text_work(self) -> TextWork | None:
        """The one feature's work on each page's text as it is read, if any."""
        return next((f.text_work for f in self._features.values() if f.text_work), None)

    def template_globals(self, site: Site, static: frozenset[str]) -> dict[str, Any]:
        """Every feature's template names for ``site``; two features giving one name is an error."""
        names: dict[str, Any] = {}
        for feature in self.features:
            if feature.template_globals is None:
                continue
            given = feature.template_globals(site, static)
            clash = names.keys() & given.keys()
            if clash:
                raise ValueError(f"feature {feature.name!r} gives {sorted(clash)} again")
            names.update(given)
        return names

    def __getitem__(self, name: str) -> Feature:
        return self._features[name]

    def without(self, *names: str) -> Registry:
        """This registry less the features ``names``."""
        return Registry(f for f in self.features if f.name not in names)

    def replaced(self, feature: Feature) -> Registry:
        """This registry with ``feature`` in place of the one of its name."""
        return Registry(feature if f.name == feature.name else f for f in self.features)


@functools.cache
def default_registry() -> Registry:
    """The built-in features (imported here, not at the module's import: each imports this);
    made once, as every build asks for it several times (``without`` and ``replaced`` make
    new registries, so it is never changed)."""
    from sitegen.features import calendar, feeds, roll, sitemap, structured_data
    from sitegen.features.search import index

    return Registry(m.FEATURE for m in (calendar, roll, index, feeds, structured_data, sitemap))
