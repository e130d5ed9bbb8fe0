"""Branch scoping: the one mechanism that keeps a branch clerk inside their own branch subtree.

Every admin of a record linked to members mixes in ``BranchScopedAdmin`` and names, in
``scope_lookup``, the path from its model to a Branch ("branch" for Member, "member__branch" for a
donation). The mixin then scopes, for clerks: the change list and its exports, change/delete/
history URLs (object permissions), autocomplete (Django asks the target admin's queryset), the
branch list filter, and the choices of every Member or Branch field, so a forged POST that names
another branch's member or branch fails form validation. Committee staff and leadership hold the
``members.view_all_branches`` permission and see everything; what they may change comes from
their ordinary model permissions (leadership: view only).
"""

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import Branch, Member


class Scope:
    """The branches a user may act on: all of them, one subtree, or none."""

    def __init__(self, user):
        self.everything = user.is_active and (
            user.is_superuser or user.has_perm("members.view_all_branches")
        )
        branch = getattr(user, "branch", None) if user.is_authenticated else None
        self.path = branch.path if branch is not None else None

    def filter(self, queryset: QuerySet, lookup: str) -> QuerySet:
        if self.everything:
            return queryset
        if not self.path:
            return queryset.none()
        field = f"{lookup}__path__startswith" if lookup else "path__startswith"
        return queryset.filter(Q(**{field: self.path}))

    def covers(self, branch: Branch | None) -> bool:
        if self.everything:
            return True
        return bool(self.path and branch is not None and branch.path.startswith(self.path))

    def covers_object(self, obj, lookup: str) -> bool:
        """Whether ``obj`` (also a deleted one rebuilt from history) lies inside the scope."""
        if self.everything:
            return True
        return any(self.covers(branch) for branch in branches_of(obj, lookup))


def branches_of(obj, lookup: str) -> list:
    """Follow ``lookup`` ("member__branch", "contacts__branch") from ``obj`` to its branches."""
    values = [obj]
    for part in lookup.split("__") if lookup else []:
        following = []
        for value in values:
            related = getattr(value, part, None)
            if related is None:
                continue
            if hasattr(related, "all"):  # a many-to-many or reverse relation
                following.extend(related.all())
            else:
                following.append(related)
        values = following
    return values


def scope_for(request) -> Scope:
    # One Scope per request: the permission lookup is cached on the user anyway.
    if not hasattr(request, "_branch_scope"):
        request._branch_scope = Scope(request.user)
    return request._branch_scope


class BranchTreeFilter(admin.SimpleListFilter):
    """Filter by a branch and everything under it; offers only the branches in the user's scope."""

    title = _("branch")
    parameter_name = "branch"

    def lookups(self, request, model_admin):
        branches = scope_for(request).filter(Branch.objects.all(), "")
        return [(str(b.pk), f"{'— ' * b.depth}{b.name}") for b in branches]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        branch = scope_for(request).filter(Branch.objects.all(), "").filter(pk=self.value())
        lookup = getattr(self, "scope_lookup", "branch")
        return queryset.filter(**{f"{lookup}__path__startswith": branch.values("path")[:1]})


class BranchScopedAdmin(admin.ModelAdmin):
    """Mix into every ModelAdmin of a member-linked record; set ``scope_lookup``."""

    scope_lookup = "branch"
    # A lookup through a many-to-many relation can repeat rows.
    scope_distinct = False

    def get_queryset(self, request):
        queryset = scope_for(request).filter(super().get_queryset(request), self.scope_lookup)
        return queryset.distinct() if self.scope_distinct else queryset

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        lookup = self.scope_lookup
        tree_filter = type("ScopedBranchTreeFilter", (BranchTreeFilter,), {"scope_lookup": lookup})
        return [tree_filter if f is BranchTreeFilter else f for f in filters]

    def _in_scope(self, request, obj) -> bool:
        return obj is None or scope_for(request).covers_object(obj, self.scope_lookup)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scope_choices(field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scope_choices(field, request)


def _scope_choices(field, request):
    """Limit a Member or Branch choice field to the user's scope (server-side validation too)."""
    if field is None or not hasattr(field, "queryset"):
        return field
    scope = scope_for(request)
    if field.queryset.model is Member:
        field.queryset = scope.filter(field.queryset, "branch")
    elif field.queryset.model is Branch:
        field.queryset = scope.filter(field.queryset, "")
    return field
