"""Whether a commitment's rule can be met at all, field by field.

A rule the checker could never find met (alternation over one country, "0 exchanges a
year", a cadence on an exchange commitment) is refused when it is written, with a
message naming the agreement and the field, rather than reported "late" for ever.
Called from ``Commitment.clean()``; it reads only the commitment in hand.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .vocabulary import CommitmentArea, CommitmentMeasure, CommitmentPeriod


def rule_problems(commitment) -> dict[str, list[str]]:
    """Why ``commitment``'s rule cannot be checked or met, by field (empty: it can)."""
    problems: dict[str, list[str]] = {}
    agreement = commitment.agreement if commitment.agreement_id else "?"

    def refuse(field: str, message: str, **values) -> None:
        problems.setdefault(field, []).append(message % {"agreement": agreement, **values})

    area = commitment.area
    if commitment.count is not None and commitment.count < 1:
        refuse("count", _("%(agreement)s: a commitment promises at least one; 0 cannot be met."))
    if commitment.cadence and area != CommitmentArea.JOINT_EVENTS:
        refuse("cadence", _("%(agreement)s: only joint events have a cadence."))
    if commitment.cadence and commitment.count is not None:
        refuse(
            "count",
            _("%(agreement)s: give a cadence or a number of events over a period, not both."),
        )
    if commitment.alternate_countries and area != CommitmentArea.JOINT_EVENTS:
        refuse("alternate_countries", _("%(agreement)s: only joint events alternate."))
    if commitment.period and commitment.count is None:
        period = CommitmentPeriod(commitment.period).label
        refuse("count", _("%(agreement)s: say how many are promised %(period)s."), period=period)
    if area == CommitmentArea.JOINT_PROJECTS and commitment.period:
        refuse(
            "period",
            _("%(agreement)s: joint projects are counted as they stand, not over a period."),
        )
    if area in (CommitmentArea.JOINT_EVENTS, CommitmentArea.EXCHANGES) and (
        commitment.count is not None and not commitment.period
    ):
        refuse("period", _("%(agreement)s: say whether the number is per year or over the term."))
    if area != CommitmentArea.EXCHANGES:
        if commitment.measure:
            refuse("measure", _("%(agreement)s: only exchanges are counted in people."))
        if commitment.direction:
            refuse("direction", _("%(agreement)s: only exchanges have a direction."))
    elif commitment.measure and commitment.measure not in CommitmentMeasure.values:
        refuse("measure", _("%(agreement)s: count exchanges in people or person-months."))
    return problems
