"""The search terms of a text, and a page's index keys; pure.

A term is a run of letters and digits of the *folded* text (:func:`sitegen.vn.text.fold`:
no case, no accents or tones, đ → d), so that "thi dua", "thi đua" and "THI ĐUA" give the
same terms. A page's index keys are its terms and the pairs of neighbouring terms
("thi dua"), for its whole text and for its title, and its words' *exact keys* ("đua",
:func:`exact`), which rank the matches with the query's own accents first;
:func:`sitegen.core.pages.read_page` works them out once per page through :func:`text_work`
(in the worker processes, kept in the build cache), and
:mod:`sitegen.features.search.inverted` builds the index from them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain, pairwise

from sitegen.core.pages import Page
from sitegen.vn.text import fold, nfc, normalize_tones

# A search term: a run of letters and digits of the folded text. _search_engine.js splits
# the folded query with /[\p{L}\p{N}]+/u, the same set of characters.
TOKEN = re.compile(r"[^\W_]+")

# A run of word characters and combining marks: folding a run gives the same terms as
# folding the whole text would, so each distinct run is folded once. The marks are the
# combining blocks (U+0300–036F and its supplements), all that NFD or NFC text can carry
# between letters; listing every "Mn" character instead was measurable on every build
# (benchmarks/README.md, 'Figures behind the code').
_WORDS = re.compile(r"[\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def terms(text: str) -> list[str]:
    """The search terms of ``text`` in order: ``"Thi đua, Đinh"`` → ``["thi", "dua", "dinh"]``."""
    return TOKEN.findall(fold(text))


def exact(word: str) -> str:
    """A word as typed, to rank the matches with the same accents first: NFC, case folded,
    one tone placement (``"Hoà"`` → ``"hòa"``), accents and ``đ`` kept. An *exact key* is
    this form of a word that folds to one term, back to that term, and differs from it
    (``"đua"``; ``"thi"`` has none: its term is its exact form). _search_engine.js's ``exact`` is the same."""
    return nfc(normalize_tones(nfc(word)).casefold())


def exact_terms(text: str) -> list[tuple[str, str]]:
    """The (term, exact form) of each word of ``text`` that has an exact key, in order."""
    out = []
    for word in _WORDS.findall(nfc(text)):
        found, form = _word(word)
        if form:
            out.append((found[0], form))
    return out


class Folder:
    """Folds long texts a word at a time, each distinct word once (a corpus repeats them)."""

    #: Words remembered at most; then the memory starts again (a process reads many pages).
    LIMIT = 200_000

    def __init__(self) -> None:
        #: Per run of text between spaces ("đua,"): its terms, and its words' exact keys
        #: (see :func:`exact`).
        self.terms_of: dict[str, tuple[str, ...]] = {}
        self.forms_of: dict[str, tuple[str, ...]] = {}

    def runs(self, text: str) -> list[str]:
        """The runs of ``text`` between its spaces, in order, each known to the folder.

        No word of :data:`_WORDS` holds a space and NFC joins nothing to one, so the runs'
        words are the text's words; each distinct run is read once, and the runs' terms and
        keys are strung together by C loops: a quarter less time than finding and looking up
        every word with a pattern."""
        return self._read(text)[0]

    def _read(self, text: str) -> tuple[list[str], dict[str, None]]:
        """The runs of ``text`` (:meth:`runs`), and its distinct runs in the order first met.

        One dict of the runs serves both to find the runs not known yet and as the keys'
        distinct runs: a set of the runs for the first and a dict for the second hashed and
        stored every run twice (benchmarks/README.md, 'Figures behind the code')."""
        runs = nfc(text).split()
        distinct = dict.fromkeys(runs)
        terms_of, forms_of = self.terms_of, self.forms_of
        if len(terms_of) > self.LIMIT:
            terms_of.clear()
            forms_of.clear()
        for run in distinct:
            if run not in terms_of:
                terms_of[run], forms_of[run] = _run(run)
        return runs, distinct

    def split(self, text: str) -> tuple[list[str], list[str]]:
        """``terms(text)`` and the exact keys of ``text``, each in order, in one pass."""
        runs = self.runs(text)
        return (list(chain.from_iterable(map(self.terms_of.__getitem__, runs))),
                list(chain.from_iterable(map(self.forms_of.__getitem__, runs))))

    def terms(self, text: str) -> list[str]:
        """``terms(text)``, in order; the same list, faster on long texts."""
        return self.split(text)[0]

    def keys(self, text: str, forms: bool = True) -> str:
        """The keys of ``text``, joined by newlines: each term, then each pair of neighbouring
        terms (:func:`pairs`), then (with ``forms``) each exact key, once, in the order met
        (sorting each page's keys was a measurable share of this).

        The same as one ``dict.fromkeys`` over them all (a term holds no space and is its own
        fold, a pair holds one space, a form is not its own fold), made faster: a pair is made
        a text once, not at each of its places (most of a body's pairs repeat; see
        benchmarks/README.md, 'Figures behind the code', for both), and the terms and exact
        keys met first are those of the distinct runs met first (a fifth of the runs)."""
        runs, distinct = self._read(text)
        terms_of = self.terms_of
        words = list(chain.from_iterable(map(terms_of.__getitem__, runs)))
        keys = chain(dict.fromkeys(chain.from_iterable(map(terms_of.__getitem__, distinct))),
                     map(" ".join, dict.fromkeys(pairwise(words))))
        if forms:
            keys = chain(keys, dict.fromkeys(chain.from_iterable(
                map(self.forms_of.__getitem__, distinct))))
        return "\n".join(keys)


