"""Core logic: storage, import, text handling. Nothing below this package imports Qt."""
