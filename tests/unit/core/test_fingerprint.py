"""The fingerprint behind short-link codes and page cache names: the same in every process and
every Python (a preview and the sandbox must agree, and cache files outlive an upgrade)."""

import subprocess
import sys

from composer.core.fingerprint import BITS, fingerprint

URL = "https://example.com/a"


def test_the_same_text_gets_the_same_number_in_another_process():
    out = subprocess.run([sys.executable, "-c", f"from composer.core.fingerprint import fingerprint; print(fingerprint({URL!r}))"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) == fingerprint(URL)


def test_the_number_is_the_one_python_promises_for_this_seed():
    # random() for a seed is documented to stay the same across Python versions: a change here means
    # every short code and cache name changed with it
    assert fingerprint(URL) == 62236549692554501501556592721118


def test_texts_get_different_numbers_of_BITS_bits():
    numbers = {fingerprint(f"{URL}?page={n}") for n in range(10_000)}
    assert len(numbers) == 10_000
    assert all(0 <= n < 2**BITS for n in numbers)
    assert max(numbers).bit_length() > BITS - 8  # the high bits are used too
