"""The `ras-chat` command.

With no subcommand it starts (or resumes) a conversation: the Textual app on a terminal,
plain line mode with `--plain`, when not on a terminal, or when TERM=dumb.
Subcommands plug in from `ras_chat/commands/` (each module has `register(subparsers)`).
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from ras_chat.environment import read_quick, using
from ras_chat.startup import pause_collector, resume_collector

EXIT_BAD_INPUT = 2


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ras-chat")
    except PackageNotFoundError:  # run from a source folder that was never installed
        return "(not installed)"


def quiet_broken_pipe() -> None:
    """The reader of our output went away (`ras-chat demo CASE | head`): send what is left
    to /dev/null, so that Python's last flush does not print an error on the way out."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plain", action="store_true", help="plain line-by-line mode (screen readers, pipes)")
    parser.add_argument("--resume", metavar="ID|last", help="carry on a saved conversation")
    parser.add_argument("--db", metavar="PATH|URL", help="the sessions database (default: in your data folder)")
    parser.add_argument("--policy", default=None, help="a shipped policy name or a policy file (default: example)")
    parser.add_argument("--theme", default=None, help="default or high-contrast")
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and stop")
    parser.set_defaults(func=None, command=None)


class _Version(argparse.Action):
    """`--version`: the installed version is looked up only when asked (importlib.metadata
    costs about 20 ms, paid by every start otherwise)."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object, option_string: str | None = None
    ) -> None:
        print(f"ras-chat {package_version()}")
        parser.exit()


class _NotJustOptions(Exception):
    pass


class _OptionsOnly(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotJustOptions(message)


def conversation_args(argv: list[str] | None) -> argparse.Namespace | None:
    """The options when no command is named (a conversation), read without loading every
    command's module (start-up speed, issue 18); None otherwise, or for --help."""
    parser = _OptionsOnly(prog="ras-chat", add_help=False)
    _add_options(parser)
    try:
        args, rest = parser.parse_known_args(argv)
    except _NotJustOptions:
        return None
    return None if rest else args


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ras-chat",
        description="Work out a starting budget for care and support by talking, not by filling in a form.",
    )
    _add_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import importlib
    import pkgutil  # only to find the commands: a conversation starts without it

    import ras_chat.commands as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        importlib.import_module(f"ras_chat.commands.{info.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    pause_collector()  # until the first question is shown (ras_chat/startup.py)
    try:
        args = conversation_args(argv) or build_parser().parse_args(argv)
        try:
            if args.func is None:  # a conversation: its first screen comes before pydantic is loaded
                from ras_chat.conversation import run_conversation

                with using(read_quick()):
                    return run_conversation(args)
            resume_collector()
            from ras_chat.settings import read

            with using(read()):  # read once, here; the layers below are given it
                return args.func(args)
        except KeyboardInterrupt:
            return 130
        except BrokenPipeError:  # e.g. piped into head, which stopped reading: not an error
            quiet_broken_pipe()
            return 0
        except Exception as exc:
            from ras.policy import DataFileError
            from ras_chat.settings import SettingsError
            from ras_chat.store.errors import StoreError

            if not isinstance(exc, (DataFileError, SettingsError, StoreError)):
                raise
            print(f"ras-chat: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
    finally:
        resume_collector()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
