"""The trash: deleted meetings and tasks, restorable by a manager for 90 days."""

from components.common.page import locality_page
from components.forum import trash as trash_view
from components.shell.context import current
from components.shell.feedback import guarded

ctx = current()
locality_page(ctx, "page.trash", "record.trash.pick_locality")

with guarded():
    trash_view.page(ctx)
