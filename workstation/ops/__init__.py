"""Use cases shared by the window and the command line; each returns what it changed."""
