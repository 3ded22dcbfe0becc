"""An incremental build gives the same bytes as a clean build, over random series of changes.

The bundled example site is copied, then changed step by step (bodies, titles, dates, tags,
drafts, new, deleted and renamed articles, static files); after every step it is built
incrementally (the cache, the stamp and the previous output of the steps before) and, from
a fresh copy with no cache and no output, cleanly. The two outputs must hold the same files
with the same bytes, and the two builds must succeed or fail alike.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from helpers import TESTS, example_site, snapshot

from sitegen.incremental import cards

REPO = TESTS.parent
Change = Callable[[Path, random.Random], str]


def articles(site: Path) -> list[Path]:
    return sorted(p for p in (site / "content").rglob("*.md") if "pages" not in p.parts)


def split(path: Path) -> tuple[dict[str, object], str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def join(path: Path, front: dict[str, object], body: str) -> None:
    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{text}---\n{body}", encoding="utf-8")


def edit_body(site: Path, rng: random.Random) -> str:
    path = rng.choice(articles(site))
    front, body = split(path)
    join(path, front, body + f"\nĐoạn thêm số {rng.randrange(1000)} về thi đua yêu nước.\n")
    return f"body {path.name}"


def setting(key: str, value: Callable[[dict[str, object], random.Random], object]) -> Change:
    """The change that sets front-matter ``key`` of a random article to ``value(front, rng)``."""
    def change(site: Path, rng: random.Random) -> str:
        path = rng.choice(articles(site))
        front, body = split(path)
        front[key] = value(front, rng)
        join(path, front, body)
        return f"{key} {path.name}"
    return change


edit_title = setting("title", lambda front, rng: f"{front['title']} (cập nhật {rng.randrange(100)})")
edit_field = setting("field", lambda front, rng: rng.choice(["Văn hóa", "Du lịch", "Khoa học"]))
edit_summary = setting("summary", lambda front, rng: f"Tóm tắt đã sửa lần {rng.randrange(1000)}.")


def edit_date(site: Path, rng: random.Random) -> str:
    path = rng.choice([p for p in articles(site) if "date" in split(p)[0]])
    front, body = split(path)
    front["date"] = f"20{rng.randrange(18, 26)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    join(path, front, body)
    return f"date {path.name}"


def edit_tags(site: Path, rng: random.Random) -> str:
    path = rng.choice(articles(site))
    front, body = split(path)
    tags = list(front.get("tags") or [])  # type: ignore[call-overload]
    if tags and rng.random() < 0.5:
        tags.pop(rng.randrange(len(tags)))
    else:
        tags.append(rng.choice(["Chuyển đổi số", "Tràng An", "thi đua", "Thẻ mới"]))
    front["tags"] = tags
    join(path, front, body)
    return f"tags {path.name}"


def edit_unit(site: Path, rng: random.Random) -> str:
    path = rng.choice(articles(site))
    front, body = split(path)
    if front.get("unit") and rng.random() < 0.3:
        del front["unit"]
    else:
        front["unit"] = rng.choice(["Văn phòng Sở", "Phòng Quản lý du lịch",
                                    "Hiệp hội Du lịch Ninh Bình"])
    join(path, front, body)
    return f"unit {path.name}"


def edit_picture(site: Path, rng: random.Random) -> str:
    """An article's picture (``image``) moved to another bundle's photo, or taken off."""
    path = rng.choice([p for p in articles(site) if p.name == "index.md"])
    front, body = split(path)
    photos = sorted(q.name for q in path.parent.iterdir()
                    if q.suffix.lower() in (".jpg", ".png", ".svg"))
    if front.get("image") and (rng.random() < 0.3 or not photos):
        del front["image"]
    elif photos:
        front["image"] = rng.choice(photos)
    join(path, front, body)
    return f"picture {path.name} {front.get('image')}"


def toggle_draft(site: Path, rng: random.Random) -> str:
    path = rng.choice(articles(site))
    front, body = split(path)
    front["draft"] = not front.get("draft", False)
    join(path, front, body)
    return f"draft {path.name}"


def add_article(site: Path, rng: random.Random) -> str:
    source = rng.choice([p for p in articles(site) if p.name != "index.md"])
    front, body = split(source)
    n = rng.randrange(10_000)
    front["title"] = f"Bài mới số {n} về phong trào thi đua"
    front.pop("slug", None)
    front.pop("aliases", None)
    path = source.with_name(f"bai-moi-{n}.md")
    join(path, front, body)
    return f"add {path.name}"


def delete_article(site: Path, rng: random.Random) -> str:
    path = rng.choice(articles(site))
    if path.name == "index.md":
        shutil.rmtree(path.parent)
    else:
        path.unlink()
    return f"delete {path.name}"


def rename_article(site: Path, rng: random.Random) -> str:
    path = rng.choice([p for p in articles(site) if p.name != "index.md"])
    path.rename(path.with_name(f"doi-ten-{rng.randrange(1000)}-{path.name}"))
    return f"rename {path.name}"


def change_static(site: Path, rng: random.Random) -> str:
    extra = site / "static" / "files" / f"phu-luc-{rng.randrange(3)}.txt"
    if extra.exists():
        extra.unlink()
        return f"static - {extra.name}"
    extra.parent.mkdir(parents=True, exist_ok=True)
    extra.write_text(f"Phụ lục {rng.randrange(100)}\n", encoding="utf-8")
    return f"static + {extra.name}"


def change_photo(site: Path, rng: random.Random) -> str:
    """A bundle's photo added to its body, or its bytes replaced (turned, or another scene)."""
    from photos import phone_jpeg

    index = rng.choice([p for p in articles(site) if p.name == "index.md"])
    photo = index.parent / "anh-moi.jpg"
    orientation = rng.choice((1, 6))
    photo.write_bytes(phone_jpeg(640, 480, orientation=orientation, seed=rng.randrange(100)))
    text = index.read_text(encoding="utf-8")
    if "anh-moi.jpg" not in text:
        index.write_text(text + '\n![Ảnh mới](anh-moi.jpg "Chú thích ảnh mới")\n',
                         encoding="utf-8")
    return f"photo {index.parent.name} {orientation}"


