"""Benchmark huge inputs: 5 MB articles in the editor, 100,000 speakers in labels.yaml.

`python bench/bench_huge.py [--speakers 100000] [--keep DIR]` builds temporary projects
and prints each figure against its target, next to the same measure on the bundled
project in the same run (the baseline):

  first screen   1 s from process start to the first frame, showing the first sentence,
                 for a 5 MB article of ~60,000 sentences, the same text on one line, and
                 5 MB without a single space (which must wrap at the terminal width)
  save           20 ms to tag a sentence of each (session command, atomic fsynced save)
  labels         5 s each for validate, stats and export with 100,000 speakers: the first
                 run after labels.yaml was edited (read by core/labels_fastread.py and
                 checked in full), the next one (core/schema_cache.py), and two speakers
                 sharing an alias: validate must name both
  picker         50 ms per key typed in the speaker picker's filter

Each first-screen and CLI figure comes from a fresh process, as a user would wait for it.
`--tree DIR` times the annotator package of another checkout (say, the commit before a
change) with this script's inputs and measures: run both, one after the other, to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

START = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent
# The checkout whose annotator package is timed (--tree; children are told by TREE_ENV).
TREE_ENV = "BENCH_HUGE_TREE"
TREE = Path(os.environ.get(TREE_ENV, ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(TREE))

ANNOTATOR = "bench"
SIZE = (100, 30)
MB5 = 5_000_000
WORDS = ("the minister said that talks with Moscow would resume next week after a long "
         "pause in relations between the two countries and their allies in Europe").split()


# ----- inputs ---------------------------------------------------------------------------
def news_text(size: int, paragraph_every: int | None, seed: int = 1) -> str:
    """size characters of sentences (6-18 words), a blank line every few sentences."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = count = 0
    while total < size:
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
        sentence = " ".join(words).capitalize() + "."
        count += 1
        gap = "\n\n" if paragraph_every and count % paragraph_every == 0 else " "
        parts.append(sentence + gap)
        total += len(sentence) + len(gap)
    return "".join(parts)


def huge_articles() -> dict[str, str]:
    escapes = "".join(["\x1b]0;EVIL\x07", "\x1b[2J", "\x1b[31m", "\x9b2J", "\x07\x08\r"]
                      * 2000)
    return {
        "sentences": "Five megabytes of sentences\n\n" + news_text(MB5, 8),
        "one line": "Five megabytes on one line\n\n" + news_text(MB5, None),
        "no space": "Five megabytes without a space\n\n"
                    + ("Theministersaidthattalkswouldresume." * (MB5 // 36 + 1))[:MB5],
        "escapes only": escapes,
    }


def article_project(root: Path) -> dict[str, str]:
    """The bundled labels and a huge article per kind; returns label -> article id."""
    from annotator.core.importer import build_article
    from annotator.core.project import Project

    root.mkdir(parents=True)
    shutil.copy(ROOT / "labels.yaml", root / "labels.yaml")
    (root / "annotations").mkdir()
    project = Project(root)
    ids = {}
    for label, text in huge_articles().items():
        started = time.perf_counter()
        article = build_article(text, f"{label.replace(' ', '-')}.txt")
        project.corpus.write(article)
        ids[label] = article.id
        print(f"  imported {label!r}: {len(text) / 1e6:.1f} MB, {len(article.spans):,} "
              f"sentences, segmented and written in {time.perf_counter() - started:.1f} s")
    return ids


def speakers_project(root: Path, speakers: int) -> None:
    """The bundled project with `speakers` more speakers, some of them tagged; beside it
    labels-shared-alias.yaml, the same but two speakers claim one alias (a mistake
    validate must name, with both speakers)."""
    root.mkdir(parents=True)
    shutil.copytree(ROOT / "corpus", root / "corpus")
    (root / "annotations").mkdir()
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    anchor = "      # --- United States ---\n"
    assert anchor in text, "labels.yaml changed: update bench_huge.speakers_project"
    rng = random.Random(7)
    lines = []
    for number in range(speakers):
        first = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6)).title()
        alias = f"{first} {number}"
        lines.append(f"      - id: bench-{number}\n        name: {first} Person{number}\n"
                     f"        kind: person\n        aliases: [{alias}]\n")
    labels = text.replace(anchor, anchor + "".join(lines))
    (root / "labels.yaml").write_text(labels, encoding="utf-8")
    shared = labels.replace(f"aliases: [{_alias_of(lines[speakers - 10])}]",
                            f"aliases: [{_alias_of(lines[10])}]")
    (root.parent / "labels-shared-alias.yaml").write_text(shared, encoding="utf-8")
    # Some tags on the bundled articles, so stats and export have work to do.
    from annotator.core.project import Project
    from annotator.core.session import AnnotateSession

    session = AnnotateSession(Project(root), ANNOTATOR)
    for entry in session.entries():
        session.open_article(entry.id)
        for index in range(0, len(session.sentences), 2):
            session.goto(index)
            session.set_labels("speakers", (f"bench-{index * 997 % speakers}",))
    session.close()


