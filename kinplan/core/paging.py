"""Paging a list whose rows are costly to find: find them once, as ids, and load only the page shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from django.db.models import Model, QuerySet


class FoundOnce(Sequence[Any]):
    """`queryset`'s rows for django's Paginator, found in one query that reads only their ids (in the queryset's
    order); the page's rows are then loaded by id, with the queryset's select_related and prefetches.

    Paginating the queryset itself runs the search twice: once to count, once for the page. When most of the cost
    is finding the rows (the overdue steps of a team's cases, through plans and goals), once is half the work."""

    def __init__(self, queryset: QuerySet[Any]) -> None:
        self.queryset = queryset
        self._ids: list[Any] | None = None

    @property
    def ids(self) -> list[Any]:
        if self._ids is None:
            self._ids = list(self.queryset.values_list("pk", flat=True))
        return self._ids

    def __len__(self) -> int:  # Paginator's count
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Model: ...
    @overload
    def __getitem__(self, index: slice) -> list[Model]: ...
    def __getitem__(self, index: int | slice) -> Model | list[Model]:
        if isinstance(index, int):
            return self._load([self.ids[index]])[0]
        return self._load(self.ids[index])

    def _load(self, ids: list[Any]) -> list[Model]:
        by_id = {row.pk: row for row in self.queryset.order_by().filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]
