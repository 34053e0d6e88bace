"""Plain domain: vocabulary, case model, code book, payer kinds, money and errors.

Imports nothing of ours, no Qt, no SQL, no PDF.
"""
