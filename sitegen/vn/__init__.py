"""Pure Vietnamese-text helpers for sitegen: text, slugs, order, dates, âm lịch.

No module in this package performs IO.
"""

from sitegen.vn.anniversary import anniversary_number, milestone
from sitegen.vn.collate import SortKey, sort_key, sorted_vi
from sitegen.vn.dates import (
    WEEKDAYS,
    day_month,
    long,
    lunar_short,
    month_title,
    short,
    weekday,
    with_weekday,
)
from sitegen.vn.lunar import (
    LunarDate,
    leap_month,
    lunar_to_solar,
    month_length,
    occurrence,
    solar_to_lunar,
)
from sitegen.vn.slug import slugify
from sitegen.vn.text import fold, nfc, normalize_tones, same_key

__all__ = [
    "WEEKDAYS",
    "LunarDate",
    "SortKey",
    "anniversary_number",
    "day_month",
    "fold",
    "leap_month",
    "long",
    "lunar_short",
    "lunar_to_solar",
    "milestone",
    "month_length",
    "month_title",
    "nfc",
    "normalize_tones",
    "occurrence",
    "same_key",
    "short",
    "slugify",
    "solar_to_lunar",
    "sort_key",
    "sorted_vi",
    "weekday",
    "with_weekday",
]
