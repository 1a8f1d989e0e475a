"""The frozen app's entry point: the same ``composer`` command as the installed package's."""

from composer.cli import main

raise SystemExit(main())
