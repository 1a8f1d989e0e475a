"""Saves a large draft over and over, alternating two versions, until it is killed.

tests/end2end/test_nothing_lost.py SIGKILLs this process at random moments and checks that the file on
disk is always one whole version, never a mix or a truncated one.
Usage: ``python tests/helpers/nothing_lost_saver.py PATH`` (prints ``READY`` once it starts saving).
"""

from __future__ import annotations

import sys

#: about 1.4 MB per file: big enough that a kill often lands mid-write, under the 2 MB draft limit
BODY_CHARS = 700_000


def version(tag: str):  # noqa: ANN201 - PublishCall
    from composer.core.call.model import PublishCall, UserAction

    return PublishCall(
        UID=f"uid-{tag}",
        userAction=UserAction(
            title=f"version {tag}",
            linkBack="https://example.com/",
            description=(tag * BODY_CHARS),
            userMessage=("é" if tag == "A" else "ü") * (BODY_CHARS // 2),
        ),
        cid=f"cid-{tag}",
    )


def main() -> int:
    from composer.core.call.draft import save_draft

    path = sys.argv[1]
    versions = [version("B"), version("A")]  # the test writes A before starting us
    print("READY", flush=True)
    i = 0
    while True:
        save_draft(path, versions[i % 2])
        i += 1


if __name__ == "__main__":
    sys.exit(main())
