"""The user's keys file: loading, refusing what would clash, and the rebound keys at work."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.keymap_file import KeysFileError, keys_file_path, load_keys_file
from annotator.core.project import Project
from annotator.tui.app import make_app
from annotator.tui.keymap import editor_keymap
from annotator.tui.review.keymap import review_keymap
from annotator.tui.widgets.key_bar import KeyBar
from tests.factories import LAYERED_LABELS, make_project
from tests.test_tui_support import wait_for


def keys_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "keys.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, project: Project | None = None) -> str:
    with pytest.raises(KeysFileError) as caught:
        load_keys_file(path, project.schema if project else None)
    assert caught.value.exit_code == 2
    return str(caught.value)


def test_path_follows_xdg(tmp_path: Path) -> None:
    assert keys_file_path({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "annotator/keys.yaml"
    assert keys_file_path({}) == Path.home() / ".config/annotator/keys.yaml"
    assert keys_file_path({"XDG_CONFIG_HOME": "relative"}) == (
        Path.home() / ".config/annotator/keys.yaml")  # XDG: a relative path is ignored


def test_good_file_is_normalised_and_split_per_mode(tmp_path: Path, project: Project) -> None:
    path = keys_file(tmp_path, '# mine\nnext_sentence: "l, down"\nsearch: "?"\nhelp: "f1"\n'
                     'take_1: "z"\n')
    keys = load_keys_file(path, project.schema)
    assert keys == {"next_sentence": "l,down", "search": "question_mark", "help": "f1",
                    "take_1": "z"}
    assert editor_keymap(keys) == {"annotate.next_sentence": "l,down",
                                   "annotate.search": "question_mark", "annotate.help": "f1"}
    assert review_keymap(keys)["review.take_1"] == "z"
    assert "annotate.take_1" not in editor_keymap(keys)


def test_missing_or_empty_file_means_defaults(tmp_path: Path) -> None:
    assert load_keys_file(tmp_path / "nothing.yaml") == {}
    assert load_keys_file(keys_file(tmp_path, "# nothing yet\n")) == {}


def test_unknown_id_and_non_string_values_name_their_line(tmp_path: Path) -> None:
    path = keys_file(tmp_path, 'next_sentence: "x"\nfly_away: "y"\ntake_2: 7\n'
                     'undo: [u, z]\nredo: !!python/object:os.system "r"\n')
    message = problems(path)
    assert f"{path}:2: unknown action 'fly_away'" in message
    assert f"{path}:3: take_2: the keys must be a string" in message
    assert f"{path}:4: undo: the keys must be a string" in message
    assert f"{path}:5: redo: the keys must be a string" in message


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    path = keys_file(tmp_path, 'next_sentence: "l"\n  prev_sentence: k\n')  # indented
    assert problems(path).startswith(f"{path}:2:3: did not find expected key")
    assert f"{path}:1: expected a mapping" in problems(keys_file(tmp_path, "- j\n- k\n"))


def test_collisions_are_refused(tmp_path: Path, project: Project) -> None:
    path = keys_file(tmp_path, 'next_sentence: "n"\nprev_sentence: "f"\nquit: "ctrl+p"\n'
                     'search: "z"\nhelp: "z"\nlast_sentence: "  , "\n')
    message = problems(path, project)
    assert "1: next_sentence: key 'n' is also the key of search_next in the editor" in message
    assert "1: next_sentence: key 'n' is also the key of next_dispute in the review" in message
    assert "2: prev_sentence: key 'f' is the quick key of claim 'fact'" in message
    assert "3: quit: key 'ctrl+p' is needed by the app itself" in message
    assert "4: search: key 'z' is also the key of help" in message
    assert "6: last_sentence:" in message


def test_moving_keys_around_is_no_collision(tmp_path: Path, project: Project) -> None:
    path = keys_file(tmp_path, 'next_sentence: "k"\nprev_sentence: "j"\n')  # a swap
    assert load_keys_file(path, project.schema) == {"next_sentence": "k", "prev_sentence": "j"}


def test_cli_broken_keys_file_exit_2(tmp_path: Path, project: Project,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "annotator"
    config.mkdir(parents=True)
    (config / "keys.yaml").write_text('undo: "f"\n', encoding="utf-8")
    for argv in (["--project", str(project.root)], ["review", "--project", str(project.root)]):
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        assert f"{config / 'keys.yaml'}:1: undo: key 'f' is the quick key of claim" in err


async def test_rebound_key_replaces_the_old_one(tmp_path: Path, project: Project) -> None:
    path = keys_file(tmp_path, 'next_sentence: "l"\nhelp: "f1"\n')
    app = make_app(project, "alice", keymap=editor_keymap(load_keys_file(path, project.schema)))
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.session
        assert session.cursor == 0
        await pilot.press("l")
        assert session.cursor == 1
        await pilot.press("j", "down")  # the keymap replaces the keys, it does not add
        assert session.cursor == 1
        await pilot.press("k")  # what was not rebound still works
        assert session.cursor == 0
        assert "f1 Help" in str(app.screen.query_one(KeyBar).render())
        await pilot.press("f1")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen", "help")
        help_text = str(app.screen.query_one("#help-text").render())
        assert any(line.split() == ["l", "Next", "sentence"] for line in help_text.splitlines())


def test_layer_pickers_are_ids_of_the_project_in_use(tmp_path: Path) -> None:
    layered = make_project(tmp_path / "layered", labels=LAYERED_LABELS)
    path = keys_file(tmp_path, 'pick_stance: "z"\npick_quote: "ctrl+o"\n')
    keys = load_keys_file(path, layered.schema)
    assert keys == {"pick_stance": "z", "pick_quote": "ctrl+o"}
    assert editor_keymap(keys, layered.schema) == {"annotate.pick_stance": "z",
                                                   "annotate.pick_quote": "ctrl+o"}
    assert review_keymap(keys, layered.schema)["review.pick_stance"] == "z"
    # The bundled labels of the default test project have no stance layer.
    plain = make_project(tmp_path / "plain")
    assert f"{path}:1: unknown action 'pick_stance'" in problems(path, plain)


def test_layer_keys_and_label_keys_of_any_layer_collide(tmp_path: Path) -> None:
    layered = make_project(tmp_path / "layered", labels=LAYERED_LABELS)
    path = keys_file(tmp_path, 'next_sentence: "v"\nprev_sentence: "Q"\nsearch: "="\n')
    message = problems(path, layered)
    assert "1: next_sentence: key 'v' is also the key of pick_stance in the editor" in message
    assert "2: prev_sentence: key 'Q' is also the key of pick_quote in the editor" in message
    assert "3: search: key 'equals_sign' is the quick key of stance 'neutral'" in message
    path = keys_file(tmp_path, 'pick_stance: "+"\npick_quote: "t"\n')
    message = problems(path, layered)
    assert "1: pick_stance: key 'plus' is the quick key of stance 'for'" in message
    assert "2: pick_quote: key 't' is also the key of pick_topics in the editor" in message


async def test_a_rebound_layer_picker_opens_with_its_new_key(tmp_path: Path) -> None:
    layered = make_project(tmp_path / "layered", labels=LAYERED_LABELS)
    path = keys_file(tmp_path, 'pick_stance: "z"\n')
    keymap = editor_keymap(load_keys_file(path, layered.schema), layered.schema)
    app = make_app(layered, "alice", keymap=keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")  # the old key does nothing now
        assert app.screen.__class__.__name__ == "AnnotateScreen"
        await pilot.press("z")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "LabelPicker", "picker")
        assert app.screen.tag_layer.id == "stance"
