"""Page and read_page: one Source in, one checked, rendered :class:`Page` out; pure.

A Page is an article or an undated page as the rest of the build sees it:
checked front matter, its address, its body as HTML (with link markers) and
its summary. Whether it is published (drafts, future dates) is decided later,
by :func:`sitegen.core.site.assemble_site`, which knows the build's clock.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from sitegen.core.bodytidy import tidy_body
from sitegen.core.config import Config
from sitegen.core.errors import Problem, warning
from sitegen.core.frontmatter import (
    CommemorationInfo,
    DocumentInfo,
    Meta,
    ModelInfo,
    MovementInfo,
    Split,
    decode,
    parse,
    split,
    validate,
)
from sitegen.core.htmltext import shorten
from sitegen.core.linkfix import file_fix
from sitegen.core.markup import LinkContext, MarkdownRenderer
from sitegen.core.pictures import NOT_PUBLISHED, TROUBLES, is_raster
from sitegen.core.placeholders import placeholder_problems
from sitegen.core.sources import Asset, Source
from sitegen.core.units import unit_problem
from sitegen.core.urls import article_path, page_path
from sitegen.vn.collate import packed_key
from sitegen.vn.slug import slugify


class StoredText(Protocol):
    """A text kept elsewhere until a stage reads it (the build cache's
    :class:`sitegen.incremental.stored.Stored`)."""

    def read(self) -> bytes:
        """The text's bytes (UTF-8)."""


TextWork = Callable[[str, Sequence[str]], str]
"""Work done on a page's text while it is read, in the read workers, for a feature that
needs the whole text later without keeping it (the search's index keys): given the title
and the other texts (summary, body text, tags, unit, field, author), a text kept with the
page as :attr:`Page.derived`."""


@dataclass(frozen=True)
class Picture:
    """A picture as published: its site path, its description and its size when known
    (upright); for the featured picture, its caption and credit. ``photo``: published in
    widths (sitegen.core.pictures), its own path then published only when asked."""

    path: str
    alt: str
    size: tuple[int, int] | None = None
    caption: str | None = None
    credit: str | None = None
    photo: bool = False


@dataclass(frozen=True)
class Page:
    """One article (``kind`` is its section's kind) or undated page (``kind == "page"``)."""

    source: str
    content_rel: str
    kind: str
    section: str | None
    meta: Meta
    slug: str
    path: str
    #: The body as HTML (with link markers): read it as ``body_html``. A StoredText while it
    #: is still in the build cache (sitegen.incremental.stored).
    body: str | StoredText
    summary: str
    links: tuple[str, ...]
    image: Picture | None
    attachment: str | None
    bundle_files: tuple[str, ...]
    #: The title's key in Vietnamese alphabetical order (lists sort by it; vn.collate.packed_key).
    title_key: bytes
    #: What the read-time work (:data:`TextWork`, ReadContext.work) made of the page's text,
    #: read as ``derived_text``; the plain text itself is not kept. A StoredText while in
    #: the build cache.
    derived: str | StoredText
    #: A gương điển hình's subject's key in Vietnamese order (the roll sorts by it).
    subject_key: bytes | None = None
    #: The site paths of the photos its body shows (published in widths; or not published,
    #: their problem reported at their line), and of the photos whose original it links to or
    #: asks for (``image_original``).
    pictures: tuple[str, ...] = ()
    originals: tuple[str, ...] = ()

    @property
    def body_html(self) -> str:
        return self.body if isinstance(self.body, str) else self.body.read().decode("utf-8")

    @property
    def derived_text(self) -> str:
        return self.derived if isinstance(self.derived, str) else self.derived.read().decode("utf-8")

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def date(self) -> datetime | None:
        return self.meta.date

    @property
    def model(self) -> ModelInfo | None:
        return self.meta.info if isinstance(self.meta.info, ModelInfo) else None

    @property
    def movement(self) -> MovementInfo | None:
        return self.meta.info if isinstance(self.meta.info, MovementInfo) else None

    @property
    def commemoration(self) -> CommemorationInfo | None:
        return self.meta.info if isinstance(self.meta.info, CommemorationInfo) else None

    @property
    def document(self) -> DocumentInfo | None:
        return self.meta.info if isinstance(self.meta.info, DocumentInfo) else None


