"""Reads over the catalogue and the directory: search by service, area and cultural match."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from kinplan.accounts.models import User
from kinplan.cases.models import Case, Iwi, Participant
from kinplan.core.text import normalise_name
from kinplan.providers.models import Provider, ProviderService, ServiceType
from kinplan.providers.permissions import providers_visible_to


def service_types(*, include_retired: bool = False) -> QuerySet[ServiceType]:
    types = ServiceType.objects.all()
    return types if include_retired else types.filter(is_active=True)


@dataclass(frozen=True)
class FamilyCulture:
    """What a family's cultural match is judged on: the iwi, languages and ethnicities of its people."""

    iwi_ids: frozenset[int] = frozenset()
    words: frozenset[str] = frozenset()  # folded words of languages and ethnicities, e.g. {'maori', 'samoan'}

    @property
    def is_known(self) -> bool:
        return bool(self.iwi_ids or self.words)


@dataclass
class ProviderMatch:
    provider: Provider
    offers: list[ProviderService]
    cultural_match: list[str] = field(default_factory=list)  # why it matches the family, e.g. ['Ngāti Porou']


IGNORED_WORDS = frozenset(
    {"english", "nz", "european", "pakeha", "new", "zealand", "and", "other", "te", "reo", "language"}
)


def family_culture(*, case: Case) -> FamilyCulture:
    """The iwi, languages and ethnicities of the case's children, parents, whānau and caregivers."""
    people = [
        p.person
        for p in case.participants.filter(archived_at__isnull=True)
        .exclude(role=Participant.Role.PROFESSIONAL)
        .select_related("person")
        .prefetch_related("person__iwi")
    ]
    iwi_ids = frozenset(i.pk for person in people for i in person.iwi.all())
    words = {w for person in people for w in normalise_name(f"{person.ethnicity} {person.preferred_language}").split()}
    return FamilyCulture(iwi_ids=iwi_ids, words=frozenset(words - IGNORED_WORDS))


def _iwi_matching(text: str) -> list[int]:
    """Iwi whose folded name contains every word of `text` ('ngati porou' finds Ngāti Porou)."""
    words = normalise_name(text).split()
    return [i.pk for i in Iwi.objects.all() if words and all(w in normalise_name(i.name) for w in words)]


def provider_search(
    *,
    user: User,
    service_type: ServiceType | None = None,
    area: str = "",
    culture: str = "",
    query: str = "",
    case: Case | None = None,
) -> list[ProviderMatch]:
    """Active providers `user` may see offering `service_type`, serving `area`, matching `culture` (a word such
    as 'Māori', 'Samoan' or an iwi's name) and `query`; with `case`, the family's cultural matches come first."""
    providers = providers_visible_to(user).filter(is_active=True)
    providers = providers.filter(Q(case__isnull=True) | Q(case=case)) if case else providers.filter(case__isnull=True)
    offers = ProviderService.objects.filter(is_active=True).select_related("service_type")
    if service_type is not None:
        providers = providers.filter(services__service_type=service_type, services__is_active=True)
        offers = offers.filter(service_type=service_type)
    for text in (area, query):
        for word in normalise_name(text).split():
            providers = providers.filter(search_text__contains=word)
    if culture.strip():
        words = normalise_name(culture).split()
        by_text = Q()
        for word in words:
            by_text &= Q(search_text__contains=word)
        providers = providers.filter(by_text | Q(iwi__in=_iwi_matching(culture)))
    found = list(
        providers.distinct()
        .prefetch_related("iwi", Prefetch("services", queryset=offers, to_attr="active_offers"))
        .order_by("name", "id")[:200]
    )
    matches = [ProviderMatch(provider=p, offers=p.active_offers) for p in found]
    if case is not None:
        culture_of_family = family_culture(case=case)
        for match in matches:
            match.cultural_match = cultural_match(match.provider, culture_of_family)
        matches.sort(key=lambda m: -len(m.cultural_match))  # stable: alphabetical within equal matches
    return matches


def cultural_match(provider: Provider, family: FamilyCulture) -> list[str]:
    """Why `provider` suits this family's culture: shared iwi, and languages or cultural focus they share."""
    reasons = [i.name for i in provider.iwi.all() if i.pk in family.iwi_ids]
    as_written = {
        normalise_name(word): word.strip(",.;()") for word in f"{provider.languages} {provider.cultural_focus}".split()
    }
    reasons += sorted(as_written[word] for word in family.words & as_written.keys())
    return reasons


def provider_detail(*, user: User, pk: int) -> Provider | None:
    """One provider `user` may see, with its services and iwi."""
    offers = ProviderService.objects.select_related("service_type").order_by("-is_active", "service_type__name")
    return (
        providers_visible_to(user)
        .prefetch_related("iwi", Prefetch("services", queryset=offers))
        .select_related("case", "person")
        .filter(pk=pk)
        .first()
    )


def informal_supports(*, case: Case) -> QuerySet[Provider]:
    return case.informal_supports.filter(is_active=True).select_related("person")
