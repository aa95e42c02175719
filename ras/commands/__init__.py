"""Extra `ras` commands: each module defines `register(subparsers)`."""
