"""Test plans: many shares run at once, each against the outcome it is expected to have.

``plan.py`` reads and writes plan files and expands their cases over a CSV file's rows;
``expectation.py`` compares a result with what a case expects; ``runner.py`` publishes cases
concurrently through :mod:`composer.core.publishing` and records each in the history, tagged with
its plan and case; ``junit.py`` writes the JUnit XML report that CI reads.
"""
