"""The year summary as the screen, the PDF and the Word file show it: a title and headed
sections of lines in the reader's language (`employdash.reports.outline` prints both formats)."""

from __future__ import annotations

from employdash.briefing.text import fmt_value
from employdash.briefing.year_summary import MetricLine, YearSummary
from employdash.forum.stages import STAGE_OF
from employdash.i18n import fmt_date, fmt_month, fmt_number, fmt_percent, t
from employdash.reports import outline
from employdash.reports.outline import Sections

DOCX_MIME = outline.DOCX_MIME


def _count(value: int | None, summary: YearSummary, lang: str) -> str:
    """A count of people, or what stands for one that is hidden."""
    if value is None:
        return t("summary.hidden", lang)
    return fmt_number(value, lang)


def _metric(focus: str, m: MetricLine, lang: str) -> str:
    unit = m.unit or ""
    return t(
        "summary.metric",
        lang,
        title=focus,
        indicator=m.name_he if lang == "he" else m.name_en,
        baseline=fmt_value(unit, m.baseline, lang),
        baseline_date=fmt_date(m.baseline_date, lang) if m.baseline_date else "—",
        target=fmt_value(unit, m.target, lang),
        target_date=fmt_date(m.target_date, lang),
        latest=fmt_value(unit, m.latest, lang),
        period=fmt_month(m.latest_period, lang) if m.latest_period else "—",
        status=t(f"forum.targets.status.{m.status}", lang),
    )


def _focuses(summary: YearSummary, lang: str) -> list[str]:
    lines = []
    for focus in summary.focuses:
        lines += [_metric(focus.title, m, lang) for m in focus.metrics] or [
            t("summary.focus_no_metrics", lang, title=focus.title)
        ]
    return lines or [t("summary.none", lang)]


def _meetings(summary: YearSummary, lang: str) -> list[str]:
    head = t(
        "summary.meetings_held",
        lang,
        n=len(summary.meetings),
        rate=fmt_percent(summary.attendance_rate, lang, 0),
    )
    return [
        head,
        *(
            t(
                "summary.meeting",
                lang,
                date=fmt_date(m.held_on, lang),
                team=m.team,
                present=_count(m.present, summary, lang),
                absent=_count(m.absent, summary, lang),
            )
            for m in summary.meetings
        ),
    ]


def _decisions(summary: YearSummary, lang: str) -> list[str]:
    made, closed = summary.decisions_made, summary.decisions_closed
    head = t("summary.decisions_made", lang, made=made, closed=closed, open=made - closed)
    return [head, *(t("summary.decision_open", lang, text=x) for x in summary.open_decisions)]


def _tasks(summary: YearSummary, lang: str) -> list[str]:
    head = t(
        "summary.tasks_counts",
        lang,
        done=summary.tasks_done,
        open=summary.tasks_open,
        overdue=summary.tasks_overdue,
        date=fmt_date(summary.as_of, lang),
    )
    return [
        head,
        *(
            t(
                "summary.task_overdue",
                lang,
                title=x.title,
                owner=x.owner or "—",
                due=fmt_date(x.due, lang),
            )
            for x in summary.overdue
        ),
    ]


def _milestones(summary: YearSummary, lang: str) -> list[str]:
    stage = t("summary.stage", lang, stage=t(f"forum.stage.{summary.stage}", lang))
    return [
        stage,
        *(
            t("summary.milestone", lang, date=fmt_date(day, lang), name=t(f"forum.ms.{key}", lang))
            for key, day in summary.milestones
            if key in STAGE_OF
        ),
    ]


def _mentoring(summary: YearSummary, lang: str) -> list[str]:
    year = summary.mentoring
    if year is None:
        return []
    return [
        *(
            t(
                "summary.outcome",
                lang,
                kind=t(f"ment.outcome.{kind}", lang),
                n=_count(n, summary, lang),
            )
            for kind, n in year.outcomes.items()
        ),
        t(
            "summary.matches",
            lang,
            started=_count(year.matches_started, summary, lang),
            completed=_count(year.matches_completed, summary, lang),
        ),
    ]


def sections(summary: YearSummary, lang: str) -> tuple[str, Sections]:
    """The title and (heading, lines) pairs, in the order the model's seventh meeting reviews."""
    version = "publication" if summary.publication else "internal"
    title = t(f"summary.title.{version}", lang, year=summary.year, forum=summary.forum)
    parts = [
        (t("summary.h.focuses", lang), _focuses(summary, lang)),
        (t("summary.h.meetings", lang), _meetings(summary, lang)),
        (t("summary.h.decisions", lang), _decisions(summary, lang)),
        (t("summary.h.tasks", lang), _tasks(summary, lang)),
        (t("summary.h.milestones", lang), _milestones(summary, lang)),
        (t("summary.h.mentoring", lang), _mentoring(summary, lang)),
    ]
    if summary.publication:
        parts.append(
            (t("summary.h.privacy", lang), [t("summary.privacy", lang, n=summary.threshold)])
        )
    return title, [(h, lines) for h, lines in parts if lines]


def pdf(summary: YearSummary, lang: str) -> bytes:
    return outline.pdf(*sections(summary, lang), lang)


def docx(summary: YearSummary, lang: str) -> bytes:
    return outline.docx(*sections(summary, lang), lang)


def file_name(summary: YearSummary, lang: str, kind: str) -> str:
    version = "publication" if summary.publication else "internal"
    return f"year_summary_{summary.year}_{version}_{lang}.{kind}"
