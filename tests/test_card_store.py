"""The theme's cards kept between builds (sitegen.incremental.cards): a list page rendered
again takes the cards of the articles whose token did not change from the last build.

tests/test_incremental.py checks, with the store always used, that incremental builds
equal clean ones; here, that the store is used: after a tag change, the only cards rendered
are the edited article's, and the pages equal a clean build's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from helpers import example_site, snapshot

from sitegen.core.config import load_config
from sitegen.incremental import cards
from sitegen.incremental.cards import CardStore
from sitegen.pipeline import BuildOptions, load_site


def test_a_tag_change_renders_only_the_edited_articles_cards(
        tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cards, "WORTH_FROM", 0)
    site = example_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--output", out).code == 0
    config, _ = load_config(site)
    model = load_site(config, BuildOptions(), parallel=False).site
    # an article in a list with others, moved to another tag
    article = next(p for p in model.articles if p.meta.tags and
                   len(model.tags.of(p.meta.tags[:1])[0].pages) > 2)
    path = site / "content" / article.content_rel
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    data = yaml.safe_load(front)
    data["tags"] = ["một thẻ mới"]
    path.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
                    + "---\n" + body, encoding="utf-8")
    made: list[tuple[object, ...]] = []  # cards of other articles the last build had
    put = CardStore.put

    def spy(self: CardStore, key: tuple[object, ...], token: bytes, html: str) -> None:
        if key[0] == article.path:
            made.append(key)
        else:  # a card the last build kept is never rendered again; a new variant may be
            assert key not in self.cards, key  # (an article now first in a list: its lead)
        put(self, key, token, html)

    monkeypatch.setattr(CardStore, "put", spy)
    assert run_cli("build", "--site", site, "--output", out).code == 0
    assert made  # the edited article's cards, with its new tag
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(".sitegen", "output"))
    assert run_cli("build", "--site", fresh, "--output", fresh / "output", "--clean").code == 0
    assert snapshot(out) == snapshot(fresh / "output")


def test_a_kept_card_is_given_only_for_its_token_and_base() -> None:
    store = CardStore("base-1")
    store.put(("a/",), b"t1", "<article>A</article>")
    assert store.get(("a/",), b"t1") == "<article>A</article>"
    assert store.get(("a/",), b"t2") is None  # what the article shows changed
    kept = list(store.saved({"a/", "b/"}).values())
    assert len(kept) == 1  # the one shard a card was added to
    assert CardStore.of(kept, "base-1").get(("a/",), b"t1") == "<article>A</article>"
    assert CardStore.of(kept, "base-2").cards == {}  # another code, templates or config
    gone = list(store.saved({"b/"}).values())
    assert CardStore.of(gone, "base-1").cards == {}  # the page is gone
    store.new = {}
    assert store.saved({"a/"}) == {}  # nothing added: nothing written


def test_a_clean_build_keeps_no_card_of_the_builds_before(
        tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--clean``: nothing of ``.sitegen/`` outlives the build, the cards included (a
    shard the clean build adds no card to would otherwise keep the older ones)."""
    monkeypatch.setattr(cards, "WORTH_FROM", 0)
    site = example_site(tmp_path / "site")
    assert run_cli("build", "--site", site, "--output", tmp_path / "out").code == 0
    assert list((site / ".sitegen").glob("cards-*.bin"))
    monkeypatch.setattr(cards, "WORTH_FROM", 10**9)  # this build keeps no card of its own
    assert run_cli("build", "--site", site, "--output", tmp_path / "out", "--clean").code == 0
    assert not list((site / ".sitegen").glob("cards-*.bin"))
