"""Scheduling term combiners: groups of an entity's terms judged together by another rule than AND.

An entity's terms are AND-combined. A combiner takes some of them out of that AND: it combines its
``terms`` by its own rule, and the result joins the AND of the remaining terms. With an
OrSchedulingTermCombiner over a MessageAvailable term and a Periodic term, say, the entity ticks when
a message arrives or when the period is over, whichever comes first.
"""

from __future__ import annotations

from gxf.core import Component, Handle, Parameter

from .scheduling_condition import or_combine
from .scheduling_term import NOTHING, SchedulingTerm, Waits, bad_parameter


class SchedulingTermCombiner(Component, type_name="nvidia::gxf::SchedulingTermCombiner",
                             uuid="4c3f39b0-42ed-11ef-a7d5-dbe22043a6f1", abstract=True):
    """Base of the combiners: they join some of an entity's scheduling terms by a rule other than AND."""

    def combine(self, a: tuple, b: tuple) -> tuple:
        """Combines two conditions ``(type, target_timestamp)``."""
        raise NotImplementedError

    def term_list(self) -> list:
        """The scheduling terms of the entity governed by this combiner."""
        raise NotImplementedError

    getTermList = term_list  # noqa: N815 - GXF's C++ name

    def waits_on(self) -> Waits:
        """What can end the wait of any governed term (their waits joined, without measures)."""
        waits = NOTHING
        for term in self.term_list():
            waits = waits.union(term.waits_on())
        return waits

    def check(self, timestamp: int) -> tuple:
        """The combined condition of the governed terms at ``timestamp``."""
        combine = self.combine
        terms = self._terms
        condition = terms[0].check(timestamp)
        for term in terms[1:]:
            condition = combine(condition, term.check(timestamp))
        return condition


class OrSchedulingTermCombiner(SchedulingTermCombiner, type_name="nvidia::gxf::OrSchedulingTermCombiner",
                               uuid="df28988e-42ed-11ef-a09a-cbbf54a5a986"):
    """Joins scheduling terms so that the entity may execute when any one of them allows it.

    READY when any of ``terms`` is READY; NEVER as soon as any is NEVER (as in GXF); otherwise the
    earliest WAIT_TIME, then WAIT_EVENT, then WAIT. The terms must belong to the combiner's entity.
    """

    terms = Parameter(list[Handle(SchedulingTerm)], description="The terms of which any one is enough")

    def preflight(self) -> None:
        if not self.terms:
            raise bad_parameter(self, "terms", "needs at least one scheduling term",
                                "list the names of this entity's terms to OR-combine")
        for term in self.terms:
            if term.entity is not self.entity:
                raise bad_parameter(self, "terms", f"'{term.handle_text()}' belongs to another entity",
                                    "a combiner governs terms of its own entity only")

    def initialize(self) -> None:
        self._terms = tuple(self.terms)

    def combine(self, a: tuple, b: tuple) -> tuple:
        return or_combine(a, b)

    def term_list(self) -> list:
        return list(self.terms)
