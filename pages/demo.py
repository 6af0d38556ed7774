"""A demo caseload made only through the services, so its audit trail, chronology and notices are real.

About forty invented people (no real names: the demo banner says so) referred by eight partner organisations,
at every stage of a referral's life. Each story happens on its own day in the past, in date order, so that
due dates, overdue flags and review dates read as they would in a working team: with `time-machine`
installed (a development tool, as under `make run`) the clock is moved for each story; without it every
story happens today and nothing is overdue. Loaded once: a second run finds the first and changes nothing.
"""

import contextlib
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Role, User
from cases import intake, support
from cases import services as cases
from cases.models import Case, Check, Consent, Outcome
from front_door import services as public_contacts
from referrals import advice
from referrals import services as referrals
from referrals.models import Referral
from retention import services as retention
from rights import services as rights

PARTNERS = [
    ("Riverside Academy", Organisation.Sector.EDUCATION, "referrer@riverside.example", "Rita Referrer"),
    ("Northshire College", Organisation.Sector.EDUCATION, "referrer@college.example", "Colin Tutor"),
    ("Northshire NHS Foundation Trust", Organisation.Sector.HEALTH, "referrer@nhs.example", "Nadia Nurse"),
    ("Northshire Children's Services", Organisation.Sector.LOCAL_AUTHORITY, "referrer@children.example", "Cai Social"),
    ("HMP Northshire", Organisation.Sector.PRISON_PROBATION, "referrer@prison.example", "Pam Probation"),
    ("Harbour Lights Youth Charity", Organisation.Sector.COMMUNITY, "referrer@harbour.example", "Hal Youthworker"),
    ("Northshire Central Mosque", Organisation.Sector.COMMUNITY, "referrer@mosque.example", "Imran Trustee"),
    ("Eastside Community Forum", Organisation.Sector.COMMUNITY, "referrer@eastside.example", "Eve Organiser"),
]
# Staff beyond one account per role, so handover and a second opinion can be tried.
STAFF = [
    ("officer2@police.example", "Olu Officer", "Northshire Police Prevent Team", Role.PREVENT_OFFICER),
    ("supervisor2@police.example", "Sian Supervisor", "Northshire Police Prevent Team", Role.SUPERVISOR),
    ("referrer2@riverside.example", "Reg Referrer", "Riverside Academy", Role.REFERRER),
]

# Invented names only, each story's person: forenames, surname, birth year.
PEOPLE = [
    ("Alfie", "Brightwater", 2009),
    ("Bea", "Cloudsley", 2008),
    ("Cody", "Dunmore", 2010),
    ("Dana", "Eastfold", 2007),
    ("Ezra", "Fernhollow", 2009),
    ("Faye", "Glenmire", 2006),
    ("Gus", "Hartwell", 2011),
    ("Hana", "Ivybridge", 2008),
    ("Ivo", "Juniper", 2004),
    ("Jade", "Kestrelby", 2009),
    ("Kit", "Larkspur", 2010),
    ("Lola", "Marchbank", 2007),
    ("Milo", "Northwick", 1999),
    ("Nell", "Oakhurst", 2008),
    ("Otis", "Pennyfield", 2006),
    ("Pia", "Quarrydale", 2009),
    ("Rafe", "Rookwood", 2001),
    ("Suki", "Silverdale", 2010),
    ("Theo", "Thornbury", 2008),
    ("Uma", "Underhill", 2005),
    ("Vic", "Vellacott", 1996),
    ("Wren", "Willowby", 2009),
    ("Xander", "Yarrowby", 2007),
    ("Yara", "Zennor", 2011),
    ("Zac", "Ashcombe", 2008),
    ("Abi", "Birchfield", 2006),
    ("Ben", "Coldharbour", 2003),
    ("Cleo", "Dovecote", 2010),
    ("Dev", "Elmstead", 2009),
    ("Elsie", "Foxley", 2007),
    ("Finn", "Gorsedale", 2008),
    ("Gia", "Heathcote", 2012),
    ("Hugo", "Inglewood", 2000),
    ("Isla", "Jessamy", 2009),
    ("Jon", "Kingsmead", 1998),
    ("Kira", "Lindenfield", 2008),
]


@dataclass(frozen=True)
class Story:
    """One person's referral, taken as far as `stage` on a day `days_ago` in the past."""

    days_ago: int
    stage: str
    partner: int  # index into PARTNERS


