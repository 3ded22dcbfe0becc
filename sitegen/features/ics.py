"""An RFC 5545 (iCalendar) writer: all-day events in, the bytes of a ``.ics`` file out; pure.

Only what a subscribed calendar of commemorations needs: all-day ``VEVENT``s
(``DTSTART;VALUE=DATE`` and ``DTEND`` the next day, RFC 5545 §3.6.1), TEXT
escaping (§3.3.11), CRLF line endings and folding at 75 octets (§3.1) without
cutting a UTF-8 character or an escape (``\\,``) in two, so that Vietnamese text
survives every client. Each event carries its own ``DTSTAMP``, which the caller
derives from the content, so that the same content gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

CRLF = "\r\n"
MAX_OCTETS = 75
#: What a fold never cuts: an escape (a backslash and the character after it), or one character.
_UNIT = re.compile(r"\\.|.", re.DOTALL)


@dataclass(frozen=True)
class Event:
    """One all-day event: ``uid`` must stay the same from one build to the next; ``stamp``
    (its ``DTSTAMP``) should change only when what the event says does."""

    uid: str
    day: date
    summary: str
    stamp: datetime
    description: str = ""
    url: str | None = None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class CalendarInfo:
    """What describes the calendar itself: its product id, name, description and zone."""

    prodid: str
    name: str
    description: str = ""
    timezone: str | None = None
    refresh: str = "P1D"
    extra: Sequence[tuple[str, str]] = field(default_factory=tuple)


def escape_text(value: str) -> str:
    r"""A TEXT value escaped: ``\`` ``;`` ``,`` and newlines (RFC 5545 §3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """One content line folded to lines of at most 75 octets, joined by CRLF + space.

    Cuts only between characters, never inside a UTF-8 sequence (§3.1), and never
    between the backslash of an escape and the character it escapes (``\\,`` ``\\;``
    ``\\n`` ``\\\\``): RFC 5545 allows it, but some clients (Google Calendar) drop an
    event whose escape is cut in two.
    """
    parts: list[str] = []
    current: list[str] = []
    size = 0
    limit = MAX_OCTETS
    for unit in _UNIT.findall(line):
        n = len(unit.encode("utf-8"))
        if size + n > limit and current:
            parts.append("".join(current))
            current, size = [], 0
            limit = MAX_OCTETS - 1  # a continuation line starts with one space
        current.append(unit)
        size += n
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("DTSTAMP needs an aware datetime")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: Event) -> Iterable[str]:
    yield "BEGIN:VEVENT"
    yield f"UID:{event.uid}"
    yield f"DTSTAMP:{_stamp(event.stamp)}"
    yield f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}"
    yield f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}"
    yield f"SUMMARY:{escape_text(event.summary)}"
    if event.description:
        yield f"DESCRIPTION:{escape_text(event.description)}"
    if event.categories:
        yield "CATEGORIES:" + ",".join(escape_text(c) for c in event.categories)
    if event.url:
        yield f"URL:{event.url}"
    yield "TRANSP:TRANSPARENT"
    yield "END:VEVENT"


def write_calendar(info: CalendarInfo, events: Iterable[Event]) -> bytes:
    """The ``.ics`` file of ``events``, each with its own ``DTSTAMP``."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{escape_text(info.prodid)}",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(info.name)}"]
    if info.description:
        lines.append(f"X-WR-CALDESC:{escape_text(info.description)}")
    if info.timezone:
        lines.append(f"X-WR-TIMEZONE:{info.timezone}")
    # How often a subscribed client should fetch again (RFC 7986 and its older X- spelling).
    lines += [f"REFRESH-INTERVAL;VALUE=DURATION:{info.refresh}", f"X-PUBLISHED-TTL:{info.refresh}"]
    lines += [f"{k}:{escape_text(v)}" for k, v in info.extra]
    for event in events:
        lines.extend(_event_lines(event))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines).encode("utf-8")