def _alias_of(entry: str) -> str:
    return entry.split("aliases: [", 1)[1].split("]", 1)[0]


# ----- children (fresh interpreter per measure) -----------------------------------------
def child_first_screen(project_dir: str, article_id: str) -> None:
    """Print JSON: seconds from process start to the first frame, and what it showed."""
    from annotator.core.project import Project
    from annotator.tui.app import make_app

    project = Project(Path(project_dir))
    state = project.state_dir / "state" / f"{ANNOTATOR}.json"
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(json.dumps({"last_article": article_id, "positions": {}}))
    app = make_app(project, ANNOTATOR)
    marks: dict[str, float] = {}
    display = app._display

    def timed_display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        display(screen, renderable)
        if renderable is not None and "frame" not in marks:
            marks["frame"] = time.perf_counter()
            marks["cpu"] = time.process_time()

    app._display = timed_display  # type: ignore[method-assign]
    shown: list[str] = []

    async def auto_pilot(pilot) -> None:  # type: ignore[no-untyped-def]
        while "frame" not in marks:
            await asyncio.sleep(0.001)
        strips = app.screen._compositor.render_strips()
        shown.extend(strip.text for strip in strips)
        app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=auto_pilot)
    from annotator.core.terminal_text import one_line

    sentences = app.session.sentences
    first = one_line(sentences[0].text)[:20] if sentences else ""
    longest = max((len(line.rstrip()) for line in shown), default=0)
    print(json.dumps({"first_frame_s": marks["frame"] - START, "cpu_s": marks["cpu"],
                      "first_sentence_shown": bool(first) and any(
                          first[:12] in line for line in shown),
                      "text_lines": sum(1 for line in shown if line.rstrip()),
                      "longest_line": longest}))


def tree_env() -> dict[str, str]:
    """The environment of a child process: it imports the package timed (TREE), with its
    bytecode cached as after an install (not in the source tree), whatever the shell says."""
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "bench-huge-pycache")
    return {**env, TREE_ENV: str(TREE), "PYTHONPATH": str(TREE), "ANNOTATOR": ANNOTATOR}


def run_child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          check=False, env=tree_env(), cwd=TREE)
    if done.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cli_seconds(project: Path, *args: str) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "annotator", "--project", str(project), *args],
                          capture_output=True, text=True, check=False, env=tree_env(), cwd=TREE)
    return time.perf_counter() - started, done


def median_cli(runs: int, project: Path, *args: str, before: Callable[[], None] = lambda: None,
               ) -> tuple[float, subprocess.CompletedProcess]:
    """The median seconds of `runs` fresh processes (each after `before()`), and the last."""
    timings = []
    for _ in range(runs):
        before()
        seconds, done = cli_seconds(project, *args)
        timings.append(seconds)
    return statistics.median(timings), done


