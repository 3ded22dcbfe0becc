"""The Jinja environment: the site's templates over the default theme, with sitegen's
filters; template mistakes as Problems. Reads templates; writes nothing."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

import jinja2
import jinja2.compiler
import jinja2.runtime
import markupsafe
from jinja2.utils import internalcode
from markupsafe import Markup, escape

from sitegen import __version__
from sitegen.core.config import Config
from sitegen.core.errors import Problem
from sitegen.core.htmltext import shorten
from sitegen.render import dateformat
from sitegen.render.theme import theme_dir
from sitegen.render.trace import Reads
from sitegen.thidua.awards import awards_ranked
from sitegen.vn import dates as vndates

#: markupsafe 3's escaping itself, without Markup's constructor around it (None: another).
_escape_inner: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)

_new_markup = str.__new__


def output_escape(value: Any) -> Markup:
    """``{{ value }}`` in an autoescaped template: what :func:`markupsafe.escape` gives, made
    with fewer calls for the two kinds a page outputs most (some sixty a page), a text
    (escaped) and Markup (as it is: escape would copy it)."""
    kind = type(value)
    if kind is str and _escape_inner is not None:
        return _new_markup(Markup, _escape_inner(value))
    if kind is Markup:
        return value  # type: ignore[no-any-return]
    return escape(value)


def escaped_text(value: Any) -> str:
    """What ``{{ value }}`` writes in an autoescaped template, as a plain ``str``: a text
    escaped, Markup as it is (for Python that builds a page's HTML, :mod:`navigation`)."""
    if type(value) is str and _escape_inner is not None:
        return _escape_inner(value)
    return str(escape(value))


class SiteCodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's code generator, with each output of an autoescaped template escaped by
    :func:`output_escape` instead of :func:`markupsafe.escape` (the same text)."""

    def visit_Template(self, node: jinja2.nodes.Template,
                       frame: jinja2.compiler.Frame | None = None) -> None:
        super().visit_Template(node, frame)
        self.writeline(f"from {__name__} import output_escape")

    def _output_child_pre(self, node: jinja2.nodes.Expr, frame: jinja2.compiler.Frame,
                          finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("output_escape(")
        if finalize.src is not None:
            self.write(finalize.src)


#: The callables Jinja calls as they are unless they ask for the context, the evaluation
#: context or the environment (``jinja_pass_arg``): their ``__call__`` never asks (a
#: partial: each page's card(), Renderer._links).
_PLAIN_CALLABLES = frozenset({FunctionType, MethodType, BuiltinFunctionType,
                              functools.partial, jinja2.runtime.Macro})


class SiteContext(jinja2.runtime.Context):
    """Jinja's context, which calls a plain function, method or macro that asks for nothing
    without Jinja's look for what it asks (some thirty calls a page)."""

    @internalcode
    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any
             ) -> Any:
        if type(__obj) not in _PLAIN_CALLABLES or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")


class SiteEnvironment(jinja2.Environment):
    """Jinja's environment, with every ``a.b`` and ``a[b]`` a template reads handed to
    :meth:`sitegen.render.trace.Reads.watch`: what a page read of the site
    (:mod:`sitegen.render.trace`), whatever its templates; its templates compiled by
    :class:`SiteCodeGenerator` and rendered in a :class:`SiteContext`."""

    reads: Reads
    code_generator_class = SiteCodeGenerator
    context_class = SiteContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The templates loaded, by (loader, name), when their files are not checked again.
        self._loaded: dict[tuple[object, str], jinja2.Template] = {}

    def make_globals(self, d: Any = None) -> Any:
        # Jinja gives each template a ChainMap over the environment's globals (so that a
        # template's own globals never change the environment's), which every context made
        # from the template iterates in Python: five a list page (its own, and one for each
        # template it imports or includes). sitegen sets the environment's globals once,
        # before any template is loaded (make_environment), so a plain dict holds the same.
        return {**self.globals, **(d or {})}

    @internalcode
    def _load_template(self, name: str, globals: Any) -> jinja2.Template:
        # Jinja's cache is a least-recently-used one behind a lock, looked up by a new weak
        # reference to the loader each time and reordered at each use: a page looks up its
        # template, the one it extends and each it includes or imports (six a list page). A
        # build's environment, which never reloads a template, keeps them in a dict instead.
        if self.auto_reload or globals:
            return super()._load_template(name, globals)
        key = (self.loader, name)
        template = self._loaded.get(key)
        if template is None:
            template = self._loaded[key] = super()._load_template(name, globals)
        return template

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Jinja's own lookup (the attribute, else the item), written out here: this runs for
        # every ``a.b`` of every page. A plain dict (the words table ``t``) has no attribute
        # but its methods, so its item is taken without the failed attribute lookup first.
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                value = obj[attribute]
            except KeyError:
                value = self.undefined(obj=obj, name=attribute)
        else:
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                value = super().getattr(obj, attribute)
        reads = self.reads
        return reads.watch(obj, attribute, value) if type(obj) in reads.watched else value

    def getitem(self, obj: Any, argument: Any) -> Any:
        return self.reads.watch(obj, argument, super().getitem(obj, argument))


