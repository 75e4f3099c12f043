"""Command line: `python -m employdash prepare|migrate|create-admin|backup|restore`."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from employdash.config import get_config
from employdash.db import get_database, migrate
from employdash.errors import DomainError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="employdash")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("prepare", help="migrate, and load demo data into an empty demo database")
    sub.add_parser("migrate", help="upgrade the schema to the newest revision")
    admin = sub.add_parser("create-admin", help="create an administrator (production set-up)")
    admin.add_argument("username")
    dump = sub.add_parser("backup", help="write a consistent backup, also while the app runs")
    dump.add_argument("file", type=Path)
    load = sub.add_parser("restore", help="restore a backup into an empty database")
    load.add_argument("file", type=Path)
    load.add_argument(
        "--force", action="store_true", help="replace the contents of a database that is not empty"
    )
    args = parser.parse_args(argv)

    try:
        config = get_config()
        db = get_database(config.DATABASE_URL)
        if args.command == "prepare":
            from employdash.bootstrap import prepare  # the seed's imports only when needed

            print(prepare(db, config))
        elif args.command == "migrate":
            migrate(db)
            print("schema up to date")
        elif args.command == "backup":
            from employdash.backup import backup

            print(f"backup written to {backup(db, args.file)}")
        elif args.command == "restore":
            from employdash.backup import restore

            restore(db, args.file, force=args.force)
            print(f"restored {args.file}")
        else:
            from employdash.users import bootstrap_admin

            bootstrap_admin(db, args.username, getpass.getpass("Password: "))
            print(f"administrator {args.username} created")
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
