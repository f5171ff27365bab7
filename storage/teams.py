"""Teams of technicians and the configurable routing of services to them.

By default a service goes to the team coded like its group (05.21 Teknik Servis). A route for a service id
or a group code sends it elsewhere; a service's own route wins over its group's.
"""

from __future__ import annotations

import re

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from catalog.model import Catalog, Service
from storage.models import Person, PersonKind, StaffRole, Team, TeamRoute

GROUP_CODE = re.compile(r"^\d{2}\.\d{2}$")


def find_team(session: Session, code_or_name: str) -> Team | None:
    """A team by its code (05.21) or its name, the way the staff file and the operators refer to it."""
    wanted = code_or_name.strip()
    return session.scalars(select(Team).where(or_(Team.code == wanted, Team.name == wanted))).first()


def group_team(session: Session, code: str, catalog: Catalog | None) -> Team:
    """The team of service group `code`, created on first use (named after the group when the catalog
    has it)."""
    team = session.scalars(select(Team).where(Team.code == code)).one_or_none()
    if team is None:
        group = next((g for g in catalog.groups if g.code == code), None) if catalog else None
        team = Team(code=code, name=group.title if group else code)
        session.add(team)
        session.flush()
    return team


def set_route(session: Session, selector: str, team: Team) -> TeamRoute:
    """Routes a service id or a group code to `team` (replacing an earlier route of that selector)."""
    route = session.scalars(select(TeamRoute).where(TeamRoute.selector == selector)).one_or_none()
    if route is None:
        route = TeamRoute(selector=selector, team=team)
        session.add(route)
    else:
        route.team = team
    session.flush()
    return route


def remove_route(session: Session, selector: str) -> bool:
    """Drops the route of `selector` (back to the default); False if it had none."""
    route = session.scalars(select(TeamRoute).where(TeamRoute.selector == selector)).one_or_none()
    if route is None:
        return False
    session.delete(route)
    session.flush()
    return True


def teams_and_routes(session: Session) -> tuple[list[Team], list[TeamRoute]]:
    teams = list(session.scalars(select(Team).order_by(Team.code)))
    routes = list(session.scalars(select(TeamRoute).order_by(TeamRoute.selector)))
    return teams, routes


def team_for_service(session: Session, service: Service) -> Team | None:
    """The team a new ticket for `service` goes to; None when no team exists for it."""
    routes = {
        r.selector: r.team
        for r in session.scalars(
            select(TeamRoute).where(TeamRoute.selector.in_((service.id, service.group.code)))
        )
    }
    routed = routes.get(service.id) or routes.get(service.group.code)
    if routed is not None:
        return routed
    return session.scalars(select(Team).where(Team.code == service.group.code)).one_or_none()


def team_leads(session: Session, team_id: int) -> list[Person]:
    return list(
        session.scalars(
            select(Person)
            .where(
                Person.team_id == team_id,
                Person.kind == PersonKind.STAFF,
                Person.staff_role == StaffRole.TEAM_LEAD,
                Person.active.is_(True),
            )
            .order_by(Person.id)
        )
    )


def managers_and_admins(session: Session) -> list[Person]:
    """Active managers and admins, by id."""
    return list(
        session.scalars(
            select(Person)
            .where(
                Person.kind == PersonKind.STAFF,
                Person.staff_role.in_((StaffRole.MANAGER, StaffRole.ADMIN)),
                Person.active.is_(True),
            )
            .order_by(Person.id)
        )
    )
