"""Command line: `python -m employdash prepare|migrate|create-admin`."""

from __future__ import annotations

import argparse
import getpass
import sys

from employdash.bootstrap import prepare
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
    args = parser.parse_args(argv)

    config = get_config()
    db = get_database(config.DATABASE_URL)
    try:
        if args.command == "prepare":
            print(prepare(db, config))
        elif args.command == "migrate":
            migrate(db)
            print("schema up to date")
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
