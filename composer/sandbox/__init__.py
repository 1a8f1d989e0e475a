"""The built-in sandbox server: a stand-in for Gigya's ``socialize.publishUserAction``.

A server program of its own, Qt-free, built on the core's call model and signing:

- ``scenario``: the demo sites, keys and users, read from a JSON file.
- ``service``: what the service answers to a call (checks, fan-out, records), as data.
- ``rendering``: the answer as JSON, JSONP or XML.
- ``server``: HTTP on a port, routing requests to the service, refusing what is not HTTP it serves.
- ``builtin``: the one in-process server the Sandbox profile publishes to.

Its command line is ``composer sandbox`` (:mod:`composer.commands.sandbox`).
"""
