"""Text made to read or wrap well (sitegen.render.environment): a picture's caption read as a
sentence before its credit; a decision's number kept on one line in the report."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from sitegen.render.environment import SENTENCE_ENDS, as_sentence, keep_codes


@given(st.text())
def test_a_caption_ends_as_a_sentence_and_keeps_its_words(text: str) -> None:
    out = as_sentence(text)
    kept = text.rstrip()
    assert out.startswith(kept)
    assert out in (kept, kept + ".")
    assert as_sentence(out) == out  # once is enough
    if kept:
        ending = out[-1:] if out[-1:] in tuple(SENTENCE_ENDS) else out.rstrip("\"'”’»)]")[-1:]
        assert ending in tuple(SENTENCE_ENDS), f"{out!r} does not end as a sentence"


def test_a_caption_gets_a_full_stop_only_when_it_has_no_end() -> None:
    assert as_sentence("Đò trên sông Ngô Đồng mùa lúa chín") == "Đò trên sông Ngô Đồng mùa lúa chín."
    assert as_sentence("Chị Lan có về không?") == "Chị Lan có về không?"
    assert as_sentence("Bến đò Tam Cốc (năm 1995.)") == "Bến đò Tam Cốc (năm 1995.)"
    assert as_sentence("Bến đò Tam Cốc (năm 1995)") == "Bến đò Tam Cốc (năm 1995)."
    assert as_sentence("  ") == ""


@given(st.text())
def test_codes_are_kept_whole_and_the_text_unchanged(text: str) -> None:
    """keep_codes (the report's awards): the words with a / or a - in unbreakable spans, the
    text itself, once the spans are taken away and the escapes read back, unchanged."""
    out = str(keep_codes(text))
    spans = re.findall(r'<span class="nowrap">(.*?)</span>', out)
    assert html.unescape(re.sub(r"</?span[^>]*>", "", out)) == text
    assert [html.unescape(s) for s in spans] == [w for w in re.findall(r"\S+", text)
                                                  if "/" in w or "-" in w]


def test_a_decision_number_is_kept_on_one_line() -> None:
    assert str(keep_codes("Bằng khen (2025, Quyết định số 1127/QĐ-TTg)")) == (
        'Bằng khen (2025, Quyết định số <span class="nowrap">1127/QĐ-TTg)</span>')
