"""sitegen: the static-site generator of the Ninh Bình Department of Tourism's propaganda pages.

Markdown articles with YAML front matter in, a dated, tagged static site out.
The pipeline is in :mod:`sitegen.pipeline`.
"""

__version__ = "0.1.0"
