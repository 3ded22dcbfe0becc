"""The roll of exemplary models as pages: ``<model section>/danh-sach/`` (all years) and
one page per year; the roll itself is :mod:`sitegen.thidua.roll`. The roll is also given
to every template (``roll``, ``roll_for_unit``, ``roll_path``), for the unit pages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sitegen.core.site import Site
from sitegen.features.registry import Feature, FeatureContext
from sitegen.output.files import RenderedFile
from sitegen.render.trace import reading
from sitegen.thidua.roll import (
    ROLL_TITLE,
    Roll,
    build_roll,
    by_unit,
    model_section,
    roll_path,
    section_roll_path,
)


def roll_globals(site: Site, static: frozenset[str]) -> Mapping[str, Any]:
    """The roll, built once per render (when first read) and shared by the unit pages and
    the roll's own."""
    roll = build_roll(site)
    return {"roll": roll,
            "roll_for_unit": reading(("call", ("g", "roll")))(lambda term: roll.for_unit(term)),
            "roll_path": reading()(lambda year=None: roll_path(site.config, year))}


def roll_files(r: FeatureContext) -> Iterator[RenderedFile]:
    """Feature: the roll of all years and one page per year."""
    site = r.site
    section = model_section(site.config)
    if section is None:
        return
    index = section_roll_path(section, None)
    roll: Roll = r.common["roll"]  # built once per render, shared with the unit pages
    common: dict[str, Any] = {"section": section, "index": index}  # `roll` is in r.common
    yield r.page("roll.html", index, "roll.html", title=ROLL_TITLE, year=None, reuse=True,
                 entries=roll.entries, groups=by_unit(roll.entries), **common)
    for year in roll.years:
        entries = roll.of_year(year)
        yield r.page("roll.html", section_roll_path(section, year), "roll.html", reuse=True,
                     title=f"{ROLL_TITLE} năm {year}", year=year, entries=entries,
                     groups=by_unit(entries), **common)


FEATURE = Feature("roll", 20, roll_files, template_globals=roll_globals)
