"""What the reusable widgets need from a session, as Protocols.

The sentence view and the label pickers are shared by the annotate screen and the
review screen. They depend on these small interfaces, not on AnnotateSession itself,
so a review session (several annotators, a gold doc) can drive the same widgets.
AnnotateSession satisfies both as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from annotator.core.article import Article, Sentence
from annotator.core.corpus import CorpusEntry
from annotator.core.schema import Entity, LabelSchema
from annotator.core.session import Edit
from annotator.core.tags import SentenceTags


class SentenceSource(Protocol):
    """Read side: what the sentence view renders (read-only members: a review session
    derives them from its gold session)."""

    @property
    def schema(self) -> LabelSchema: ...

    @property
    def article(self) -> Article | None: ...

    @property
    def cursor(self) -> int: ...

    @property
    def sentences(self) -> Sequence[Sentence]: ...

    def tags(self, index: int | None = None) -> SentenceTags: ...


class TagTarget(SentenceSource, Protocol):
    """Write side: the commands a picker issues for the current sentence.

    Each may raise AnnotatorError; the picker reports it and stays open.
    """

    @property
    def current(self) -> Sentence | None: ...

    def toggle_label(self, layer: str, label: str) -> object: ...

    def set_labels(self, layer: str, ids: tuple[str, ...] | str | None) -> object: ...

    def create_entity(self, layer: str, name: str, kind: str | None = None) -> Entity: ...

    def create_and_tag(self, layer: str, name: str, kind: str | None = None,
                       aliases: tuple[str, ...] = ()) -> Edit: ...


class ArticleSource(Protocol):
    """What the article list needs: the corpus index and progress per article."""

    article: Article | None

    def entries(self) -> list[CorpusEntry]: ...

    def article_progress(self, entry: CorpusEntry) -> tuple[int, int]: ...
