"""The two one-line bars: where you are (top) and what the current sentence says (bottom).

Both are Static widgets updated with rich Text and `layout=False`: their size never
changes, and skipping the layout pass keeps a key press cheap. Titles, names and
notes go through `one_line` and into Text, never into markup.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from annotator.core.schema import LabelSchema
from annotator.core.tags import SentenceTags
from annotator.tui.safe_text import fit, one_line
from annotator.tui.widgets.bar import Bar
from annotator.tui.widgets.sentences.layout import chip_prefix


class StatusBar(Bar):
    """Article title on the left; sentence, progress, corpus and annotator on the right."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._state: dict[str, object] = {}

    def show(self, *, annotator: str, title: str | None, position: tuple[int, int] | None,
             progress: tuple[int, int] | None, corpus: tuple[int, int] | None,
             flag: str | None = None, extra: str | None = None) -> None:
        self._state = {"annotator": annotator, "title": title, "position": position,
                       "progress": progress, "corpus": corpus, "flag": flag, "extra": extra}
        self.update(self._compose_text(self.size.width or 80), layout=False)

    def on_resize(self) -> None:
        if self._state:
            self.update(self._compose_text(self.size.width), layout=False)

    def _compose_text(self, width: int) -> Text:
        state = self._state
        parts: list[tuple[int, str, str]] = []  # (priority: lower goes first, text, style)
        position = state.get("position")
        progress = state.get("progress")
        corpus = state.get("corpus")
        if isinstance(position, tuple):
            parts.append((0, f"sentence {position[0]}/{position[1]}", "bold"))
        if isinstance(progress, tuple):
            done, total = progress
            parts.append((1, f"✓ {done}/{total}", "green" if total and done >= total else ""))
        if isinstance(corpus, tuple) and corpus[1]:
            parts.append((3, f"corpus {100 * corpus[0] // corpus[1]}%", "dim"))
        if state.get("extra"):  # review: gold's coverage of the tagged sentences
            parts.append((1, str(state["extra"]), ""))
        parts.append((2, str(state.get("annotator", "")), "italic"))
        if state.get("flag"):
            parts.insert(0, (0, str(state["flag"]), "bold red"))
        min_title = 12
        while parts and width - sum(cell_len(t) + 3 for _, t, _ in parts) - 1 < min_title:
            drop = max(range(len(parts)), key=lambda n: parts[n][0])
            if parts[drop][0] == 0:
                break
            parts.pop(drop)
        right = Text()
        for _priority, text, style in parts:
            right.append(" │ ", "dim")
            right.append(text, style)
        right.append(" ")
        title = one_line(str(state.get("title") or "no article open"))
        out = Text(" ")
        out.append(fit(title, max(width - right.cell_len - 1, 1)), "bold")
        out.append_text(right)
        out.truncate(width)
        return out


class TagSummary(Static):
    """The current sentence's tags in full (names, note), or what keys would tag it."""

    DEFAULT_CSS = """
    TagSummary {
        height: 1;
        background: $boost;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        padding: 0 1;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]

    def show_tags(self, tags: SentenceTags, schema: LabelSchema, *, auto_not_content: bool | str,
                  hint: Text | None = None) -> None:
        self.update(describe_tags(tags, schema, auto_not_content=auto_not_content, hint=hint),
                    layout=False)

    def show_text(self, text: str, style: str = "") -> None:
        self.update(Text(one_line(text), style=style), layout=False)


def describe_tags(tags: SentenceTags, schema: LabelSchema, *, auto_not_content: bool | str,
                  hint: Text | None = None) -> Text:
    """One line, layers in labels.yaml order in their colours: "@Mike Pompeo · Fact ·
    #Elections · ✎ note"; unknown labels as 'id?'."""
    out = Text()

    def sep() -> None:
        if out.plain:
            out.append(" · ", "dim")

    if auto_not_content:
        why = auto_not_content if isinstance(auto_not_content, str) else "not content"
        what = "not content" if why == "not content" else f"not content: {one_line(why)}"
        out.append(f"{what} (found by the importer; tag it to override)", "dim italic")
        return out
    if tags.not_content:
        out.append("not content", "italic")
    for layer in schema.layers:
        prefix = chip_prefix(layer)
        style = layer.colour if layer.kind == "multi" else f"bold {layer.colour}"
        for label_id in tags.get(layer.id):
            sep()
            label = schema.get(layer.id, label_id)
            if label is None:
                out.append(f"{prefix}{one_line(label_id)}? (unknown {one_line(layer.noun)} "
                           "label)", "bold red")
            else:
                out.append(f"{prefix}{one_line(label.name)}", style)
    for layer_id, label_ids in tags.values:
        if schema.layer_of(layer_id) is None:
            for label_id in label_ids:
                sep()
                out.append(f"{one_line(layer_id)}:{one_line(label_id)}? (no such layer in "
                           "labels.yaml)", "bold red")
    if tags.note:
        sep()
        out.append(f"✎ {one_line(tags.note)}", "italic")
    if not out.plain:
        if hint is not None:
            return hint
        out.append("untagged", "dim")
    return out