def _run(run: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The terms of a run of NFC text without spaces, and its words' exact keys."""
    terms: list[str] = []
    forms: list[str] = []
    for word in _WORDS.findall(run):
        found, form = _word(word)
        terms.extend(found)
        if form:
            forms.append(form)
    return tuple(terms), tuple(forms)


def _word(word: str) -> tuple[tuple[str, ...], str]:
    """A word's terms, and its exact key or "" (one word of :meth:`Folder.split`)."""
    found = tuple(TOKEN.findall(fold(word)))
    if len(found) == 1 and (form := exact(word)) != found[0] and fold(form) == found[0]:
        return found, form
    return found, ""


def pairs(words: Sequence[str]) -> list[str]:
    """The pairs of neighbouring terms, ``["thi dua", "dua nam"]``.

    Vietnamese words are often two syllables: "thi đua" side by side says more than
    "Thị" in a name here and "đưa" there.
    """
    return [f"{a} {b}" for a, b in pairwise(words)]


IndexKeys = tuple[str, str]
"""A page's index keys: those of its whole text and those of its title, each once (its
terms in the order first met, then its pairs likewise), joined by newlines (one string a
page keeps the build cache small; the index sorts the keys of all pages together)."""

_FOLDER = Folder()


def index_keys(title: str, rest: Sequence[str]) -> IndexKeys:
    """The index keys of a page with ``title`` and the other texts ``rest`` (summary, body,
    tags …): its terms and neighbouring pairs, over the title and the rest read in order."""
    # The exact keys, for the whole text only, rank the matches with the query's own
    # accents first.
    return _FOLDER.keys("\n".join((title, *rest))), _FOLDER.keys(title, forms=False)


def text_work(title: str, rest: Sequence[str]) -> str:
    """The search's read-time work (:data:`sitegen.core.pages.TextWork`): the page's
    :func:`index_keys`, kept with the page as one text (its two halves joined by NUL)."""
    return "\0".join(index_keys(title, rest))


def page_keys(page: Page) -> IndexKeys:
    """The index keys that :func:`text_work` kept with ``page`` (read from the build cache
    when they are there)."""
    whole, _, heading = page.derived_text.partition("\0")
    return whole, heading


def split_keys(joined: str) -> list[str]:
    """The keys of one half of :data:`IndexKeys`."""
    return joined.split("\n") if joined else []
