"""The window's logic, as small controllers composed by :class:`WindowController`.

Each controller is given the window through a typed view interface (a ``Protocol`` in its module)
and the few other objects it needs; views hold layout, controllers decide.
"""
