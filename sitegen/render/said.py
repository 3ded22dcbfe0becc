"""The site's own names (title, tagline, the publisher's lines) as a page in some language
shows them: translated from ``config.languages`` when the config gives them, else as written
and marked with the site's language, so that a screen reader reads them right. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from sitegen.core.config import Config


@dataclass(frozen=True)
class Said:
    """One name as shown: its text, and the language to mark it with (None: the page's)."""

    text: str
    lang: str | None = None

    @property
    def attr(self) -> Markup:
        """`` lang="vi"`` when the text is not in the page's language, else nothing."""
        return Markup(' lang="{}"').format(self.lang) if self.lang else Markup("")

    def __str__(self) -> str:
        return self.text


def said(config: Config, key: str, lang: str) -> Said:
    """The site's ``key`` (``title``, ``tagline``, or a ``publisher`` line: ``owner``,
    ``operator`` …) on a page in ``lang``."""
    own = {"title": config.title, "tagline": config.tagline}.get(key)
    if own is None:
        own = config.publisher.get(key, "")
    if lang == config.language or not own:
        return Said(own)
    translated = config.languages.get(lang, {}).get(key)
    return Said(translated) if translated else Said(own, config.language)
