"""Finding a person by name with typos, date of birth, NHS number or postcode.

On PostgreSQL the name is matched with pg_trgm against the small table of distinct names
(SearchName) and the matches are joined to persons through btree indexes; a bare trigram scan
of the person table was 30 times slower at 2 million rows (platform notes). SQLite, the
embedded demo database, compares names in Python against the same table.

Results hold only people the searcher may see (sharing.policies). When a likely match exists
that the searcher cannot see, the result says so, without any detail, so that they ask for
access instead of recording the person again.
"""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Case, FloatField, Q, Value, When

from earlyhelp.core.access import access_record
from earlyhelp.core.models import AccessAction
from earlyhelp.people import rules
from earlyhelp.people.models import Address, Person, PersonAlias, SearchName
from earlyhelp.sharing import policies

if TYPE_CHECKING:
    from django.http import HttpRequest

    from earlyhelp.accounts.models import User

# Trigram similarity from which a name counts as "the same name with a typo".
NAME_SIMILARITY = 0.3
# How many distinct spellings of each name to join to persons.
SIMILAR_NAMES = 12
MAX_CANDIDATES = 100


@dataclass(frozen=True)
class SearchCriteria:
    name: str = ""
    date_of_birth: datetime.date | None = None
    nhs_number: str = ""
    postcode: str = ""

    def is_empty(self) -> bool:
        # A name without letters ("!!", "2009") matches nothing by name: without this, the
        # search would list everyone the searcher may see.
        has_name = bool(rules.name_key(self.name))
        return not (has_name or self.date_of_birth or self.nhs_number or self.postcode)

    def describe(self) -> str:
        parts = []
        if self.name:
            parts.append(f"name={self.name}")
        if self.date_of_birth:
            parts.append(f"dob={self.date_of_birth.isoformat()}")
        if self.nhs_number:
            parts.append(f"nhs={self.nhs_number}")
        if self.postcode:
            parts.append(f"postcode={self.postcode}")
        return " ".join(parts)


@dataclass
class SearchResult:
    persons: list[Person] = field(default_factory=list)
    # A likely match exists that the searcher may not see: say so, never who.
    match_not_visible: bool = False


def similar_names(key: str, *, limit: int = SIMILAR_NAMES) -> dict[str, float]:
    """Distinct name keys like ``key``, with their similarity from 0 to 1."""
    if not key:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # "%" compares with pg_trgm.similarity_threshold, which the connection sets to
            # NAME_SIMILARITY (config/settings.py); the first search of a connection checks it.
            if not getattr(connection, "trigram_threshold_checked", False):
                cursor.execute("SELECT set_limit(%s)", [NAME_SIMILARITY])
                connection.trigram_threshold_checked = True  # type: ignore[attr-defined]
            cursor.execute(
                "SELECT value, similarity(value, %s) AS score FROM people_searchname "
                "WHERE value %% %s ORDER BY score DESC, value LIMIT %s",
                [key, key, limit],
            )
            found = {value: float(score) for value, score in cursor.fetchall()}
    else:
        # The embedded database holds a demo's few thousand names: compare them all.
        found = {}
        length = len(key)
        for value in SearchName.objects.values_list("value", flat=True).iterator():
            if abs(len(value) - length) > 3:
                continue
            score = difflib.SequenceMatcher(None, key, value).ratio()
            if score >= 0.6:
                found[value] = score
        found = dict(sorted(found.items(), key=lambda kv: -kv[1])[:limit])
    found.setdefault(key, 1.0)
    return found


def _split_name(name: str) -> tuple[str, str]:
    """'Chloe Ashworth' -> ('CHLOE', 'ASHWORTH'); a single word is taken as the family name."""
    words = [rules.name_key(w) for w in name.split()]
    words = [w for w in words if w]
    if not words:
        return "", ""
    if len(words) == 1:
        return "", words[0]
    return words[0], words[-1]


@dataclass
class Candidates:
    """Persons matching the criteria, best first, with each one's name score."""

    scores: dict[int, float]
    given_scores: dict[str, float]
    family_scores: dict[str, float]

    @property
    def ids(self) -> list[int]:
        return list(self.scores)


def _name_score(
    given_field: str, family_field: str, given: dict[str, float], family: dict[str, float]
) -> Any:
    """SQL for "how alike the names are", so that the best candidates come first.

    ``family`` scores the key in ``family_field`` and ``given`` the key in ``given_field``.
    """
    family_part = Case(
        *[When(**{family_field: key}, then=Value(score)) for key, score in family.items()],
        default=Value(0.0),
        output_field=FloatField(),
    )
    if not given:
        return family_part
    given_part = Case(
        *[When(**{given_field: key}, then=Value(score)) for key, score in given.items()],
        default=Value(0.0),
        output_field=FloatField(),
    )
    return family_part + given_part


