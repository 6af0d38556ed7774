"""The assessment templates every installation starts with, kept in place after each `migrate`."""

# The older public framework's three dimensions. The current national framework is not public:
# a team adds its own version as a new template and marks it current; old assessments keep theirs.
PUBLIC_FRAMEWORK = {
    "version": "public-2012",
    "name": "Vulnerability assessment (public framework)",
    "questions": [
        {
            "key": "engagement",
            "label": "Engagement with a group, cause or ideology",
            "hint": "Feelings, beliefs and attitudes that may draw them in, and how far they have gone.",
        },
        {
            "key": "intent",
            "label": "Intent to cause harm",
            "hint": "Whether they are willing to use or support violence or other illegal means.",
        },
        {
            "key": "capability",
            "label": "Capability to cause harm",
            "hint": "Whether they could contribute to or cause harm: skills, access, networks.",
        },
    ],
}


def ensure_assessment_templates(**kwargs) -> None:
    from cases.models import AssessmentTemplate

    template, created = AssessmentTemplate.objects.get_or_create(
        version=PUBLIC_FRAMEWORK["version"],
        defaults={"name": PUBLIC_FRAMEWORK["name"], "questions": PUBLIC_FRAMEWORK["questions"]},
    )
    if created and not AssessmentTemplate.objects.filter(is_current=True).exists():
        template.is_current = True
        template.save(update_fields=["is_current"])
