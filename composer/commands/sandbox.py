"""Run the built-in sandbox server: it speaks the same contract as Gigya's, with demo users for
every outcome, and records what each provider received (GET /sandbox/posts)."""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    from composer.core.sandbox import add_arguments

    add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from composer.core.sandbox import main_sandbox

    return main_sandbox(args)
