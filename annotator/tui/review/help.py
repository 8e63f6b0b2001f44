"""The `?` screen of review mode: the editor's help screen with review's own table."""

from __future__ import annotations

from annotator.core.schema import LabelSchema
from annotator.tui.keymap import HelpRow, KeysFor, table_keys
from annotator.tui.review.keymap import review_help_sections
from annotator.tui.screens.help import HelpScreen


class ReviewHelpScreen(HelpScreen):
    heading = "Review keys"

    def __init__(self, schema: LabelSchema, annotators: tuple[str, ...], read_only: bool,
                 keys_for: KeysFor = table_keys) -> None:
        super().__init__(schema, keys_for)
        self.annotators = annotators
        self.read_only = read_only

    def sections(self) -> list[tuple[str, list[HelpRow]]]:
        return review_help_sections(self.schema, self.annotators, self.read_only,
                                    self.keys_for)
