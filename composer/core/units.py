"""Sizes in bytes, as the code sets them and as people read them.

A megabyte here is 2**20 bytes (:data:`MB`): every size limit of the app is set in it, so each
reads back as the whole number it was set to ("5 MB").  A size compared with a limit is said in
bytes, exactly, beside the limit's own bytes: a rounded figure could read as equal to the limit
it breaks.
"""

from __future__ import annotations

#: a megabyte as the app's limits are set and said (2**20 bytes)
MB = 2**20


def megabytes(size: int) -> str:
    """A size limit as people read it: "2 MB", "16 MB", "1.5 MB"."""
    return f"{size / MB:g} MB"


def byte_count(size: int) -> str:
    """A size exactly, with the thousands marked: "5,263,360 bytes"."""
    return f"{size:,} bytes"


def byte_limit(size: int) -> str:
    """A limit that a size is compared with: its exact bytes, then its megabytes,
    "5,242,880 bytes (5 MB)"."""
    return f"{byte_count(size)} ({megabytes(size)})"
