"""The Qt-free core: the call as data, drafts, validation, previews, signing, the HTTP client, the
sandbox server, credentials, history.  Nothing in this package may import Qt (a test proves it)."""
