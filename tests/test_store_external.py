"""A file changed on disk under an open article (a git pull): merged, never lost, told."""

from __future__ import annotations

from annotator.core.annotation_file import AnnotationDoc
from annotator.core.errors import StoreError
from annotator.core.project import Project
from annotator.core.session import AnnotateSession
from annotator.core.store import merge_external
from annotator.core.tags import SentenceTags
from tests.test_tui_support import ANNOTATOR, app_for, doc_path, notifications, saved, wait_for

T = SentenceTags.of


def _pull(project: Project, tags: dict[int, SentenceTags]) -> None:
    """What a git pull does: another process writes the tester's file (same annotator,
    another laptop), through its own project and store."""
    other = Project(project.root)
    article = other.corpus.load(other.corpus.ids()[0])
    other.store.save(AnnotationDoc(article.id, ANNOTATOR, dict(tags)), article)


async def test_a_pull_between_two_key_presses_is_merged_and_told(project: Project) -> None:
    app = app_for(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "j", "f")  # sentence 3: fact
        assert saved(project)[2]["claim"] == "fact"
        # The pull brings sentence 5 (tagged on the other laptop) and keeps sentence 3.
        _pull(project, {2: T(claim="fact"), 4: T(claim="opinion", topics=["sanctions"])})
        await pilot.press("j", "o")  # sentence 4: opinion
        on_disk = saved(project)
        assert on_disk[2]["claim"] == "fact"
        assert on_disk[3]["claim"] == "opinion"
        assert on_disk[4]["claim"] == "opinion" and on_disk[4]["topics"] == ["sanctions"]
        await wait_for(pilot, lambda: any("changed on disk" in n for n in notifications(app)),
                       "a notification about the merge")
        assert any("5" in n for n in notifications(app) if "changed on disk" in n)


def test_the_change_being_saved_wins_only_for_its_sentence(project: Project) -> None:
    session = AnnotateSession(project, ANNOTATOR)
    session.open_article(project.corpus.ids()[0])
    session.goto(1)
    session.toggle_label("claim", "fact")
    # Elsewhere: sentence 2 retagged, sentence 3 tagged, and the same sentence 4 the person
    # is about to tag.
    _pull(project, {1: T(claim="opinion"), 2: T(claim="fact"), 3: T(claim="fact")})
    session.goto(3)
    session.toggle_label("claim", "opinion")
    on_disk = saved(project)
    assert on_disk[1]["claim"] == "opinion"  # the file's newer version of sentence 2
    assert on_disk[2]["claim"] == "fact"
    assert on_disk[3]["claim"] == "opinion"  # the person's own change to sentence 4
    change = project.store.external_changes[-1]
    assert change.from_disk == (1, 2)
    assert [i for i, _ in change.overwritten] == [3]
    assert "sentence 4 was changed there too (claim: fact)" in str(change)
    assert session.tags(2).first("claim") == "fact"  # memory follows the disk
    session.close()


def test_a_file_deleted_on_disk_is_not_resurrected_except_the_new_change(
        project: Project) -> None:
    session = AnnotateSession(project, ANNOTATOR)
    session.open_article(project.corpus.ids()[0])
    session.toggle_label("claim", "fact")
    doc_path(project).unlink()
    session.goto(2)
    session.toggle_label("claim", "opinion")
    assert set(saved(project)) == {2}
    session.close()


def test_an_unreadable_file_on_disk_is_not_overwritten(project: Project) -> None:
    session = AnnotateSession(project, ANNOTATOR)
    session.open_article(project.corpus.ids()[0])
    session.toggle_label("claim", "fact")
    conflict = "<<<<<<< HEAD\nsentences: []\n=======\n>>>>>>> theirs\n"
    doc_path(project).write_text(conflict, encoding="utf-8")
    session.goto(2)
    try:
        session.toggle_label("claim", "opinion")
    except StoreError as exc:
        assert "changed on disk and cannot be read" in str(exc)
    else:
        raise AssertionError("a save over an unreadable file was not refused")
    assert doc_path(project).read_text(encoding="utf-8") == conflict
    assert not session.tags(2).is_tagged  # not shown as tagged when it is not on disk
    session.close()


def test_a_touch_without_a_change_merges_nothing(project: Project) -> None:
    import os

    session = AnnotateSession(project, ANNOTATOR)
    session.open_article(project.corpus.ids()[0])
    session.toggle_label("claim", "fact")
    os.utime(doc_path(project), ns=(1, 1))
    session.goto(2)
    session.toggle_label("claim", "opinion")
    assert project.store.external_changes == []
    session.close()


def test_merge_external_three_ways() -> None:
    a, b, c = T(claim="fact"), T(claim="opinion"), T(claim="warning")
    base = {0: a, 1: a, 2: a}
    mine = {0: b, 1: a, 2: a}  # the person changed 0
    theirs = {1: c, 2: a, 5: b}  # the file dropped 0, changed 1, added 5
    merged, change = merge_external(base, mine, theirs)
    assert merged == {0: b, 1: c, 2: a, 5: b}
    assert change.from_disk == (1, 5) and change.kept_mine == (0,)
    assert change.overwritten == ((0, None),)
