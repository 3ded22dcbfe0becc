"""The interface's words in Vietnamese and English (``ui("en")["skip"]``); pure."""

from __future__ import annotations

from collections.abc import Mapping

WORDS: Mapping[str, Mapping[str, str]] = {
    "vi": {
        "skip": "Bỏ qua, đến nội dung chính", "menu": "Menu chính", "home": "Trang chủ",
        "breadcrumbs": "Bạn đang ở", "owner": "Cơ quan chủ quản", "operator": "Đơn vị thực hiện",
        "responsible": "Chịu trách nhiệm nội dung", "address": "Địa chỉ", "phone": "Điện thoại",
        "browse": "Tra cứu", "archive_nav": "Tra cứu bài viết", "tags": "Chủ đề", "units": "Đơn vị",
        "fields": "Lĩnh vực", "year": "Năm", "pages": "Phân trang", "newer": "Mới hơn",
        "older": "Cũ hơn", "page": "Trang", "read_in": "Đọc bằng tiếng Việt",
    },
    "en": {
        "skip": "Skip to main content", "menu": "Main menu", "home": "Home",
        "breadcrumbs": "You are here", "owner": "Governing body", "operator": "Operated by",
        "responsible": "Responsible for content", "address": "Address", "phone": "Telephone",
        "browse": "Browse", "archive_nav": "Browse articles", "tags": "Topics", "units": "Units",
        "fields": "Fields", "year": "Year", "pages": "Pages", "newer": "Newer", "older": "Older",
        "page": "Page", "read_in": "Read in English",
    },
}


def ui(lang: str) -> Mapping[str, str]:
    """The interface words for ``lang`` (Vietnamese for any language not known)."""
    return WORDS.get(lang, WORDS["vi"])
