"""Persistence: case files, the workspace and its index. The only layer that touches SQLite."""
