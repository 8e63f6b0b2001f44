"""read_header reads an article's header as the YAML loader does, or declines: the editor
opens an article without loading PyYAML, and nothing it reads may differ from the loader."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.article import HEADER_END, read_article, read_article_header
from annotator.core.article_file import read_header
from annotator.core.importer import build_article
from annotator.core.yamlio import FlowList, dump_yaml

ROOT = Path(__file__).resolve().parent.parent


def _header_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[:text.index(f"\n{HEADER_END}\n") + 1]


def test_the_bundled_articles_headers_are_read_without_the_loader() -> None:
    files = sorted((ROOT / "corpus").glob("*.yaml"))
    assert files
    for path in files:
        header = _header_text(path)
        assert read_header(header) == yaml.safe_load(header), path.name


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_WORDISH = st.sampled_from(["yes", "No", "null", "~", "12", "012", "1e3", "2019-05-15",
                            "a: b", "a #b", "#c", "- x", "'q'", '"d"', "x'y", "é", " lead",
                            "trail ", "tab\there", "0x1F", "3rd", "1:30", "[1]", "{a: 1}",
                            "\u2028", "\x85", "\ufeff", "", "ok"])


@settings(max_examples=400, deadline=None)
@given(title=st.one_of(_TEXT, _WORDISH), source=st.one_of(st.none(), _TEXT, _WORDISH),
       published=st.one_of(st.none(), _WORDISH),
       reasons=st.dictionaries(st.integers(0, 50), st.one_of(_TEXT, _WORDISH), max_size=3),
       non_content=st.lists(st.integers(0, 10**6), max_size=4))
def test_headers_as_the_dumper_writes_them_read_as_the_loader_reads_them(
        title: str, source: str | None, published: str | None, reasons: dict[int, str],
        non_content: list[int]) -> None:
    header = {"version": 1, "id": "some-article-1a2b", "title": title,
              "published": published, "source": source, "url": None,
              "text_sha": "f151cac6c3c63708", "sentence_count": 24,
              "non_content": FlowList(non_content)}
    if reasons:
        header["non_content_reasons"] = reasons
    text = dump_yaml(header)
    read = read_header(text)
    assert read is None or read == yaml.safe_load(text), text


@pytest.mark.parametrize("text", [
    "id: a\ntitle: yes\n",  # a boolean
    "id: a\npublished: 2019-05-15\n",  # a date
    "id: a\nsentence_count: 012\n",  # octal
    "# a comment\nid: a\n",
    "id: a  # a comment\n",
    "id: a\nid: b\n",  # the loader keeps the last
    "id: a\nextra:\n  nested: value\n",
    "id: a\nnon_content:\n- 1\n- 2\n",
    "id: a\ntitle: 'one\n  two'\n",  # folded over two lines
    'id: a\ntitle: "tab\\there"\n',
    "id: a\ntitle: \tx\n",
    "---\nid: a\n",
    "id: a\ntitle: a: b\n",
    "id: a\nnon_content: [1,2]\n",
    "id: a\ntitle: ~\n",
])
def test_any_other_shape_is_left_to_the_loader(text: str) -> None:
    assert read_header(text) is None


def test_an_unusual_header_is_read_by_the_loader_all_the_same(tmp_path: Path) -> None:
    article = build_article("Title\n\nOne sentence. Two sentences.", "a.txt")
    path = tmp_path / f"{article.id}.yaml"
    text = article.to_yaml().replace("\nurl: null\n", "\nurl: null  # none known\n")
    path.write_text(text, encoding="utf-8")
    assert read_header(_header_text(path)) is None
    assert read_article(path).text == article.text
    assert read_article_header(path)["id"] == article.id


def test_the_editor_opens_an_article_without_loading_pyyaml(tmp_path: Path) -> None:
    """Everything the editor reads before its first screen (the cached labels, the
    article, an annotation file, the state) is read without PyYAML: it would add a sixth
    to the start-up."""
    import shutil

    from annotator.core.project import Project
    from annotator.core.session import AnnotateSession

    shutil.copy(ROOT / "labels.yaml", tmp_path / "labels.yaml")
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    project = Project(tmp_path)
    session = AnnotateSession(project, "ann")
    article_id = project.corpus.ids()[0]
    session.open_article(article_id)
    session.toggle_label("claim", "fact")
    session.move(1)
    session.toggle_label("topics", "election-interference")
    session.set_note("Said: 'no' # twice")
    session.close()
    assert session.doc_path().is_file()
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from annotator.core.project import Project\n"
        "from annotator.core.session import AnnotateSession\n"
        f"session = AnnotateSession(Project(Path({str(tmp_path)!r})), 'ann')\n"
        f"session.open_article({article_id!r})\n"
        "assert session.article is not None and session.broken is None\n"
        "assert session.tags(1).values, session.tags(1)\n"
        "session.close()\n"
        "print('yaml' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.strip() == "False", done.stderr
