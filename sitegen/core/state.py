"""SavedState: a value kept from one build to the next under one name; no IO here.

The seam between a stage that can use what an earlier build left (the output writer's
record of which files the output and its spare hold, a feature's index state) and the
layer that keeps it (:mod:`sitegen.incremental`, in ``.sitegen/`` or in ``serve``'s
memory). A stage given no SavedState does the same work without one: a build without the
cache is the same pipeline with nothing saved.
"""

from __future__ import annotations

from typing import Protocol


class SavedState(Protocol):
    """One named value kept between builds."""

    def load(self) -> object | None:
        """What the last build saved; None when nothing was saved or it cannot be trusted."""

    def save(self, value: object) -> None:
        """Keep ``value`` for the next build (a failure to keep it is not the build's)."""