# Oldest first: each story happens on its own day, in this order.
STORIES = [
    Story(200, "closed_reviews_due", 0),
    Story(195, "closed_reviews_due", 2),
    Story(190, "closed_reviews_due", 4),
    Story(120, "legal_hold", 3),
    Story(100, "restricted", 1),
    Story(90, "support", 0),
    Story(80, "support", 5),
    Story(70, "support", 2),
    Story(60, "closure_pending", 3),
    Story(40, "channel_agenda", 6),
    Story(35, "channel_agenda", 0),
    Story(30, "channel", 7),
    Story(25, "awaiting_sign_off", 1),
    Story(20, "awaiting_sign_off", 2),
    Story(14, "assessment", 3),
    Story(12, "assessment", 0),
    Story(10, "assessment", 4),
    Story(3, "assessment", 5),
    Story(9, "gathering", 6),
    Story(6, "gathering", 7),
    Story(2, "gathering", 1),
    Story(5, "new_assigned", 2),
    Story(4, "new", 0),
    Story(2, "new", 3),
    Story(1, "new", 4),
    Story(1, "new", 5),
    Story(0, "new", 6),
    Story(0, "new", 7),
    Story(0, "repeat", 0),
    Story(0, "repeat", 2),
    Story(0, "draft", 0),
    Story(0, "draft", 1),
    Story(0, "draft", 6),
    Story(8, "closed_nfa", 7),
    Story(15, "closed_nfa", 2),
    Story(45, "closed_nfa", 1),
]
ADVICE = [
    (3, 0, "A pupil has been repeating slogans from a video. Is this something to refer?", True),
    (1, 5, "A young person at our club talks about 'the coming war'. How worried should we be?", False),
    (0, 6, "A worshipper asked how to report a website. Where should they go?", False),
]
# Contacts from members of the public (invented): (days ago, relationship, concern, contact details).
PUBLIC = [
    (2, "family", "My cousin has stopped seeing his friends and shares angry videos about 'traitors'.", {}),
    (
        1,
        "neighbour",
        "The teenager next door talks about joining a group online that wants a war.",
        {"sender_name": "A. Neighbour", "sender_email": "neighbour@example.org"},
    ),
    (
        0,
        "friend",
        "My friend says violence is the only way to be heard. I do not know what to do.",
        {"sender_phone": "07700 900456"},
    ),
]


def already_loaded() -> bool:
    return Referral.objects.filter(author__email__in=[email for _n, _s, email, _f in PARTNERS]).exists()


@transaction.atomic
def load(*, officer: User, supervisor: User, provider: User, panel: User) -> int:
    """Load every story once, oldest first; returns how many referrals it made (0 when already loaded)."""
    if already_loaded():
        return 0
    team = {
        "officer": officer,
        "officer2": User.objects.get(email="officer2@police.example"),
        "supervisor": supervisor,
        "supervisor2": User.objects.get(email="supervisor2@police.example"),
        "provider": provider,
        "panel": panel,
    }
    referrers = [User.objects.get(email=email) for _name, _sector, email, _full in PARTNERS]
    made = 0
    meeting = None
    # One transaction for the whole caseload: a failure part-way leaves nothing to half-load next time.
    for number, story in sorted(enumerate(STORIES), key=lambda pair: -pair[1].days_ago):
        forenames, surname, born = PEOPLE[number % len(PEOPLE)]
        with _on(story.days_ago):
            if story.stage == "channel_agenda" and meeting is None:
                meeting = support.create_meeting(
                    by=team["supervisor"],
                    meets_on=timezone.localdate() + datetime.timedelta(days=story.days_ago + 7),
                    title="Northshire Channel panel",
                    members=[team["panel"]],
                )
            _tell(story, referrers[story.partner], team, forenames, surname, born, number, meeting)
        made += 1
    for days_ago, partner, question, answered in ADVICE:
        with _on(days_ago):
            request = advice.ask_advice(by=referrers[partner], question=question)
            if answered:
                advice.reply(request, by=officer, body="Thank you for asking. Yes: please refer; we will call you.")
    for days_ago, relationship, concern, details in PUBLIC:
        with _on(days_ago):
            public_contacts.receive_contact(
                challenge_passed=True, relationship=relationship, concern=concern, **details
            )
    return made


