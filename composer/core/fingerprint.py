"""A number that stands for a text, the same in every process: the code of a short link
(``call/networks.short_code``) and the name of a page cache file (``pages/cache``).

It comes from Python's own seeded generator rather than from ``hashlib``, which would load
OpenSSL into the window at start-up for these two uses alone (CPython's ``random`` avoids it for
the same reason).  Seeding with a string (version 2) hashes it with CPython's own SHA-512, and the
``random`` documentation promises, under "Notes on Reproducibility"
(https://docs.python.org/3/library/random.html), that "the generator's random() method will
continue to produce the same sequence when the compatible seeder is given the same seed".  So the
number is built from ``random()`` alone, not from ``getrandbits``, whose sequence is not promised.
It tells texts apart, as a hash does; it is no defence against texts chosen to collide.
"""

from __future__ import annotations

import random

#: how many bits a fingerprint has at most: two draws of random(), 53 bits each (a double's
#: mantissa, so each draw times 2**53 is a whole number)
BITS = 106


def fingerprint(text: str) -> int:
    """A number of at most ``BITS`` bits for ``text``; different texts almost surely differ."""
    generator = random.Random()
    generator.seed(text, version=2)
    return int(generator.random() * 2**53) << 53 | int(generator.random() * 2**53)
