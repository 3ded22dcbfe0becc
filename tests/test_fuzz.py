"""Fuzzing: whatever a writer's file holds, the build raises only its own errors, naming the file."""

from __future__ import annotations

import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.core.config import load_config
from sitegen.core.errors import SitegenError
from sitegen.pipeline import BuildOptions, render

MINIMAL = "title: Thử\nbase_url: https://example.gov.vn/\n"
KEYS = ["title", "date", "updated", "summary", "tags", "unit", "field", "author", "image",
        "image_alt", "slug", "draft", "aliases", "lang", "subject", "subject_kind", "position",
        "awards", "launched_by", "start", "end", "event", "event_date", "calendar", "number",
        "issued", "issuer", "file", "tittle"]
SECTIONS = ["guong-dien-hinh", "phong-trao-thi-dua", "ngay-ky-niem", "tin-tuc", "van-ban", "pages"]

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
vietnamese = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩị"
                              "òóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐ :-/#*[]()<>\"'.\\", max_size=40)
scalar = st.one_of(text, vietnamese, st.integers(), st.floats(allow_nan=True), st.booleans(),
                   st.none(), st.dates().map(str),
                   st.sampled_from(["2024-06-05", "2024-02-30", "11/06/2023", "0000-01-01",
                                    "9999-12-31T23:59:59+14:00", "ca-nhan", "lunar", "../../x",
                                    "/etc/passwd", "C:\\x", "javascript:alert(1)"]))
value = st.recursive(scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from([*KEYS, "name", "year", "decision"]),
                                                 inner, max_size=4)), max_leaves=8)
front = st.dictionaries(st.sampled_from(KEYS), value, max_size=10)
body = st.lists(st.one_of(vietnamese, text, st.sampled_from([
    "# Tiêu đề", "![](anh.png)", "[x](../tin-tuc/khong.md)", "<script>x</script>", "| a |\n|---|",
    "> trích", "- a\n  - b", "[^1]\n\n[^1]: chú thích", "<iframe src=x>", "```\ncode\n```",
    "*" * 50, "[" * 30])), max_size=6).map("\n\n".join)
name = st.text(alphabet=string.ascii_lowercase + string.digits + "-_. đĐ", min_size=1,
               max_size=20).filter(lambda n: n not in (".", ".."))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(files=st.lists(st.tuples(st.sampled_from(SECTIONS), name, front, body,
                                st.sampled_from(["", "\ufeff"]), st.booleans()),
                      min_size=1, max_size=4))
def test_no_input_raises_anything_but_sitegen_errors(tmp_path_factory, files) -> None:
    site = tmp_path_factory.mktemp("fuzz")
    (site / "config.yaml").write_text(MINIMAL, encoding="utf-8")
    written: list[str] = []
    for section, stem, meta, text_body, bom, crlf in files:
        folder = site / "content" / section
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{stem}.md"
        try:
            fm = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        except yaml.YAMLError:
            continue
        data = f"{bom}---\n{fm}---\n{text_body}\n"
        if crlf:
            data = data.replace("\n", "\r\n")
        try:
            path.write_text(data, encoding="utf-8", errors="surrogateescape")
        except (OSError, UnicodeEncodeError):
            continue
        written.append(path.relative_to(site).as_posix())
    config, _ = load_config(site)
    try:
        render(config, BuildOptions(), parallel=False)
    except SitegenError as exc:
        problems = getattr(exc, "problems", ())
        assert problems, "an error without problems"
        for p in problems:
            assert p.path, p
            assert p.message, p
    # Anything else (KeyError, TypeError, …) fails the test with its traceback.


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_a_clear_error_or_a_page(tmp_path_factory, raw: bytes) -> None:
    site: Path = tmp_path_factory.mktemp("bytes")
    (site / "config.yaml").write_text(MINIMAL, encoding="utf-8")
    (site / "content" / "tin-tuc").mkdir(parents=True)
    (site / "content" / "tin-tuc" / "a.md").write_bytes(b"---\ntitle: A\ndate: 2024-01-01\n" + raw)
    config, _ = load_config(site)
    try:
        render(config, BuildOptions(), parallel=False)
    except SitegenError as exc:
        assert any(p.path == "content/tin-tuc/a.md" for p in getattr(exc, "problems", ()))
