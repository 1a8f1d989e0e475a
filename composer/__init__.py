"""composer: compose, preview and publish Gigya socialize.publishUserAction shares."""

__version__ = "0.1.0"
