"""Relations and the network: distances to the forum, connectors, layout, audit."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, ValidationError
from employdash.stakeholders import network as net
from tests.stakeholders.conftest import add_stakeholder

pytestmark = pytest.mark.rolled_back


def test_reach_forum_walks_ties_in_both_directions() -> None:
    reach = net.reach_forum([1, 2, 3, 4, 5], [(2, 1), (2, 3), (5, 4)], {1})
    assert reach == {1: (0, None), 2: (1, 1), 3: (2, 2), 4: (None, None), 5: (None, None)}


def test_network_places_stakeholders_in_rings_by_distance(
    db: Database, actors: dict[str, Actor], empty_code: int
) -> None:
    admin = actors["admin"]
    member = add_stakeholder(db, admin, "עירייה", "municipality", 5, 5, engagement="forum_member")
    near = add_stakeholder(db, admin, "מכללה", "academia_training", 3, 4)
    far = add_stakeholder(db, admin, "מעסיק", "employer", 2, 2)
    alone = add_stakeholder(db, admin, "ועד", "residents", 1, 1)
    net.add_relation(db, admin, empty_code, near, member, "works_with")
    net.add_relation(db, admin, empty_code, far, near, "funds")
    model = net.network(db, admin, empty_code)
    nodes = model.nodes.set_index("id")
    assert nodes.loc[member, "forum"] and not nodes.loc[near, "forum"]
    assert [nodes.loc[i, "ring"] for i in (member, near, far, alone)] == [0, 1, 2, 3]
    assert nodes.loc[far, "via"] == "מכללה"
    assert (nodes.loc[member, "x"], nodes.loc[member, "y"]) == (0.0, 0.0)  # alone in the centre
    for sid, ring in ((near, 1), (far, 2), (alone, 3)):
        assert math.isclose(
            math.hypot(nodes.loc[sid, "x"], nodes.loc[sid, "y"]), 1 + ring, abs_tol=1e-3
        )
    assert model.connectors.to_dict("records") == [
        {"id": near, "organisation": "מכללה", "reaches": 1}
    ]
    assert len(model.edges) == 2 and set(model.edges.kind) == {"works_with", "funds"}


def test_relations_are_validated_scoped_and_audited(
    db: Database, actors: dict[str, Actor], empty_code: int
) -> None:
    admin = actors["admin"]
    a = add_stakeholder(db, admin, "א", "ngo", 2, 2)
    b = add_stakeholder(db, admin, "ב", "ngo", 2, 2)
    rel = net.add_relation(db, admin, empty_code, a, b, "competes_with")
    with pytest.raises(ValidationError):
        net.add_relation(db, admin, empty_code, a, b, "competes_with")
    with pytest.raises(ValidationError):
        net.add_relation(db, admin, empty_code, a, a, "works_with")
    with pytest.raises(ValidationError):
        net.add_relation(db, admin, empty_code, a, b, "loves")
    with pytest.raises(NotFound):
        net.add_relation(db, admin, 1031, a, b, "works_with")  # not stakeholders of 1031
    with pytest.raises(PermissionDenied):
        net.add_relation(db, actors["manager"], empty_code, a, b, "funds")
    with pytest.raises(PermissionDenied):
        net.network(db, actors["member"], 1031)
    assert net.relations(db, admin, empty_code).kind.tolist() == ["competes_with"]
    net.delete_relation(db, admin, rel)
    assert net.relations(db, admin, empty_code).empty


def test_drawn_ties_keep_the_paths_to_the_forum_first() -> None:
    nodes = pd.DataFrame({"id": [1, 2, 3], "via_id": pd.array([None, 1, 2], dtype="Int64")})
    edges = pd.DataFrame(
        {
            "source": [3, 1, 2, 3],
            "target": [1, 3, 1, 2],
            "kind": ["funds", "works_with", "works_with", "funds"],
        }
    )
    model = net.Network(nodes, edges, pd.DataFrame())
    drawn = net.drawable_edges(model, limit=2)
    assert sorted(zip(drawn.source, drawn.target, strict=True)) == [(2, 1), (3, 2)]
    assert net.drawable_edges(model, limit=10) is edges
