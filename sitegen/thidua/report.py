"""The yearly report: the Site and a year in, per-unit figures and the list for Sở Nội vụ out.

:func:`yearly_report` (pure) counts, for each unit, the articles of each kind
published in the year and lists the exemplary models profiled; the formatters
(pure) give it as text, as CSV (UTF-8 with BOM, CRLF, the columns Sở Nội vụ
asks for) or as printable A4 HTML. :func:`report_command` is what ``sitegen
report`` runs: it reads the site with the build's own stages and may write a file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from sitegen.core.config import KINDS, Config
from sitegen.core.frontmatter import Award
from sitegen.core.site import Site
from sitegen.core.urls import absolute
from sitegen.thidua.awards import awards_ranked
from sitegen.thidua.roll import NO_UNIT, RollEntry, entry_of, sort_entries
from sitegen.vn import dates as vndates
from sitegen.vn.collate import sort_key
from sitegen.vn.slug import slugify

FORMATS = ("text", "csv", "html")
CSV_HEADER = ("STT", "Đơn vị", "Cá nhân/Tập thể", "Tên", "Chức vụ", "Hình thức khen thưởng",
              "Bài viết", "Ngày đăng")
NO_MODEL = "Chưa có điển hình"
#: "Số: …/BC" until the department sets its own (publisher.report_number: …/BC-SDL).
DEFAULT_NUMBER = "…/BC"
REPORT_TEMPLATE = "report.html"


@dataclass(frozen=True)
class UnitReport:
    """One unit's year: articles per kind (in :attr:`Report.kinds` order) and its models."""

    name: str
    counts: tuple[int, ...]
    models: tuple[RollEntry, ...]
    #: False for the row of articles naming no unit ("Chưa ghi đơn vị"): not a unit, so
    #: neither numbered nor counted among the units, nor marked "Chưa có điển hình".
    named: bool = True

    @property
    def articles(self) -> int:
        return sum(self.counts)

    @property
    def note(self) -> str | None:
        """"Chưa có điển hình" for a unit with no model profiled this year."""
        return None if self.models or not self.named else NO_MODEL


@dataclass(frozen=True)
class ModelRow:
    """One row of the list for Sở Nội vụ (the CSV and the HTML table)."""

    number: int
    unit: str
    kind: str
    name: str
    position: str
    #: Each award as one line, highest form first (joined by "; " in the CSV).
    awards: tuple[str, ...]
    #: The article's title, shown in the HTML as the link to ``url`` (the CSV gives the url).
    title: str
    url: str
    published: str


@dataclass(frozen=True)
class Report:
    """The figures of one year, as of ``made`` (the report's date)."""

    year: int
    made: date
    site_title: str
    owner: str
    operator: str
    kinds: tuple[tuple[str, str], ...]
    units: tuple[UnitReport, ...]
    rows: tuple[ModelRow, ...]
    #: The document's "Số: …/BC-…" (``publisher.report_number``) and the place of its date
    #: line (``publisher.place``, e.g. "Ninh Bình"), as Nghị định 30/2020/NĐ-CP sets them out.
    number: str = DEFAULT_NUMBER
    place: str = ""

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(sum(col) for col in zip(*(u.counts for u in self.units), strict=True)) \
            if self.units else tuple(0 for _ in self.kinds)

    @property
    def articles(self) -> int:
        return sum(self.totals)

    @property
    def models(self) -> tuple[RollEntry, ...]:
        return tuple(m for u in self.units for m in u.models)

    @property
    def named_units(self) -> tuple[UnitReport, ...]:
        """The units, without the row of articles that name none."""
        return tuple(u for u in self.units if u.named)

    @property
    def title(self) -> str:
        return f"BÁO CÁO {self.subject.upper()}"

    @property
    def subject(self) -> str:
        """The trích yếu, under the name of the kind of document ("BÁO CÁO")."""
        return f"Công tác tuyên truyền thi đua, khen thưởng năm {self.year}"

    @property
    def dated(self) -> str:
        """The date line: "Ninh Bình, ngày 05 tháng 01 năm 2026" (place, when known)."""
        return f"{self.place}, {admin_date(self.made)}" if self.place else \
            admin_date(self.made).capitalize()


def award_text(award: Award) -> str:
    """"Bằng khen của Chủ tịch UBND tỉnh (2023, Quyết định số 1234/QĐ-UBND)"."""
    details = [str(award.year)] if award.year else []
    if award.decision:
        details.append(f"Quyết định số {award.decision}")
    return award.name + (f" ({', '.join(details)})" if details else "")


def awards_text(awards: Sequence[Award]) -> str:
    """Every award, highest form first, joined by "; "."""
    return "; ".join(award_text(a) for a in awards_ranked(awards))


def _kinds(site: Site) -> tuple[tuple[str, str], ...]:
    # One column per kind, named after the first section of that kind.
    out: dict[str, str] = {}
    for s in site.config.sections:
        out.setdefault(s.kind, s.title or KINDS[s.kind])
    return tuple(out.items())


