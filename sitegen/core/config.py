"""Config: ``config.yaml`` in, a frozen :class:`Config` out; reads one file.

Every problem in the file is reported at once (as :class:`ConfigError`), in
Vietnamese, with the key and the line.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.core.errors import ConfigError, Problem, warning
from sitegen.core.suggest import unknown_key_fix
from sitegen.core.yamlload import YamlSyntaxError, key_line, load_yaml

CONFIG_NAME = "config.yaml"

KINDS: Mapping[str, str] = {
    "model": "gương điển hình tiên tiến",
    "movement": "phong trào thi đua",
    "commemoration": "ngày kỷ niệm",
    "news": "tin tức",
    "document": "văn bản chỉ đạo, điều hành",
}

DEFAULT_SECTIONS: Mapping[str, tuple[str, str]] = {
    "guong-dien-hinh": ("model", "Gương điển hình tiên tiến"),
    "phong-trao-thi-dua": ("movement", "Phong trào thi đua"),
    "ngay-ky-niem": ("commemoration", "Ngày kỷ niệm"),
    "tin-tuc": ("news", "Tin tức"),
    "van-ban": ("document", "Văn bản chỉ đạo, điều hành"),
}

PAGES_DIR = "pages"


@dataclass(frozen=True)
class Section:
    """One section of the site: its folder under ``content/``, its kind and its title."""

    name: str
    kind: str
    title: str


@dataclass(frozen=True)
class Paths:
    """The address prefixes of the generated lists (defaults are the Vietnamese ones)."""

    tags: str = "chu-de"
    units: str = "don-vi"
    fields: str = "linh-vuc"
    search: str = "tim-kiem"
    calendar: str = "lich-ky-niem"
    page: str = "trang"
    assets: str = "assets"


@dataclass(frozen=True)
class Commemoration:
    """A day the department commemorates; ``year`` None means the day is not numbered."""

    name: str
    month: int
    day: int
    year: int | None = None
    calendar: str = "solar"


@dataclass(frozen=True)
class Config:
    """Everything ``config.yaml`` says, checked; paths are absolute."""

    root: Path
    title: str
    base_url: str
    tagline: str = ""
    language: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    page_size: int = 10
    feed_entries: int = 20
    summary_length: int = 220
    slug_length: int = 100
    pretty_links: bool = False
    #: Whether the footer says "Trang được tạo bằng sitegen x.y" (the department's choice).
    footer_credit: bool = False
    max_file_size: int = 5_000_000
    markdown_time_limit: float = 10.0
    sections: tuple[Section, ...] = ()
    paths: Paths = field(default_factory=Paths)
    publisher: Mapping[str, str] = field(default_factory=dict)
    units: tuple[str, ...] = ()
    commemorations: tuple[Commemoration, ...] = ()
    social: Mapping[str, str] = field(default_factory=dict)
    #: The site's names in other languages, by language: {"en": {"title": …, "operator": …}}
    #: (keys in LANGUAGE_KEYS); what is missing is shown as written, marked in ``language``.
    languages: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    content_dir: Path = Path("content")
    static_dir: Path = Path("static")
    templates_dir: Path = Path("templates")
    output_dir: Path = Path("output")
    html_tags: tuple[str, ...] = ()
    iframe_hosts: tuple[str, ...] = ()
    #: Files that may be published though a browser would run script in them (HTML, SVG
    #: with script): paths below the site folder, e.g. static/google1234.html.
    html_files: tuple[str, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def section(self, name: str) -> Section | None:
        """Return the section whose folder is ``name``, or None."""
        for s in self.sections:
            if s.name == name:
                return s
        return None


TOP_KEYS = {
    "title", "tagline", "base_url", "language", "timezone", "page_size", "feed_entries",
    "summary_length", "slug_length", "pretty_links", "footer_credit", "max_file_size", "markdown_time_limit",
    "sections", "paths", "publisher",
    "units", "commemorations", "social", "languages", "content_dir", "static_dir", "templates_dir",
    "output_dir", "html",
}
PUBLISHER_KEYS = {"owner", "operator", "responsible", "address", "phone", "email", "licence",
                  "place", "report_number"}
SOCIAL_KEYS = {"zalo_oa_id", "default_image", "facebook_page"}
#: What ``languages.<lang>`` may say in another language: the title, the tagline and the
#: publisher's lines that the header and footer show.
LANGUAGE_KEYS = {"title", "tagline", "owner", "operator", "responsible", "address", "licence"}
SECTION_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class _Checker:
    """Collects config problems with their lines (one instance per load)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.problems: list[Problem] = []

    def error(self, key: str, message: str, fix: str | None = None) -> None:
        self.problems.append(Problem(
            path=CONFIG_NAME, line=key_line(self.text, key.split(".")[-1]), key=key,
            message=message, fix=fix, code="config"))

    def warn(self, key: str, message: str, fix: str | None = None) -> None:
        self.problems.append(warning(
            CONFIG_NAME, message, "config-unknown-key",
            line=key_line(self.text, key.split(".")[-1]), key=key, fix=fix))

    def unknown(self, data: Mapping[str, Any], known: set[str], prefix: str = "") -> None:
        for k in data:
            if str(k) not in known:
                self.warn(prefix + str(k), f'khóa "{k}" không có trong cấu hình.',
                          unknown_key_fix(str(k), known))

    def text_of(self, data: Mapping[str, Any], key: str, default: str = "",
                required: bool = False) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.error(key, "thiếu khóa bắt buộc.", f'thêm dòng "{key}: ..." vào {CONFIG_NAME}.')
            return default
        if not isinstance(value, str | int | float):
            self.error(key, "giá trị phải là một chuỗi chữ.")
            return default
        return str(value).strip()

    def int_of(self, data: Mapping[str, Any], key: str, default: int, low: int = 1) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            self.error(key, f"giá trị phải là số nguyên từ {low} trở lên.", f"ví dụ: {key}: {default}")
            return default
        return value

    def bool_of(self, data: Mapping[str, Any], key: str, default: bool = False) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.error(key, "giá trị phải là true hoặc false.", f"ví dụ: {key}: {str(default).lower()}")
            return default
        return value

    def seconds_of(self, data: Mapping[str, Any], key: str, default: float) -> float:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            self.error(key, "giá trị phải là số giây lớn hơn 0.", f"ví dụ: {key}: {default:g}")
            return default
        return float(value)

    def mapping_of(self, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(key, "giá trị phải là một nhóm khóa (mỗi khóa một dòng, thụt vào).")
            return {}
        return value


def load_config(site: Path, *, base_url: str | None = None,
                output: Path | None = None) -> tuple[Config, tuple[Problem, ...]]:
    """Read ``site/config.yaml``: return the Config and its warnings, or raise ConfigError.

    ``base_url`` and ``output`` override the file (they come from the command line).
    """
    site = site.resolve()
    path = site / CONFIG_NAME
    if not path.is_file():
        raise ConfigError([Problem(
            path=CONFIG_NAME, code="config-missing",
            message=f"không tìm thấy {CONFIG_NAME} trong thư mục {site}.",
            fix="chạy lệnh trong thư mục của trang (nơi có config.yaml), hoặc chỉ rõ --site THƯ_MỤC.")])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError([Problem(path=CONFIG_NAME, code="config-encoding",
                                   message="tệp không phải văn bản UTF-8.",
                                   fix="lưu lại tệp với bảng mã UTF-8.")]) from None
    try:
        data = load_yaml(text)
    except YamlSyntaxError as exc:
        raise ConfigError([Problem(path=CONFIG_NAME, line=exc.line, code="config-yaml",
                                   message=f"YAML không đọc được: {exc.reason}.",
                                   fix=exc.fix or "kiểm tra dấu hai chấm, thụt lề và dấu "
                                                  "ngoặc kép ở dòng này.")]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([Problem(path=CONFIG_NAME, line=1, code="config-yaml",
                                   message="tệp cấu hình phải là các dòng \"khóa: giá trị\".")])
    config, problems = _check(site, text, data, base_url=base_url, output=output)
    if any(p.is_error for p in problems) or config is None:
        raise ConfigError(problems)
    return config, tuple(problems)


def _check(site: Path, text: str, data: Mapping[str, Any], *, base_url: str | None,
           output: Path | None) -> tuple[Config | None, list[Problem]]:
    """Every key of ``config.yaml`` (its ``text`` and parsed ``data``) checked, in the order
    the README lists them; the Config, or None, and every problem found. (Long: one line
    or two per key, kept together so that the list reads as the schema.)"""
    c = _Checker(text)
    c.unknown(data, TOP_KEYS)
    title = c.text_of(data, "title", required=True)
    url = base_url if base_url is not None else c.text_of(data, "base_url", required=True)
    if url and not re.match(r"^https?://[^/\s]+(/\S*)?$", url):
        c.error("base_url", f'"{url}" không phải địa chỉ web đầy đủ.',
                "ví dụ: base_url: https://sodulich.ninhbinh.gov.vn/tuyen-truyen/")
    url = url if url.endswith("/") else url + "/"
    tz = c.text_of(data, "timezone", "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        c.error("timezone", f'không biết múi giờ "{tz}".', "dùng Asia/Ho_Chi_Minh.")
        tz = "Asia/Ho_Chi_Minh"
    language = c.text_of(data, "language", "vi")
    if language not in ("vi", "en"):
        c.error("language", f'ngôn ngữ "{language}" không được hỗ trợ.', "dùng vi hoặc en.")
    pretty, credit = c.bool_of(data, "pretty_links"), c.bool_of(data, "footer_credit")

    sections = _sections(c, data)
    paths = _paths(c, c.mapping_of(data, "paths"))
    publisher = c.mapping_of(data, "publisher")
    c.unknown(publisher, PUBLISHER_KEYS, "publisher.")
    social = c.mapping_of(data, "social")
    c.unknown(social, SOCIAL_KEYS, "social.")
    units = data.get("units") or []
    if not isinstance(units, list) or not all(isinstance(u, str) for u in units):
        c.error("units", "units phải là danh sách tên đơn vị, mỗi dòng bắt đầu bằng \"- \".")
        units = []
    commemorations = _commemorations(c, data.get("commemorations") or [])
    languages = _languages(c, c.mapping_of(data, "languages"))
    html = c.mapping_of(data, "html")
    c.unknown(html, {"allow_tags", "iframe_hosts", "allow_files"}, "html.")
    html_tags, iframe_hosts = (_strings(c, html, "allow_tags"), _strings(c, html, "iframe_hosts"))
    html_files = _strings(c, html, "allow_files")

    def folder(key: str, default: str) -> Path:
        value = c.text_of(data, key, default)
        p = Path(value)
        return p if p.is_absolute() else site / p

    config = Config(
        root=site, title=title, base_url=url, tagline=c.text_of(data, "tagline"),
        language=language, timezone=tz,
        page_size=c.int_of(data, "page_size", 10), feed_entries=c.int_of(data, "feed_entries", 20),
        summary_length=c.int_of(data, "summary_length", 220, low=40),
        slug_length=c.int_of(data, "slug_length", 100, low=20), pretty_links=pretty,
        footer_credit=credit,
        max_file_size=c.int_of(data, "max_file_size", 5_000_000, low=1000),
        markdown_time_limit=c.seconds_of(data, "markdown_time_limit", 10.0),
        sections=sections, paths=paths,
        publisher={str(k): str(v).strip() for k, v in publisher.items() if v is not None},
        units=tuple(u.strip() for u in units), commemorations=commemorations,
        social={str(k): str(v).strip() for k, v in social.items() if v is not None},
        languages=languages,
        content_dir=folder("content_dir", "content"), static_dir=folder("static_dir", "static"),
        templates_dir=folder("templates_dir", "templates"),
        output_dir=(output.resolve() if output else folder("output_dir", "output").resolve()),
        html_tags=html_tags, iframe_hosts=iframe_hosts, html_files=html_files,
    )
    return config, c.problems


def _languages(c: _Checker, raw: Mapping[str, Any]) -> Mapping[str, Mapping[str, str]]:
    """``languages``: for ``en`` (the one other language), the names in LANGUAGE_KEYS."""
    c.unknown(raw, {"en"}, "languages.")
    out: dict[str, Mapping[str, str]] = {}
    for lang in ("en",):
        names = c.mapping_of(raw, lang)
        c.unknown(names, LANGUAGE_KEYS, f"languages.{lang}.")
        out[lang] = {k: c.text_of(names, k) for k in sorted(LANGUAGE_KEYS) if names.get(k)}
    return {k: v for k, v in out.items() if v}


def _strings(c: _Checker, data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        c.error("html." + key, f"{key} phải là danh sách chữ.", f"ví dụ: {key}: [www.youtube.com]")
        return ()
    return tuple(v.strip() for v in value)


def _sections(c: _Checker, data: Mapping[str, Any]) -> tuple[Section, ...]:
    raw = data.get("sections")
    if raw is None:
        return tuple(Section(n, k, t) for n, (k, t) in DEFAULT_SECTIONS.items())
    if not isinstance(raw, dict) or not raw:
        c.error("sections", "sections phải là nhóm các chuyên mục, mỗi chuyên mục có kind và title.",
                "xem mục Cấu hình trong README.md.")
        return ()
    out: list[Section] = []
    for name, spec in raw.items():
        name = str(name)
        if not SECTION_NAME.match(name) or name == PAGES_DIR:
            c.error("sections." + name, f'tên chuyên mục "{name}" không dùng được làm thư mục.',
                    "chỉ dùng chữ thường không dấu, số và dấu gạch ngang, ví dụ tin-tuc; "
                    f'không dùng "{PAGES_DIR}".')
            continue
        spec = spec if isinstance(spec, dict) else {}
        c.unknown(spec, {"kind", "title"}, f"sections.{name}.")
        kind = str(spec.get("kind", DEFAULT_SECTIONS.get(name, ("news", ""))[0]))
        if kind not in KINDS:
            c.error(f"sections.{name}.kind", f'loại "{kind}" không có.',
                    "chọn một trong: " + ", ".join(f"{k} ({v})" for k, v in KINDS.items()) + ".")
            continue
        title = str(spec.get("title") or DEFAULT_SECTIONS.get(name, ("", name))[1])
        out.append(Section(name, kind, title))
    return tuple(out)


def _paths(c: _Checker, raw: Mapping[str, Any]) -> Paths:
    defaults = Paths()
    known = set(defaults.__dataclass_fields__)
    c.unknown(raw, known, "paths.")
    values: dict[str, str] = {}
    for k in known:
        v = raw.get(k)
        if v is None:
            continue
        v = str(v).strip("/")
        if not all(SECTION_NAME.match(part) for part in v.split("/")):
            c.error("paths." + k, f'"{v}" không dùng được làm địa chỉ.',
                    "chỉ dùng chữ thường không dấu, số, dấu gạch ngang.")
            continue
        values[k] = v
    return Paths(**values)


def _commemorations(c: _Checker, raw: Any) -> tuple[Commemoration, ...]:
    if not isinstance(raw, list):
        c.error("commemorations", "commemorations phải là danh sách, mỗi mục bắt đầu bằng \"- name:\".")
        return ()
    out: list[Commemoration] = []
    for item in raw:
        if not isinstance(item, dict) or not item.get("name") or item.get("date") is None:
            c.error("commemorations", "mỗi ngày kỷ niệm cần name và date.",
                    "ví dụ: - name: Ngày Du lịch Việt Nam\n    date: 1960-07-09")
            continue
        c.unknown(item, {"name", "date", "calendar"}, "commemorations.")
        calendar = str(item.get("calendar", "solar"))
        if calendar not in ("solar", "lunar"):
            c.error("calendar", f'lịch "{calendar}" không có.',
                    "dùng solar (dương lịch) hoặc lunar (âm lịch).")
            continue
        when = item["date"]
        if isinstance(when, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", when.strip()):
            with contextlib.suppress(ValueError):
                when = date.fromisoformat(when.strip())
        if isinstance(when, date):
            out.append(Commemoration(str(item["name"]), when.month, when.day, when.year, calendar))
            continue
        m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})\s*", str(when))
        if m and 1 <= int(m[2]) <= 12 and 1 <= int(m[1]) <= (30 if calendar == "lunar" else 31):
            out.append(Commemoration(str(item["name"]), int(m[2]), int(m[1]), None, calendar))
            continue
        c.error("date", f'ngày "{when}" của "{item["name"]}" không đọc được.',
                "viết YYYY-MM-DD (ngày đầu tiên, để đánh số năm kỷ niệm) hoặc ngày/tháng như 10/3.")
    return tuple(out)

