"""Markdown body in, HTML out, with every link and picture resolved or reported; pure.

Links cannot all be final here: an article's address depends on the front
matter of the article it links to, known only once every file is read. So a
relative link is rewritten to a *marker* (``sitegen:page:tin-tuc/a.md``,
``sitegen:static:images/x.svg``, ``sitegen:root:tin-tuc/``) that the renderer
turns into a link relative to the page that shows it (see :func:`resolve_markers`).
"""

from __future__ import annotations

import html as html_text
import posixpath
import re
import secrets
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from sitegen.core.anchors import lost_fragments
from sitegen.core.config import Config
from sitegen.core.errors import Level, Problem
from sitegen.core.extras import CONFIGS, PYMDOWN, in_page, task_mark
from sitegen.core.htmltext import first_paragraph, plain_text, tidy
from sitegen.core.linkfix import file_fix, page_link_fix
from sitegen.core.lists import ListPreprocessor
from sitegen.core.pictures import NOT_PUBLISHED, TROUBLES, UNPUBLISHABLE, is_raster, suffix
from sitegen.core.rawpictures import RawPictures, img_tag, other_host, other_host_text
from sitegen.core.removals import Removals, locate
from sitegen.core.sanitize import (
    SCHEMES,
    Policy,
    clean,
    policy_from,
    removed,
    removed_between,
    url_scheme,
)
from sitegen.core.timelimit import TooSlow, time_limit
from sitegen.vn.slug import slugify

MARKER = "sitegen:"
#: A marker as the build writes it: the value of a tag's href or src (not a code sample's text).
_MARKER_RE = re.compile(
    r'(<[a-zA-Z][^<>]*?\s(?:href|src)=)"sitegen:(page|static|root|picture):([^"#]*)(#[^"]*)?"')


@dataclass(frozen=True)
class LinkContext:
    """What a body's links may point at.

    ``source`` is the file's path below ``content/``; ``bundle`` the names of its
    bundle files (None if it is not a bundle); ``static`` the files below
    ``static/``; ``articles`` every Markdown file below ``content/``.
    """

    source: str
    bundle: frozenset[str] | None
    static: frozenset[str]
    articles: frozenset[str]
    sizes: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    #: What is wrong with a photo (sitegen.core.pictures.TROUBLES), by the same names as sizes.
    troubles: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Markup:
    """A rendered body: HTML with markers, the first paragraph's text, the .md files it links
    to, and the photos it shows and links to (``bundle/anh.jpg``, ``static/images/x.jpg``)."""

    html: str
    first_paragraph: str
    links: tuple[str, ...]
    problems: tuple[Problem, ...]
    text: str
    pictures: tuple[str, ...] = ()
    originals: tuple[str, ...] = ()


