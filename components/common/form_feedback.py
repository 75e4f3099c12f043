"""Form errors where a reader finds them: a summary at the top of the form, and each field's
message right under that field, in the user's language. Required fields carry a visible mark.

A form is drawn before its submit is handled, so the top and each field get an empty slot while
the form is drawn; a refused save fills them in the same run. Shared by every form that saves
through a service raising `ValidationError` (its `fields` name the form's fields), and by input
that is not a form (the indicator explorer's pickers: `summary_key` words the summary for it).
Streamlit draws each error as an alert, so a screen reader announces it when it appears.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.common.text import plain
from components.shell.context import tr
from components.shell.feedback import show_error
from employdash.errors import DomainError, ValidationError

REQUIRED_MARK = " *"
T = TypeVar("T")


def drawn_with(key: str, read: Callable[[], T]) -> T:
    """The versions a form was first drawn from, kept in the session across the submit's rerun.

    Reading them again at submit would compare a save against a change the user never saw (a lost
    update); `read` runs only when the form is drawn anew (the caller pops `key` after a save or
    a refusal), not on every rerun.
    """
    if key not in st.session_state:
        st.session_state[key] = read()
    value: T = st.session_state[key]
    return value


def required(label: str) -> str:
    """A field label with the visible required mark (explained by `FormFeedback.note`)."""
    return label + REQUIRED_MARK


class FormFeedback:
    """Slots for one form's error summary and per-field errors."""

    def __init__(self, summary_key: str = "a11y.errors.summary") -> None:
        self.top: DeltaGenerator = st.empty()
        self.slots: dict[str, DeltaGenerator] = {}
        self.labels: dict[str, str] = {}
        self.summary_key = summary_key

    def note(self) -> None:
        st.caption(tr("a11y.required_note"))

    @contextmanager
    def labelled(self, name: str, label: str, *, mandatory: bool = False) -> Iterator[str]:
        """The label to draw the field `name`'s widget with (marked when `mandatory`); its error
        slot goes right under the widget drawn inside the block. One label for both, so the
        widget and the error that names it cannot drift apart:

            with feedback.labelled("title", tr("forum.focus.title"), mandatory=True) as label:
                title = st.text_input(label, max_chars=200)
        """
        yield required(label) if mandatory else label
        self.field(name, label)

    def field(self, name: str, label: str) -> None:
        """Call right after drawing the widget for `name`: its error will appear here."""
        self.slots[name] = st.empty()
        self.labels[name] = label

    def message(self, exc: ValidationError, name: str) -> str:
        """The field's message in the user's language, its placeholders (a limit) filled in."""
        return tr(exc.fields[name], **exc.field_params.get(name, {}))

    def show(self, exc: ValidationError) -> None:
        items = [(self.labels.get(f, f), self.message(exc, f)) for f in exc.fields]
        title = (
            tr(f"{self.summary_key}_one") if len(items) == 1 else tr(self.summary_key, n=len(items))
        )
        # Catalogue strings only (labels and messages): safe as Markdown.
        lines = "\n".join(
            f"- {plain(tr('a11y.errors.item', field=f, message=m))}" for f, m in items
        )
        self.top.error(f"**{plain(title)}**\n\n{lines}", icon=":material/error:")
        for name in exc.fields:
            if name in self.slots:
                self.slots[name].error(
                    plain(
                        tr(
                            "a11y.errors.item",
                            field=self.labels[name],
                            message=self.message(exc, name),
                        )
                    ),
                    icon=":material/error:",
                )


@contextmanager
def feedback_form(key: str, **options: Any) -> Iterator[FormFeedback]:
    """A form (`st.form(key, **options)`) opening with its error summary and the note that
    explains the required mark; the fields are drawn inside the block."""
    with st.form(key, **options):
        feedback = FormFeedback()
        feedback.note()
        yield feedback


@contextmanager
def expander_form(title: str, icon: str, key: str) -> Iterator[FormFeedback]:
    """A `feedback_form` folded under an expander: an editor's form on a page most people read."""
    with st.expander(plain(title), icon=icon), feedback_form(key) as feedback:
        yield feedback


@contextmanager
def handled(feedback: FormFeedback) -> Iterator[None]:
    """Like `feedback.guarded`, but a refused form shows its errors in the form's own slots."""
    try:
        yield
    except ValidationError as exc:
        feedback.show(exc)
    except DomainError as exc:
        show_error(exc)
