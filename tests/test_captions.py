"""A picture's caption is read as a sentence before its credit (sitegen.render.environment)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sitegen.render.environment import SENTENCE_ENDS, as_sentence


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
