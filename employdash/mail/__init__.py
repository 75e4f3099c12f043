"""Mail between meetings: invitations with calendar files, RSVP, minutes, reminders and the
mayor's digest. Every message is written to the outbox (`outbox.enqueue`) in the transaction of
the change that causes it, and delivered later by the sender, so a mail server that is down loses
nothing and a change that rolls back sends nothing.

It sits above the areas it writes about (it reads the forum and the briefing; no area imports it).
"""
