"""The ``orbitlink`` command line: thin commands over the API (parse -> call -> render)."""