@dataclass(frozen=True)
class ReadResult:
    """What reading one Source gave: the Page (None when it has errors) and its problems."""

    page: Page | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class ReadContext:
    """What every read needs to know of the other files: static files and all articles."""

    static: frozenset[str]
    static_sizes: Mapping[str, tuple[int, int]]
    articles: frozenset[str]
    #: What is wrong with static photos (sitegen.core.pictures.TROUBLES), by path.
    static_troubles: Mapping[str, str] = field(default_factory=dict)
    #: The features' work on each page's text (:data:`TextWork`); none: ``derived`` is "".
    work: TextWork | None = None


def read_page(source: Source, config: Config, ctx: ReadContext,
              renderer: MarkdownRenderer) -> ReadResult:
    """Check and render ``source``; never raises for a writer's mistake."""
    rel = source.rel
    assert source.raw is not None, "read_pages loads a source before it is read"
    text = decode(source.raw)
    if text is None:
        return _fail(Problem(path=rel, code="not-utf8", message="tệp không phải văn bản UTF-8.",
                             fix="mở tệp bằng trình soạn thảo và lưu lại với bảng mã UTF-8."))
    parts = split(text)
    if parts is None:
        return _fail(Problem(path=rel, line=1, code="no-front-matter",
                             message="tệp thiếu phần thông tin đầu bài (front matter), hoặc "
                                     "phần đó không được đóng.",
                             fix="mở đầu tệp bằng một dòng ---, các dòng khóa: giá trị "
                                 "(title, date …), rồi một dòng --- nữa (TOML: hai dòng +++)."))
    data, problems = parse(rel, parts)
    if data is None:
        return ReadResult(None, tuple(problems))
    section = config.section(source.section) if source.section else None
    kind = section.kind if section else "page"
    meta, problems = validate(rel, parts, data, kind, config.zone)
    bundle = {a.rel: a for a in source.bundle or ()}
    link_ctx = _link_context(source, bundle, ctx)
    troubles = link_ctx.troubles
    tidied = tidy_body(parts.body, meta.title if meta else "", rel, parts.body_line)
    problems.extend(tidied.problems)
    markup = renderer.render(tidied.body, link_ctx, rel, parts.body_line)
    problems.extend(markup.problems)
    if meta is None:
        return ReadResult(None, tuple(problems))
    problems.extend(_content_problems(meta, parts, rel, config))
    slug = slugify(meta.slug or meta.title, config.slug_length)
    if meta.date is not None and source.section:
        path = article_path(source.section, meta.date, slug)
    else:
        path = page_path(slug)

    image, attachment = _linked_files(meta, rel, parts, path, bundle, ctx, problems)
    listed = image
    image = _featured(image, meta, rel, parts, troubles, problems)
    pictures = tuple(_site_path(p, path) for p in markup.pictures)
    if listed is not None and image is None:  # not published: its trouble said here, once
        pictures += (listed.path,)
    originals = tuple(_site_path(p, path) for p in markup.originals) + \
        ((image.path,) if image and meta.image_original else ())
    if any(p.is_error for p in problems):
        return ReadResult(None, tuple(problems))
    summary = shorten(meta.summary or markup.first_paragraph or meta.title, config.summary_length)
    page = Page(
        source=rel, content_rel=source.content_rel, kind=kind, section=source.section,
        meta=meta, slug=slug, path=path, body=markup.html, summary=summary,
        links=markup.links, image=image, attachment=attachment,
        bundle_files=tuple(sorted(bundle)), pictures=pictures, originals=originals,
        title_key=packed_key(meta.title),
        derived=ctx.work(meta.title, (summary, markup.text, *meta.tags, meta.unit or "",
                                      meta.field or "", meta.author or "")) if ctx.work else "",
        subject_key=packed_key(meta.info.subject) if isinstance(meta.info, ModelInfo) else None,
    )
    return ReadResult(page, tuple(problems))


