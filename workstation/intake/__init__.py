"""Remittance readers: 835 ERA and CSV files -> core objects. The only place that imports an X12 library.

Built by the intake issue; the package exists now so the layer contracts hold from day one.
"""
