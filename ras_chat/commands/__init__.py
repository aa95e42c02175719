"""`ras-chat` subcommands: each module defines `register(subparsers)`; its parser sets `func`."""
