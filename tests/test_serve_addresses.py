"""Where serve sends a request for an address an article left (sitegen.commands.addresses):
the moves a build makes, followed through later ones, and the URL below the same root."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sitegen.commands.addresses import gone_after, location, moved

A, B, C = "tin-tuc/2025/03/a/index.html", "tin-tuc/2025/03/b/index.html", "tin-tuc/2025/03/c/index.html"
SRC = "content/tin-tuc/a.md"


def test_a_move_is_noted_and_followed_through_a_second_one() -> None:
    gone = gone_after({}, {SRC: A}, {SRC: B})
    assert gone == {A: SRC}
    assert moved(gone, {SRC: B}, {B}) == {A: B}
    gone = gone_after(gone, {SRC: B}, {SRC: C})
    assert moved(gone, {SRC: C}, {C}) == {A: C, B: C}  # both old addresses lead to the last


def test_an_address_served_again_or_a_target_not_served_is_not_redirected() -> None:
    gone = gone_after(gone_after({}, {SRC: A}, {SRC: B}), {SRC: B}, {SRC: A})  # put back
    assert moved(gone, {SRC: A}, {A}) == {B: A}  # A is served again; B leads back to it
    assert moved(gone, {SRC: A}, set()) == {}  # the article is gone (an error, removed)
    assert gone_after({}, {SRC: A}, {SRC: A, "content/tin-tuc/new.md": B}) == {}  # new: no move


SEGMENT = st.text(alphabet="abcdeđ0123-", min_size=1, max_size=8)
PATHS = st.lists(SEGMENT, min_size=1, max_size=4).map(lambda parts: "/".join(parts))


@given(root=st.sampled_from(["/", "/tuyen-truyen/", "/a/b/"]), old=PATHS, new=PATHS,
       index=st.booleans())
def test_the_new_address_keeps_the_root_and_the_form_of_the_request(
        root: str, old: str, new: str, index: bool) -> None:
    key, target = f"{old}/index.html", f"{new}/index.html"
    asked = root + (key if index else f"{old}/")
    assert location(asked, key, target) == root + (target if index else f"{new}/")


def test_a_request_in_another_form_goes_to_the_new_folder_from_the_root() -> None:
    assert location("/tin-tuc/2025/03/a", A, B) == "/tin-tuc/2025/03/b/"
