"""Where the default theme is. [IO: one stat]

Apart from the Jinja environment (:mod:`sitegen.render.environment`), so that the build's
stamp (:mod:`sitegen.incremental.stamp`) names the theme without importing Jinja.
"""

from __future__ import annotations

from pathlib import Path


def theme_dir() -> Path:
    """The default theme shipped with sitegen (the repository's top-level ``templates/``).

    Installed, it is the package ``sitegen/theme``; in a checkout (or an editable
    install) it is ``templates/`` beside the package.
    """
    here = Path(__file__).resolve().parent.parent  # the sitegen package
    installed = here / "theme"
    return installed if (installed / "base.html").is_file() else here.parent / "templates"
