"""The linked page as networks read it: fetched with a GET (fetch.py), its Open Graph and Twitter
Card tags (tags.py), kept for a while in memory and on disk (cache.py), and the link card each
network builds from it together with the userAction (cards.py)."""
