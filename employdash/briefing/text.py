"""Plain sentences from the briefing's figures, in Hebrew or English.

Hebrew templates use nouns ("עלייה של 4%") rather than verbs so that no template has to agree in
gender and number with the indicator's name. Every sentence is a catalogue entry; this module
only chooses which ones to say and formats their numbers in the reader's locale.
"""

from __future__ import annotations

from employdash.briefing.attention import AttentionItem
from employdash.briefing.build import Briefing, Headline
from employdash.forum.approval import Approval
from employdash.forum.briefing import ForumBriefing
from employdash.i18n import fmt_date, fmt_month, fmt_number, fmt_percent, t

MAX_SENTENCES = 5


def fmt_value(unit: str, value: float | None, lang: str) -> str:
    if unit == "fraction":
        return fmt_percent(value, lang)
    if unit == "ils":
        return "₪" + fmt_number(value, lang) if value is not None else "—"
    return fmt_number(value, lang)


def fmt_change(unit: str, delta: float | None, lang: str) -> str:
    """Size of a change without its sign: '4.0%' or, for rates, '0.3 percentage points'."""
    if delta is None:
        return "—"
    if unit == "fraction":
        return t("brief.points", lang, n=fmt_number(abs(delta) * 100, lang, 1))
    return fmt_percent(abs(delta), lang)


def fmt_signed_change(unit: str, delta: float | None, lang: str) -> str:
    """A change with its sign, isolated for right-to-left text."""
    if delta is None:
        return "—"
    sign = "+" if delta > 0 else ("−" if delta < 0 else "")
    return "\u2066" + sign + fmt_change(unit, delta, lang) + "\u2069"


def _direction(delta: float) -> str:
    return "up" if delta > 0 else "down"


def _year_vs_district(h: Headline, briefing: Briefing, lang: str) -> str | None:
    if h.yoy is None:
        return None
    params = {
        "name": h.name(lang),
        "change": fmt_change(h.unit, h.yoy, lang),
        "district": briefing.district(lang),
    }
    if h.district_yoy is None or abs(h.district_yoy) < 1e-9:
        return t(f"brief.s.year.{_direction(h.yoy)}", lang, **params)
    params["district_change"] = fmt_change(h.unit, h.district_yoy, lang)
    key = f"brief.s.year.{_direction(h.yoy)}.district_{_direction(h.district_yoy)}"
    return t(key, lang, **params)


def _level_and_rank(h: Headline, lang: str) -> str | None:
    rank = h.rank("district")
    if h.value is None or h.district_value is None or rank is None:
        return None
    return t(
        "brief.s.level_rank",
        lang,
        name=h.name(lang),
        value=fmt_value(h.unit, h.value, lang),
        district_value=fmt_value(h.unit, h.district_value, lang),
        rank=rank.rank,
        of=rank.of,
    )


def _streak(h: Headline, lang: str) -> str:
    return t("brief.s.streak", lang, name=h.name(lang), months=h.bad_streak)


def _forum(briefing: Briefing, lang: str) -> str | None:
    forum = briefing.forum
    if forum is None:
        return None
    return t(
        "brief.s.forum",
        lang,
        stage=t(forum.stage_key, lang),
        done=forum.tasks_done,
        total=forum.tasks_total,
        overdue=forum.tasks_overdue,
    )


def stale_text(briefing: Briefing, lang: str) -> str | None:
    """How old the newest month is, when it is older than monthly files usually are."""
    if not briefing.stale or briefing.period is None:
        return None
    return t(
        "brief.stale",
        lang,
        month=fmt_month(briefing.period, lang),
        months=briefing.months_behind,
    )


def sentences(briefing: Briefing, lang: str) -> list[str]:
    """Three to five sentences, most important first."""
    if not briefing.headlines:
        return []
    found: list[str | None] = [
        t("brief.s.period", lang, name=briefing.name(lang), month=fmt_month(briefing.period, lang))
    ]
    seekers = briefing.headline("job_seekers")
    if seekers is not None:
        found.append(_year_vs_district(seekers, briefing, lang))
    rate = briefing.headline("unemployment_rate")
    if rate is not None:
        found.append(_level_and_rank(rate, lang))
    streaks = sorted(
        (h for h in briefing.headlines if h.bad_streak >= 3), key=lambda h: -h.bad_streak
    )
    if streaks:
        found.append(_streak(streaks[0], lang))
    wage = briefing.headline("avg_wage")
    if wage is not None:
        found.append(_year_vs_district(wage, briefing, lang))
    found.append(_forum(briefing, lang))
    return [s for s in found if s][:MAX_SENTENCES]


def attention_text(item: AttentionItem, briefing: Briefing, lang: str) -> str:
    """An attention item as a sentence; items from other areas carry their own keys and params."""
    headline = briefing.headline(item.indicator_code) if item.indicator_code else None
    if headline is None:
        return t(item.key, lang, **item.params)
    return t(
        item.key,
        lang,
        name=headline.name(lang),
        months=item.params.get("months", headline.bad_streak),
        change=fmt_signed_change(headline.unit, headline.yoy, lang),
        district_change=fmt_signed_change(headline.unit, headline.district_yoy, lang),
    )


def focus_target_text(
    forum: ForumBriefing, title: str, share: float | None, lang: str, shown: str | None = None
) -> str:
    """A focus's progress against its targets and its status in words (the screen, the PDF and
    the e-mail); `shown` is the title as the medium writes it (isolated, escaped)."""
    figure = fmt_percent(share, lang, 0) if share is not None else t("brief.forum.no_value", lang)
    status = t(f"forum.targets.status.{forum.focus_status.get(title, 'no_data')}", lang)
    status = t("forum.targets.status_line", lang, status=status)
    return t(
        "forum.targets.brief_focus", lang, title=shown or title, progress=figure, status=status
    )


def next_meeting_text(forum: ForumBriefing, lang: str) -> str:
    """The forum's next meeting as the screen and the PDF both say it."""
    if forum.next_meeting is None:
        return t("brief.forum.no_meeting", lang)
    planned = forum.next_planned
    if planned is None:
        return fmt_date(forum.next_meeting, lang)
    when = t(
        "brief.forum.next_meeting_at",
        lang,
        date=fmt_date(planned.on_date, lang),
        time=planned.starts.strftime("%H:%M"),
    )
    place = planned.place or (t("brief.forum.online", lang) if planned.online else None)
    return (
        when if place is None else t("brief.forum.next_meeting_place", lang, when=when, place=place)
    )


def approval_text(approval: Approval, lang: str) -> str:
    """The mayor's approval of the work plan, as one sentence (its note is shown apart), and
    a second when the plan changed after it."""
    return t(
        "chain.plan_changed" if approval.plan_changed else "brief.forum.approved",
        lang,
        date=fmt_date(approval.approved_on, lang),
        who=approval.approved_by,
    )
