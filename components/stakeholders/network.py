"""The network tab: ties drawn around the forum, who connects whom to it, and tie editing."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.common.charts import show as show_chart
from components.common.commands import perform
from components.common.downloads import download_buttons
from components.common.form_feedback import FormFeedback, handled, required
from components.common.pickers import named, pick
from components.common.tables import data_table
from components.shell.context import PageContext
from components.shell.feedback import guarded
from components.stakeholders import data as stakeholder_data
from components.stakeholders.charts import network_chart
from components.stakeholders.page import STAKE_FLASH
from employdash.stakeholders import network as stakeholders_network
from employdash.stakeholders.network import AddRelation, DeleteRelation
from employdash.stakeholders.vocabulary import RELATION_KINDS


def _bridges(ctx: PageContext, nodes: pd.DataFrame) -> pd.DataFrame:
    """Stakeholders outside the forum, with the tie that leads them to it."""
    outside = nodes[~nodes.forum].sort_values(["ring", "organisation"])
    return pd.DataFrame(
        {
            ctx.tr("stake.col.organisation"): outside.organisation,
            ctx.tr("stake.col.sector"): [ctx.tr(f"sector.{s}") for s in outside.sector],
            ctx.tr("stake.col.distance"): [ctx.tr(f"stake.network.ring.{r}") for r in outside.ring],
            ctx.tr("stake.col.via"): outside.via,
        }
    )


def _relation_form(ctx: PageContext, code: int, nodes: pd.DataFrame) -> None:
    names = dict(zip(nodes.id, nodes.organisation, strict=True))
    with (
        st.expander(ctx.tr("stake.network.add_relation"), icon=":material/add_link:"),
        st.form("stake_relation_add", clear_on_submit=False),
    ):
        feedback = FormFeedback()
        feedback.note()
        c1, c2, c3 = st.columns(3)
        with c1:
            source = pick(required(ctx.tr("stake.col.source")), names, "stake_rel_source")
        with c2, feedback.labelled("kind", ctx.tr("stake.col.kind"), mandatory=True) as label:
            kind = pick(
                label, named(RELATION_KINDS, "stake.relation"), f"stake_rel_kind_{ctx.lang}"
            )
        with (
            c3,
            feedback.labelled("target_id", ctx.tr("stake.col.target"), mandatory=True) as label,
        ):
            target = pick(label, names, "stake_rel_target")
        if st.form_submit_button(ctx.tr("stake.form.submit"), type="primary"):
            with handled(feedback):
                command = AddRelation.of(code, int(source), int(target), kind)
                perform(ctx.db, ctx.actor, command)
                STAKE_FLASH.put(ctx.tr("common.saved"))
                st.rerun()


def _relations(ctx: PageContext, code: int, can_edit: bool) -> None:
    ties = stakeholders_network.relations(ctx.db, ctx.actor, code)
    table = pd.DataFrame(
        {
            ctx.tr("stake.col.source"): ties.source,
            ctx.tr("stake.col.kind"): [ctx.tr(f"stake.relation.{k}") for k in ties.kind],
            ctx.tr("stake.col.target"): ties.target,
        }
    )
    with st.expander(ctx.tr("stake.network.relations", count=len(ties))):
        data_table(table, hide_index=True, width="stretch")
        download_buttons(table, f"stakeholder-relations-{code}", "stake_relations")
        if can_edit and len(ties):
            labels = {
                int(r.id): f"{r.source} → {ctx.tr(f'stake.relation.{r.kind}')} → {r.target}"
                for r in ties.itertuples()
            }
            chosen = pick(ctx.tr("stake.network.remove_pick"), labels, "stake_rel_remove")
            if st.button(ctx.tr("stake.network.remove"), key="stake_rel_remove_btn"):
                with guarded():
                    perform(ctx.db, ctx.actor, DeleteRelation.of(chosen))
                    st.rerun()


def section(ctx: PageContext, code: int, can_edit: bool) -> None:
    net = stakeholder_data.network(ctx.db, ctx.actor, code)
    if net.nodes.empty:
        st.info(ctx.tr("stake.grid.none"))
        return
    st.caption(ctx.tr("stake.network.caption"))
    left, right = st.columns([3, 2])
    with left:
        drawn = stakeholders_network.drawable_edges(net)
        nodes = net.nodes
        show_chart(lambda: network_chart(nodes, drawn, ctx.tr), ctx.lang, inputs=(nodes, drawn))
        if len(drawn) < len(net.edges):
            st.caption(ctx.tr("stake.network.drawn", drawn=len(drawn), total=len(net.edges)))
    with right:
        st.markdown(f"**{ctx.tr('stake.network.connectors')}**")
        if net.connectors.empty:
            st.caption(ctx.tr("stake.network.no_connectors"))
        else:
            data_table(
                pd.DataFrame(
                    {
                        ctx.tr("stake.col.organisation"): net.connectors.organisation,
                        ctx.tr("stake.col.reaches"): net.connectors.reaches,
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        st.markdown(f"**{ctx.tr('stake.network.bridges')}**")
        data_table(_bridges(ctx, net.nodes), hide_index=True, width="stretch", height=300)
    _relations(ctx, code, can_edit)
    if can_edit:
        _relation_form(ctx, code, net.nodes)
