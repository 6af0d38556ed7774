"""What personal data each model holds, why, on what lawful basis, for how long and who receives it.

One declarative table: the record of processing (`manage.py record_of_processing`) is generated from it and
from the models' own field metadata. A test fails when a field of a model of this project has no category
here, so a new field cannot hold data nobody has classified.
"""

from dataclasses import dataclass, field

# Field categories. Every category a field is given must be one of these.
IDENTIFIER = "identifier"
LINK = "link to another record"
CASE_FACT = "personal: facts of the case (status, outcome, dates)"
PERSON_IDENTITY = "personal: identity of the person referred (name, date of birth, postcode)"
FREE_TEXT = "personal: free text about the person"
REFERRAL_ANSWERS = "special category: the referral form's answers, as given"
CONCERN_TYPE = "special category: political opinion or religious belief (type of concern)"
CRIMINAL_INTELLIGENCE = "criminal intelligence: checks and deconfliction results"
SUPPORT = "special category: support and services given (may reveal health or social care)"
CONSENT = "personal: consent, age band and family relationship"
FILE = "personal: attachment name and contents"
STAFF_ACTOR = "staff: who acted or was given access"
STAFF_IDENTITY = "staff: name and work contact"
STAFF_REVIEW = "staff: review of a staff member's access"
STAFF_ABSENCE = "staff: an officer's absence and who covers their cases"
PUBLIC_SENDER = "personal: a member of the public who got in touch (name and contact details, if given)"
CREDENTIAL = "security: credential or session secret"
ORGANISATION = "organisation (no personal data)"
AUDIT = "audit metadata"
OPERATIONAL = "operational (no personal data)"

CATEGORIES = {
    IDENTIFIER: "A record id or reference number: no content, but it identifies the record and so the person.",
    LINK: "A pointer to another record (a case, a referral, a meeting, a code); no content of its own.",
    CASE_FACT: "Where the person's case stands: its status, outcome and dates, personal data in context.",
    PERSON_IDENTITY: "Normalised name, sounds-like name, date or year of birth and postcode used to match referrals.",
    FREE_TEXT: "Words written by officers, referrers or providers that may describe the person.",
    REFERRAL_ANSWERS: (
        "Everything the referrer entered, as given: the person's identity, contact details, household, the "
        "concerns, and sensitive data (religion, ethnicity, health, special needs)."
    ),
    CONCERN_TYPE: "The ideology or type of concern: reveals political opinion or religious belief.",
    CRIMINAL_INTELLIGENCE: "Results of police checks, including whether the person is part of a live investigation.",
    SUPPORT: "The support planned or given, by whom: can reveal health, special needs or social care.",
    CONSENT: "Whether consent was given, by whom (the person or a parent or guardian), whether under 18.",
    FILE: "A file given with a referral (documents, screenshots) and its original name.",
    STAFF_ACTOR: "The user account of a member of staff or partner who acted, decided or holds access.",
    STAFF_IDENTITY: "A user's name and work e-mail address.",
    STAFF_REVIEW: "A supervisor's verdict or note on a staff member's access (break-glass or alert review).",
    STAFF_ABSENCE: (
        "When an officer is away and who covers their cases, with an optional note (the hint asks for no one referred)."
    ),
    PUBLIC_SENDER: "The name, e-mail address and phone number a member of the public chose to give, to be replied to.",
    CREDENTIAL: "A password hash, a backup code's keyed hash or a secret binding sessions; never shown.",
    ORGANISATION: "Partner organisations and their sector: no personal data.",
    AUDIT: "What happened, when, from where, to which record id: never the content of the record.",
    OPERATIONAL: "Workings of the service (flags, counters, versions, codes, settings): no personal data.",
}

# Lawful bases.
LAW_ENFORCEMENT = (
    "DPA 2018 Part 3 (law-enforcement processing by a competent authority): s.35(2)(b), necessary for a task "
    "carried out for a law-enforcement purpose, the police's Prevent duty (Counter-Terrorism and Security Act "
    "2015 s.26) and Channel (s.36); sensitive processing under s.35(5) and Schedule 8 (para 1, statutory "
    "purposes; para 4, safeguarding of children and of individuals at risk), with an appropriate policy document"
)
AUDIT_LOGGING = (
    "DPA 2018 s.62 (logging): a controller must log collection, alteration, consultation, disclosure, combination "
    "and erasure; logs used to verify lawfulness, for self-monitoring, integrity and security, and criminal "
    "proceedings"
)
ACCOUNT_SECURITY = (
    "UK GDPR Art. 6(1)(e) (public task) and DPA 2018 s.8, with DPA 2018 s.40 (security of processing) for "
    "Part 3 data: staff and partner accounts exist so that only identified people reach the records"
)
NO_PERSONAL_DATA = "No personal data: no lawful basis needed"