def _link_context(source: Source, bundle: Mapping[str, Asset], ctx: ReadContext) -> LinkContext:
    """What the body's links and pictures of ``source`` (its ``bundle`` files by name) are
    resolved against: the site's files, and the pictures' sizes and troubles."""
    own_sizes = {name: a.size for name, a in bundle.items() if a.size}
    own_troubles = {name: a.facts.trouble for name, a in bundle.items()
                    if a.facts and a.facts.trouble}
    # The site's own mappings when the bundle adds nothing (most articles): a copy of every
    # static file's size for each article grew with the static files.
    sizes = {**ctx.static_sizes, **own_sizes} if own_sizes else ctx.static_sizes
    troubles = {**ctx.static_troubles, **own_troubles} if own_troubles else ctx.static_troubles
    return LinkContext(source=source.content_rel,
                       bundle=frozenset(bundle) if source.bundle is not None else None,
                       static=ctx.static, articles=ctx.articles, sizes=sizes, troubles=troubles)


def _content_problems(meta: Meta, parts: Split, rel: str, config: Config) -> list[Problem]:
    """What the front matter's values say wrong beyond their form: a unit not in
    ``config.units``, the scaffold's placeholder text left in."""
    unit = unit_problem(rel, None, meta.unit, config.units) if meta.unit else None
    found = [replace(unit, line=parts.line_of("unit"))] if unit else []  # its line, when said
    return found + placeholder_problems(meta, parts, rel)


def _linked_files(meta: Meta, rel: str, parts: Split, path: str, bundle: Mapping[str, Asset],
                  ctx: ReadContext, problems: list[Problem]) -> tuple[Picture | None, str | None]:
    """The article's picture (``image``) and a document's file (``file``), found among its
    bundle's files or the static files; a missing one is added to ``problems``."""

    def locate(name: str, key: str, what: str) -> tuple[str, tuple[int, int] | None] | None:
        name = name.removeprefix("./")
        if name in bundle:
            return path + name, bundle[name].size
        if name in ctx.static:
            return name, ctx.static_sizes.get(name)
        problems.append(Problem(
            path=rel, line=parts.line_of(key), key=key, code="missing-file",
            message=f'{what} "{name}" không tồn tại.',
            fix=file_fix(name, ctx.static, bundle)))
        return None

    image = None
    if meta.image:
        found = locate(meta.image, "image", "ảnh")
        if found:
            image = Picture(found[0], meta.image_alt or "", found[1])
    attachment = None
    doc = meta.info if isinstance(meta.info, DocumentInfo) else None
    if doc and doc.file:
        if doc.file.startswith(("http://", "https://")):
            attachment = doc.file
        else:
            found = locate(doc.file, "file", "tệp văn bản")
            attachment = found[0] if found else None
    return image, attachment


def _site_path(photo: str, path: str) -> str:
    """The site path of a body's photo (``bundle/anh.jpg`` of the article at ``path``, or
    ``static/images/x.jpg``)."""
    where, _, name = photo.partition("/")
    return path + name if where == "bundle" else name


def _featured(image: Picture | None, meta: Meta, rel: str, parts: Split,
              troubles: Mapping[str, str], problems: list[Problem]) -> Picture | None:
    """The featured picture with its caption and credit, marked a photo when it is published
    in widths; a warning (at the ``image`` line) when the file is not right."""
    if image is None or meta.image is None:
        return image
    name = meta.image.removeprefix("./")
    trouble = troubles.get(name)
    if trouble:
        what, fix = TROUBLES[trouble]
        problems.append(warning(rel, f'ảnh "{name}" {what}.', trouble,
                                line=parts.line_of("image"), key="image", fix=fix))
    if trouble in NOT_PUBLISHED:
        return None  # not published: no page or card shows it
    return replace(image, caption=meta.image_caption, credit=meta.image_credit,
                   photo=is_raster(name) and image.size is not None)


def shown_digest(page: Page) -> bytes:
    """A digest of every field of ``page`` that another page's template may show: all but
    its body (the menus, lists, cards and neighbours read these: a page's token, which the
    pages that read it compare, sitegen.incremental.depends; made when pages are read,
    sitegen.incremental.marks)."""
    fields = (page.source, page.content_rel, page.kind, page.section, page.meta, page.slug,
              page.path, page.summary, page.links, page.image, page.attachment, page.bundle_files)
    return hashlib.blake2b(pickle.dumps(fields, protocol=5), digest_size=16).digest()


def _fail(problem: Problem) -> ReadResult:
    return ReadResult(None, (problem,))

