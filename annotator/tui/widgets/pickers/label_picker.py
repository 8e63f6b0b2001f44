"""Pick a layer's labels for the current sentence: type to filter, Enter to choose.

One picker for every layer labels.yaml declares, behaving as the layer's kind says:
a single layer is a one-choice list (choosing closes it; the current label again, or
"(no ...)", clears it); a multi layer a checklist; an entity layer searches names and
aliases (exact, then prefix, word and fuzzy matches; speakers of this article first on
ties). The filter clears after each toggle, so the next name starts afresh. When nothing
matches exactly, a last option opens a form to create the entity (name, kind, aliases):
Enter on a filter that matches picks the match, and never creates anything.

Escape followed at once by a key arrives as alt+key (the terminal cannot tell them
apart within ESCDELAY): the picker closes and hands the key to the screen below.

A modal screen, so while its Input has focus no annotate key (f, s, q...) can fire:
the screen below is not in the binding chain at all. Each toggle is a session command
(saved at once, undoable one by one); the picker only shows the result.

Driven by a TagTarget (target.py), so the review screen can reuse it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from annotator.core.errors import AnnotatorError
from annotator.core.schema import Entity, Label, Layer, normalise_name
from annotator.tui.safe_text import one_line, visible
from annotator.tui.target import TagTarget
from annotator.tui.widgets.pickers.entity_form import EntityForm, NewEntity
from annotator.tui.widgets.sentences.layout import wrap_ranges

NEW = "\x00new"  # option ids no label can have (ids are lowercase ascii)
NONE = "\x00none"
MAX_OPTIONS = 40  # rows built per key; more are counted, not drawn
PREVIEW_WIDTH = 66  # the dialog's inner width

_HINTS = {
    "single": "type to filter · ↑↓ move · enter set (again: clear) · esc cancel",
    "multi": "type to filter · ↑↓ move · enter toggle · tab list · esc done",
    "entity": "type to filter · ↑↓ move · enter toggle · tab list · esc done",
}


def preview(text: str, width: int = PREVIEW_WIDTH, lines: int = 3) -> str:
    """The sentence cut to a few lines, with an ellipsis when it goes on."""
    shown = visible(text)
    ranges = wrap_ranges(shown, width)
    if len(ranges) <= lines:
        return shown
    return shown[: ranges[lines - 1][1]].rstrip() + " …"


def label_matches(query: str, label: Label) -> bool:
    """Every word of the query appears in the label's name, id or key (accents folded)."""
    words = normalise_name(query).split()
    haystack = normalise_name(f"{label.name} {label.id} {label.key or ''}")
    return all(word in haystack for word in words)


