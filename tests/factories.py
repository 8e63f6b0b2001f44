"""Small projects built in a temp folder: tests never touch the user's files or ../shared."""

from __future__ import annotations

from pathlib import Path

from annotator.core.importer import build_article
from annotator.core.project import Project

LABELS = """\
# Test labels: comments must survive edits.
version: 1
speakers:
  - id: pompeo
    name: Mike Pompeo
    kind: person
    aliases: [Pompeo, Mr Pompeo, Secretary of State Mike Pompeo]
  - id: lavrov
    name: Sergey Lavrov
    kind: person
    aliases: [Sergei Lavrov, Lavrov, Mr Lavrov]
  - id: kremlin
    name: The Kremlin
    kind: organisation
    aliases: [Kremlin]

# Claims: one per sentence.
claim:
  - id: fact
    name: Fact
    key: f
    description: Checkable statement.
  - id: opinion
    name: Opinion
    key: o
  - id: warning
    name: Warning
    key: w

# Topics: several per sentence.
topics:
  - id: elections
    name: Elections
    key: "1"
  - id: sanctions
    name: Sanctions
    key: "2"
  - id: diplomacy
    name: Diplomacy
    key: "3"
"""

ARTICLE_A = """\
Pompeo warns Russia over election meddling

Published: Wed, May 15, 2019

"We will not tolerate meddling," Mr Pompeo said. He met Mr Lavrov in Sochi.

Lavrov called for better ties. The Kremlin said nothing.
"""

ARTICLE_B = """\
Sanctions debate continues

Western governments responded with harsh economic sanctions on Russia. [President] Maduro must go.
"""


def make_project(root: Path, articles: tuple[str, ...] = (ARTICLE_A, ARTICLE_B),
                 labels: str = LABELS) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    (root / "labels.yaml").write_text(labels, encoding="utf-8")
    (root / "annotations").mkdir(exist_ok=True)
    project = Project(root)
    for number, text in enumerate(articles):
        project.corpus.write(build_article(text, f"article-{number}.txt"))
    return project