# Retention rules: the rule names are what issue #7's retention schedule configures.
RETENTION_RULES = {
    "case": (
        "Review after closure, per outcome: no further action (including mistaken or malicious) 3 years; "
        "signposted, police-led partnership, Channel, handed to counter-terrorism investigation 6 years; a "
        "different period for people under 18 where configured. Reviewed, never deleted automatically: a "
        "supervisor keeps (with a reason and next review date) or erases with a second person's approval; a "
        "legal hold stops both. Erasure leaves a tombstone without personal data."
    ),
    "referral": (
        "Drafts: deleted 28 days after they were last touched. Submitted: kept with the case they belong to and "
        "follow its rule; a linked referral still within its own period is not erased with another. A form kept as a "
        "session ended (encrypted): erased when given back, or 30 minutes after, by a clean-up every 5 minutes."
    ),
    "audit": (
        "Its own rule: the audit trail is append-only and chained; it holds ids and event names, not content, so "
        "it survives erasure of the records it logs and is kept for the force's audit-log retention period."
    ),
    "account": (
        "For as long as the account is needed; deactivated rather than deleted, because the audit trail and "
        "decisions refer to the person who acted."
    ),
    "notification": ("Ids and links only; cleared of anything about the person in an erasure (the outbox included)."),
    "public contact": (
        "A contact from the public recorded as a referral follows the referral's rule. Others: one year after they "
        "are closed, then reviewed. Not yet queued by the nightly retention scan (open work, issue #16)."
    ),
    "reference data": "Code lists and templates: kept while in use, and after, so old records still read correctly.",
}

# Recipients: who the data in a model is disclosed or made available to.
POLICE_TEAM = "Police Prevent officers and supervisors (need to know: caseload, or a reasoned break-glass)"
PROVIDERS = "Support providers: only the sections of a case granted to them, while the grant lasts"
PANEL = "Channel panel members: cases listed for their meeting"
REFERRER = "The referring organisation: only its own referrals' status and the feedback an officer shares"
SUPERVISORS = "Supervisors reviewing the audit trail and access alerts"
ADMINS = "System administrators (accounts and organisations only, never case content)"
USER_SELF = "The user themself"
ALL_USERS = "All signed-in users (code lists shown on forms)"
RETENTION_REVIEWERS = "Supervisors deciding retention reviews, erasures and legal holds"
ACCOUNT_APPROVERS = "Supervisors approving administrators' changes to police accounts"


@dataclass(frozen=True)
class ModelProcessing:
    """Why one model holds data, on what basis, for how long, who receives it, and each field's category."""

    purpose: str
    lawful_basis: str
    retention: str
    recipients: tuple[str, ...]
    fields: dict[str, str] = field(default_factory=dict)


CASE_RECIPIENTS = (POLICE_TEAM, PROVIDERS, PANEL)