def yearly_report(site: Site, year: int, made: date) -> Report:
    """Per unit: the articles of each kind dated in ``year``, and the models profiled.

    The units are those of ``config.units`` in their order, then every other unit
    an article names (Vietnamese order), then articles naming none, when there are.
    """
    config = site.config
    kinds = _kinds(site)
    column = {k: i for i, (k, _) in enumerate(kinds)}
    pages = [p for p in site.articles if p.date and p.date.year == year and not p.meta.draft]

    names: dict[str | None, str] = {slugify(u): u for u in config.units}
    others = sorted((t for t in site.units.terms if t.slug not in names),
                    key=lambda t: sort_key(t.name))
    names.update((t.slug, t.name) for t in others)
    counts: dict[str | None, list[int]] = {k: [0] * len(kinds) for k in names}
    models: dict[str | None, list[RollEntry]] = {k: [] for k in names}
    for page in pages:
        # Every unit an article names is a term of site.units; only "no unit" is new here.
        key = slugify(page.meta.unit) if page.meta.unit else None
        if key not in names:
            names[key] = page.meta.unit or NO_UNIT
            counts[key], models[key] = [0] * len(kinds), []
        if page.kind in column:
            counts[key][column[page.kind]] += 1
        entry = entry_of(site, page)
        if entry is not None:
            models[key].append(entry)
    units = tuple(UnitReport(names[k], tuple(counts[k]), sort_entries(models[k]), k is not None)
                  for k in names)
    rows = tuple(_rows(config, units))
    return Report(year=year, made=made, site_title=config.title,
                  owner=config.publisher.get("owner", ""),
                  operator=config.publisher.get("operator", "") or config.title,
                  kinds=kinds, units=units, rows=rows,
                  number=config.publisher.get("report_number") or DEFAULT_NUMBER,
                  place=config.publisher.get("place", ""))


def _rows(config: Config, units: Sequence[UnitReport]) -> Iterator[ModelRow]:
    n = 0
    for unit in units:
        for m in unit.models:
            n += 1
            yield ModelRow(number=n, unit=unit.name, kind=m.kind_label, name=m.subject,
                           position=m.position or "",
                           awards=tuple(award_text(a) for a in awards_ranked(m.awards)),
                           title=m.page.title, url=absolute(config, m.page.path),
                           published=vndates.short(m.page.date) if m.page.date else "")


def admin_date(d: date) -> str:
    """The date of an administrative document: "ngày 05 tháng 01 năm 2026".

    Nghị định 30/2020/NĐ-CP: days below 10 and the months 1 and 2 take a leading 0.
    """
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def as_text(report: Report) -> str:
    """The report as plain text, for the terminal or an e-mail."""
    lines = [report.title, report.operator, f"Số: {report.number}", report.dated, ""]
    numbers = iter(range(1, len(report.units) + 1))
    for unit in report.units:
        lines.append(f"{next(numbers)}. {unit.name}" if unit.named else f"*  {unit.name}")
        per_kind = "; ".join(f"{title}: {n}" for (_, title), n in
                             zip(report.kinds, unit.counts, strict=True))
        lines.append(f"   Bài viết: {unit.articles} ({per_kind})")
        if unit.note:
            lines.append(f"   Gương điển hình: {unit.note}")
        if not unit.models:
            continue
        lines.append(f"   Gương điển hình ({len(unit.models)}):")
        for m in unit.models:
            who = f"{m.kind_label} {m.subject}" + (f", {m.position}" if m.position else "")
            lines.append(f"   - {who}")
            if m.awards:
                lines.append(f"     Khen thưởng: {awards_text(m.awards)}")
            lines.append(f"     Bài viết: {m.page.title} ({vndates.short(m.page.date)})"
                         if m.page.date else f"     Bài viết: {m.page.title}")
    people = sum(1 for m in report.models if m.subject_kind == "ca-nhan")
    with_models = sum(1 for u in report.named_units if u.models)
    lines += ["", f"Tổng cộng: {report.articles} bài viết; {len(report.models)} gương điển hình "
              f"({people} cá nhân, {len(report.models) - people} tập thể); "
              f"{with_models}/{len(report.named_units)} đơn vị có điển hình."]
    return "\n".join(lines) + "\n"


#: What makes a spreadsheet read a cell as a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """``value`` as a CSV cell Excel will not run: text that starts like a formula gets a
    leading apostrophe (shown by no spreadsheet; OWASP's rule), numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(report: Report) -> bytes:
    """The list for Sở Nội vụ: UTF-8 with BOM (Excel reads it), CRLF, one row per model;
    no cell can run as a formula (:func:`cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in report.rows:
        writer.writerow([cell(v) for v in (r.number, r.unit, r.kind, r.name, r.position,
                                           "; ".join(r.awards), r.url, r.published)])
    return buffer.getvalue().encode("utf-8-sig")