class LabelPicker(ModalScreen[bool]):
    """Returns True when it changed anything (the caller redraws the sentence)."""

    DEFAULT_CSS = """
    LabelPicker {
        align: center middle;
        background: $background 60%;
    }
    LabelPicker > #dialog {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        border-title-color: $text;
        background: $surface;
        padding: 0 1;
    }
    LabelPicker #sentence {
        max-height: 3;
        color: $text-muted;
        margin-bottom: 1;
    }
    LabelPicker Input { margin: 0; background: $boost; }
    LabelPicker OptionList {
        height: auto;
        max-height: 14;
        border: none;
        padding: 0;
    }
    LabelPicker #hint { color: $text-muted; height: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Done", id="picker.close"),
        Binding("down", "move('cursor_down')", "Down", show=False, id="picker.down"),
        Binding("up", "move('cursor_up')", "Up", show=False, id="picker.up"),
        Binding("pagedown", "move('page_down')", "Page down", show=False, id="picker.page_down"),
        Binding("pageup", "move('page_up')", "Page up", show=False, id="picker.page_up"),
        # Reaches the screen only when the list has focus: the Input takes a typed space.
        Binding("space", "choose", "Toggle", show=False, id="picker.toggle"),
    ]

    def __init__(self, target: TagTarget, layer: str) -> None:
        super().__init__()
        declared = target.schema.layer_of(layer)
        if declared is None:
            raise ValueError(f"unknown layer {layer!r}")
        self.target = target
        self.tag_layer: Layer = declared
        self.changed = False
        # Speakers already tagged in this article: they win ties in the ranking.
        self.used: frozenset[str] = frozenset(
            label for index in range(len(target.sentences))
            for label in target.tags(index).get(layer)) if declared.entity else frozenset()

    def compose(self) -> ComposeResult:
        sentence = self.target.current
        with Vertical(id="dialog") as dialog:
            number = f" for sentence {sentence.index + 1}" if sentence else ""
            dialog.border_title = f"{self.tag_layer.title}{number}"
            yield Static(Text(preview(sentence.text) if sentence else ""), id="sentence",
                         markup=False)
            yield Input(placeholder=self._placeholder(), id="query", compact=True)
            yield OptionList(id="options", markup=False)
            yield Static(_HINTS.get(self.tag_layer.kind, _HINTS["multi"]), id="hint", markup=False)

    def _placeholder(self) -> str:
        if self.tag_layer.entity:
            return "name or alias"
        return "type to filter"

    def on_mount(self) -> None:
        self._accept_suggestions()
        self._rebuild()
        self.query_one(Input).focus()

    # ----- options ------------------------------------------------------------------
    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)

    def _selected(self) -> list[str]:
        return list(self.target.tags().get(self.tag_layer.id))

    def _matching(self, query: str) -> tuple[list[Label], int]:
        """The first MAX_OPTIONS matches (what is chosen or mentioned first, on an empty
        query) and how many there are: a layer of 100,000 speakers shows one page."""
        schema = self.target.schema
        layer = self.tag_layer.id
        if not self.tag_layer.entity:
            labels = [label for label in schema.layer(layer) if label_matches(query, label)]
            return labels[:MAX_OPTIONS], len(labels)
        if query.strip():
            found = schema.entity_index(layer).search(query, self.used, MAX_OPTIONS)
            return found.labels, found.total
        index = schema.entity_index(layer)
        chosen = sorted(filter(None, (schema.get(layer, label_id)
                                      for label_id in self._selected())), key=index.labels.index)
        mentioned = filter(None, (schema.get(layer, label_id) for label_id in self._mentioned()))
        labels = list({label.id: label for label in (*chosen, *mentioned)}.values())
        first = {label.id for label in labels}
        found = index.search("", self.used, MAX_OPTIONS + len(labels))
        labels += [label for label in found.labels if label.id not in first]
        return labels[:MAX_OPTIONS], found.total

    def _accept_suggestions(self) -> None:
        """Speakers suggested for an untagged sentence open ticked: accepting them is one
        command (u undoes it); untick what is wrong."""
        accept = getattr(self.target, "accept_suggestions", None)
        pending = getattr(self.target, "pending", None)
        if accept is None or pending is None or not self.tag_layer.entity:
            return
        if any(s.layer == self.tag_layer.id for s in pending()):
            try:
                accept(move=False)
            except (AnnotatorError, OSError) as exc:
                self.notify(str(exc), title="Not changed", severity="error", markup=False)
                return
            self.changed = True

    def _mentioned(self) -> list[str]:
        """Entities the sentence names without a pattern: first in the list, unticked."""
        suggestions = getattr(self.target, "suggestions", None)
        if suggestions is None or not self.tag_layer.entity:
            return []
        return [s.label for s in suggestions() if s.layer == self.tag_layer.id and not s.pattern]

    def _rebuild(self) -> None:
        query = self.query_one(Input).value
        selected = self._selected()
        schema = self.target.schema
        layer = self.tag_layer
        labels, total = self._matching(query)
        if not query.strip() and not layer.entity:  # what is chosen comes first
            chosen = set(selected)
            labels.sort(key=lambda label: label.id not in chosen)
        options: list[Option] = []
        words = normalise_name(query).split()
        for label_id in selected:  # unknown labels stay visible so they can be removed
            if not schema.has(layer.id, label_id) and all(w in label_id for w in words):
                options.append(Option(Content.assemble(
                    ("✓ ", "$success"), (f"{one_line(label_id)}?", "bold $error"),
                    ("  not in labels.yaml", "$text-muted")), id=label_id))
        for label in labels:
            options.append(Option(self._prompt(label, label.id in selected), id=label.id))
        if total > len(labels):
            options.append(Option(Content.assemble(
                (f"  … {total - len(labels):,} more: keep typing", "italic $text-muted")),
                disabled=True))
        if layer.single and selected and not query.strip():
            options.append(Option(Content.assemble((f"  (no {one_line(layer.noun)})",
                                                    "italic")), id=NONE))
        if layer.entity and query.strip() and schema.resolve(layer.id, query) is None:
            name = " ".join(query.split())
            options.append(Option(Content.assemble(
                ("+ ", "$success"), (f"New {one_line(layer.noun)} ", "italic"),
                (f"“{one_line(name)}”…", "bold"), ("  (asks name, kind, aliases)",
                                                    "$text-muted")), id=NEW))
        option_list = self.options
        previous = option_list.highlighted_option
        option_list.set_options(options)
        if previous is not None and previous.id is not None:
            ids = [option.id for option in options]
            if previous.id in ids and not query.strip():
                option_list.highlighted = ids.index(previous.id)
                return
        option_list.highlighted = 0 if options else None

    def _prompt(self, label: Label, chosen: bool) -> Content:
        mark = ("✓ " if chosen else "  ", "$success")
        parts: list[str | tuple[str, str]] = [mark, (one_line(label.name), "bold" if chosen else "")]
        if label.key:
            parts.append((f"  {one_line(label.key)}", "$accent"))
        if isinstance(label, Entity) and label.aliases:
            aliases = ", ".join(one_line(alias) for alias in label.aliases[:4])
            parts.append((f"  {aliases}", "$text-muted"))
        elif label.description:
            parts.append((f"  {one_line(label.description)}", "$text-muted"))
        return Content.assemble(*parts)

    # ----- events -------------------------------------------------------------------
    @on(Input.Changed)
    def _query_changed(self) -> None:
        self._rebuild()

    @on(Input.Submitted)
    def _query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    @on(OptionList.OptionSelected)
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.choose(event.option.id)

    def action_move(self, action: str) -> None:
        getattr(self.options, f"action_{action}")()

    def action_choose(self) -> None:
        option = self.options.highlighted_option
        if option is not None and option.id is not None:
            self.choose(option.id)

    def action_close(self) -> None:
        self.dismiss(self.changed)

    def on_key(self, event: events.Key) -> None:
        """alt+j is Escape then j typed quickly: close, and j goes to the sentence view."""
        key = event.key
        if key.startswith("alt+") and len(key) > 4 and "+" not in key[4:]:
            event.stop()
            event.prevent_default()
            self.dismiss(self.changed)
            self.app.simulate_key(key[4:])

    def _create(self, query: str) -> None:
        """The explicit step: a form asks name, kind and aliases; then one command
        creates the entity and tags the sentence (one undo takes both back)."""
        layer = self.tag_layer
        self.app.push_screen(EntityForm(layer.title, query, destination=self._destination()),
                             self._created)

    def _destination(self) -> str:
        annotator = getattr(self.target, "annotator", None)
        return f"annotations/{annotator}/_speakers.yaml" if annotator else ""

    def _created(self, answer: NewEntity | None) -> None:
        if answer is None:
            self.query_one(Input).focus()
            return
        layer = self.tag_layer
        try:
            edit = self.target.create_and_tag(layer.id, answer.name, answer.kind, answer.aliases)
        except (AnnotatorError, OSError) as exc:
            self.notify(str(exc), title="Not created", severity="error", markup=False,
                        timeout=8)
            return
        entity_id = edit.created[1].id if edit.created else ""
        self.notify(f"{answer.name} ({entity_id}) created (u undoes it)", markup=False)
        self.changed = True
        self._clear_filter()

    def _clear_filter(self) -> None:
        """After a toggle the next name starts from an empty filter (Changed rebuilds)."""
        query = self.query_one(Input)
        if query.value:
            query.value = ""
        else:
            self._rebuild()
        query.focus()

    def choose(self, option_id: str) -> None:
        """Apply one option as a session command; errors are shown and the picker stays."""
        target = self.target
        layer = self.tag_layer
        try:
            if option_id == NEW:
                self._create(self.query_one(Input).value)
                return
            if layer.single:
                current = target.tags().first(layer.id)
                target.set_labels(layer.id, None if option_id in (NONE, current) else option_id)
                self.changed = True
                self.dismiss(True)
                return
            target.toggle_label(layer.id, option_id)
        except (AnnotatorError, OSError) as exc:  # OSError: labels.yaml not writable...
            self.notify(str(exc), title="Not changed", severity="error", markup=False,
                        timeout=8)
            return
        self.changed = True
        self._clear_filter()