# ----- in-process measures --------------------------------------------------------------
def save_ms(project_dir: Path, article_id: str, tags: int = 20) -> float:
    """Median ms of a tag on a sentence (toggle the claim), each an atomic fsynced save."""
    from annotator.core.project import Project
    from annotator.core.session import AnnotateSession

    session = AnnotateSession(Project(project_dir), "saver")
    session.open_article(article_id)
    timings = []
    for number in range(tags):
        session.goto(number * 997 % len(session.sentences))
        started = time.perf_counter()
        session.toggle_label("claim", "fact")
        timings.append((time.perf_counter() - started) * 1000)
    session.close()
    return statistics.median(timings)


def picker_ms(project_dir: Path, typed: str = "ameli") -> tuple[float, float, int, float]:
    """ms from a key typed in the speaker picker's filter to the next frame (median,
    worst), how many entries it then lists, and the median CPU ms per key."""
    from keytiming import KeyTimer

    from annotator.core.project import Project
    from annotator.tui.app import make_app

    app = make_app(Project(project_dir), ANNOTATOR)
    timer = KeyTimer(app)
    timings: list[float] = []
    cpu: list[float] = []
    found = 0

    async def run() -> None:
        nonlocal found
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            await pilot.press("s")
            while app.screen is screen:
                await asyncio.sleep(0.01)
            await pilot.pause()
            for key in typed:
                wall, used = await timer.press(key)
                timings.append(wall)
                cpu.append(used)
                await asyncio.sleep(0.05)
            await pilot.pause()
            from textual.widgets import OptionList

            found = app.screen.query_one(OptionList).option_count

    asyncio.run(run())
    return statistics.median(timings), max(timings), found, statistics.median(cpu)


def fmt(value: float, target: float, unit: str) -> str:
    mark = "ok" if value <= target else "OVER"
    return f"{value:9.3f} {unit}  (target {target:g} {unit}: {mark})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speakers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="first-screen runs (median)")
    parser.add_argument("--keep", type=Path, help="build the projects here and keep them")
    parser.add_argument("--part", choices=("all", "articles", "labels", "picker"),
                        default="all", help="run only part of the bench")
    parser.add_argument("--cli-runs", type=int, default=3,
                        help="runs of each labels command (median)")
    parser.add_argument("--tree", type=Path, help="time the annotator package of this "
                        "checkout instead (a baseline)")
    args = parser.parse_args()
    if args.tree is not None:
        global TREE
        TREE = args.tree.resolve()
        sys.path.insert(0, str(TREE))
    import annotator

    print(f"timing {Path(annotator.__file__).parent}")
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-huge-"))
    print(f"projects in {base}  (cpus: {os.cpu_count()}, load: {os.getloadavg()[0]:.2f})")
    small, huge, many = base / "small", base / "huge", base / "speakers"
    if not small.exists():
        small.mkdir(parents=True)
        shutil.copy(ROOT / "labels.yaml", small / "labels.yaml")
        shutil.copytree(ROOT / "corpus", small / "corpus")
        (small / "annotations").mkdir()
    ids_file = base / "huge-ids.json"
    if args.part in ("all", "articles"):
        huge_figures(args, small, huge, ids_file)
    if args.part != "articles":
        label_figures(args, base, small, many)
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)


def huge_figures(args: argparse.Namespace, small: Path, huge: Path, ids_file: Path) -> None:
    if not huge.exists():
        ids_file.write_text(json.dumps(article_project(huge)))
    ids = json.loads(ids_file.read_text())

    print(f"\nfirst screen (fresh process, from process start; median of {args.runs})")
    from annotator.core.project import Project

    baseline_id = Project(small).corpus.ids()[0]
    rows = [("bundled article (baseline)", small, baseline_id)]
    rows += [(f"5 MB: {label}", huge, article_id) for label, article_id in ids.items()]
    for label, folder, article_id in rows:
        runs = [run_child("--child-first-screen", str(folder), article_id)
                for _ in range(args.runs)]
        value = statistics.median(run["first_frame_s"] for run in runs)
        cpu = statistics.median(run["cpu_s"] for run in runs)
        last = runs[-1]
        print(f"  {label:30} {fmt(value, 1.0, 's')}  cpu {cpu:.2f} s, first sentence shown: "
              f"{'yes' if last['first_sentence_shown'] else 'NO'}, {last['text_lines']} "
              f"lines, longest {last['longest_line']} of {SIZE[0]} columns")

    print("\nsave one tag (median of 20, atomic and fsynced)")
    for label, folder, article_id in rows:
        print(f"  {label:32} {fmt(save_ms(folder, article_id), 20, 'ms')}")


