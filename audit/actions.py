"""Every audit action the service writes, with the words supervisors read for it.

One list, kept next to the code that writes the events: tests/audit/test_search.py reads every
`action="..."` in the code and fails if one is missing here, so the search's action filter always
offers them all. An unknown action (an older release's) still shows, as its code.
"""

LABELS = {
    # Signing in and accounts
    "auth.signed_in": "Signed in",
    "auth.password_accepted": "Password accepted (code step next)",
    "auth.sign_in_failed": "Sign-in failed",
    "auth.second_factor_failed": "Security code refused",
    "auth.lockout_refused": "Sign-in refused: account locked",
    "auth.unlocked": "Account unlocked",
    "auth.signed_out": "Signed out",
    "auth.signed_out_everywhere": "Signed out everywhere",
    "session.form_kept": "Form kept as the session ended (contents encrypted, not saved)",
    "session.form_restored": "Kept form given back after signing in again",
    "session.kept_form_erased": "Kept form erased unread (another user signed in)",
    "auth.password_changed": "Password changed",
    "auth.password_recheck_failed": "Password check failed",
    "auth.password_reset_requested": "Password reset link asked for",
    "auth.password_reset_link_used": "Password reset link opened",
    "mfa.enrolment_started": "Authenticator app set-up started",
    "mfa.device_enrolled": "Authenticator app added",
    "mfa.enrolment_failed": "Authenticator app set-up failed",
    "mfa.backup_codes_generated": "Backup codes made",
    "mfa.reset": "Two-factor sign-in reset",
    "user.created": "User created",
    "user.updated": "User changed",
    "user.viewed": "User viewed",
    "user.list_viewed": "User list viewed",
    "user.set_password_link_sent": "Password link sent",
    "user.email_changed": "User's e-mail address changed",
    "user.roles_granted": "User given roles (approved)",
    "account_change.requested": "Account change asked for (needs approval)",
    "account_change.approved": "Account change approved",
    "account_change.refused": "Account change refused",
    "account_change.cancelled": "Account change request cancelled",
    "account_change.list_viewed": "Account approvals listed",
    "account_change.viewed": "Account change request viewed",
    "notifications.preferences_changed": "Notification settings changed",
    "organisation.created": "Organisation created",
    "organisation.updated": "Organisation changed",
    # Referrals and advice
    "referral.draft_started": "Draft referral started",
    "referral.draft_saved": "Draft referral saved",
    "referral.draft_viewed": "Draft referral viewed",
    "referral.draft_deleted": "Draft referral deleted",
    "referral.draft_expired": "Draft referral deleted (expired)",
    "referral.submitted": "Referral submitted",
    "referral.viewed": "Referral viewed",
    "referral.list_viewed": "Referral list viewed",
    "referral.acknowledgement_viewed": "Referral acknowledgement viewed",
    "referral.link_confirmed": "Repeat referral confirmed",
    "referral.link_rejected": "Repeat referral rejected",
    "referral.feedback_shared": "Feedback shared with referrer",
    "attachment.added": "Document added",
    "attachment.removed": "Document removed",
    "attachment.refused": "Document refused",
    "attachment.downloaded": "Document downloaded",
    "advice.requested": "Advice asked for",
    "advice.logged": "Advice given by phone recorded",
    "advice.viewed": "Advice request viewed",
    "advice.list_viewed": "Advice list viewed",
    "advice.replied": "Advice given",
    "advice.closed": "Advice request closed",
    "advice.referral_asked": "Referral asked for",
    "advice.referral_started": "Referral started from advice",
    # Cases
    "case.opened": "Case opened",
    "case.viewed": "Case viewed",
    "case.viewed_by_provider": "Case viewed by support provider",
    "case.list_viewed": "Case list viewed",
    "case.queue_viewed": "Case queue viewed",
    "access.refused": "Access refused",
    "access.not_found": "Record not found",
    "access.rate_limited": "Refused: too many in a short time (rate limit)",
    "break_glass.asked": "Break-glass reason page viewed",
    "case.break_glass": "Case opened outside caseload (break-glass)",
    "break_glass.listed": "Break-glass reviews listed",
    "break_glass.viewed": "Break-glass access viewed for review",
    "break_glass.reviewed": "Break-glass access reviewed",
    "person.searched": "Person searched for",
    "case.assigned": "Case assigned",
    "case.reassigned": "Case reassigned",
    "queue_filter.saved": "Queue filter saved",
    "queue_filter.deleted": "Queue filter deleted",
    "case.moved": "Case moved on",
    "case.merged": "Case merged",
    "case.check_recorded": "Check recorded",
    "case.assessed": "Assessment recorded",
    "case.decided": "Decision recorded",
    "case.decision_signed_off": "Decision signed off",
    "case.decision_returned": "Decision returned",
    "case.note_added": "Case note added",
    "case.support_plan_saved": "Support plan saved",
    "case.consent_recorded": "Consent recorded",
    "case.progress_recorded": "Support progress recorded",
    "case.reviewed": "Case reviewed",
    "case.disclosed_to_provider": "Case shared with support provider",
    "case.provider_access_revoked": "Support provider access ended",
    "case.disclosed_to_panel": "Case listed for Channel panel",
    "case.file_disclosed": "Case file downloaded for a disclosure (purpose recorded)",
    "panel.meeting_created": "Panel meeting created",
    "panel.list_viewed": "Panel meetings listed",
    "panel.agenda_viewed": "Panel agenda viewed",
    "panel.decided": "Panel decision recorded",
    "record.erased": "Record erased",
    "record.rectified": "Record corrected (rectification)",
    "person_keys.rebuilt": "Repeat-matching keys rebuilt (how names are matched changed)",
    "record.restricted": "Processing restricted",
    "record.restriction_lifted": "Restriction lifted",
    # Retention schedule and review
    "retention.scanned": "Retention scan run",
    "retention.rule_changed": "Retention rule changed",
    "retention.queue_viewed": "Retention review queue viewed",
    "retention.review_viewed": "Retention review viewed",
    "retention.kept": "Record kept at retention review",
    "retention.erasure_requested": "Erasure requested",
    "retention.approvals_viewed": "Erasures awaiting approval viewed",
    "retention.erasure_approved": "Erasure approved",
    "retention.erasure_rejected": "Erasure not approved",
    "retention.holds_viewed": "Legal holds viewed",
    "retention.hold_viewed": "Legal hold viewed",
    "retention.hold_set": "Legal hold set",
    "retention.hold_lifted": "Legal hold lifted",
    "retention.review_cancelled": "Retention review cancelled: record changed since queued",
    # Subject access requests
    "subject_access.requested": "Subject access request recorded",
    "subject_access.list_viewed": "Subject access requests listed",
    "subject_access.viewed": "Subject access request viewed",
    "subject_access.records_confirmed": "Subject access records confirmed",
    "subject_access.generation_started": "Subject access export generation started",
    "subject_access.generated": "Subject access export generated",
    "subject_access.generation_failed": "Subject access export generation failed",
    "subject_access.exemption_applied": "Subject access exemption applied",
    "subject_access.exemption_removed": "Subject access exemption removed",
    "subject_access.released": "Subject access export released",
    "subject_access.downloaded": "Subject access export downloaded",
    "subject_access.exports_deleted": "Subject access export files deleted",
    "history.redacted": "Field-level history of erased records redacted",
    "tombstone.created": "Erasure tombstone and certificate made",
    "tombstone.list_viewed": "Erasure tombstones listed",
    "tombstone.certificate_viewed": "Deletion certificate viewed",
    "tombstone.certificate_downloaded": "Deletion certificate downloaded",
    # Reports (counts only)
    "dashboard.viewed": "Dashboard viewed",
    "report.generated": "Statistics return produced",
    "report.downloaded": "Statistics return downloaded",
    "partner_area.changed": "Partner area changed",
    # The audit trail itself
    "audit.searched": "Audit trail searched",
    "audit.case_history_viewed": "Case access history viewed",
    "audit.user_activity_viewed": "User activity viewed",
    "audit.exported": "Audit trail exported",
    "audit.chain_broken": "Audit chain found broken",
    "alert.list_viewed": "Access alerts listed",
    "alert.viewed": "Access alert viewed",
    "alert.reviewed": "Access alert reviewed",
}


def label(action: str) -> str:
    """Return the words for an action, or its code if it is not known (yet)."""
    return LABELS.get(action, action)


# Searching for an action finds its whole family: "Case viewed" is every way a case is opened in full, the
# Prevent team's and a support provider's alike (who saw this case must not hide the provider's views).
FAMILIES = {"case.viewed": ("case.viewed", "case.viewed_by_provider")}


def family(action: str) -> tuple[str, ...]:
    """The actions a search for this one finds: itself, and those of its family."""
    return FAMILIES.get(action, (action,))


def choices() -> list[tuple[str, str]]:
    """The actions for a drop-down, in alphabetical order of their words."""
    return sorted(LABELS.items(), key=lambda item: item[1].lower())
