"""Awards in the order the Law on Emulation and Commendation ranks them; pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

AWARD_RANKS = (  # highest form first, as the Law on Emulation and Commendation lists them
    "huân chương sao vàng", "huân chương hồ chí minh", "huân chương độc lập",
    "huân chương quân công", "huân chương lao động", "huân chương", "danh hiệu vinh dự",
    "anh hùng", "chiến sĩ thi đua toàn quốc", "giải thưởng", "bằng khen của thủ tướng",
    "bằng khen của bộ", "cờ thi đua", "chiến sĩ thi đua", "bằng khen", "tập thể lao động xuất sắc",
    "giấy khen", "lao động tiên tiến", "tập thể lao động tiên tiến",
)


def awards_ranked(awards: Sequence[Any]) -> list[Any]:
    """Awards with the highest form first (Huân chương, then Bằng khen, then Giấy khen …)."""
    def rank(a: Any) -> tuple[int, int]:
        name = str(a.name).lower()
        pos = next((i for i, r in enumerate(AWARD_RANKS) if r in name), len(AWARD_RANKS))
        return pos, -(a.year or 0)
    return sorted(awards, key=rank)
