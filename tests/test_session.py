"""The editing session: each command is on disk at once, undo/redo, failures that lose nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core import store as store_module
from annotator.core.annotation_file import read_doc
from annotator.core.errors import AnnotatorError, StoreError
from annotator.core.project import Project
from annotator.core.session import AnnotateSession
from annotator.core.tags import SentenceTags
from tests.factories import LAYERED_LABELS, make_project

FIRST = "pompeo-warns-russia-over-25546b13"  # 6 sentences; 1 is the dateline (non-content)
SECOND = "sanctions-debate-continues-810c8f6a"


@pytest.fixture
def session(project: Project) -> Iterator[AnnotateSession]:
    session = AnnotateSession(project, "alice")
    session.open_article(FIRST)
    yield session
    session.close()


def on_disk(project: Project, article_id: str = FIRST, annotator: str = "alice") -> dict:
    """What the annotation file says, sentence index -> tags."""
    path = project.store.path(annotator, article_id)
    return read_doc(path).tags if path.exists() else {}


def test_the_fixture_articles_are_what_these_tests_assume(project: Project) -> None:
    assert project.corpus.ids() == [FIRST, SECOND]
    assert project.corpus.entry(FIRST).non_content == (1,)


def test_each_command_is_saved_at_once(session: AnnotateSession, project: Project) -> None:
    session.goto(2)
    session.toggle_label("claim", "warning")
    session.toggle_label("topics", "elections")
    session.toggle_label("speakers", "pompeo")
    session.set_note("  said in Sochi  ")
    tags = on_disk(project)[2]
    assert (tags.first("claim"), tags.get("topics"), tags.get("speakers"), tags.note) == (
        "warning", ("elections",), ("pompeo",), "said in Sochi")
    session.toggle_label("claim", "warning")  # the same key again clears the claim
    session.toggle_label("topics", "elections")
    assert on_disk(project)[2].first("claim") is None and on_disk(project)[2].get("topics") == ()
    session.set_labels("speakers", ("lavrov", "pompeo", "lavrov"))
    assert on_disk(project)[2].get("speakers") == ("lavrov", "pompeo")
    session.set_labels("topics", ("diplomacy", "sanctions"))
    assert on_disk(project)[2].get("topics") == ("diplomacy", "sanctions")
    session.clear()
    assert 2 not in on_disk(project)


def test_not_content_replaces_labels_and_keeps_the_note(session: AnnotateSession,
                                                       project: Project) -> None:
    session.goto(0)
    session.set_labels("claim", "fact")
    session.set_note("headline")
    session.toggle_not_content()
    tags = on_disk(project)[0]
    assert tags.not_content and tags.first("claim") is None and tags.note == "headline"
    session.toggle_not_content()
    assert not on_disk(project)[0].not_content


def test_undo_and_redo_change_the_file_and_move_the_cursor(session: AnnotateSession,
                                                           project: Project) -> None:
    session.goto(2)
    session.set_labels("claim", "fact")
    session.goto(4)
    session.set_labels("claim", "opinion")
    session.goto(0)
    edit = session.undo()
    assert edit is not None and edit.index == 4 and session.cursor == 4
    assert 4 not in on_disk(project) and on_disk(project)[2].first("claim") == "fact"
    session.undo()
    assert on_disk(project) == {}
    assert session.undo() is None  # nothing left: no error, no change
    session.redo()
    assert on_disk(project)[2].first("claim") == "fact" and session.cursor == 2
    session.set_labels("claim", "warning")  # a new change forgets what could be redone
    assert session.redo() is None
    assert on_disk(project)[2].first("claim") == "warning"


def test_history_is_per_article(session: AnnotateSession, project: Project) -> None:
    session.goto(2)
    session.set_labels("claim", "fact")
    session.open_article(SECOND)
    assert session.undo() is None
    session.open_article(FIRST)
    session.undo()
    assert on_disk(project) == {}


def test_a_failed_save_undoes_the_change_in_memory(
    session: AnnotateSession, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    session.goto(2)
    session.set_labels("claim", "fact")

    def disk_full(path: Path, text: str, **_: object) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "atomic_write", disk_full)
    with pytest.raises(StoreError) as info:
        session.set_labels("claim", "opinion")
    assert "No space left on device" in str(info.value) and "not made" in str(info.value)
    assert session.tags(2).first("claim") == "fact"  # the screen shows what the disk holds
    with pytest.raises(StoreError):
        session.undo()
    assert session.tags(2).first("claim") == "fact"
    monkeypatch.undo()
    assert session.undo() is not None  # the failed attempts left the history intact
    assert on_disk(project) == {}


def test_positions_and_last_article_survive_a_restart(project: Project) -> None:
    first = AnnotateSession(project, "alice")
    first.open_article(FIRST)
    first.goto(4)
    first.open_article(SECOND)
    first.goto(2)
    first.close()
    second = AnnotateSession(project, "alice")
    assert second.last_article_id == SECOND
    second.open_article(FIRST)
    assert second.cursor == 4
    second.open_article(SECOND)
    assert second.cursor == 2
    second.close()
    other = AnnotateSession(project, "bob")  # positions are per annotator
    other.open_article(FIRST)
    assert other.cursor == 0
    other.close()


def test_a_broken_state_file_only_forgets_positions(project: Project) -> None:
    state = project.state_dir / "state" / "alice.json"
    state.parent.mkdir(parents=True)
    state.write_text("{not json")
    session = AnnotateSession(project, "alice")
    session.open_article(FIRST)
    assert session.cursor == 0
    session.close()


def test_next_untagged_skips_non_content_and_tagged_and_wraps(session: AnnotateSession) -> None:
    session.goto(0)
    assert session.next_untagged() == 2  # 1 is the dateline
    session.set_labels("claim", "fact")
    session.goto(3)
    session.set_labels("claim", "fact")
    assert session.next_untagged() == 4
    session.goto(5)
    assert session.next_untagged() == 0  # wraps around
    for index in (0, 4, 5):
        session.goto(index)
        session.set_labels("claim", "fact")
    assert session.next_untagged() is None
    assert session.progress() == (6, 6)


def test_a_note_alone_does_not_count_as_done(session: AnnotateSession) -> None:
    session.goto(2)
    session.set_note("unsure")
    session.goto(0)
    assert session.next_untagged() == 2


def test_a_corrupt_annotation_file_is_kept_and_other_articles_still_work(
    project: Project,
) -> None:
    path = project.store.path("alice", FIRST)
    path.parent.mkdir(parents=True)
    broken = "version: 1\nsentences:\n- index: 2\n  claim: [oops\n"
    path.write_text(broken)
    session = AnnotateSession(project, "alice")
    session.open_article(FIRST)
    assert session.broken is not None
    assert any(str(path) in notice and "editing this article is off" in notice
               for notice in session.notices)
    with pytest.raises(StoreError, match="not written"):
        session.set_labels("claim", "fact")
    assert path.read_text() == broken
    session.open_article(SECOND)
    session.set_labels("claim", "fact")
    assert on_disk(project, SECOND)[0].first("claim") == "fact"
    session.close()
    assert path.read_text() == broken


def test_unknown_labels_in_a_file_are_reported_and_kept(project: Project) -> None:
    path = project.store.path("alice", FIRST)
    path.parent.mkdir(parents=True)
    path.write_text("version: 1\nsentences:\n- index: 2\n  claim: gossip\n")
    session = AnnotateSession(project, "alice")
    session.open_article(FIRST)
    assert any(f"{path}:3: unknown claim label 'gossip'" in n for n in session.notices)
    session.goto(3)
    session.set_labels("claim", "fact")
    assert on_disk(project)[2].first("claim") == "gossip"
    session.close()


def test_a_read_only_session_refuses_edits_and_takes_no_lock(project: Project) -> None:
    viewer = AnnotateSession(project, "alice", read_only=True)
    viewer.open_article(FIRST)
    with pytest.raises(AnnotatorError, match="read-only"):
        viewer.set_labels("claim", "fact")
    editor = AnnotateSession(project, "alice")
    editor.open_article(FIRST)  # not blocked by the viewer
    editor.close()
    viewer.close()


def test_search_finds_the_next_match_and_wraps(session: AnnotateSession) -> None:
    session.goto(0)
    assert session.search("lavrov") == 3
    assert session.search("LAVROV") == 4
    assert session.search("lavrov") == 3
    assert session.search("lavrov", forward=False) == 4
    assert session.search("nowhere") is None and session.cursor == 4


def test_create_entity_writes_labels_and_updates_the_schema(
    session: AnnotateSession, project: Project
) -> None:
    speaker = session.create_entity("speakers", "Dmitry Peskov", kind="person")
    assert speaker.id == "dmitry-peskov"
    assert session.schema.resolve("speakers", "dmitry peskov") == "dmitry-peskov"
    assert project.reload_schema().has("speakers", "dmitry-peskov")
    session.goto(5)
    session.toggle_label("speakers", speaker.id)
    assert on_disk(project)[5].get("speakers") == ("dmitry-peskov",)


def test_article_progress_counts_files_without_opening_them(session: AnnotateSession,
                                                            project: Project) -> None:
    session.goto(2)
    session.set_labels("claim", "fact")
    session.open_article(SECOND)
    first = project.corpus.entry(FIRST)
    assert session.article_progress(first) == (2, 6)  # sentence 2 + the dateline
    assert session.article_progress(project.corpus.entry(SECOND)) == (0, 3)


def test_layers_declared_in_labels_work_by_their_kind(tmp_path: Path) -> None:
    """stance (single) and quote (multi) are known to no code: the schema says how they act."""
    project = make_project(tmp_path / "layered", labels=LAYERED_LABELS)
    session = AnnotateSession(project, "alice")
    session.open_article(FIRST)
    session.goto(2)
    session.toggle_label("stance", "for")
    session.toggle_label("stance", "against")  # single: another label replaces it
    session.toggle_label("quote", "direct")
    session.toggle_label("quote", "indirect")  # multi: labels add up
    tags = on_disk(project)[2]
    assert tags.get("stance") == ("against",) and tags.get("quote") == ("direct", "indirect")
    text = project.store.path("alice", FIRST).read_text(encoding="utf-8")
    assert "stance: against\n" in text and "quote: [direct, indirect]\n" in text
    session.toggle_label("stance", "against")  # the same label again clears it
    session.toggle_label("quote", "direct")
    assert on_disk(project)[2].layers == {"quote": ("indirect",)}
    assert session.undo().description == "quote -direct"
    assert on_disk(project)[2].get("quote") == ("direct", "indirect")
    session.close()


def test_save_index_keeps_the_progress_cache_for_the_next_start(
        session: AnnotateSession, project: Project) -> None:
    session.goto(2)
    session.set_labels("claim", "fact")
    session.open_article(SECOND)
    # The article list counts the other articles through the index: the save is seen.
    first = next(e for e in session.entries() if e.id == FIRST)
    assert session.article_progress(first)[0] == 2  # the tag and the dateline
    session.save_index()
    assert list((project.state_dir / "index").iterdir())
    again = Project(project.root)
    assert again.index.file("alice", FIRST).tags()[2].first("claim") == "fact"


def test_taking_a_speaker_off_takes_their_mention_and_what_they_said(project: Project) -> None:
    """A brat import leaves, per speaker, a mention span and a Content span (layer
    `content`, labelled with the speaker); neither may outlive the speaker on the sentence."""
    article = project.corpus.load(FIRST)
    start, end = article.spans[2]
    doc = project.store.load("alice", FIRST)
    doc.tags[2] = SentenceTags.of(speakers=["pompeo", "lavrov"], claim="warning").with_spans([
        ("speakers", "pompeo", start, start + 6), ("content", "pompeo", start + 8, end),
        ("speakers", "lavrov", start + 2, start + 4), ("content", "lavrov", start + 9, end - 1),
        ("claim", "warning", start, end)])
    project.store.save(doc, article)
    session = AnnotateSession(project, "alice")
    session.open_article(FIRST)
    try:
        session.goto(2)
        session.toggle_label("speakers", "pompeo")
        tags = on_disk(project)[2]
        assert tags.get("speakers") == ("lavrov",)
        assert sorted(tags.spans) == sorted([
            ("speakers", "lavrov", start + 2, start + 4), ("content", "lavrov", start + 9, end - 1),
            ("claim", "warning", start, end)])
        session.undo()
        assert len(on_disk(project)[2].spans) == 5  # undo brings both back
        session.set_labels("speakers", ())
        assert on_disk(project)[2].spans == (("claim", "warning", start, end),)
    finally:
        session.close()
