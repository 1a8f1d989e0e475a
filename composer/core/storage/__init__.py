"""Where the app keeps its files, how it writes them, and the history of publish attempts."""