def candidates_find(criteria: SearchCriteria, *, limit: int = MAX_CANDIDATES) -> Candidates:
    """Everyone (visible or not) who matches, best first.

    Each query is answered from an index: the name keys (people and aliases separately, since
    an OR across the two tables would scan every person), the NHS number, the date of birth or
    the postcode.
    """
    filters = Q()
    if criteria.nhs_number:
        filters &= Q(nhs_number=rules.normalise_nhs_number(criteria.nhs_number))
    if criteria.date_of_birth:
        # An unborn baby is found by its expected date of delivery too.
        filters &= Q(date_of_birth=criteria.date_of_birth) | Q(
            expected_date_of_delivery=criteria.date_of_birth
        )
    if criteria.postcode:
        postcode = rules.normalise_postcode(criteria.postcode)
        filters &= Q(id__in=Address.objects.filter(postcode=postcode).values("person_id"))
    given, family = _split_name(criteria.name)
    if not family:
        ids = Person.objects.filter(filters).order_by("id").values_list("id", flat=True)[:limit]
        return Candidates(scores=dict.fromkeys(ids, 0.0), given_scores={}, family_scores={})
    family_scores = similar_names(family)
    given_scores = similar_names(given) if given else {}
    both_names = _name_score("given_name_key", "family_name_key", given_scores, family_scores)
    if given:
        name_queries = [
            (Q(family_name_key__in=family_scores, given_name_key__in=given_scores), both_names)
        ]
        alias_filter = Q(family_name_key__in=family_scores, given_name_key__in=given_scores)
    else:
        # One word may be either name: two indexed queries rather than an OR.
        name_queries = [
            (Q(family_name_key__in=family_scores), both_names),
            (
                Q(given_name_key__in=family_scores),
                _name_score("family_name_key", "given_name_key", {}, family_scores),
            ),
        ]
        alias_filter = Q(family_name_key__in=family_scores)
    scores: dict[int, float] = {}
    for name_query, score in name_queries:
        rows = (
            Person.objects.filter(filters, name_query)
            .annotate(name_score=score)
            .order_by("-name_score", "id")
            .values_list("id", "name_score")[:limit]
        )
        for person_id, name_score in rows:
            scores[person_id] = max(scores.get(person_id, 0.0), name_score)
    aliases = (
        PersonAlias.objects.filter(alias_filter)
        .annotate(
            name_score=_name_score("given_name_key", "family_name_key", given_scores, family_scores)
        )
        .order_by("-name_score")
        .values_list("person_id", "name_score")[:limit]
    )
    alias_scores = dict(aliases)
    if alias_scores and filters:
        matching = set(
            Person.objects.filter(filters, id__in=list(alias_scores)).values_list("id", flat=True)
        )
        alias_scores = {k: v for k, v in alias_scores.items() if k in matching}
    for person_id, name_score in alias_scores.items():
        scores[person_id] = max(scores.get(person_id, 0.0), name_score)
    best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return Candidates(scores=dict(best), given_scores=given_scores, family_scores=family_scores)


def _any_likely(criteria: SearchCriteria, candidates: Candidates, hidden_ids: set[int]) -> bool:
    """Whether a hidden candidate is a likely match, not just someone with a common name.

    An NHS number, a date of birth or a postcode with the name is specific enough; a name
    alone must be close on both given and family name (or on the one word given).
    """
    if not hidden_ids:
        return False
    if criteria.nhs_number or criteria.date_of_birth or criteria.postcode:
        return True
    threshold = 1.5 if candidates.given_scores else 0.9
    return any(candidates.scores[i] >= threshold for i in hidden_ids)


def person_search(
    *,
    actor: User,
    criteria: SearchCriteria,
    limit: int = 25,
    request: HttpRequest | None = None,
) -> SearchResult:
    """Search visible persons; record the search (R-IS-1 accountability for every look)."""
    if criteria.is_empty():
        return SearchResult()
    candidates = candidates_find(criteria)
    visible = list(
        policies.visible_persons(actor).filter(id__in=candidates.ids).prefetch_related("addresses")
    )
    visible.sort(key=lambda p: (-candidates.scores[p.id], p.family_name, p.id))
    hidden_ids = set(candidates.ids) - {p.id for p in visible}
    result = SearchResult(
        persons=visible[:limit], match_not_visible=_any_likely(criteria, candidates, hidden_ids)
    )
    access_record(
        actor=actor,
        action=AccessAction.SEARCH,
        object_type="people.person",
        detail=f"{criteria.describe()} -> {len(result.persons)} shown",
        request=request,
    )
    return result
