"""Who we call as: credential profiles (``profiles``), the OS keyring that keeps their secrets
(``credentials``), where a call goes and with which credentials (``resolve``), and whether the
server accepts them (``check``)."""