PROCESSING = {
    # accounts
    "accounts.Organisation": ModelProcessing(
        purpose="The partner organisations and police team users belong to; statistics by referrer's sector.",
        lawful_basis=NO_PERSONAL_DATA,
        retention="reference data",
        recipients=(ALL_USERS,),
        fields={
            "id": IDENTIFIER,
            "name": ORGANISATION,
            "kind": ORGANISATION,
            "sector": ORGANISATION,
            "is_active": OPERATIONAL,
            "created_at": OPERATIONAL,
            "updated_at": OPERATIONAL,
        },
    ),
    "accounts.Team": ModelProcessing(
        purpose="Teams of Prevent officers (by area, say): the queue's team filter and triage among teammates.",
        lawful_basis=NO_PERSONAL_DATA,
        retention="reference data",
        recipients=(POLICE_TEAM, ADMINS),
        fields={"id": IDENTIFIER, "name": ORGANISATION, "created_at": OPERATIONAL},
    ),
    "accounts.User": ModelProcessing(
        purpose="Sign in, roles and need-to-know access of police staff and partner users.",
        lawful_basis=ACCOUNT_SECURITY,
        retention="account",
        recipients=(USER_SELF, ADMINS, POLICE_TEAM),
        fields={
            "id": IDENTIFIER,
            "password": CREDENTIAL,
            "last_login": STAFF_ACTOR,
            "is_superuser": OPERATIONAL,
            "email": STAFF_IDENTITY,
            "full_name": STAFF_IDENTITY,
            "organisation": LINK,
            "team": LINK,
            "is_active": OPERATIONAL,
            "security_stamp": CREDENTIAL,
            "created_at": OPERATIONAL,
            "updated_at": OPERATIONAL,
            "groups": STAFF_ACTOR,
            "user_permissions": STAFF_ACTOR,
        },
    ),
    "accounts.BackupCodeDevice": ModelProcessing(
        purpose="A user's set of backup codes for two-factor sign-in, with django-otp's throttling of failures.",
        lawful_basis=ACCOUNT_SECURITY,
        retention="account",
        recipients=(USER_SELF,),
        fields={
            "id": IDENTIFIER,
            "user": STAFF_ACTOR,
            "name": OPERATIONAL,
            "confirmed": OPERATIONAL,
            "throttling_failure_timestamp": OPERATIONAL,
            "throttling_failure_count": OPERATIONAL,
            "created_at": OPERATIONAL,
            "last_used_at": STAFF_ACTOR,
        },
    ),
    "accounts.BackupCode": ModelProcessing(
        purpose="One unused backup code, kept only as a keyed hash; deleted when used or replaced.",
        lawful_basis=ACCOUNT_SECURITY,
        retention="account",
        recipients=(USER_SELF,),
        fields={"id": IDENTIFIER, "device": LINK, "digest": CREDENTIAL},
    ),
    "accounts.KeptForm": ModelProcessing(
        purpose=(
            "What a user had typed in a form as their session ended, kept encrypted so that they can sign in again "
            "and carry on without typing it again (accounts/kept.py)."
        ),
        lawful_basis=LAW_ENFORCEMENT,
        retention="referral",
        recipients=(USER_SELF,),
        fields={
            "id": IDENTIFIER,
            "user": STAFF_ACTOR,
            "path": LINK,
            "sealed": REFERRAL_ANSWERS,
            "files_dropped": OPERATIONAL,
            "kept_at": AUDIT,
            "expires_at": OPERATIONAL,
        },
    ),
    "accounts.AccountChangeRequest": ModelProcessing(
        purpose=(
            "A change to a police account or a privileged role that an administrator asked for and a supervisor "
            "approved or refused: the two-person rule that keeps administrators out of case content."
        ),
        lawful_basis=ACCOUNT_SECURITY,
        retention="account",
        recipients=(ADMINS, ACCOUNT_APPROVERS),
        fields={
            "id": IDENTIFIER,
            "subject": STAFF_ACTOR,
            "kind": OPERATIONAL,
            "roles": STAFF_ACTOR,
            "new_email": STAFF_IDENTITY,
            "reason": STAFF_REVIEW,
            "requested_by": STAFF_ACTOR,
            "requested_at": AUDIT,
            "status": OPERATIONAL,
            "decided_by": STAFF_ACTOR,
            "decided_at": AUDIT,
            "decision_note": STAFF_REVIEW,
        },
    ),
    # audit
    "audit.AuditEvent": ModelProcessing(
        purpose="Log every access to and change of personal data: who, when, what, to which record, from where.",
        lawful_basis=AUDIT_LOGGING,
        retention="audit",
        recipients=(SUPERVISORS,),
        fields={
            "id": IDENTIFIER,
            "occurred_at": AUDIT,
            "actor": STAFF_ACTOR,
            "actor_roles": AUDIT,
            "actor_organisation": LINK,
            "action": AUDIT,
            "target_type": AUDIT,
            "target_id": IDENTIFIER,
            "case_id": IDENTIFIER,
            "ip_address": AUDIT,
            "request_id": AUDIT,
            "reason": AUDIT,
            "details": AUDIT,
            "seq": AUDIT,
            "prev_hash": AUDIT,
            "hash": AUDIT,
        },
    ),
    "audit.ListedCase": ModelProcessing(
        purpose="Find the list pages that showed a case (who saw it), newest first: a case id per page shown.",
        lawful_basis=AUDIT_LOGGING,
        retention="audit",
        recipients=(SUPERVISORS,),
        fields={"case_id": IDENTIFIER, "occurred_at": AUDIT, "event": LINK},
    ),
    "audit.RowChange": ModelProcessing(
        purpose="Catch every write to a personal-data table at the database, whatever the path: which columns.",
        lawful_basis=AUDIT_LOGGING,
        retention="audit",
        recipients=(SUPERVISORS,),
        fields={
            "id": IDENTIFIER,
            "occurred_at": AUDIT,
            "table_name": AUDIT,
            "row_id": IDENTIFIER,
            "operation": AUDIT,
            "columns": AUDIT,
            "database_user": AUDIT,
            "transaction_id": AUDIT,
        },
    ),
    "audit.Alert": ModelProcessing(
        purpose="Patterns of access worth a supervisor's look (self-monitoring and discipline).",
        lawful_basis=AUDIT_LOGGING,
        retention="audit",
        recipients=(SUPERVISORS,),
        fields={
            "id": IDENTIFIER,
            "rule": AUDIT,
            "user": STAFF_ACTOR,
            "case_id": IDENTIFIER,
            "key": AUDIT,
            "raised_at": AUDIT,
            "window_start": AUDIT,
            "window_end": AUDIT,
            "count": AUDIT,
            "details": AUDIT,
            "reviewed_at": AUDIT,
            "reviewed_by": STAFF_ACTOR,
            "review_note": STAFF_REVIEW,
        },
    ),
    # core
    "core.ClosureDay": ModelProcessing(
        purpose="Days the team is closed besides bank holidays, for working-day targets, and who added each.",
        lawful_basis=AUDIT_LOGGING,
        retention="reference data",
        recipients=(ALL_USERS,),
        fields={
            "id": IDENTIFIER,
            "day": OPERATIONAL,
            "name": OPERATIONAL,
            "added_by": STAFF_ACTOR,
            "added_at": OPERATIONAL,
        },
    ),
    # referrals
    "referrals.ConcernType": ModelProcessing(
        purpose="The national 'type of concern' code list, with the dates each code was valid.",
        lawful_basis=NO_PERSONAL_DATA,
        retention="reference data",
        recipients=(ALL_USERS,),
        fields={
            "id": IDENTIFIER,
            "code": OPERATIONAL,
            "label": OPERATIONAL,
            "valid_from": OPERATIONAL,
            "valid_to": OPERATIONAL,
            "order": OPERATIONAL,
        },
    ),
    "referrals.Referral": ModelProcessing(
        purpose="A partner's referral of a person who may be vulnerable to radicalisation, kept as given.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="referral",
        recipients=(POLICE_TEAM, PROVIDERS, PANEL, REFERRER),
        fields={
            "id": IDENTIFIER,
            "reference": IDENTIFIER,
            "status": CASE_FACT,
            "form_version": OPERATIONAL,
            "author": STAFF_ACTOR,
            "organisation": LINK,
            "channel": CASE_FACT,
            "entered_by_police": OPERATIONAL,
            "answers": REFERRAL_ANSWERS,
            "concern_type": CONCERN_TYPE,
            "advice_request": LINK,
            "case": LINK,
            "feedback": FREE_TEXT,
            "created_at": CASE_FACT,
            "updated_at": CASE_FACT,
            "submitted_at": CASE_FACT,
            "restricted_at": CASE_FACT,
            "age_band": CONSENT,
            "gender": CASE_FACT,
        },
    ),
    "referrals.PersonKey": ModelProcessing(
        purpose="Find repeat referrals about the same person (normalised identifying values).",
        lawful_basis=LAW_ENFORCEMENT,
        retention="referral",
        recipients=(POLICE_TEAM,),
        fields={"id": IDENTIFIER, "referral": LINK, "kind": OPERATIONAL, "value": PERSON_IDENTITY},
    ),
    "referrals.ReferralLink": ModelProcessing(
        purpose="A possible or confirmed repeat referral, and the officer's decision on it.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="referral",
        recipients=(POLICE_TEAM,),
        fields={
            "id": IDENTIFIER,
            "referral": LINK,
            "earlier": LINK,
            "status": CASE_FACT,
            "reasons": PERSON_IDENTITY,
            "score": CASE_FACT,
            "decided_by": STAFF_ACTOR,
            "decided_at": CASE_FACT,
            "created_at": CASE_FACT,
        },
    ),
    "referrals.Attachment": ModelProcessing(
        purpose="Documents and screenshots given with a referral (stored on disk outside the web root).",
        lawful_basis=LAW_ENFORCEMENT,
        retention="referral",
        recipients=(POLICE_TEAM, REFERRER),
        fields={
            "id": IDENTIFIER,
            "referral": LINK,
            "original_name": FILE,
            "stored_name": OPERATIONAL,
            "content_type": OPERATIONAL,
            "size": OPERATIONAL,
            "sha256": OPERATIONAL,
            "scan": OPERATIONAL,
            "uploaded_by": STAFF_ACTOR,
            "uploaded_at": CASE_FACT,
        },
    ),
    "referrals.AdviceRequest": ModelProcessing(
        purpose="A partner asks the Prevent team for advice before or instead of a referral (no name needed).",
        lawful_basis=LAW_ENFORCEMENT,
        retention="referral",
        recipients=(POLICE_TEAM, REFERRER),
        fields={
            "id": IDENTIFIER,
            "reference": IDENTIFIER,
            "organisation": LINK,
            "asked_by": STAFF_ACTOR,
            "channel": OPERATIONAL,
            "status": CASE_FACT,
            "created_at": CASE_FACT,
            "updated_at": CASE_FACT,
        },
    ),
    "referrals.AdviceMessage": ModelProcessing(
        purpose="The messages of an advice request; the partner may describe the person.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="referral",
        recipients=(POLICE_TEAM, REFERRER),
        fields={
            "id": IDENTIFIER,
            "request": LINK,
            "author": STAFF_ACTOR,
            "from_police": OPERATIONAL,
            "body": FREE_TEXT,
            "created_at": CASE_FACT,
        },
    ),
    # public
    "front_door.PublicContact": ModelProcessing(
        purpose="A member of the public tells the Prevent team about someone they are worried about (no account).",
        lawful_basis=LAW_ENFORCEMENT,
        retention="public contact",
        recipients=(POLICE_TEAM,),
        fields={
            "id": IDENTIFIER,
            "reference": IDENTIFIER,
            "relationship": CONSENT,
            "relationship_other": FREE_TEXT,
            "concern": FREE_TEXT,
            "sender_name": PUBLIC_SENDER,
            "sender_email": PUBLIC_SENDER,
            "sender_phone": PUBLIC_SENDER,
            "person_name": PERSON_IDENTITY,
            "person_age": PERSON_IDENTITY,
            "person_area": PERSON_IDENTITY,
            "challenge_passed": OPERATIONAL,
            "status": CASE_FACT,
            "referral": LINK,
            "received_at": CASE_FACT,
            "updated_at": CASE_FACT,
            "closed_at": CASE_FACT,
        },
    ),
    "front_door.ContactReply": ModelProcessing(
        purpose="How the Prevent team answered a contact from the public: the advice given, or a note.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="public contact",
        recipients=(POLICE_TEAM,),
        fields={
            "id": IDENTIFIER,
            "contact": LINK,
            "author": STAFF_ACTOR,
            "how": OPERATIONAL,
            "body": FREE_TEXT,
            "created_at": CASE_FACT,
        },
    ),
    # cases
    "cases.Case": ModelProcessing(
        purpose="The Prevent team's work about one person: triage, checks, assessment, decision, support, review.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=CASE_RECIPIENTS,
        fields={
            "id": IDENTIFIER,
            "reference": IDENTIFIER,
            "status": CASE_FACT,
            "assigned_to": STAFF_ACTOR,
            "received_at": CASE_FACT,
            "sector": ORGANISATION,
            "concern_type": CONCERN_TYPE,
            "assessed_concern_type": CONCERN_TYPE,
            "assessment_due": CASE_FACT,
            "referral_count": CASE_FACT,
            "outcome": CASE_FACT,
            "closed_at": CASE_FACT,
            "merged_into": LINK,
            "review_due": CASE_FACT,
            "restricted_at": CASE_FACT,
            "version": OPERATIONAL,
            "created_at": CASE_FACT,
            "updated_at": CASE_FACT,
        },
    ),
    "cases.Decision": ModelProcessing(
        purpose="The police outcome with its rationale, and its sign-off.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(POLICE_TEAM,),
        fields={
            "id": IDENTIFIER,
            "case": LINK,
            "outcome": CASE_FACT,
            "rationale": FREE_TEXT,
            "signposted_to": SUPPORT,
            "state": CASE_FACT,
            "decided_by": STAFF_ACTOR,
            "decided_at": CASE_FACT,
            "signed_off_by": STAFF_ACTOR,
            "signed_off_at": CASE_FACT,
            "sign_off_note": FREE_TEXT,
        },
    ),
    "cases.AssessmentTemplate": ModelProcessing(
        purpose="Versions of the structured assessment's questions.",
        lawful_basis=NO_PERSONAL_DATA,
        retention="reference data",
        recipients=(POLICE_TEAM,),
        fields={
            "id": IDENTIFIER,
            "version": OPERATIONAL,
            "name": OPERATIONAL,
            "questions": OPERATIONAL,
            "is_current": OPERATIONAL,
        },
    ),
    "cases.Assessment": ModelProcessing(
        purpose="The officer's structured assessment of the person's vulnerability (engagement, intent, capability).",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(POLICE_TEAM,),
        fields={
            "id": IDENTIFIER,
            "case": LINK,
            "template": LINK,
            "answers": FREE_TEXT,
            "rationale": FREE_TEXT,
            "assessed_by": STAFF_ACTOR,
            "assessed_at": CASE_FACT,
        },
    ),
    "cases.Check": ModelProcessing(
        purpose="Information gathering and deconfliction with counter-terrorism investigations (police only).",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(POLICE_TEAM,),
        fields={
            "id": IDENTIFIER,
            "case": LINK,
            "kind": CRIMINAL_INTELLIGENCE,
            "result": CRIMINAL_INTELLIGENCE,
            "note": CRIMINAL_INTELLIGENCE,
            "checked_by": STAFF_ACTOR,
            "checked_at": CASE_FACT,
        },
    ),
    "cases.CaseNote": ModelProcessing(
        purpose="Officers' notes on the case.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(POLICE_TEAM,),
        fields={"id": IDENTIFIER, "case": LINK, "text": FREE_TEXT, "written_by": STAFF_ACTOR, "written_at": CASE_FACT},
    ),
    "cases.CaseEvent": ModelProcessing(
        purpose="The case's chronology, one line per change.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(POLICE_TEAM,),
        fields={"id": IDENTIFIER, "case": LINK, "at": CASE_FACT, "by": STAFF_ACTOR, "what": FREE_TEXT},
    ),
    "cases.PanelMeeting": ModelProcessing(
        purpose="A Channel panel meeting and its members.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(POLICE_TEAM, PANEL),
        fields={
            "id": IDENTIFIER,
            "meets_on": OPERATIONAL,
            "title": OPERATIONAL,
            "members": STAFF_ACTOR,
            "created_by": STAFF_ACTOR,
            "chair_name": STAFF_IDENTITY,
            "chair_agency": ORGANISATION,
        },
    ),
    "cases.Attendee": ModelProcessing(
        purpose="Who attended a Channel panel meeting or sent apologies, for which agency.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(POLICE_TEAM, PANEL),
        fields={
            "id": IDENTIFIER,
            "meeting": LINK,
            "name": STAFF_IDENTITY,
            "agency": ORGANISATION,
            "attended": OPERATIONAL,
        },
    ),
    "cases.PanelAction": ModelProcessing(
        purpose="An action the Channel panel agreed on a case, its owner agency and due date, until done.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(POLICE_TEAM, PANEL),
        fields={
            "id": IDENTIFIER,
            "item": LINK,
            "description": FREE_TEXT,
            "owner_agency": ORGANISATION,
            "due_on": CASE_FACT,
            "created_by": STAFF_ACTOR,
            "created_at": CASE_FACT,
            "done_by": STAFF_ACTOR,
            "done_at": CASE_FACT,
        },
    ),
    "cases.AgendaItem": ModelProcessing(
        purpose="A case listed at a Channel panel meeting and the panel's decision.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(POLICE_TEAM, PANEL),
        fields={
            "id": IDENTIFIER,
            "meeting": LINK,
            "case": LINK,
            "decision": CASE_FACT,
            "onward_referral": SUPPORT,
            "decided_by": STAFF_ACTOR,
            "decided_at": CASE_FACT,
            "summary": FREE_TEXT,
            "minutes": FREE_TEXT,
        },
    ),
    "cases.SupportPlan": ModelProcessing(
        purpose="What support the person gets, by whom, how and when, and how consent is sought.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=CASE_RECIPIENTS,
        fields={
            "id": IDENTIFIER,
            "case": LINK,
            "support": SUPPORT,
            "provided_by": SUPPORT,
            "how_and_when": SUPPORT,
            "consent_sought_by": CONSENT,
            "consent_method": CONSENT,
            "updated_by": STAFF_ACTOR,
            "updated_at": CASE_FACT,
        },
    ),
    "cases.Consent": ModelProcessing(
        purpose="Consent to support: the person's own at 18 or over, a parent's or guardian's under 18.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=CASE_RECIPIENTS,
        fields={
            "id": IDENTIFIER,
            "case": LINK,
            "state": CONSENT,
            "given_by": CONSENT,
            "under_18": CONSENT,
            "note": FREE_TEXT,
            "recorded_by": STAFF_ACTOR,
            "recorded_at": CASE_FACT,
        },
    ),
    "cases.ProviderGrant": ModelProcessing(
        purpose="A support provider's access to chosen sections of one case (a disclosure, with its recipient).",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(POLICE_TEAM, PROVIDERS),
        fields={
            "id": IDENTIFIER,
            "case": LINK,
            "provider": STAFF_ACTOR,
            "sections": OPERATIONAL,
            "granted_by": STAFF_ACTOR,
            "granted_at": CASE_FACT,
            "revoked_by": STAFF_ACTOR,
            "revoked_at": CASE_FACT,
            "handed_back_at": CASE_FACT,
        },
    ),
    "cases.ProgressNote": ModelProcessing(
        purpose="Support providers' notes on the support given.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=CASE_RECIPIENTS,
        fields={"id": IDENTIFIER, "case": LINK, "written_by": STAFF_ACTOR, "written_at": CASE_FACT, "text": FREE_TEXT},
    ),
    "cases.Review": ModelProcessing(
        purpose="Reviews 6 and 12 (up to 24) months after closure: concerns gone, or reopen.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(POLICE_TEAM,),
        fields={
            "id": IDENTIFIER,
            "case": LINK,
            "months": OPERATIONAL,
            "due_on": CASE_FACT,
            "outcome": CASE_FACT,
            "note": FREE_TEXT,
            "done_by": STAFF_ACTOR,
            "done_at": CASE_FACT,
        },
    ),
    "cases.CaseFileDisclosure": ModelProcessing(
        purpose="A case file (PDF) downloaded for a Channel panel, counter-terrorism policing or an inquiry: a "
        "disclosure, with its purpose, who it is for, who downloaded it and when.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(POLICE_TEAM, SUPERVISORS),
        fields={
            "id": IDENTIFIER,
            "case": LINK,
            "purpose": OPERATIONAL,
            "note": FREE_TEXT,
            "downloaded_by": STAFF_ACTOR,
            "downloaded_at": AUDIT,
        },
    ),
    "cases.CaseDocument": ModelProcessing(
        purpose="Documents officers add to a case (letters, meeting notes; stored on disk outside the web root).",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(POLICE_TEAM,),
        fields={
            "id": IDENTIFIER,
            "case": LINK,
            "title": FREE_TEXT,
            "description": FREE_TEXT,
            "original_name": FILE,
            "stored_name": OPERATIONAL,
            "content_type": OPERATIONAL,
            "size": OPERATIONAL,
            "sha256": OPERATIONAL,
            "scan": OPERATIONAL,
            "uploaded_by": STAFF_ACTOR,
            "uploaded_at": CASE_FACT,
        },
    ),
    "cases.BreakGlass": ModelProcessing(
        purpose="An officer's reasoned, time-limited access outside their caseload, reviewed by a supervisor.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(POLICE_TEAM, SUPERVISORS),
        fields={
            "id": IDENTIFIER,
            "case": LINK,
            "user": STAFF_ACTOR,
            "reason_code": OPERATIONAL,
            "reason": FREE_TEXT,
            "granted_at": AUDIT,
            "expires_at": AUDIT,
            "reviewed_by": STAFF_ACTOR,
            "reviewed_at": AUDIT,
            "verdict": STAFF_REVIEW,
            "review_note": STAFF_REVIEW,
        },
    ),
    "cases.Cover": ModelProcessing(
        purpose="A colleague officer covering an absent officer's cases for a date range: who, when, who set it up "
        "and who ended it early. It decides who may open those cases, and reads under it name it in the audit trail.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="account",
        recipients=(POLICE_TEAM, SUPERVISORS),
        fields={
            "id": IDENTIFIER,
            "officer": STAFF_ACTOR,
            "colleague": STAFF_ACTOR,
            "starts_on": STAFF_ABSENCE,
            "ends_on": STAFF_ABSENCE,
            "note": STAFF_ABSENCE,
            "created_by": STAFF_ACTOR,
            "created_at": AUDIT,
            "ended_by": STAFF_ACTOR,
            "ended_at": AUDIT,
        },
    ),
    "cases.SavedQueueFilter": ModelProcessing(
        purpose="A user's own named sets of the case queue's filters (status, officer, type, sector, sort).",
        lawful_basis=ACCOUNT_SECURITY,
        retention="account",
        recipients=(USER_SELF,),
        fields={
            "id": IDENTIFIER,
            "owner": STAFF_ACTOR,
            "name": OPERATIONAL,
            "filters": OPERATIONAL,
            "created_at": AUDIT,
        },
    ),
    # reports
    "reports.PartnerArea": ModelProcessing(
        purpose="Group partner organisations into areas, to filter reports (counts only) by area.",
        lawful_basis=NO_PERSONAL_DATA,
        retention="reference data",
        recipients=(POLICE_TEAM,),
        fields={"id": IDENTIFIER, "name": ORGANISATION, "organisations": ORGANISATION, "created_at": OPERATIONAL},
    ),
    # rights (rectification and restriction)
    "rights.Rectification": ModelProcessing(
        purpose="A correction of the police view of the person or of the case's facts: the value now used, who, why.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=CASE_RECIPIENTS,
        fields={
            "id": IDENTIFIER,
            "case": LINK,
            "field": OPERATIONAL,
            "value": REFERRAL_ANSWERS,
            "reason": FREE_TEXT,
            "rectified_by": STAFF_ACTOR,
            "rectified_at": AUDIT,
        },
    ),
    "rights.Restriction": ModelProcessing(
        purpose="A restriction of processing (kept but not used) and its lifting, with who and why.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(SUPERVISORS,),
        fields={
            "id": IDENTIFIER,
            "case": LINK,
            "reason": FREE_TEXT,
            "restricted_by": STAFF_ACTOR,
            "restricted_at": CASE_FACT,
            "lifted_by": STAFF_ACTOR,
            "lifted_at": CASE_FACT,
            "lift_reason": FREE_TEXT,
        },
    ),
    # privacy
    "privacy.Tombstone": ModelProcessing(
        purpose=(
            "What is left of an erased record (DPA 2018 s.62 erasure log): its id, dates, the rule applied and who "
            "asked and approved; the deletion certificate. The reference number is not kept: with a partner's "
            "records it would still identify the person."
        ),
        lawful_basis=AUDIT_LOGGING,
        retention="audit",
        recipients=(SUPERVISORS,),
        fields={
            "id": IDENTIFIER,
            "record_type": AUDIT,
            "record_id": IDENTIFIER,
            "received_at": AUDIT,
            "closed_at": AUDIT,
            "erased_at": AUDIT,
            "rule": AUDIT,
            "requested_by": STAFF_ACTOR,
            "approved_by": STAFF_ACTOR,
            "certificate_number": IDENTIFIER,
            "erased_ids": IDENTIFIER,
            "counts": AUDIT,
            "transaction_id": AUDIT,
        },
    ),
    "privacy.ErasureInProgress": ModelProcessing(
        purpose="A marker that exists only inside an erasing transaction (SQLite): lets it redact field history.",
        lawful_basis=NO_PERSONAL_DATA,
        retention="audit",
        recipients=(SUPERVISORS,),
        fields={"id": OPERATIONAL, "tombstone": IDENTIFIER},
    ),
    # notifications
    "notifications.Notification": ModelProcessing(
        purpose="Tell a user something needs their attention: a kind, a reference and a link, no personal data.",
        lawful_basis=ACCOUNT_SECURITY,
        retention="notification",
        recipients=(USER_SELF,),
        fields={
            "id": IDENTIFIER,
            "recipient": STAFF_ACTOR,
            "kind": OPERATIONAL,
            "reference": IDENTIFIER,
            "link": IDENTIFIER,
            "key": OPERATIONAL,
            "created_at": OPERATIONAL,
            "read_at": OPERATIONAL,
        },
    ),
    "notifications.Email": ModelProcessing(
        purpose="The e-mail outbox: what to send to whom, written with the event it tells of.",
        lawful_basis=ACCOUNT_SECURITY,
        retention="notification",
        recipients=(USER_SELF,),
        fields={
            "id": IDENTIFIER,
            "recipient": STAFF_ACTOR,
            "address": STAFF_IDENTITY,
            "kind": OPERATIONAL,
            "reference": IDENTIFIER,
            "link": IDENTIFIER,
            "counts": OPERATIONAL,
            "status": OPERATIONAL,
            "created_at": OPERATIONAL,
            "due_at": OPERATIONAL,
            "claimed_at": OPERATIONAL,
            "claim_token": OPERATIONAL,
            "attempts": OPERATIONAL,
            "sent_at": OPERATIONAL,
            "last_error": OPERATIONAL,
            "digest": LINK,
        },
    ),
    "notifications.Preference": ModelProcessing(
        purpose="How a user wants to hear of things by e-mail.",
        lawful_basis=ACCOUNT_SECURITY,
        retention="account",
        recipients=(USER_SELF,),
        fields={"user": STAFF_ACTOR, "daily_digest": OPERATIONAL, "emails_off": OPERATIONAL, "updated_at": OPERATIONAL},
    ),
    # subject access
    "subject_access.SubjectAccessRequest": ModelProcessing(
        purpose=(
            "Answer a person's right of access (DPA 2018 s.45): what was found, confirmed, withheld and released. "
            "The exported files are deleted SUBJECT_ACCESS_KEEP_DAYS (30) after release, or when the person's "
            "records are erased (with the notes here)."
        ),
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(SUPERVISORS, "The person who asked: the released export, without what was withheld"),
        fields={
            "id": IDENTIFIER,
            "reference": IDENTIFIER,
            "status": OPERATIONAL,
            "received_on": CASE_FACT,
            "due_on": CASE_FACT,
            "requested_by": STAFF_ACTOR,
            "requested_at": AUDIT,
            "note": FREE_TEXT,
            "terms_hash": AUDIT,
            "candidate_referral_ids": LINK,
            "referral_ids": LINK,
            "case_ids": LINK,
            "confirmed_by": STAFF_ACTOR,
            "confirmed_at": AUDIT,
            "progress_done": OPERATIONAL,
            "progress_total": OPERATIONAL,
            "generation_started_at": OPERATIONAL,
            "generated_at": AUDIT,
            "export_folder": OPERATIONAL,
            "released_by": STAFF_ACTOR,
            "released_at": AUDIT,
            "exports_deleted_at": AUDIT,
        },
    ),
    "subject_access.Withholding": ModelProcessing(
        purpose="The internal record of what was withheld from a subject access export, under which exemption, why.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(SUPERVISORS,),
        fields={
            "id": IDENTIFIER,
            "request": LINK,
            "item_key": LINK,
            "field": OPERATIONAL,
            "exemption": OPERATIONAL,
            "note": FREE_TEXT,
            "withheld_by": STAFF_ACTOR,
            "withheld_at": AUDIT,
        },
    ),
    # retention
    "retention.RetentionRule": ModelProcessing(
        purpose="The retention schedule: how long after closure each outcome waits before its retention review, and "
        "who last changed it.",
        lawful_basis=AUDIT_LOGGING,
        retention="reference data",
        recipients=(RETENTION_REVIEWERS, ADMINS),
        fields={
            "id": IDENTIFIER,
            "key": OPERATIONAL,
            "period": OPERATIONAL,
            "unit": OPERATIONAL,
            "under_18_period": OPERATIONAL,
            "updated_by": STAFF_ACTOR,
            "updated_at": OPERATIONAL,
        },
    ),
    "retention.RetentionReview": ModelProcessing(
        purpose=(
            "A record due for a retention decision (keep until a next review, or erase with a second approval). When "
            "the record is erased, its link, reference and the reasons given are cleared: what stays is the "
            "tombstone's (ids, dates, the rule, who decided)."
        ),
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(RETENTION_REVIEWERS,),
        fields={
            "id": IDENTIFIER,
            "kind": OPERATIONAL,
            "case": LINK,
            "referral": LINK,
            "record_id": IDENTIFIER,
            "reference": IDENTIFIER,
            "rule_key": CASE_FACT,
            "rule_code": CASE_FACT,
            "under_18": CONSENT,
            "closed_at": CASE_FACT,
            "due_on": CASE_FACT,
            "state": CASE_FACT,
            "next_review_on": CASE_FACT,
            "requested_by": STAFF_ACTOR,
            "requested_at": AUDIT,
            "created_at": OPERATIONAL,
            "updated_at": OPERATIONAL,
        },
    ),
    "retention.RetentionDecision": ModelProcessing(
        purpose="Each retention decision: who, when, why, and the next review date when the record is kept.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(RETENTION_REVIEWERS,),
        fields={
            "id": IDENTIFIER,
            "review": LINK,
            "action": CASE_FACT,
            "by": STAFF_ACTOR,
            "at": AUDIT,
            "reason": FREE_TEXT,
            "next_review_on": CASE_FACT,
        },
    ),
    "retention.LegalHold": ModelProcessing(
        purpose="A legal hold (litigation, inquiry, investigation): the record is neither reviewed nor erased.",
        lawful_basis=LAW_ENFORCEMENT,
        retention="case",
        recipients=(RETENTION_REVIEWERS,),
        fields={
            "id": IDENTIFIER,
            "case": LINK,
            "referral": LINK,
            "reference": IDENTIFIER,
            "reason": FREE_TEXT,
            "set_by": STAFF_ACTOR,
            "set_at": AUDIT,
            "lifted_by": STAFF_ACTOR,
            "lifted_at": AUDIT,
            "lift_reason": FREE_TEXT,
        },
    ),
}
