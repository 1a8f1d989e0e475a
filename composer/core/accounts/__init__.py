"""Who we call as: credential profiles, and the OS keyring that keeps their secrets."""
