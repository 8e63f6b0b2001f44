"""The bottom key line: the active bindings marked `show`, fitted to the width.

Textual's Footer cuts whatever does not fit on the right, which at 80 columns loses
"? Help" and "q Quit", the two keys a new user needs most. This bar drops the least
important items first (from the right, keeping help and quit), draws in one line of
Text without recomposing widgets, and still reflects the focused widget and any keymap
override because it reads `screen.active_bindings`. A click runs the item's action.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.dom import DOMNode
from textual.screen import Screen

from annotator.tui.widgets.bar import Bar

_KEEP = ("help", "quit")  # action names never dropped
# Dropped first when the line is too narrow; then the rest from the right, the layers'
# pickers last: tagging keys stay, whatever number of layers labels.yaml declares.
_DROP_FIRST = ("command_palette", "app.command_palette", "search", "toggle_articles")
_PICKER = "pick("  # the action string of every pick_<layer id> binding: pick('<id>')


class KeyBar(Bar):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._spots: list[tuple[int, int, str, DOMNode]] = []  # x0, x1, action, namespace

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.redraw)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.redraw()

    def on_resize(self) -> None:
        self.redraw()

    def _items(self) -> list[tuple[str, str, str, DOMNode]]:
        app = self.app
        items: list[tuple[str, str, str, DOMNode]] = []
        seen: set[str] = set()
        palette = None
        for namespace, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.action in ("command_palette", "app.command_palette"):
                palette = (app.get_key_display(binding), "commands", binding.action, namespace)
                continue
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            items.append((app.get_key_display(binding), binding.description.rstrip("…"),
                          binding.action, namespace))
        if palette is not None:
            items.append(palette)
        return items

    def redraw(self) -> None:
        if not self.is_attached:
            return
        width = self.size.width or self.app.size.width
        items = self._items()

        def length(chosen: list[tuple[str, str, str, DOMNode]]) -> int:
            return 1 + sum(len(key) + len(label) + 3 for key, label, _, _ in chosen)

        while length(items) > width:
            droppable = [n for n, item in enumerate(items) if item[2] not in _KEEP]
            if not droppable:
                break
            first = [n for n in droppable if items[n][2] in _DROP_FIRST]
            others = [n for n in droppable if not items[n][2].startswith(_PICKER)]
            items.pop(first[0] if first else (others or droppable)[-1])
        text = Text(" ")
        self._spots = []
        for key, label, action, namespace in items:
            start = text.cell_len
            text.append(key, "bold")
            text.append(f" {label}  ")
            self._spots.append((start, text.cell_len, action, namespace))
        self.update(text, layout=False)

    async def on_click(self, event: events.Click) -> None:
        for start, end, action, namespace in self._spots:
            if start <= event.x < end:
                await self.app.run_action(action, namespace)
                return
