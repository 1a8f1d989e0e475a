"""A number that stands for a text, the same in every process: the code of a short link
(``call/networks.short_code``) and the name of a page cache file (``pages/cache``).

It comes from Python's own seeded generator rather than from ``hashlib``.  Seeding with a string
hashes it with the SHA-512 built into the interpreter, and Python promises that ``random()`` gives
the same sequence for the same seed in every version ("Notes on Reproducibility",
https://docs.python.org/3/library/random.html).  ``hashlib`` would load OpenSSL into the window at
start-up for these two uses alone; CPython's own ``random`` module avoids it for the same reason.
"""

from __future__ import annotations

import random

#: how many bits a fingerprint has: two draws, of 53 bits each (a double's mantissa)
BITS = 106


def fingerprint(text: str) -> int:
    """A ``BITS``-bit number for ``text``; different texts almost surely get different numbers."""
    draw = random.Random(text).random
    return int(draw() * 2**53) << 53 | int(draw() * 2**53)