#: The attributes of a plain dict (its methods): what ``d.name`` finds before ``d["name"]``.
_DICT_ATTRIBUTES = frozenset(dir(dict))


def make_environment(config: Config, reload: bool = True,
                     compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """A Jinja environment: the site's ``templates/`` first, then the default theme.

    ``reload``: check a template's file each time it is used (``serve``, which keeps the
    environment while templates are edited); a build's environment lives for one build.
    ``compiled``: where compiled templates are kept between builds (the seam Jinja owns;
    :class:`sitegen.incremental.compiled.CompiledTemplates` implements it).
    """
    search = [d for d in (config.templates_dir, theme_dir()) if d.is_dir()]
    env = SiteEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in dict.fromkeys(search)]),
        # Asked again for each context a page makes (five a list page): answered once a name.
        autoescape=functools.cache(jinja2.select_autoescape(("html", "xml"))),
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
        auto_reload=reload,
        bytecode_cache=compiled,
    )
    env.filters.update(
        date_short=dateformat.short, date_weekday=dateformat.with_weekday,
        date_long=_on_date(vndates.long), lunar_short=vndates.lunar_short,
        iso=lambda d: d.isoformat() if d else "", awards_ranked=awards_ranked,
        month_title=vndates.month_title, shorten=shorten, url_breaks=url_breaks,
        sentence=as_sentence, keep_codes=keep_codes,
    )
    env.globals.update(version=__version__)
    env.reads = Reads()
    return env


def template_problem(exc: jinja2.TemplateError, template: str, origin: str) -> Problem:
    """A Problem naming the template file and line of a Jinja error (syntax or rendering)."""
    name, line = getattr(exc, "filename", None) or template, getattr(exc, "lineno", None)
    if line is None:  # a rendering error: find the template frame in the traceback
        tb = exc.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.endswith(".html") or filename.endswith(".xml"):
                name, line = filename, tb.tb_lineno
            tb = tb.tb_next
    return Problem(path=str(name), line=line, code="template",
                   message=f"lỗi trong mẫu giao diện khi dựng {origin}: {exc.message or exc}.",
                   fix="sửa mẫu giao diện (templates/) ở dòng này; bài viết không có lỗi.")


def _on_date(fmt: Callable[[date], str]) -> Callable[[date | datetime | None], str]:
    return lambda d: fmt(d) if d else ""


def url_breaks(url: str) -> Markup:
    """``url``, escaped, in parts that do not break (the scheme and host, then each folder
    with its ``/``) with a line-break opportunity between them: a long address wraps after a
    slash (``…gov.vn/`` | ``tuyen-truyen/``), never inside a name or at its hyphens."""
    parts = re.split(r"(?<=[^/:]/)(?=[^/])", url)
    return Markup("<wbr>").join(Markup('<span class="nowrap">{}</span>').format(p) for p in parts)


def keep_codes(text: str) -> Markup:
    """``text``, escaped, with each word holding a ``/`` or a ``-`` (a decision's number,
    "1127/QĐ-TTg") in a span that does not break: a line of a table wraps at a space only."""
    parts = re.split(r"(\S*[/-]\S*)", text)
    return Markup("").join(Markup('<span class="nowrap">{}</span>').format(p) if i % 2 else p
                           for i, p in enumerate(parts))


#: What may end a sentence already: a caption ending so gets no full stop added.
SENTENCE_ENDS = ".!?…"
#: Closing quotes and brackets looked through for the sentence's own end ("… (1995).").
_CLOSERS = "\"'”’»)]"


def as_sentence(text: str) -> str:
    """``text`` without its trailing spaces, ending with a full stop unless it already ends
    with one of :data:`SENTENCE_ENDS` (before any closing quote or bracket): a picture's
    caption read before its credit ("… mùa lúa chín. Ảnh: Trần Minh Tâm"). "" stays ""."""
    text = text.rstrip()
    if not text or text.rstrip(_CLOSERS)[-1:] in tuple(SENTENCE_ENDS):
        return text
    return text + "."
