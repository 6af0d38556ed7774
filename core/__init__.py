"""The bottom layer: mechanisms several apps share (forms, dates, notes, cursors, references, working days).

It imports nothing of ours: Django, the standard library and pinned libraries only (docs/ARCHITECTURE.md).
"""