def _tell(story, referrer, team, forenames, surname, born, number, meeting):
    """Take one person's referral as far as its stage, as the team would."""
    officer = team["officer2"] if number % 3 == 0 else team["officer"]
    supervisor = team["supervisor"]
    draft = _draft(referrer, forenames, surname, born, story)
    if story.stage == "draft":
        return
    if story.stage == "repeat":
        # The same person again, from another partner: the officer is asked whether it is a repeat.
        earlier_forenames, earlier_surname, earlier_born = PEOPLE[(number + 5) % len(PEOPLE)]
        draft = _draft(referrer, earlier_forenames, earlier_surname, earlier_born, story)
    referral = intake.submit_referral(draft, by=referrer)
    case = referral.case
    if story.stage in ("new", "repeat"):
        return
    case = cases.assign(case, to=officer, by=supervisor)
    if story.stage == "new_assigned":
        return
    case = cases.move(case, by=officer, action="start_gathering")
    cases.record_check(case, by=officer, kind=Check.Kind.POLICE_SYSTEMS, result=Check.Result.NO_TRACE)
    if story.stage == "gathering":
        return
    case = cases.move(case, by=officer, action="start_assessment")
    answers = {"engagement": {"rating": "medium", "notes": ""}}
    cases.record_assessment(
        case, by=officer, answers=answers, rationale="Vulnerable to grooming.", expected_version=None
    )
    if story.stage == "assessment":
        return
    outcome = {
        "closed_nfa": Outcome.NFA,
        "channel": Outcome.CHANNEL,
        "channel_agenda": Outcome.CHANNEL,
    }.get(story.stage, Outcome.POLICE_LED)
    case = Case.objects.get(pk=case.pk)
    cases.record_decision(case, by=officer, outcome=outcome, rationale="Support is needed.", expected_version=None)
    case = Case.objects.get(pk=case.pk)
    if story.stage == "awaiting_sign_off":
        return
    if case.status == Case.Status.AWAITING_SIGN_OFF:
        cases.sign_off_decision(case, by=supervisor, approve=True, expected_version=None)
        case = Case.objects.get(pk=case.pk)
    if story.stage in ("closed_nfa", "channel"):
        return
    if story.stage == "channel_agenda":
        support.list_case(meeting, case=case, by=officer)
        return
    child = born > timezone.localdate().year - 18
    given_by = Consent.GivenBy.PARENT if child else Consent.GivenBy.PERSON
    support.record_consent(case, by=officer, state=Consent.State.GIVEN, given_by=given_by, under_18=child)
    support.grant_provider(case, by=officer, provider=team["provider"], sections=["support_plan", "needs"])
    support.record_progress(case, by=team["provider"], text="First mentoring session went well.")
    if story.stage == "support":
        return
    case = cases.move(Case.objects.get(pk=case.pk), by=officer, action="propose_closure")
    if story.stage == "closure_pending":
        return
    cases.sign_off_closure(case, by=supervisor, approve=True, expected_version=None)
    case = Case.objects.get(pk=case.pk)
    if story.stage == "restricted":
        rights.restrict_record(case, by=supervisor, reason="The person disputes the record's accuracy.")
    if story.stage == "legal_hold":
        retention.set_hold(case, by=supervisor, reason="Requested by the force's legal team for an inquiry.")


def _draft(referrer, forenames, surname, born, story):
    draft = referrals.start_referral(by=referrer)
    for slug, data in _answers(referrer, forenames, surname, born).items():
        draft = referrals.save_section(draft, by=referrer, slug=slug, data=data)
    return draft


def _answers(referrer, forenames, surname, born) -> dict:
    """The referral form's answers for one invented person, as the forms clean them."""
    return {
        "before-you-start": {"discussed_with_lead": "yes", "lead_name": ""},
        "about-you": {
            "name": referrer.full_name,
            "role": "Safeguarding lead",
            "organisation": referrer.organisation.name,
            "email": referrer.email,
            "phone": "01632 960000",
            "relationship": "Works with them",
        },
        "the-person": {
            "surname": surname,
            "forenames": forenames,
            "aliases": "",
            "dob_known": "year",
            "date_of_birth": None,
            "approximate_age": None,
            "birth_year": born,
            "gender": "unknown",
            "ethnicity": "",
            "nationality": "",
            "religion": "",
            "birth_place": "",
            "languages": "",
            "speaks_english": "yes",
        },
        "contact-details": {
            "address": "",
            "postcode": "NR1 1AA",
            "phone": "",
            "social_media": "",
            "school_or_occupation": "",
            "nhs_number": "",
            "social_care_id": "",
        },
        "awareness": {"person_aware": "no", "family_aware": "not_sure", "awareness_notes": ""},
        "concerns": {"concerns": "Has been sharing violent extremist videos with friends.", "how_noticed": ""},
        "needs": {"needs": [], "needs_details": ""},
        "type-of-concern": {"concern_type": "not_sure"},
    }


@contextlib.contextmanager
def _on(days_ago: int):
    """Move the clock back `days_ago` days for one story, when time-machine is installed."""
    try:
        import time_machine
    except ImportError:
        yield
        return
    when = timezone.now() - datetime.timedelta(days=days_ago)
    with time_machine.travel(when, tick=True):
        yield
