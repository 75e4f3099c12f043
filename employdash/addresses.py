"""An e-mail address typed into a form: refused when it is not one, kept in its normal form.

Checked with `email-validator` (the syntax of RFC 5321/5322 and internationalised addresses,
without asking DNS: a form must not wait on the network), so a typo such as "dana@@example" or
"dana@example" is refused where it is typed, with a message under the field, instead of failing
later when mail is sent to it. The normal form (the domain lower-cased and IDNA-normalised) is
what is stored, so one person's address is spelled one way.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

INVALID = "validation.email"


def address_problem(address: str | None) -> tuple[str | None, str | None]:
    """(the address to store, None) for a valid or empty address; (the address, `INVALID`)
    for one that is not an address."""
    if not address:
        return None, None
    try:
        return validate_email(address, check_deliverability=False).normalized, None
    except EmailNotValidError:
        return address, INVALID
