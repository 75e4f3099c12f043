"""Relations between stakeholders and the network read model: who connects whom to the forum.

The layout is computed here, deterministically and in linear time, as rings around the forum:
forum members in the centre, then stakeholders one tie away, two ties away, and the rest (and
the unconnected) outside. Within a ring stakeholders are ordered by sector, so a sector reads as
an arc. This needs no graph library and stays fast with thousands of stakeholders.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Select, select

from employdash.access import Actor, Area, ReadScope, only, read_scope
from employdash.commands import Ref, Write
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.models import SECTORS, Organisation
from employdash.models.stakeholders import RELATION_KINDS, Stakeholder, StakeholderRelation
from employdash.stakeholders.common import StakeholderChange
from employdash.stakeholders.grid import forum_member_ids
from employdash.writers import writer

OUTER_RING = 3  # distances of 3 and more, and the unreachable, share the outer ring
MAX_DRAWN = 3000  # ties drawn in the chart; the table lists them all


@dataclass
class Network:
    nodes: pd.DataFrame  # id, organisation, sector, forum, distance, ring, via, via_id, x, y
    edges: pd.DataFrame  # source, target, kind, x, y, x2, y2
    connectors: pd.DataFrame  # id, organisation, reaches: stakeholders they bring to the forum


def relations_query(scope: ReadScope) -> Select[int, int, int, str]:
    """The raw query behind the network (also the benchmark's baseline)."""
    return (
        select(
            StakeholderRelation.id,
            StakeholderRelation.source_id,
            StakeholderRelation.target_id,
            StakeholderRelation.kind,
        )
        .where(scope.of(StakeholderRelation.locality_code))
        .order_by(StakeholderRelation.id)
    )


def nodes_query(scope: ReadScope) -> Select[int, str, str]:
    return (
        select(Stakeholder.id, Organisation.name.label("organisation"), Stakeholder.sector)
        .join(Organisation, Organisation.id == Stakeholder.organisation_id)
        .where(scope.of(Stakeholder.locality_code))
        .order_by(Stakeholder.id)
    )


def reach_forum(
    ids: list[int], edges: list[tuple[int, int]], members: set[int]
) -> dict[int, tuple[int | None, int | None]]:
    """Breadth-first from all forum members over ties in either direction: for each stakeholder
    its distance to the forum and the neighbour through which it is reached (None, None when no
    path leads to the forum)."""
    adjacent: dict[int, list[int]] = defaultdict(list)
    for a, b in edges:
        adjacent[a].append(b)
        adjacent[b].append(a)
    distance: dict[int, int] = {m: 0 for m in members}
    via: dict[int, int | None] = {m: None for m in members}
    queue = deque(sorted(members))
    while queue:
        node = queue.popleft()
        for other in sorted(adjacent[node]):
            if other not in distance:
                distance[other] = distance[node] + 1
                via[other] = node
                queue.append(other)
    return {i: (distance[i], via[i]) if i in distance else (None, None) for i in ids}


def ring_layout(nodes: pd.DataFrame) -> tuple[list[float], list[float]]:
    """Positions on concentric rings by `ring`, ordered by sector then id within each ring
    (`nodes` has a default index)."""
    order = {s: k for k, s in enumerate(SECTORS)}
    rings: dict[int, list[tuple[int, int, int]]] = {}
    for pos, (ring, sector, sid) in enumerate(zip(nodes.ring, nodes.sector, nodes.id, strict=True)):
        rings.setdefault(int(ring), []).append((order.get(sector, 99), int(sid), pos))
    xs, ys = [0.0] * len(nodes), [0.0] * len(nodes)
    for ring, members in rings.items():
        members.sort()
        count = len(members)
        radius = 0.0 if ring == 0 and count == 1 else 1.0 + ring
        for slot, (_, _, pos) in enumerate(members):
            angle = 2 * math.pi * slot / count + ring * 0.35
            xs[pos] = round(radius * math.cos(angle), 4)
            ys[pos] = round(radius * math.sin(angle), 4)
    return xs, ys


def network(db: Database, actor: Actor, locality_code: int) -> Network:
    scope = read_scope(actor, Area.STAKEHOLDERS, locality_code)
    with db.transaction() as s:
        nodes = pd.DataFrame(
            s.execute(nodes_query(scope)).all(),
            columns=["id", "organisation", "sector"],
        )
        edges = pd.DataFrame(
            s.execute(relations_query(scope)).all(),
            columns=["id", "source_id", "target_id", "kind"],
        )
        members = forum_member_ids(s, scope)
    reach = reach_forum(
        nodes.id.tolist(), list(zip(edges.source_id, edges.target_id, strict=True)), members
    )
    names = dict(zip(nodes.id, nodes.organisation, strict=True))
    nodes["forum"] = nodes.id.isin(members)
    nodes["distance"] = pd.array([reach[i][0] for i in nodes.id], dtype="Int64")
    nodes["ring"] = [
        OUTER_RING if d is None else min(int(d), OUTER_RING)
        for d in (reach[i][0] for i in nodes.id)
    ]
    nodes["via_id"] = pd.array([reach[i][1] for i in nodes.id], dtype="Int64")
    nodes["via"] = [names.get(reach[i][1], "") if reach[i][1] else "" for i in nodes.id]
    nodes["x"], nodes["y"] = ring_layout(nodes) if len(nodes) else ([], [])
    where = dict(zip(nodes.id, zip(nodes.x, nodes.y, strict=True), strict=True))
    edge_frame = pd.DataFrame(
        {
            "source": edges.source_id,
            "target": edges.target_id,
            "kind": edges.kind,
            "x": [where[i][0] for i in edges.source_id],
            "y": [where[i][1] for i in edges.source_id],
            "x2": [where[i][0] for i in edges.target_id],
            "y2": [where[i][1] for i in edges.target_id],
        }
    )
    reached = nodes[nodes.distance.fillna(0) >= 2].via_id.value_counts()
    connectors = pd.DataFrame({"id": reached.index.astype(int), "reaches": reached.values})
    connectors["organisation"] = [names[i] for i in connectors.id]
    connectors = connectors.sort_values(["reaches", "id"], ascending=[False, True])
    return Network(
        nodes, edge_frame, connectors[["id", "organisation", "reaches"]].reset_index(drop=True)
    )


def drawable_edges(model: Network, limit: int = MAX_DRAWN) -> pd.DataFrame:
    """At most `limit` ties to draw: first each stakeholder's tie towards the forum (the paths
    the network is about), then the others in order. Thousands of lines would hide the picture
    (and the browser would draw them slowly)."""
    if len(model.edges) <= limit:
        return model.edges
    via = {
        (int(n), int(v))
        for n, v in zip(model.nodes.id, model.nodes.via_id, strict=True)
        if not pd.isna(v)
    }
    on_path = [
        (int(a), int(b)) in via or (int(b), int(a)) in via
        for a, b in zip(model.edges.source, model.edges.target, strict=True)
    ]
    ranked = model.edges.assign(_path=on_path).sort_values("_path", ascending=False, kind="stable")
    return ranked.head(limit).drop(columns="_path").sort_index()


def relations(db: Database, actor: Actor, locality_code: int) -> pd.DataFrame:
    """The ties as a readable table (source and target organisation names)."""
    scope = read_scope(actor, Area.STAKEHOLDERS, locality_code)
    with db.transaction() as s:
        rows = s.execute(relations_query(scope)).mappings().all()
        names = dict(
            s.execute(nodes_query(scope).with_only_columns(Stakeholder.id, Organisation.name)).all()
        )
    return pd.DataFrame(
        [
            {
                "id": r["id"],
                "source": names.get(r["source_id"]),
                "kind": r["kind"],
                "target": names.get(r["target_id"]),
            }
            for r in rows
        ],
        columns=["id", "source", "kind", "target"],
    )


@dataclass
class AddRelation(
    StakeholderChange[int],
    entity="stakeholder_relation",
    texts={"note": "stakeholder/relation_note"},
):
    """A directed tie between two stakeholders of the same locality."""

    locality_code: int
    source: Ref[Stakeholder]
    target: Ref[Stakeholder]
    kind: str
    note: str | None = None

    def validate(self, w: Write) -> None:
        errors: dict[str, str] = {}
        if self.kind not in RELATION_KINDS:
            errors["kind"] = "validation.invalid"
        if self.source.id == self.target.id:
            errors["target_id"] = "validation.invalid"
        elif w.session.scalar(
            select(StakeholderRelation.id).where(
                only(self.locality_code).of(StakeholderRelation.locality_code),
                StakeholderRelation.source_id == self.source.id,
                StakeholderRelation.target_id == self.target.id,
                StakeholderRelation.kind == self.kind,
            )
        ):
            errors["kind"] = "validation.duplicate"
        if errors:
            raise ValidationError(errors)

    def run(self, w: Write) -> int:
        values = {"source_id": self.source.id, "target_id": self.target.id, "kind": self.kind}
        rel = StakeholderRelation(locality_code=self.locality_code, note=self.note, **values)
        return w.create(rel, values).id


@dataclass
class DeleteRelation(StakeholderChange[None], entity="stakeholder_relation"):
    relation: Ref[StakeholderRelation]

    def run(self, w: Write) -> None:
        rel = w.get(self.relation)
        w.delete(rel, {"source_id": rel.source_id, "target_id": rel.target_id, "kind": rel.kind})


add_relation = writer(AddRelation.of)


delete_relation = writer(DeleteRelation.of)
