"""Import resolution: one entity per person however the text names them (brat Sources).

Two news-style articles written for this test, with the ways attribution corpora name
people: full name, title ("Ms. Okafor"), surname alone, a possessive prefix ("CNN's Jake
Tapper"), an appositive ("Jane Smith, a former negotiator at ..."), a description ("the
host"), and pronouns ("she", "he", "who", "it"). Each Source carries the entity it
really names (the key); the import is scored as entity clustering (B-cubed).
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from annotator.cli import main
from annotator.core.entity_resolve import strip_name
from annotator.core.project import Project
from tests.factories import make_project

DATA = Path(__file__).parent / "data" / "speakers"

# (text, [(source words, which occurrence, content words, the entity it really is)])
ARTICLES = {
    "harbour-talks": (
        "Mayor defends harbour deal\n\n"
        "Mayor Maria Okafor said on Tuesday that the harbour deal was fair. "
        "Ms. Okafor told CNN's Jake Tapper that the council had read every clause. "
        "Tapper pressed her on the cost. She said the city would not pay more. "
        "Jane Smith, a former negotiator at the State Department, called the deal rushed. "
        "Smith said the council had been outplayed. The host asked about the unions. "
        "Okafor, who has led the city since 2019, said the unions were on board. "
        "The Harbour Authority said it would sign next week. It added that the fees were fixed.\n",
        [("Mayor Maria Okafor", 1, "the harbour deal was fair", "okafor"),
         ("Ms. Okafor", 1, "the council had read every clause", "okafor"),
         ("Tapper", 2, "pressed her on the cost", "tapper"),
         ("She", 1, "the city would not pay more", "okafor"),
         ("Jane Smith, a former negotiator at the State Department", 1,
          "called the deal rushed", "smith"),
         ("Smith", 2, "the council had been outplayed", "smith"),
         ("The host", 1, "asked about the unions", "tapper"),
         ("who", 1, "the unions were on board", "okafor"),
         ("The Harbour Authority", 1, "it would sign next week", "authority"),
         ("It", 1, "the fees were fixed", "authority")]),
    "energy-row": (
        "Wind farm row\n\n"
        "Northwind Energy's chief executive, Lena Vogt, said the delay was not her fault. "
        "Dr Vogt blamed the suppliers. Analyst Tom Achebe said investors were worried. "
        "He added that the shares could fall further. Vogt said she expected a recovery. "
        "Mr. Achebe disagreed, saying the problems ran deeper.\n",
        [("Lena Vogt", 1, "the delay was not her fault", "vogt"),
         ("Dr Vogt", 1, "blamed the suppliers", "vogt"),
         ("Analyst Tom Achebe", 1, "investors were worried", "achebe"),
         ("He", 1, "the shares could fall further", "achebe"),
         ("Vogt", 3, "she expected a recovery", "vogt"),
         ("Mr. Achebe", 1, "the problems ran deeper", "achebe")]),
}


def find(text: str, words: str, occurrence: int) -> int:
    at = -1
    for _ in range(occurrence):
        at = text.index(words, at + 1)
    return at


def write(folder: Path) -> dict[str, dict[str, str]]:
    """The .txt and .ann files; returns, per document, Source id -> the real entity."""
    key: dict[str, dict[str, str]] = {}
    for name, (text, sources) in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        lines = []
        key[name] = {}
        for number, (source, occurrence, content, entity) in enumerate(sources):
            s, c = find(text, source, occurrence), find(text, content, 1)
            sid, cid = f"T{2 * number + 1}", f"T{2 * number + 2}"
            lines += [f"{sid}\tSource {s} {s + len(source)}\t{source}",
                      f"{cid}\tContent {c} {c + len(content)}\t{content}",
                      f"R{number + 1}\tAttribution Arg1:{sid} Arg2:{cid}"]
            key[name][cid] = entity
        (folder / f"{name}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return key


def b_cubed(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """(precision, recall) of predicted clusters against the key, per attribution."""
    by_key: dict[str, set[int]] = defaultdict(set)
    by_found: dict[str, set[int]] = defaultdict(set)
    for number, (real, found) in enumerate(pairs):
        by_key[real].add(number)
        by_found[found].add(number)
    precision = recall = 0.0
    for number, (real, found) in enumerate(pairs):
        both = len(by_key[real] & by_found[found])
        precision += both / len(by_found[found])
        recall += both / len(by_key[real])
    return precision / len(pairs), recall / len(pairs)


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]
             ) -> tuple[Project, dict[str, dict[str, str]], str]:
    project = make_project(tmp_path / "p", articles=())
    shutil.copy(DATA / "labels.yaml", project.labels_path)
    folder = tmp_path / "brat"
    folder.mkdir()
    key = write(folder)
    assert main(["--project", str(project.root), "import", "--format", "brat", str(folder),
                 "--annotator", "alice"]) == 0
    return Project(project.root), key, capsys.readouterr().err


def test_every_attribution_gets_its_entity_and_b_cubed_reaches_090(
        imported: tuple[Project, dict[str, dict[str, str]], str]) -> None:
    project, key, _ = imported
    pairs = []
    for name, (text, sources) in ARTICLES.items():
        article = next(project.corpus.load(i) for i in project.corpus.ids()
                       if project.corpus.load(i).text == text)
        doc = project.store.load("alice", article.id)
        for source, occurrence, content, real in sources:
            at = find(text, content, 1)
            index = next(i for i, (s, e) in enumerate(article.spans) if s <= at < e)
            found = doc.get(index).get("speakers")
            assert found, f"{name}: {source!r} left without a speaker"
            pairs.append((real, found[0]))
    precision, recall = b_cubed(pairs)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.9 and precision >= 0.95, (precision, recall, pairs)


def test_names_are_stripped_and_variants_become_aliases(
        imported: tuple[Project, dict[str, dict[str, str]], str]) -> None:
    project, _, err = imported
    schema = project.schema
    assert schema.resolve("speakers", "Ms. Okafor") == "maria-okafor"  # existing, alias added
    assert schema.resolve("speakers", "Jake Tapper") == "jake-tapper"
    assert schema.resolve("speakers", "Jane Smith") == "jane-smith"
    assert not any(label.id.startswith("jane-smith-a") for label in schema.layer("speakers"))
    assert schema.get("speakers", "jane-smith").imported  # type: ignore[union-attr]
    assert "'She' → Maria Okafor (inferred" in err
    assert "'He' → Tom Achebe (inferred" in err
    assert "'The host' is a description" in err
    labels = yaml.safe_load(project.labels_path.read_text(encoding="utf-8"))
    ids = [label["id"] for label in labels["layers"][0]["labels"]]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("written", "name"), [
    ("Mr. Okafor", "Okafor"), ("CNN's Jake Tapper", "Jake Tapper"),
    ("Jane Smith, a former negotiator at the State Department", "Jane Smith"),
    ("US Secretary of State Mike Pompeo", "Mike Pompeo"), ("the former negotiator Ana Ruiz",
                                                            "Ana Ruiz"),
    ("Okafor's", "Okafor"), ("the host", "host"),
])
def test_strip_name(written: str, name: str) -> None:
    assert strip_name(written) == name


def test_an_appositive_never_becomes_an_alias(
        imported: tuple[Project, dict[str, dict[str, str]], str]) -> None:
    project, _, _ = imported
    labels = project.labels_path.read_text(encoding="utf-8")
    assert "former negotiator" not in labels
    assert '"Analyst Tom Achebe"' in labels  # a variant of a known speaker, as an alias
