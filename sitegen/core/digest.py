"""The one digest sitegen keeps of bytes: a file's, a body's, an index file's, a cached
text's; pure.

BLAKE2b with 16 bytes, as hex: any change of the bytes changes it, and it is short enough
to keep by the thousand. Digests that combine several inputs (the read key, the base
signature, a read's value, the input stamp) are made where their inputs are listed.
"""

from __future__ import annotations

import hashlib


def digest(data: bytes) -> str:
    """The digest of ``data``: 32 hex digits."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