class _Resolver(Treeprocessor):
    """Rewrites links and pictures, and wraps tables so that they scroll on a phone."""

    ctx: LinkContext
    report: Callable[..., None]
    #: This conversion's secret, in the stand-ins of internal links (see _marker).
    nonce: str = ""
    links: list[str]
    markers: list[str]
    pictures: list[str]
    originals: list[str]

    def run(self, root: ET.Element) -> None:
        # links, markers, pictures and originals are begun by MarkdownRenderer.render, not
        # here: the toc extension runs the postprocessors (raw <img> pictures among them,
        # which add markers) on each heading before this tree processor runs.
        ids, tables = self._survey(root)
        for parent, i, table in tables:  # collected first: wrapping while iterating never ends
            wrap = ET.Element("div", {"class": "table-wrap", "tabindex": "0",
                                      "role": "region", "aria-label": "Bảng số liệu"})
            parent.remove(table)
            wrap.append(table)
            parent.insert(i, wrap)
        for el in root.iter():
            if el.tag == "h1":  # the article's title is the page's only h1
                el.tag = "h2"
            elif el.tag == "a" and el.get("href"):
                href = self._link(el.get("href", ""), "a")
                if href:
                    el.set("href", in_page(href, ids))
                    photo = self._photo(el.get("href", ""))
                    if photo:  # a link to a photo: its original is published (stripped)
                        self.originals.append(photo)
                else:
                    del el.attrib["href"]
            elif el.tag == "img":
                self._image(el)
            elif el.tag == "li" and el.get("class") == "task-list-item":
                task_mark(el, self.md.htmlStash.rawHtmlBlocks)
        _figures(root)

    def _survey(self, root: ET.Element) -> tuple[set[str], list[tuple[ET.Element, int, ET.Element]]]:
        """One walk of the tree before it is changed: the ids its elements have, its tables
        (with their parents and places), and the pictures inside links (``linked_pictures``)."""
        self.linked_pictures: set[ET.Element] = set()
        ids: set[str] = set()
        tables: list[tuple[ET.Element, int, ET.Element]] = []
        for parent in root.iter():
            ids.add(parent.get("id", ""))
            if parent.tag == "a":
                self.linked_pictures.update(parent.iter("img"))
            tables += [(parent, i, el) for i, el in enumerate(parent) if el.tag == "table"]
        return ids, tables

    def _image(self, el: ET.Element) -> None:
        src = el.get("src", "")
        if other_host(src):  # a link to it instead: the page asks no other host for anything
            href = self._other_host(src)
            el.tag, el.text = "a", el.get("alt") or other_host_text(src)
            el.attrib.clear()
            if el in self.linked_pictures:  # inside a link: its text only
                el.tag = "span"
            else:
                el.set("href", href)
            return
        resolved = self._picture_src(src)
        if not resolved:  # an unsafe picture (data:, javascript:) leaves only its description
            alt = el.get("alt", "")
            el.tag, el.text = "span", alt
            el.attrib.clear()
            return
        el.set("src", resolved)
        el.set("loading", "lazy")
        el.set("decoding", "async")
        if not el.get("alt"):
            self.report(src, "missing-alt", "ảnh trong bài thiếu lời mô tả.",
                        "viết mô tả trong ngoặc vuông: ![Mô tả ảnh](" + src + ")", Level.WARNING,
                        exact=f"![]({src}")
        size = self._size(src)
        if size and not el.get("width"):
            el.set("width", str(size[0]))
            el.set("height", str(size[1]))
        stand_in = self._as_photo(src, size)
        if stand_in and size:
            el.set("src", stand_in)
            el.set("width", str(size[0]))
            el.set("height", str(size[1]))

    def _as_photo(self, src: str, size: tuple[int, int] | None) -> str | None:
        """The stand-in ``src`` of the picture written ``src`` when it is a photo published in
        widths (the renderer makes it a ``<picture>`` of them), else None; its trouble (an
        unreadable or unpublishable file) is said here, once, and the photo listed."""
        name = self._name(src)
        trouble = self.ctx.troubles.get(name)
        if trouble:
            what, fix = TROUBLES[trouble]
            self.report(src, trouble, f'ảnh "{name}" {what}.', fix, Level.WARNING)
        photo = self._photo(src, any_format=trouble in NOT_PUBLISHED)
        if photo and trouble in NOT_PUBLISHED:
            self.pictures.append(photo)  # listed, so that its trouble is said once, here
        elif photo and size:
            self.pictures.append(photo)
            return self._marker("picture", photo)
        return None

    def _picture_src(self, src: str) -> str:
        """Where the picture written ``src`` (not on another host) is published, "" when
        unsafe; a missing picture is reported."""
        if not src.startswith("/"):
            return self._link(src, "img")
        name = self._name(src)
        if name in self.ctx.static:
            found = self._marker("static", name)
        elif self.ctx.bundle is not None and name in self.ctx.bundle:
            found = "./" + src.lstrip("/")
        else:
            self.report(src, "missing-image", f'ảnh "{src}" không tồn tại.',
                        'bỏ dấu "/" ở đầu và ghi tên tệp đặt cạnh bài (bài dạng thư mục có '
                        "index.md), hoặc đường dẫn từ static/, ví dụ images/anh.jpg; đường dẫn "
                        'bắt đầu bằng "/" hỏng khi trang đặt dưới một thư mục như /tuyen-truyen/.')
            return src
        self.report(src, "absolute-image", f'ảnh "{src}" ghi đường dẫn bắt đầu bằng "/", sẽ hỏng '
                    "khi trang đặt dưới một thư mục như /tuyen-truyen/; sitegen đã đổi thành "
                    "đường dẫn tương đối.",
                    f'bỏ dấu "/" ở đầu: {name}', Level.WARNING)
        return found

    def _other_host(self, src: str) -> str:
        """Report the picture ``src`` on another host; return the address to link to."""
        self.report(src, "hotlinked-image", f'ảnh "{src}" nằm trên trang web khác; trang không '
                    "tải gì từ máy chủ khác nên ảnh được thay bằng một liên kết tới nó.",
                    "tải ảnh về (khi được phép dùng), đặt cạnh bài (bài dạng thư mục có index.md) "
                    "hoặc vào static/, rồi ghi tên tệp: ![Mô tả ảnh](anh.jpg)", Level.WARNING)
        return src

    def _raw_picture(self, attrs: Mapping[str, str], tag: str, in_link: bool) -> str:
        """The HTML for a raw ``<img>`` tag (:mod:`sitegen.core.rawpictures`), resolved and
        checked like a Markdown picture."""
        src, alt = attrs.get("src"), attrs.get("alt", "")
        if src is None:
            return tag
        if other_host(src):
            href, text = self._other_host(src), html_text.escape(alt or other_host_text(src))
            return text if in_link else f'<a href="{html_text.escape(href)}">{text}</a>'
        resolved = self._picture_src(src)
        if not resolved:
            return html_text.escape(alt)
        if not alt.strip():  # said at the tag as written: the same file may be shown twice
            self.report(tag.split("\n", 1)[0], "missing-alt", "ảnh trong bài thiếu lời mô tả (alt).",
                        f'thêm lời mô tả vào thẻ ảnh: <img src="{src}" alt="Mô tả ảnh">',
                        Level.WARNING)
        size = self._size(src)
        stand_in = self._as_photo(src, size)
        if stand_in and size:  # a photo: published in widths, like a Markdown picture
            return img_tag({**attrs, "src": stand_in, "width": str(size[0]),
                            "height": str(size[1])})
        return img_tag({**attrs, "src": resolved})

    def _size(self, src: str) -> tuple[int, int] | None:
        return self.ctx.sizes.get(self._name(src))

    @staticmethod
    def _path(src: str) -> str:
        """The file path ``src`` names, as written: no query or fragment, %-escapes decoded."""
        return unquote(src.split("#")[0].split("?", 1)[0])

    @staticmethod
    def _name(src: str) -> str:
        """The bundle name or static path ``src`` names (``./anh.jpg``, ``/images/x.jpg``
        and ``anh%20m.jpg`` too), as the sizes and troubles know it."""
        path = _Resolver._path(src)
        return posixpath.normpath(path.lstrip("/")) if path else path

    def _photo(self, src: str, any_format: bool = False) -> str | None:
        """``bundle/<name>`` or ``static/<path>`` when ``src`` is one of the article's bundle
        photos or a static photo (published in widths, sitegen.core.pictures; with
        ``any_format``, in a format that is not published), else None."""
        if url_scheme(src) is not None or src.startswith("#"):
            return None
        path = self._path(src)
        if not is_raster(path) and not (any_format and suffix(path) in UNPUBLISHABLE):
            return None
        if self.ctx.bundle is not None and path.removeprefix("./") in self.ctx.bundle:
            return "bundle/" + path.removeprefix("./")
        normal = self._name(src)
        return "static/" + normal if normal in self.ctx.static else None

    def _marker(self, kind: str, target: str) -> str:
        """A stand-in for the internal link ``sitegen:<kind>:<target>``, put in its place only
        after the body is sanitised (:meth:`MarkdownRenderer.render`): the sanitiser removes
        every ``sitegen:`` link a writer wrote, and a writer cannot guess the stand-in."""
        self.markers.append(f"{MARKER}{kind}:{target}")
        return f"#{self.nonce}-{len(self.markers) - 1}"

    def _link(self, href: str, tag: str) -> str:
        scheme = url_scheme(href)
        if scheme is not None and scheme not in SCHEMES:  # javascript:, data:, sitegen: …
            self.report(href, "unsafe-link", f'liên kết "{href[:40]}" không an toàn nên bị bỏ.',
                        "chỉ dùng liên kết http://, https://, mailto: hoặc tel:.", Level.WARNING)
            return ""
        if not href or href.startswith("#") or scheme:
            return href
        path, _, fragment = href.partition("#")
        frag = "#" + fragment if fragment else ""
        path = unquote(path.split("?", 1)[0])
        if href.startswith("/"):  # root-absolute links break under a portal sub-path
            return self._marker("root", path.lstrip("/") + frag)
        here = posixpath.dirname(self.ctx.source)
        if path.endswith(".md"):
            target = posixpath.normpath(posixpath.join(here, path))
            if target not in self.ctx.articles:
                self.report(href, "broken-link", f'liên kết tới "{path}" nhưng không có bài nào ở đó.',
                            page_link_fix(self.ctx.source, path, self.ctx.articles))
                return href
            self.links.append(target)
            return self._marker("page", target + frag)
        normal = posixpath.normpath(path)  # "./anh.jpg", as pasted pages write it, is "anh.jpg"
        if self.ctx.bundle is not None and normal in self.ctx.bundle:
            # "./": a file name before any "/" is never read as a scheme ("a:b.pdf").
            return href if href.startswith(("./", "../")) else "./" + href
        if normal in self.ctx.static:
            return self._marker("static", normal + frag)
        what = "ảnh" if tag == "img" else "tệp"
        code = "missing-image" if tag == "img" else "broken-link"
        self.report(href, code, f'{what} "{path}" không tồn tại.',
                    file_fix(path, self.ctx.static, self.ctx.bundle))
        return href


