"""Import and export: the formats other tools read and write.

Exports stream article by article (a 10,000-article project never sits in memory);
imports check a whole input item (a JSON line, an .ann file, a task) before writing
anything, so each item is all-or-nothing and a bad one spares the rest. What maps to
what is described in docs/formats.md.
"""


class BadItem(ValueError):
    """One input item (a JSON line, a task) is not in the expected shape; says why."""
