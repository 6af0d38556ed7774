"""Who may rectify a record, and who may restrict it or lift a restriction. Reads only the user and the case."""

from cases import permissions as cases


def can_rectify(user, case=None) -> bool:
    """The case's officer and supervisors correct a record; never providers or panel members, never while restricted."""
    if case is None:
        return cases.can_work_cases(user)
    return cases.works_on(user, case)


def can_restrict(user, case=None) -> bool:
    """Supervisors restrict processing of a case and lift a restriction."""
    return cases.can_supervise(user) and (case is None or case.status != case.Status.MERGED)


def can_list_restricted(user) -> bool:
    """Supervisors, who alone open restricted records, list them."""
    return cases.can_supervise(user)
