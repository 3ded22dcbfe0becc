"""The features' files (feeds, sitemap, calendar): the sitemap is written as text, with the
bytes ElementTree gave."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sitegen.features import sitemap
from sitegen.features.feeds import text_element, xml_document
from sitegen.render.social import rfc3339

# --------------------------------------------------------------------------- the sitemap


def _tree_sitemap(config: Any, pages: list[str], dates: dict[str, datetime]) -> bytes:
    """The sitemap as ElementTree writes it (what sitemap.sitemap wrote before)."""
    root = ET.Element("urlset", xmlns=sitemap.SITEMAP_NS)
    for path in dict.fromkeys(pages):
        url = ET.SubElement(root, "url")
        text_element(url, "loc", config.base_url + path)
        if path in dates:
            text_element(url, "lastmod", rfc3339(dates[path]))
    return xml_document(root)


class _Config:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url


_ZONES = st.sampled_from([UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-3))])
_MOMENTS = st.builds(lambda d, z: d.replace(tzinfo=z),
                     st.datetimes(datetime(1990, 1, 1), datetime(2040, 1, 1)), _ZONES)


@given(st.lists(st.text(st.characters(codec="utf-8"), max_size=12), max_size=8),
       st.lists(_MOMENTS, max_size=8),
       st.sampled_from(["https://example.gov.vn/a&b/", "https://x.vn/"]))
def test_the_sitemap_is_written_as_elementtree_writes_it(
        pages: list[str], moments: list[datetime], base: str) -> None:
    dates = dict(zip(pages, moments, strict=False))
    config = _Config(base)
    assert sitemap.sitemap(config, pages, dates) == _tree_sitemap(config, pages, dates)  # type: ignore[arg-type]

