"""One visibility rule per model: the same declaration filters a queryset and tests one object.

A rule is built from a few terms joined with `|` and `&`:

- `Always()` / `SignedIn()` / `Never()`;
- `Is("plan__is_published")` — a field along a path equals a value (True by default);
- `Among("plan__owner_id", editable_organization_ids)` — a value along a path is one of the ids
  a function of the user returns (ids are cached on the user, so testing many objects costs
  one query);
- `Custom(q=…, test=…)` — an escape hatch for a rule no term expresses; both halves are given
  side by side so a reader can compare them, and the agreement test checks them.

`rule.q(user)` is the SQL half (`Model.objects.filter(rule.q(user))`), `rule.test(user, obj)`
the Python half (no queries when the path's objects were select_related). Site administrators
see everything, here and nowhere else: `visible()` and `allows()` apply that one policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Manager, Model, Q, QuerySet

User = AbstractBaseUser | AnonymousUser
NOTHING = Q(pk__in=[])


def is_site_admin(user: User | None) -> bool:
    """The one superuser policy: a signed-in superuser may see and change everything."""
    return bool(user is not None and user.is_authenticated and getattr(user, "is_superuser", False))


def resolve(obj: object, path: str) -> list[Any]:
    """The values at the end of a `a__b__c` path, following foreign keys and many-to-many alike."""
    values: list[Any] = [obj]
    for name in path.split("__"):
        found: list[Any] = []
        for value in values:
            if value is None:
                continue
            attr = getattr(value, name, None)
            if isinstance(attr, Manager):
                found.extend(attr.all())
            else:
                found.append(attr)
        values = found
    return values


class Rule:
    """A visibility rule: `q(user)` for querysets, `test(user, obj)` for one object."""

    #: True when `q` follows a many-valued relation, so a filtered queryset needs `distinct()`.
    many: bool = False

    def q(self, user: User) -> Q:
        raise NotImplementedError

    def test(self, user: User, obj: Model) -> bool:
        raise NotImplementedError

    def many_for(self, user: User) -> bool:
        """Whether `q(user)` follows a many-valued relation (a part that gives this user nothing
        adds no join: the public's register of agreements is then a plain, index-ordered filter)."""
        return self.many and self.q(user) != NOTHING

    def __or__(self, other: Rule) -> Rule:
        return AnyOf(self, other)

    def __and__(self, other: Rule) -> Rule:
        return AllOf(self, other)


class Always(Rule):
    def q(self, user: User) -> Q:
        return Q()

    def test(self, user: User, obj: Model) -> bool:
        return True


class Never(Rule):
    def q(self, user: User) -> Q:
        return NOTHING

    def test(self, user: User, obj: Model) -> bool:
        return False


class SignedIn(Rule):
    def q(self, user: User) -> Q:
        return Q() if user.is_authenticated else NOTHING

    def test(self, user: User, obj: Model) -> bool:
        return bool(user.is_authenticated)


class Is(Rule):
    def __init__(self, path: str, value: object = True, *, many: bool = False) -> None:
        self.path, self.value, self.many = path, value, many

    def q(self, user: User) -> Q:
        return Q(**{self.path: self.value})

    def test(self, user: User, obj: Model) -> bool:
        return any(value == self.value for value in resolve(obj, self.path))


class Among(Rule):
    def __init__(self, path: str, ids: Callable[[User], Iterable[Any]], *, many: bool = False) -> None:
        self.path, self.ids, self.many = path, ids, many

    def q(self, user: User) -> Q:
        ids = self.ids(user)
        return Q(**{f"{self.path}__in": ids}) if ids else NOTHING

    def test(self, user: User, obj: Model) -> bool:
        ids = self.ids(user)
        return bool(ids) and any(value in ids for value in resolve(obj, self.path))


class Custom(Rule):
    def __init__(self, *, q: Callable[[User], Q], test: Callable[[User, Model], bool], many: bool = False) -> None:
        self._q, self._test, self.many = q, test, many

    def q(self, user: User) -> Q:
        return self._q(user)

    def test(self, user: User, obj: Model) -> bool:
        return self._test(user, obj)


class AnyOf(Rule):
    def __init__(self, *rules: Rule) -> None:
        self.rules = rules
        self.many = any(rule.many for rule in rules)

    def q(self, user: User) -> Q:
        result = NOTHING
        for rule in self.rules:
            part = rule.q(user)
            if part == Q():
                return Q()
            if part != NOTHING:
                result = part if result == NOTHING else result | part
        return result

    def test(self, user: User, obj: Model) -> bool:
        return any(rule.test(user, obj) for rule in self.rules)

    def many_for(self, user: User) -> bool:
        return any(rule.many_for(user) for rule in self.rules)


class AllOf(Rule):
    def __init__(self, *rules: Rule) -> None:
        self.rules = rules
        self.many = any(rule.many for rule in rules)

    def q(self, user: User) -> Q:
        result = Q()
        for rule in self.rules:
            part = rule.q(user)
            if part == NOTHING:
                return NOTHING
            result &= part
        return result

    def test(self, user: User, obj: Model) -> bool:
        return all(rule.test(user, obj) for rule in self.rules)

    def many_for(self, user: User) -> bool:
        return any(rule.many_for(user) for rule in self.rules)


def visible(rule: Rule, queryset: QuerySet, user: User | None) -> QuerySet:
    """`queryset` narrowed to what `user` may see under `rule` (everything for site admins)."""
    if user is None:
        user = AnonymousUser()
    if is_site_admin(user):
        return queryset
    condition = rule.q(user)
    if condition == NOTHING:
        return queryset.none()
    if rule.many_for(user):
        # A many-valued path would repeat rows; filter by ids instead of DISTINCT, which would
        # forbid ordering by fields not selected and slow the lists down.
        return queryset.filter(pk__in=queryset.model._default_manager.filter(condition).values("pk"))
    return queryset.filter(condition)


def allows(rule: Rule, user: User | None, obj: Model | None) -> bool:
    """Whether `user` may see `obj` under `rule` — the same answer `visible()` gives for it."""
    if user is None:
        user = AnonymousUser()
    if is_site_admin(user):
        return True
    return obj is not None and rule.test(user, obj)
