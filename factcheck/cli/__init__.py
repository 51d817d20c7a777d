"""The command line: a thin layer that parses, calls the library and prints.

Each module here is a sub-app with a `register(app)` function; `main` finds them.
"""
