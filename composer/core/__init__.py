"""The Qt-free core: everything that is not a widget.

- ``call``: the call as data (``PublishCall``), drafts, validation, previews as data, field docs.
- ``twitter``: Twitter's weighted character count (twitter-text v3) and its list of domains.
- ``wire``: Gigya's endpoint, request signing and the HTTP client.
- ``accounts``: credential profiles and the OS keyring that keeps their secrets.
- ``storage``: where the app keeps its files, and the history of publish attempts.
- ``contract``: the constants of Gigya's contract, defined once.
- ``fingerprint``: a number that stands for a text, the same in every process.
- ``publishing``: one publish from a profile name to a history row, for the window and the CLI.

Nothing in this package imports Qt (a test proves it).
"""
