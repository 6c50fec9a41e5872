"""The ``bioact`` command line: thin wrappers over the API, one module per command.

Each command lives in ``bioact/commands/<name>.py`` and provides ``add_arguments(parser)``
and ``run(args) -> dict`` (extra entries for ``meta.json``). This module owns what they
share: ``--out DIR`` (created), ``DIR/meta.json`` (command, parameters, versions, wall
time), exit codes (0 success; 2 bad arguments, one line, no traceback; 1 numerical
failure) and the Agg plotting backend. Command modules import heavy dependencies
inside ``run`` so ``bioact --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["CLIError", "main"]

#: Registered subcommands, in help order (module names under ``bioact.commands``).
COMMANDS: tuple[str, ...] = ("activations", "fi", "trace", "ffl", "pinn", "fit", "sweep", "tour")


class CLIError(ValueError):
    """A bad command-line argument: reported as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump
        raise CLIError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bioact",
        description="Biological and physical analogues of neural-network activation functions.",
    )
    from bioact import __version__

    parser.add_argument("--version", action="version", version=f"bioact {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"bioact.commands.{name}")
        doc = (module.__doc__ or "").strip().splitlines()[0]
        p = sub.add_parser(name, help=doc, description=(module.__doc__ or "").strip())
        p.add_argument("--out", type=Path, required=True, help="output folder (created)")
        module.add_arguments(p)
        p.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 numerical failure, 2 bad arguments)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
    except CLIError as err:
        print(f"bioact: error: {err}", file=sys.stderr)
        return 2
    if args.command is None:
        parser.print_help()
        return 2
    import matplotlib

    matplotlib.use("Agg")
    from bioact.errors import BioactError
    from bioact.io import write_meta

    module = args._module
    params = {
        k: (str(v) if isinstance(v, Path) else v)
        for k, v in vars(args).items()
        if not k.startswith("_")
    }
    start = time.perf_counter()
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        extra = module.run(args) or {}
    except (CLIError, ValueError) as err:
        print(f"bioact {args.command}: error: {err}", file=sys.stderr)
        return getattr(err, "exit_code", 2)
    except BioactError as err:
        print(f"bioact {args.command}: numerical failure: {err}", file=sys.stderr)
        return 1
    wall = time.perf_counter() - start
    write_meta(args.out, f"bioact {' '.join(argv)}", params, wall, extra)
    print(f"bioact {args.command}: wrote {args.out}/ in {wall:.1f} s")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
