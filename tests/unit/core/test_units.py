"""Sizes written for people: a limit reads as the megabytes it was set to, a size compared with it
in exact bytes."""

from __future__ import annotations

import pytest

from composer.core import units


@pytest.mark.parametrize(("size", "said"), [(2 * 1024 * 1024, "2 MB"), (16 * 2**20, "16 MB"), (3 * 2**19, "1.5 MB"), (512 * 2**20, "512 MB")])
def test_a_size_limit_reads_as_the_megabytes_it_was_set_to(size, said):
    assert units.megabytes(size) == said


def test_a_limit_is_said_in_exact_bytes_then_megabytes():
    assert units.byte_limit(5 * units.MB) == "5,242,880 bytes (5 MB)"
    assert units.byte_count(5 * units.MB + 20 * 1024) == "5,263,360 bytes"
