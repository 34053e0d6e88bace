"""The window: thin Qt views over ops. The only package that imports PySide6."""
