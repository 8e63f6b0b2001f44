"""Keys per tagged sentence: tagging the first bundled seed article to a reference.

`python bench/keystrokes.py` copies the bundled project to a temporary folder, writes a
key script that tags the first seed article (pompeo-tells-russia-dont-meddle-f151cac6)
to the speakers and claims in tests/data/speakers/reference.yaml, replays it in the
editor through Textual's Pilot, checks that the file on disk holds exactly the
reference, and prints keys per tagged sentence (target: 4 or fewer).

Two routes are replayed, each as a careful annotator would take it:

  suggestions  where the suggested speakers are the reference: the claim key, then
               enter (accept and go on). Elsewhere the speaker picker (which opens with
               any suggestion ticked: untick a wrong one by typing it), a few letters
               and enter per speaker, escape, the claim key, j.
  picker only  the same tags without suggestions: s, letters, enter per speaker,
               escape, the claim key, j (what tagging cost before suggestions).

Letters typed are the fewest that put the speaker first in the picker's ranking.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.project import Project  # noqa: E402
from annotator.core.schema import LabelSchema  # noqa: E402
from annotator.core.session import AnnotateSession  # noqa: E402
from annotator.core.suggest import article_suggestions as _article_suggestions  # noqa: E402
from annotator.tui.app import make_app  # noqa: E402

ARTICLE = "pompeo-tells-russia-dont-meddle-f151cac6"
REFERENCE = ROOT / "tests" / "data" / "speakers" / "reference.yaml"
ANNOTATOR = "bench"


def reference() -> tuple[dict[int, list[str]], dict[int, str]]:
    entry = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))["articles"][ARTICLE]
    return ({int(k): v for k, v in entry["speakers"].items()},
            {int(k): v for k, v in entry["claims"].items()})


def letters_for(schema: LabelSchema, speaker: str, used: set[str]) -> list[str]:
    """The shortest prefix of a name or alias that ranks the speaker first."""
    label = schema.get("speakers", speaker)
    assert label is not None
    best: str | None = None
    for spelling in (label.name, *getattr(label, "aliases", ())):
        for size in range(1, len(spelling) + 1):
            prefix = spelling[:size]
            found = schema.search("speakers", prefix, used)
            if found and found[0].id == speaker:
                if best is None or len(prefix) < len(best):
                    best = prefix
                break
    assert best is not None, speaker
    return list(best)


def script(project: Project, use_suggestions: bool) -> list[tuple[int, list[str]]]:
    """(sentence, keys) in order; keys as Pilot names them."""
    speakers, claims = reference()
    session = AnnotateSession(project, "planner", read_only=True)
    session.open_article(ARTICLE)
    schema = session.schema
    claim_key = {label.id: label.key for label in schema.layer("claim")}
    article = session.article
    assert article is not None
    used: set[str] = set()
    out = []
    for sentence in article.sentences:
        index = sentence.index
        keys: list[str] = []
        want = speakers.get(index, [])
        claim = claims.get(index)
        if index in article.non_content and not want and claim is None:
            out.append((index, ["j"]))
            continue
        pending = [s.label for s in session.pending(index)] if use_suggestions else []
        if claim is not None:
            keys.append(str(claim_key[claim]))
        if want and sorted(pending) == sorted(want):
            keys.append("enter")  # accept and go on
        else:
            if want or pending:
                keys.append("s")  # opens with `pending` ticked
                for speaker in pending:
                    if speaker not in want:
                        keys += letters_for(schema, speaker, used) + ["enter"]  # untick
                for speaker in want:
                    if speaker not in pending:
                        keys += letters_for(schema, speaker, used) + ["enter"]
                keys.append("escape")
            keys.append("j")
        used.update(want)
        out.append((index, keys))
    session.close()
    return out


async def replay(project: Project, keys: list[str]) -> None:
    app = make_app(project, ANNOTATOR)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()


def check(project: Project) -> list[str]:
    """Differences between the file on disk and the reference (none expected)."""
    speakers, claims = reference()
    doc = project.store.load(ANNOTATOR, ARTICLE)
    problems = []
    for index in sorted(set(speakers) | set(claims) | set(doc.tags)):
        tags = doc.get(index)
        if sorted(tags.get("speakers")) != sorted(speakers.get(index, [])):
            problems.append(f"sentence {index + 1}: speakers {tags.get('speakers')} "
                            f"!= {speakers.get(index, [])}")
        if tags.first("claim") != claims.get(index):
            problems.append(f"sentence {index + 1}: claim {tags.first('claim')} "
                            f"!= {claims.get(index)}")
    return problems


def run(use_suggestions: bool) -> dict[str, Any]:
    if not use_suggestions:  # the editor as it was before suggestions: none offered
        from annotator.core import session as session_module

        original = session_module.suggestion_layer
        session_module.suggestion_layer = lambda schema: None  # type: ignore[assignment]
        session_module.article_suggestions = lambda article, schema: None  # type: ignore
        try:
            return _run(False)
        finally:
            session_module.suggestion_layer = original
            session_module.article_suggestions = _article_suggestions
    return _run(True)


def _run(use_suggestions: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-keys-") as folder:
        root = Path(folder)
        shutil.copy(ROOT / "labels.yaml", root / "labels.yaml")
        shutil.copytree(ROOT / "corpus", root / "corpus")
        (root / "annotations").mkdir()
        project = Project(root)
        plan = script(project, use_suggestions)
        keys = [key for _, sentence_keys in plan for key in sentence_keys]
        asyncio.run(replay(Project(root), keys))
        problems = check(Project(root))
        tagged = len(project.store.load(ANNOTATOR, ARTICLE).tags)
        return {"keys": len(keys), "tagged": tagged, "problems": problems, "plan": plan}


def main() -> None:
    print(f"tagging {ARTICLE} to tests/data/speakers/reference.yaml (speakers and claims)")
    results = {}
    for name, use in (("picker only", False), ("suggestions", True)):
        result = results[name] = run(use)
        per = result["keys"] / result["tagged"] if result["tagged"] else float("inf")
        status = "reference reached" if not result["problems"] else "DIFFERS FROM THE REFERENCE"
        target = f"  target <= 4: {'ok' if per <= 4 else 'OVER'}" if use else ""
        print(f"  {name:12s} {result['keys']:4d} keys, {result['tagged']} sentences tagged: "
              f"{per:.2f} keys per tagged sentence ({status}){target}")
        for problem in result["problems"][:10]:
            print(f"      {problem}")
    if "-v" in sys.argv:
        for index, keys in results["suggestions"]["plan"]:
            print(f"  {index + 1:3d}  {' '.join(keys)}")


if __name__ == "__main__":
    main()