def _figures(root: ET.Element) -> None:
    """Each paragraph that is only a picture with a title (``![Mô tả](anh.jpg "Chú thích")``)
    made a ``<figure>`` with the title as its ``<figcaption>``."""
    for p in root.iter("p"):
        if len(p) != 1 or (p.text or "").strip() or p[0].tag != "img" or \
                (p[0].tail or "").strip() or not p[0].get("title"):
            continue
        img = p[0]
        caption = ET.SubElement(p, "figcaption")
        caption.text = img.attrib.pop("title")
        img.tail = None
        p.tag = "figure"


class _ResolverExtension(Extension):
    def __init__(self, resolver: _Resolver) -> None:
        super().__init__()
        self.resolver = resolver

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(self.resolver, "sitegen_links", 1)
        # After fenced code (25) and raw HTML (20) are stashed: neither is read as a list.
        md.preprocessors.register(ListPreprocessor(md), "sitegen_lists", 15)


#: The extensions a body is converted with: Python-Markdown's, pymdown-extensions' (see
#: sitegen.core.extras), and sitegen's own lists and link resolver.
EXTENSIONS: tuple[str, ...] = ("extra", "sane_lists", "toc", *PYMDOWN)


class MarkdownRenderer:
    """One Markdown instance, reused (``reset()``) for every body; not thread-safe.

    Raw HTML in a body is cleaned by :mod:`sitegen.core.sanitize` under ``policy``.
    """

    def __init__(self, policy: Policy | None = None, seconds: float = 10.0) -> None:
        """``seconds``: the longest one body may take to convert (``markdown_time_limit``)."""
        self.policy = policy or Policy()
        self.seconds = seconds
        self._fresh()

    def _fresh(self) -> None:
        """A new parser: after an interrupted conversion the old one's state is unknown."""
        self._resolver = _Resolver()
        self._md = markdown.Markdown(
            extensions=[*EXTENSIONS, _ResolverExtension(self._resolver)],
            extension_configs={"toc": {"slugify": lambda value, sep: slugify(value),
                                       "permalink": False}, **CONFIGS},
            output_format="html",
        )
        self._resolver.md = self._md
        # Before Python-Markdown's raw_html (30) puts the raw HTML blocks back.
        self._md.postprocessors.register(RawPictures(self._md, self._resolver._raw_picture),
                                         "sitegen_raw_pictures", 35)

    def render(self, body: str, ctx: LinkContext, rel: str, body_line: int) -> Markup:
        """Convert ``body`` (of the file ``rel``, starting at ``body_line``) to :class:`Markup`."""
        problems: list[Problem] = []
        lines = body.split("\n")

        said: dict[tuple[str, str], int] = {}

        def report(target: str, code: str, message: str, fix: str,
                   level: Level = Level.ERROR, exact: str = "") -> None:
            """Add a problem told at the line where ``target`` stands (``exact``, a more exact
            form of it, when that is found); the same target said again (one picture shown
            twice) is told at the next line with it."""
            if exact and any(exact in text for text in lines):
                target = exact
            after = said.get((target, code), -1)
            found = [i for i, text in enumerate(lines) if target in text]
            i = next((i for i in found if i > after), found[0] if found else None)
            if i is not None:
                said[(target, code)] = i
            line = None if i is None else body_line + i
            problems.append(Problem(path=rel, line=line, message=message, fix=fix, code=code,
                                    level=level))

        self._resolver.ctx = ctx
        self._resolver.report = report
        # Set here, not only in run(): Markdown skips the tree processors for an empty body.
        self._resolver.links = []
        self._resolver.markers = []
        self._resolver.pictures = []
        self._resolver.originals = []
        self._resolver.nonce = secrets.token_hex(8)
        self._md.reset()
        try:
            with time_limit(self.seconds):
                html = self._md.convert(body)
        except (TooSlow, RecursionError) as exc:
            self._fresh()
            what = "lồng nhau quá sâu" if isinstance(exc, RecursionError) else \
                f"xử lý quá {self.seconds:g} giây"
            problem = Problem(path=rel, line=body_line, code="markdown-too-complex",
                              message=f"nội dung bài quá phức tạp để chuyển đổi ({what}).",
                              fix="kiểm tra các dấu *, _, [ ], > hoặc thụt lề lặp lại rất nhiều lần; "
                                  "chia bài thành nhiều bài ngắn hơn.")
            return Markup(html="", first_paragraph="", links=(), problems=(problem,), text="")
        cleaned, removals = self._sanitise(html, lines, body_line)
        problems += removals.problems(rel, body_line)
        html = self._place_markers(cleaned)
        for lost in lost_fragments(html):
            near = f"; có phải ý bạn là #{lost.nearest}?" if lost.nearest else "."
            report("#" + lost.fragment, "broken-anchor",
                   f'liên kết "#{lost.fragment}" không dẫn tới mục nào trong bài{near}',
                   "ghi # và mã của một tiêu đề trong bài (xem mã bằng cách xem trước trang), "
                   "hoặc tự đặt mã cho tiêu đề: ## Mục một {#muc-mot} rồi liên kết [xem](#muc-mot).",
                   Level.WARNING)
        return Markup(html=html, first_paragraph=first_paragraph(cleaned),
                      links=tuple(dict.fromkeys(self._resolver.links)), problems=tuple(problems),
                      text=plain_text(html), pictures=tuple(dict.fromkeys(self._resolver.pictures)),
                      originals=tuple(dict.fromkeys(self._resolver.originals)))

    def _sanitise(self, html: str, lines: list[str], body_line: int) -> tuple[str, Removals]:
        """``html`` cleaned (its text NFC, without zero-width characters), and what was
        removed, located in the body's ``lines`` (``body_line`` is the first)."""
        found = Removals()
        raw_gone: set[str] = set()
        for block in map(str, self._md.htmlStash.rawHtmlBlocks):
            gone = removed(block, self.policy)
            raw_gone.update(gone)
            if gone:
                for what, at in locate(block, gone, lines, body_line,
                                       lambda text: removed(text, self.policy)).items():
                    found.add(what, at)
        # Every body is sanitised, raw HTML or not (Markdown's attribute lists can carry
        # handlers), and only then do the build's own internal links take their places.
        cleaned = _EMPTY_P.sub("", tidy(clean(html, self.policy)))  # a removed player's <p>
        for what in removed_between(html, cleaned):
            if what not in raw_gone:  # from an attribute list {: ...} in the Markdown
                name = what.split("=")[0]
                found.add(what, [body_line + i for i, text in enumerate(lines)
                                 if "{" in text and name in text] or [0])
        return cleaned, found

    def _place_markers(self, html: str) -> str:
        """``html`` with each stand-in of :meth:`_Resolver._marker` made its internal link."""
        markers = self._resolver.markers
        if not markers:
            return html
        pattern = re.compile(rf'(href|src)="#{self._resolver.nonce}-(\d+)"')

        def sub(m: re.Match[str]) -> str:
            marker = markers[int(m[2])].replace("&", "&amp;").replace('"', "&quot;")
            return f'{m[1]}="{marker}"'

        return pattern.sub(sub, html)


