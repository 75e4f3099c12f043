"""Command line: `python -m employdash
migrate|create-admin|localities|prepare|backup|restore|notify`."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path

from employdash.config import Config, get_config
from employdash.db import Database, get_database
from employdash.errors import DomainError, ValidationError
from employdash.i18n import t


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="employdash")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "migrate", help="upgrade the schema and load the reference data (any time, idempotent)"
    )
    admin = sub.add_parser("create-admin", help="create an administrator (production set-up)")
    admin.add_argument("username")
    places = sub.add_parser("localities", help="the CBS localities this installation serves")
    acts = places.add_subparsers(dest="action", required=True)
    acts.add_parser("list", help="the localities served")
    find = acts.add_parser("search", help="search the CBS catalogue by name or code")
    find.add_argument("text")
    on = acts.add_parser("enable", help="serve these localities (CBS codes)")
    on.add_argument("codes", nargs="+", type=int, metavar="CODE")
    off = acts.add_parser("disable", help="stop serving a locality (CBS code)")
    off.add_argument("code", type=int, metavar="CODE")
    sub.add_parser("prepare", help="what `make run` does: migrate, and load the demo data")
    dump = sub.add_parser("backup", help="write a consistent backup, also while the app runs")
    dump.add_argument("file", type=Path)
    load = sub.add_parser("restore", help="restore a backup into an empty database")
    load.add_argument("file", type=Path)
    load.add_argument(
        "--force", action="store_true", help="replace the contents of a database that is not empty"
    )
    notify = sub.add_parser(
        "notify", help="queue the scheduled mail due today and deliver the outbox (idempotent)"
    )
    notify.add_argument(
        "--date",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the day to run for (default: today in Israel)",
    )
    return parser


def _notify(db: Database, config: Config, today: date | None) -> int:
    """Prints what was queued and sent; 1 when a message failed for good (the outbox page says
    why), so cron mails the operator and a systemd timer's unit shows failed."""
    from employdash.mail.notify import notify

    report = notify(db, config, today=today, processes=True)
    print(report.describe())
    return 1 if report.failed else 0


def _create_admin(db: Database, username: str) -> str:
    """The password typed twice (not echoed); a mismatch creates nothing."""
    from employdash.users import bootstrap_admin

    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        raise ValidationError({"password": "cli.password_mismatch"}, "the passwords differ")
    bootstrap_admin(db, username, password)
    return f"administrator {username} created"


def _localities(db: Database, args: argparse.Namespace) -> str:
    from employdash import localities
    from employdash.localities import COMMAND_LINE

    def line(loc: localities.LocalityInfo) -> str:
        served = "served" if loc.enabled else "-"
        return f"{loc.code:>5}  {loc.name_en} / {loc.name_he}  ({loc.district('en')})  {served}"

    if args.action == "list":
        found = localities.enabled(db, COMMAND_LINE)
        return "\n".join(map(line, found)) or "no locality is served yet"
    if args.action == "search":
        found = localities.search(db, COMMAND_LINE, args.text)
        return "\n".join(map(line, found)) or f"no locality matches {args.text!r}"
    if args.action == "enable":
        changed = {loc.code for loc in localities.enable(db, COMMAND_LINE, args.codes)}
        return "\n".join(
            f"{code}: {'enabled' if code in changed else 'already enabled'}"
            for code in dict.fromkeys(args.codes)
        )
    was_served = localities.disable(db, COMMAND_LINE, args.code)
    return f"{args.code}: {'disabled' if was_served else 'was not enabled'}"


def _message(exc: DomainError) -> str:
    """The error in English as the catalogue words it, with the detail an operator needs."""
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{field}: {t(key, 'en', **exc.field_params.get(field, {}))}"
            for field, key in exc.fields.items()
        )
    text = t(exc.message_key, "en", **{"detail": exc.detail, **exc.params})
    return f"{text} ({exc.detail})" if exc.detail and exc.detail not in text else text


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = get_config()
        db = get_database(config.DATABASE_URL)
        if args.command == "migrate":
            from employdash.bootstrap import upgrade

            print(upgrade(db))
        elif args.command == "create-admin":
            print(_create_admin(db, args.username))
        elif args.command == "localities":
            print(_localities(db, args))
        elif args.command == "prepare":
            from employdash.bootstrap import prepare  # the seed's imports only when needed

            print(prepare(db, config))
        elif args.command == "notify":
            return _notify(db, config, args.date)
        elif args.command == "backup":
            from employdash.backup import backup

            print(f"backup written to {backup(db, args.file)}")
        else:
            from employdash.backup import restore

            restore(db, args.file, force=args.force)
            print(f"restored {args.file}")
    except DomainError as exc:
        print(f"error: {_message(exc)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
