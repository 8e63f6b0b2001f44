"""`annotator stats`: not built yet (in progress)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser):
    return subparsers.add_parser("stats", parents=[common], help="(in progress)")


def run(args: argparse.Namespace) -> int:
    raise SystemExit("annotator stats: not available yet")