#: The converters made so far in each thread, by their settings (:func:`renderer_for`).
_CONVERTERS = threading.local()


def renderer_for(config: Config) -> MarkdownRenderer:
    """The converter a build of ``config`` uses: its HTML allowlist and ``markdown_time_limit``.

    One per thread and settings for the process: setting one up compiles about 250 regular
    expressions (0.06–0.1 s), which ``serve`` paid at every rebuild and each render worker
    again; a forked worker finds its parent's. A converter is used by one thread at a time
    (:class:`MarkdownRenderer` is not thread-safe), and goes with its thread."""
    policy = policy_from(config.html_tags, config.iframe_hosts)
    made: dict[tuple[Policy, float], MarkdownRenderer] = _CONVERTERS.__dict__.setdefault("made", {})
    found = made.get((policy, config.markdown_time_limit))
    if found is None:
        found = made[(policy, config.markdown_time_limit)] = \
            MarkdownRenderer(policy, config.markdown_time_limit)
    return found


_EMPTY_P = re.compile(r"<p>\s*</p>\n?")


def resolve_markers(html: str, resolve: Callable[[str, str], str | None]) -> str:
    """Replace every marker in ``html`` by ``resolve(kind, target)`` (+ its fragment)."""

    def sub(m: re.Match[str]) -> str:
        link = resolve(m[2], m[3])
        return f'{m[1]}"{(link or "#")}{m[4] or ""}"'

    return _MARKER_RE.sub(sub, html)
