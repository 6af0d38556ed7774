"""The service navigation: what this user may follow, with a role's many oversight pages grouped.

A supervisor may reach a dozen lists. Those that are not the day's casework sit in groups ("Oversight",
"Data protection"): a group of two or more is one navigation item leading to its page of links (`pages:section`),
so the navigation stays on one line at 1280 px; a group of one is shown as its one link.
"""

from dataclasses import dataclass

from django.urls import reverse

from accounts import permissions
from audit.permissions import can_review_audit
from cases import permissions as case_permissions
from privacy import permissions as privacy_permissions
from referrals import permissions as referral_permissions
from reports import permissions as report_permissions
from retention import permissions as retention_permissions
from subject_access.permissions import can_handle_subject_access


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    description: str = ""
    within: tuple[str, ...] = ()  # a group's item: the addresses of its pages, so it is marked on each of them


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    description: str


SECTIONS = {
    "oversight": Section(
        "oversight", "Oversight", "Who saw what, and the accesses and changes waiting for your review."
    ),
    "data-protection": Section(
        "data-protection", "Data protection", "Retention reviews and erasure, and subject access requests."
    ),
}


def oversight_links(user) -> list[Link]:
    """The supervisors' reviews of the audit trail, break-glass accesses and account changes."""
    links = []
    if can_review_audit(user):
        links.append(Link("Audit", reverse("audit:search"), "Search the audit trail; see who saw a case."))
        links.append(Link("Access alerts", reverse("audit:alerts"), "Unusual accesses to review."))
    if case_permissions.can_review_break_glass(user):
        links.append(
            Link("Break-glass reviews", reverse("cases:break_glass_queue"), "Cases opened outside a caseload.")
        )
    if permissions.can_see_account_changes(user):
        links.append(
            Link(
                "Account approvals", reverse("accounts:change_requests"), "Police account changes for a second person."
            )
        )
    return links


def data_protection_links(user) -> list[Link]:
    """Retention and erasure, and subject access."""
    links = []
    if retention_permissions.can_review_retention(user):
        links.append(Link("Retention", reverse("retention:queue"), "Records due for review, and erasures to approve."))
    elif retention_permissions.can_manage_rules(user):
        links.append(Link("Retention rules", reverse("retention:rules"), "How long each kind of record is kept."))
    elif privacy_permissions.can_view_tombstones(user):
        links.append(Link("Erased records", reverse("privacy:tombstones"), "What was erased, and when."))
    if can_handle_subject_access(user):
        links.append(Link("Subject access", reverse("subject_access:list"), "Requests for a person's own data."))
    return links


SECTION_LINKS = {"oversight": oversight_links, "data-protection": data_protection_links}


def _grouped(slug: str, links: list[Link]) -> list[Link]:
    if len(links) < 2:
        return links
    pages = tuple(link.href for link in links)
    return [Link(SECTIONS[slug].title, reverse("pages:section", args=[slug]), within=pages)]


def navigation(user) -> list[Link]:
    """Return the navigation items this user may follow, in the order they matter to the day's work."""
    # The service name links home, and the header holds "Your account" and "Sign out" (templates/base.html).
    items = []
    if case_permissions.can_work_cases(user):
        items.append(Link("Case queue", reverse("cases:queue")))
    if referral_permissions.can_receive_referrals(user):
        items.append(Link("Referrals received", reverse("referrals:received")))
    if case_permissions.can_use_panel(user):
        items.append(Link("Channel panel", reverse("cases:meetings")))
    if case_permissions.is_provider(user):
        items.append(Link("Cases shared with you", reverse("cases:provided")))
    if referral_permissions.can_submit_referrals(user):
        items.append(Link("Referrals", reverse("referrals:list")))
    if referral_permissions.can_ask_advice(user) or referral_permissions.can_answer_advice(user):
        items.append(Link("Advice", reverse("referrals:advice_list")))
    if permissions.can_manage_accounts(user):
        items.append(Link("Users", reverse("accounts:user_list")))
        items.append(Link("Organisations", reverse("accounts:organisation_list")))
        items.append(Link("Teams", reverse("accounts:teams")))
    if permissions.can_manage_closure_days(user):
        items.append(Link("Closure days", reverse("accounts:closure_days")))
    items += _grouped("oversight", oversight_links(user))
    if report_permissions.can_view_team_dashboard(user):
        items.append(Link("Dashboard", reverse("reports:team")))
    elif report_permissions.can_view_organisation_counts(user):
        items.append(Link("Your organisation's figures", reverse("reports:organisation")))
    items += _grouped("data-protection", data_protection_links(user))
    return items


def current(item: Link, path: str) -> bool:
    """Whether the item is the page shown, or the group the page shown belongs to."""
    return path == item.href or any(path.startswith(href) for href in item.within)