def label_figures(args: argparse.Namespace, base: Path, small: Path, many: Path) -> None:
    if not many.exists():
        started = time.perf_counter()
        speakers_project(many, args.speakers)
        print(f"\nbuilt labels.yaml with {args.speakers:,} speakers in "
              f"{time.perf_counter() - started:.1f} s")
    if args.part == "picker":
        picker_figures(small, many)
        return
    runs = args.cli_runs
    print(f"\nlabels.yaml with {args.speakers:,} speakers (baseline: bundled project; "
          f"median of {runs})")
    out = base / "export.jsonl"
    labels = many / "labels.yaml"
    text = labels.read_text(encoding="utf-8").split("# bench edit", 1)[0]
    edits = iter(range(1_000_000))

    def edit() -> None:
        """A lead's edit (one comment): a text no command has read or checked yet."""
        labels.write_text(f"{text}# bench edit {next(edits)}\n", encoding="utf-8")

    commands = (("validate", ("validate",)), ("stats", ("stats",)),
                ("export", ("export", "-o", str(out))))
    for _, command in commands:  # bytecode written, as after an install
        cli_seconds(small, *command[:1])
    for label, command in commands:  # after an edit: read and checked in full
        seconds, done = median_cli(runs, many, *command, before=edit)
        print(f"  {label + ', first':16} {fmt(seconds, 5.0, 's')}  exit {done.returncode}  "
              "(after an edit)")
    for label, command in commands:  # the same text again: its kept layers
        before, _ = median_cli(runs, small, *command[:1])
        seconds, done = median_cli(runs, many, *command)
        note = "" if done.returncode == 0 else f"  exit {done.returncode}: {done.stderr[-200:]}"
        print(f"  {label:9} {fmt(seconds, 5.0, 's')}  (bundled: {before:.2f} s){note}")
    # An annotator created a speaker in the editor: every command merges their file in.
    from annotator.core.speaker_files import speakers_path

    created = speakers_path(many / "annotations", ANNOTATOR)
    created.write_text("version: 1\nspeakers:\n- id: jane-doe\n  name: Jane Doe\n"
                       "  kind: person\n  aliases: [Ms Doe]\n", encoding="utf-8")
    try:
        seconds, done = median_cli(runs, many, "validate")
    finally:
        created.unlink()
    print(f"  validate, a speakers file {fmt(seconds, 5.0, 's')}  exit {done.returncode}")
    shared = base / "shared"
    if not shared.exists():
        shutil.copytree(many, shared, ignore=shutil.ignore_patterns(".annotator"))
        shutil.copy(base / "labels-shared-alias.yaml", shared / "labels.yaml")
    seconds, done = median_cli(runs, shared, "validate")
    named = all(f"'bench-{n}'" in done.stdout + done.stderr for n in (10, args.speakers - 10))
    print(f"  validate, two speakers sharing an alias {fmt(seconds, 5.0, 's')}  exit "
          f"{done.returncode}, names both: {'yes' if named else 'NO'}")
    picker_figures(small, many)


def picker_figures(small: Path, many: Path) -> None:
    """The speaker picker with 100,000 speakers, next to the bundled project's."""
    for label, folder in (("picker, bundled (baseline)", small), ("picker", many)):
        median, worst, found, cpu = picker_ms(folder)
        print(f"  {label:26} {fmt(median, 50, 'ms')} per key (cpu {cpu:.1f} ms), worst "
              f"{worst:.1f} ms ({found:,} options after typing)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-first-screen":
        child_first_screen(sys.argv[2], sys.argv[3])
    else:
        main()
