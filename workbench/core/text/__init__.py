"""Text: decoding, normalisation, word boundaries, letter folding, UTF-16 offsets.

Pure functions on strings; no storage and no Qt.
"""