CHANGES: tuple[Change, ...] = (edit_body, edit_body, edit_body, edit_title, edit_title, edit_date,
                               edit_date, edit_tags, edit_tags, edit_unit, edit_field,
                               edit_summary, edit_picture, toggle_draft, add_article,
                               delete_article, rename_article, change_static, change_photo)

#: A site's own head and card line (tests that reads are seen whatever the templates).
OWN = TESTS / "own_templates"


def own_templates(site: Path) -> None:
    """Give ``site`` a head and a card of its own (``tests/own_templates``), reading the
    site in unusual ways: the first three articles and their bodies, counts, each unit's
    count, each year's first article, a method of a taxonomy, the roll, the next change."""
    from sitegen.render.environment import theme_dir

    folder = site / "templates"
    folder.mkdir()
    shutil.copy(OWN / "_head_extra.html", folder / "_head_extra.html")
    card = (theme_dir() / "_card.html").read_text(encoding="utf-8")
    line = (OWN / "card_line.html").read_text(encoding="utf-8")
    (folder / "_card.html").write_text(card + line, encoding="utf-8")


@pytest.mark.parametrize(("seed", "processes", "own"),
                         [(1, False, False), (2, True, False), (3, True, False),
                          (4, False, True), (5, True, True)])
def test_incremental_builds_equal_clean_builds(seed: int, processes: bool, own: bool,
                                               tmp_path: Path, run_cli,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    if processes:  # pages rendered and written by two worker processes (sitegen.incremental.publish)
        monkeypatch.setenv("SITEGEN_MIN_PARALLEL", "0")
        monkeypatch.setenv("SITEGEN_JOBS", "2")
    monkeypatch.setattr(cards, "WORTH_FROM", 0)  # the cards kept between builds, however few
    rng = random.Random(seed)
    site = example_site(tmp_path / "site")
    if own:
        own_templates(site)
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--output", out).code == 0
    done = []
    for step in range(8):
        done.append(rng.choice(CHANGES)(site, rng))
        incremental = run_cli("build", "--site", site, "--output", out)
        fresh = tmp_path / f"clean-{step}"
        shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(".sitegen", "output"))
        clean = run_cli("build", "--site", fresh, "--output", fresh / "output", "--clean")
        assert incremental.code == clean.code, (done, incremental.err, clean.err)
        if clean.code == 0:
            assert snapshot(out) == snapshot(fresh / "output"), done
        shutil.rmtree(fresh)


# What other pages show of a page (its token, which the pages that read it compare) is listed by
# hand in sitegen.core.pages.shown_digest: a Page field it forgets would let an incremental
# build keep pages that show a stale value. Every field is either in that digest or named
# here, with the reason it may stay out.
NOT_SHOWN = {
    "body": "no template shows another page's body; the page's own is its body mark "
            "(sitegen.incremental.marks)",
    "derived": "the search's index keys: the search index keeps its own state",
    "title_key": "made from meta.title, which is in the digest",
    "subject_key": "made from meta.info.subject, which is in the digest",
    "pictures": "which photo files the body shows: made from the body, shown only by the page",
    "originals": "which photos' originals are published: files, keyed by their own digests",
}


def test_every_page_field_is_in_what_other_pages_show_or_named_as_not(tmp_path: Path) -> None:
    import dataclasses

    from sitegen.core.config import load_config
    from sitegen.core.pages import Page, shown_digest
    from sitegen.pipeline import BuildOptions, load_site

    config, _ = load_config(TESTS / "golden" / "site")
    page = next(p for p in load_site(config, BuildOptions(future=True)).site.articles
                if p.image and p.links)
    base = shown_digest(page)
    fields = {f.name for f in dataclasses.fields(Page)}
    assert NOT_SHOWN.keys() <= fields, "a field named here is no longer a Page field"
    for name in sorted(fields - NOT_SHOWN.keys()):
        value = getattr(page, name)
        if isinstance(value, tuple):
            other: object = (*value, "khác")
        elif isinstance(value, str):
            other = value + "-khác"
        else:
            other = None if value is not None else "khác"
        changed = dataclasses.replace(page, **{name: other})
        assert shown_digest(changed) != base, f"Page.{name} is not in shown_digest"
