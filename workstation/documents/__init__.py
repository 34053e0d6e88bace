"""Letters and packets: Jinja (sandboxed) -> letter markup -> reportlab -> PDF. No Qt, no SQL.

Built by the letters issue; the package exists now so the layer contracts hold from day one.
"""
