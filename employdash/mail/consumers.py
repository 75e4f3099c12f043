"""The events that write mail in the writer's transaction (`employdash.events.consumes`).

`employdash.events.CONSUMER_MODULES` names this module, so it is loaded before the first event
of any process; each consumer module of the mail package is imported here.
"""

import employdash.mail.invitations  # noqa: F401
