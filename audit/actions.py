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
    "auth.password_changed": "Password changed",
    "auth.password_recheck_failed": "Password check failed",
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
    "break_glass.asked": "Break-glass reason page viewed",
    "case.break_glass": "Case opened outside caseload (break-glass)",
    "break_glass.listed": "Break-glass reviews listed",
    "break_glass.viewed": "Break-glass access viewed for review",
    "break_glass.reviewed": "Break-glass access reviewed",
    "person.searched": "Person searched for",
    "case.assigned": "Case assigned",
    "case.reassigned": "Case reassigned",
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
    "panel.meeting_created": "Panel meeting created",
    "panel.agenda_viewed": "Panel agenda viewed",
    "panel.decided": "Panel decision recorded",
    "record.erased": "Record erased",
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


def choices() -> list[tuple[str, str]]:
    """The actions for a drop-down, in alphabetical order of their words."""
    return sorted(LABELS.items(), key=lambda item: item[1].lower())
