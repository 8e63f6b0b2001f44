"""Generate a large synthetic project for benchmarks (never committed; written to a temp dir).

`python bench/generate.py DIR --articles 10000 --annotators 3` writes labels.yaml, corpus/
and, with --annotators, tagged annotation files with some built-in disagreement.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.core.annotation_file import AnnotationDoc  # noqa: E402
from annotator.core.article import Article  # noqa: E402
from annotator.core.schema_check import parse_schema  # noqa: E402
from annotator.core.store import AnnotationStore  # noqa: E402
from annotator.core.tags import SentenceTags  # noqa: E402

WORDS = ("Moscow Washington said talks sanctions election treaty minister officials "
         "Tuesday agreement relations Kremlin ties nuclear summit policy the a of and "
         "to in on with for that will would could not").split()
SPEAKERS = [f"speaker-{i}" for i in range(40)]
CLAIMS = ["fact", "opinion", "prediction", "warning", "commitment", "denial"]
TOPICS = [f"topic-{i}" for i in range(12)]


def labels_yaml() -> str:
    """A version 2 labels.yaml declaring the three layers the generated tags use."""
    lines = ["version: 2", "layers:"]
    lines += ["  - id: speakers", "    title: Speakers", "    kind: entity", "    key: s",
              "    colour: cyan", "    labels:"]
    lines += [f"      - {{id: {s}, name: Speaker {s.split('-')[1]}}}" for s in SPEAKERS]
    lines += ["  - id: claim", "    title: Claim", "    kind: single", "    key: c",
              "    colour: yellow", "    labels:"]
    keys = "fopwmd"
    lines += [f"      - {{id: {c}, name: {c.title()}, key: {k}}}" for c, k in zip(CLAIMS, keys)]
    lines += ["  - id: topics", "    title: Topics", "    kind: multi", "    key: t",
              "    colour: green", "    labels:"]
    lines += [f"      - {{id: {t}, name: Topic {i}, key: \"{i % 10}\"}}" if i < 10 else
              f"      - {{id: {t}, name: Topic {i}}}" for i, t in enumerate(TOPICS)]
    return "\n".join(lines) + "\n"


def make_text(rng: random.Random, sentences: int) -> tuple[str, list[tuple[int, int]]]:
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for i in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 24))]
        sentence = " ".join(words).capitalize() + "."
        sep = "\n\n" if i and i % 4 == 0 else (" " if i else "")
        pos += len(sep)
        parts.append(sep + sentence)
        spans.append((pos, pos + len(sentence)))
        pos += len(sentence)
    return "".join(parts) + "\n", spans


def generate(root: Path, articles: int, sentences: int = 20, annotators: int = 0,
             seed: int = 7, long_article: int = 0) -> list[str]:
    rng = random.Random(seed)
    (root / "corpus").mkdir(parents=True, exist_ok=True)
    (root / "annotations").mkdir(exist_ok=True)
    (root / "labels.yaml").write_text(labels_yaml(), encoding="utf-8")
    schema = parse_schema(labels_yaml(), root / "labels.yaml")
    ids = []
    store = AnnotationStore(root / "annotations", lambda: schema)
    names = [f"annotator{n + 1}" for n in range(annotators)]
    for number in range(articles):
        count = long_article if (long_article and number == 0) else sentences
        text, spans = make_text(rng, count)
        article = Article(id=f"article-{number:05d}", title=f"Article {number}", text=text,
                          spans=tuple(spans))
        (root / "corpus" / f"{article.id}.yaml").write_text(article.to_yaml(), encoding="utf-8")
        ids.append(article.id)
        if names:
            truth = {i: SentenceTags.of(
                speakers=rng.sample(SPEAKERS, rng.randint(0, 2)),
                claim=rng.choice(CLAIMS), topics=rng.sample(TOPICS, rng.randint(1, 3)),
            ) for i in range(count)}
            for name in names:
                doc = AnnotationDoc(article.id, name)
                for i, tags in truth.items():
                    if rng.random() < 0.15:  # disagree now and then
                        tags = tags.with_layer("claim", rng.choice(CLAIMS))
                    if rng.random() < 0.9:
                        doc.tags[i] = tags
                store.save(doc, article)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", type=Path)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--sentences", type=int, default=20)
    parser.add_argument("--annotators", type=int, default=0)
    parser.add_argument("--long-article", type=int, default=0,
                        help="make the first article this many sentences long")
    args = parser.parse_args()
    generate(args.dir, args.articles, args.sentences, args.annotators,
             long_article=args.long_article)
    print(f"wrote {args.articles} articles to {args.dir}")


if __name__ == "__main__":
    main()
