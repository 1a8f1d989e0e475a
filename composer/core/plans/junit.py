"""The JUnit XML report CI servers read: one ``testsuite`` (``tests``, ``failures``, ``errors``,
``time``) with a ``testcase`` per case; a case that failed has a ``failure`` whose message shows
expected against got, a case that could not run has an ``error``.

There is no formal schema; this follows the format as Jenkins and the other CI servers read it,
described at https://github.com/testmoapp/junitxml (the ``testsuites`` root with one suite per plan).
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

from composer.core.plans.runner import ERROR, FAILED, Summary
from composer.core.storage.files import atomic_write

#: characters XML 1.0 cannot hold at all (https://www.w3.org/TR/xml/#charsets); a server's answer
#: quoted in a message may carry them
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def junit_xml(summary: Summary) -> str:
    counts = {
        "tests": str(len(summary.results)),
        "failures": str(summary.count(FAILED)),
        "errors": str(summary.count(ERROR)),
        "time": f"{summary.seconds:.3f}",
    }
    root = ElementTree.Element("testsuites", {"name": _clean(summary.plan), **counts})
    suite = ElementTree.SubElement(root, "testsuite", {"name": _clean(summary.plan), **counts})
    for result in summary.results:
        case = ElementTree.SubElement(
            suite, "testcase", {"name": _clean(result.name), "classname": _clean(summary.plan), "time": f"{result.seconds:.3f}"}
        )
        if result.verdict == FAILED:
            message = f"expected {result.expected}, got {result.got}"
            failure = ElementTree.SubElement(case, "failure", {"message": _clean(message), "type": "expectation"})
            failure.text = _clean("\n".join(result.mismatches))
        elif result.verdict == ERROR:
            error = ElementTree.SubElement(case, "error", {"message": _clean(result.error), "type": "could not run"})
            error.text = _clean(result.error)
        if result.history_id is not None:
            out = ElementTree.SubElement(case, "system-out")
            out.text = f"history entry {result.history_id}"
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def write_junit(summary: Summary, path: str | Path) -> None:
    atomic_write(Path(path), junit_xml(summary), mode=None)
