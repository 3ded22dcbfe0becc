"""The theme's ids, which a body's ids are kept apart from (sitegen.render.ids), are worked
out from the templates once and kept from build to build while no template, code or
config changed; a template that writes a new id makes a body's clashing id renamed at the
next build."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.core.config import load_config
from sitegen.pipeline import BuildOptions, build
from sitegen.render import ids
from sitegen.render.environment import make_environment, theme_dir
from tests.helpers import article

REL = "content/tin-tuc/a.md"
BODY = '<p id="lien-ket-bai-viet">đoạn</p>\n\n## Mục riêng\n\n[xuống](#muc-rieng)\n'


def _page(out: Path) -> str:
    return next(out.rglob("a/index.html")).read_text(encoding="utf-8")


def test_the_theme_ids_are_parsed_once_and_kept_until_a_template_changes(
        make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({REL: article("A", body=BODY), "content/tin-tuc/b.md": article("B")})
    config, _ = load_config(site, output=tmp_path / "out")
    parsed: list[str] = []
    real = ids.template_ids
    monkeypatch.setattr(ids, "template_ids", lambda env: parsed.append("x") or real(env))
    build(config, BuildOptions())
    assert parsed == ["x"]  # the first build works them out
    page = _page(tmp_path / "out")
    assert 'id="lien-ket-bai-viet-bai"' in page and 'id="muc-rieng"' in page

    (site / REL).write_text(article("A", body=BODY + "\nMột dòng nữa.\n"), encoding="utf-8")
    build(config, BuildOptions())
    assert parsed == ["x"]  # an edit of a body finds them kept
    assert "Một dòng nữa." in _page(tmp_path / "out")
    assert 'id="lien-ket-bai-viet-bai"' in _page(tmp_path / "out")

    # A site's own article template that writes the body's heading id too.
    theme = (theme_dir() / "article.html").read_text(encoding="utf-8")
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text(
        theme.replace("</article>", '<p id="muc-rieng">Mẫu riêng</p></article>', 1),
        encoding="utf-8")
    build(config, BuildOptions())
    assert parsed == ["x", "x"]  # a template changed: worked out again
    page = _page(tmp_path / "out")
    assert 'id="muc-rieng-bai"' in page and 'href="#muc-rieng-bai"' in page
    assert page.count('id="muc-rieng"') == 1  # the template's own

    clean, _ = load_config(site, output=tmp_path / "clean")
    build(clean, BuildOptions(clean=True))
    assert _page(tmp_path / "clean") == page


def test_damaged_or_foreign_kept_ids_are_worked_out_again(make_site, tmp_path: Path) -> None:
    site = make_site({REL: article("A", body=BODY)})
    config, _ = load_config(site, output=tmp_path / "out")
    build(config, BuildOptions())
    kept = site / ".sitegen" / f"{ids.THEME_IDS}.bin"
    assert kept.is_file()

    class States:
        base = "this build's base"

        def __init__(self, value: object) -> None:
            self.value, self.kept = value, None

        def state(self, name: str) -> object:
            return self.value

        def keep(self, name: str, value: object) -> None:
            self.kept = value

    env = make_environment(config)
    truth = frozenset(ids.template_ids(env))
    for value in (None, "garbage", ("another base", frozenset({"x"})), (States.base, ["x"])):
        states = States(value)
        assert ids.kept_template_ids(env, states) == truth
        assert states.kept == (States.base, truth)
    states = States((States.base, frozenset({"only-this"})))
    assert ids.kept_template_ids(env, states) == {"only-this"} and states.kept is None
