"""Dates and date-times as writers and other site generators write them; pure.

``11/06/2023`` (the Vietnamese way), ``2024-06-05``, ISO 8601 date-times with or without a
zone, and Jekyll's ``2017-03-24 9:21:35 +0700``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
#: A date and time as other generators write them: ``2024-06-05T08:30:00+07:00`` (ISO 8601),
#: ``2017-03-24 9:21:35`` and ``2017-03-24 09:21:35 +0700`` (Jekyll), hours of one digit.
_DATE_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[Tt ]+(\d{1,2}):(\d{2})"
                        r"(?::(\d{2})(?:[.,](\d{1,6})\d*)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$")


def _zone(text: str | None) -> tzinfo | None:
    """``Z``, ``+07``, ``+0700`` or ``+07:00`` as a fixed offset; None for none."""
    if not text:
        return None
    if text in "Zz":
        return UTC
    digits = text[1:].replace(":", "").ljust(4, "0")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(-offset if text[0] == "-" else offset)


def parse_when(value: Any) -> date | datetime | None:
    """A date (a date) or date-time (a datetime, its zone when written) from YAML, TOML or
    JSON: a date or datetime already, or text; None when it is none of them."""
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    dmy = _DMY.match(text)  # 11/06/2023: the way Vietnamese write dates
    m = _DATE_TIME.match(text)
    try:
        if dmy:
            return date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
        if m and m[4] is None:
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m:
            return datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]),
                            int(m[6] or 0), int((m[7] or "0").ljust(6, "0")), tzinfo=_zone(m[8]))
        return datetime.fromisoformat(text)
    except ValueError:
        return None
