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

# The same labels as a version 2 file, plus two layers no code knows about: every flow must
# work on them with no code change (issue: layers defined in labels.yaml).
LAYERED_LABELS = """\
version: 2
layers:
  - id: speakers
    title: Speakers
    kind: entity
    key: s
    colour: cyan
    labels:
      - id: pompeo
        name: Mike Pompeo
        kind: person
        aliases: [Pompeo, Mr Pompeo]
      - id: lavrov
        name: Sergey Lavrov
        kind: person
        aliases: [Lavrov, Mr Lavrov]
  - id: claim
    title: Claim
    kind: single
    key: c
    colour: yellow
    labels:
      - {id: fact, name: Fact, key: f}
      - {id: opinion, name: Opinion, key: o}
  - id: stance
    title: Stance
    kind: single
    key: v
    colour: magenta
    labels:
      - {id: for, name: For, key: "+"}
      - {id: against, name: Against, key: "-"}
      - {id: neutral, name: Neutral, key: "="}
  - id: quote
    title: Quote type
    kind: multi
    key: Q
    colour: blue
    labels:
      - {id: direct, name: Direct, key: "1"}
      - {id: indirect, name: Indirect, key: "2"}
      - {id: partial, name: Partial, key: "3"}
  - id: topics
    title: Topics
    kind: multi
    key: t
    colour: green
    labels:
      - {id: elections, name: Elections, key: "4"}
      - {id: sanctions, name: Sanctions, key: "5"}
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
