"""Command line: ``python -m kexue_lab list|status|check-notebooks`` (also ``kexue-lab``).

First used by the foundation (chapter 9812).
"""

from __future__ import annotations

import argparse
import pathlib
import sys

from . import notebooks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kexue-lab", description="Kexue Lab: chapters and their status.")
    parser.add_argument("--root", default=".", help="repository root (default: current directory)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="chapters with derivation counts and claims status")
    sub.add_parser("status", help="print the status page (Markdown) that the book shows")
    sub.add_parser("check-notebooks", help="gate: .md/.ipynb pairs hold the same cells; all cells executed")
    args = parser.parse_args(argv)
    root = pathlib.Path(args.root)

    if args.command == "list":
        rows = notebooks.status_rows(root)
        print(f"{'chapter':>8}  {'part':<13} {'steps':>5} {'errata':>6} {'claims ok/not/all':>18} {'cpu s':>6}  title")
        for r in rows:
            cpu = "-" if r["cpu_seconds"] is None else f"{r['cpu_seconds']:.1f}"
            claims = f"{r['reproduced']}/{r['not_reproduced']}/{r['claims']}"
            print(
                f"{r['chapter']:>8}  {r['part']:<13} {r['steps']:>5} {r['errata']:>6} {claims:>18} {cpu:>6}  {r['title']}"
            )
        return 0
    if args.command == "status":
        print(notebooks.status_markdown(root))
        return 0
    problems = notebooks.check_all(root)
    for p in problems:
        print("FAIL", p)
    n = len(notebooks.chapters(root))
    print(f"{n} chapters checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
