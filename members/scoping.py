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
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.forms import ModelMultipleChoiceField
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.models import Branch, Enterprise, Member, subtree
from portal.admin import ReadableHistoryContextHelper, SpreadsheetAdminMixin
from portal.widgets import CheckedAutocompleteFields


class Scope:
    """The branches a user may act on: all of them, one subtree, or none."""

    def __init__(self, user):
        self.everything = user.is_active and (
            user.is_superuser or user.has_perm("members.view_all_branches")
        )
        # Whoever sees everything needs no path: reading the branch would cost a query on every
        # admin page of committee staff.
        branch = (
            getattr(user, "branch", None) if user.is_authenticated and not self.everything else None
        )
        self.path = branch.path if branch is not None else None

    def filter(self, queryset: QuerySet, lookup: str) -> QuerySet:
        if self.everything:
            return queryset
        if not self.path:
            return queryset.none()
        return queryset.filter(subtree(self.path, lookup))

    def covers(self, branch: Branch | None) -> bool:
        if self.everything:
            return True
        return bool(self.path and branch is not None and branch.path.startswith(self.path))

    def covers_object(self, obj, lookup: str, *, wholly: bool = False) -> bool:
        """Whether ``obj`` (also a deleted one rebuilt from history) lies inside the scope.

        An object reaching several branches (an enterprise with contacts in two branches) is
        inside when one of them is, or with ``wholly`` only when all of them are.
        """
        if self.everything:
            return True
        branches = branches_of(obj, lookup)
        inside = [self.covers(branch) for branch in branches]
        return bool(inside) and (all(inside) if wholly else any(inside))


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
    """Filter by a branch and everything under it; offers only the branches in the user's scope.

    A drill-down, not the whole tree: the top of the user's scope and the level below it; once a
    branch is chosen, the chain from the top down to it and its own branches. A national tree's
    hundreds of branches would make every change list slow to render and the list unusable.
    """

    title = _("branch")
    parameter_name = "branch"

    def lookups(self, request, model_admin):
        scope = scope_for(request)
        branches = scope.filter(Branch.objects.all(), "")
        chosen = self.chosen(request)
        if chosen is not None:
            chain = [int(pk) for pk in chosen.path.strip("/").split("/")]
            shown = branches.filter(Q(pk__in=chain) | Q(parent=chosen))
        elif scope.everything:
            shown = branches.filter(Q(parent=None) | Q(parent__parent=None))
        else:
            shown = branches.filter(Q(path=scope.path) | Q(parent__path=scope.path))
        # Values, not branches: a change list makes this list on every request.
        return [
            (str(pk), f"{'— ' * Branch.depth_of(path)}{name}")
            for pk, name, path in shown.values_list("pk", "name", "path")
        ]

    def chosen(self, request) -> Branch | None:
        """The chosen branch if it lies in the user's scope; an id outside it is none."""
        if not self.value():
            return None
        if not hasattr(self, "_chosen"):
            try:
                pk = Branch._meta.pk.to_python(self.value())
            except ValidationError as error:
                raise IncorrectLookupParameters(error) from error
            branches = scope_for(request).filter(Branch.objects.all(), "")
            self._chosen = branches.filter(pk=pk).first()
        return self._chosen

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        branch = self.chosen(request)
        if branch is None:
            return queryset.none()
        lookup = getattr(self, "scope_lookup", "branch")
        return queryset.filter(subtree(branch.path, lookup))


class ScopedChoices(CheckedAutocompleteFields):
    """Limits every Member or Branch choice of a ModelAdmin or inline to the user's scope (and
    reads forged autocomplete values safely, portal/widgets.py)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scope_choices(field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scope_choices(field, request)


class BranchScopedAdmin(ScopedChoices, admin.ModelAdmin):
    """Mix into every ModelAdmin of a member-linked record; set ``scope_lookup``."""

    scope_lookup = "branch"
    # A lookup through a many-to-many relation can repeat rows.
    scope_distinct = False
    # A field that may be blank but leads to the branch (a donation's member): required for a
    # clerk, whose record would otherwise leave their view the moment it is saved.
    scope_field_required_for_clerks = None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == self.scope_field_required_for_clerks and not (
            scope_for(request).everything
        ):
            field.required = True
        return field

    def get_queryset(self, request):
        queryset = scope_for(request).filter(super().get_queryset(request), self.scope_lookup)
        return queryset.distinct() if self.scope_distinct else queryset

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        lookup = self.scope_lookup
        tree_filter = type("ScopedBranchTreeFilter", (BranchTreeFilter,), {"scope_lookup": lookup})
        return [tree_filter if f is BranchTreeFilter else f for f in filters]

    def _in_scope(self, request, obj, *, wholly=False) -> bool:
        return obj is None or scope_for(request).covers_object(
            obj, self.scope_lookup, wholly=wholly
        )

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Deleting removes the record for every branch it reaches, so all must be in scope.
        return super().has_delete_permission(request, obj) and self._in_scope(
            request, obj, wholly=True
        )

    def delete_queryset(self, request, queryset):
        # The "delete selected" action checks only the model permission, not each object.
        if not all(self.has_delete_permission(request, obj) for obj in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def save_related(self, request, form, formsets, change):
        # A clerk's form offers only in-scope members and branches in a many-to-many field;
        # keep the ones outside the scope that the record already had instead of dropping them.
        if change:
            for name, field in form.fields.items():
                if name in form.cleaned_data and isinstance(field, ModelMultipleChoiceField):
                    hidden = getattr(form.instance, name).exclude(
                        pk__in=field.queryset.values("pk")
                    )
                    form.cleaned_data[name] = [*form.cleaned_data[name], *hidden]
        super().save_related(request, form, formsets, change)

    def history_view(self, request, object_id, extra_context=None):
        self._check_history_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_history_scope(request, object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ScopedHistoryContextHelper(self.model, historical_record, scope_for(request))

    def _check_history_scope(self, request, object_id, version_id=None):
        """Answer 404, as for a record that never existed, unless the record as it is now (or
        was when deleted) and the chosen version both lie inside the user's scope."""
        scope = scope_for(request)
        opts = self.model._meta
        try:
            pk = opts.pk.to_python(unquote(object_id))
            history_id = None if version_id is None else int(version_id)
        except (ValidationError, ValueError):
            raise Http404 from None
        if scope.everything:
            return
        history = getattr(self.model, opts.simple_history_manager_attribute)
        records = history.filter(**{opts.pk.attname: pk})
        current = self.model._default_manager.filter(pk=pk).first()
        if current is None:
            last = records.order_by("-history_date", "-history_id").first()
            current = last.instance if last is not None else None
        objects = [current]
        if history_id is not None:
            version = records.filter(history_id=history_id).first()
            objects.append(version.instance if version is not None else None)
        for obj in objects:
            if obj is not None and not scope.covers_object(obj, self.scope_lookup):
                raise Http404


class ScopedHistoryContextHelper(ReadableHistoryContextHelper):
    """Shows the changes on a history page without naming a member outside the scope (an
    enterprise's contacts that include another branch's member). Branch names are not hidden:
    the branch list shows them too."""

    def __init__(self, model, historical_record, scope: Scope):
        super().__init__(model, historical_record)
        self.scope = scope

    def prepare_delta_change_value(self, change, value):
        prepared = super().prepare_delta_change_value(change, value)
        if isinstance(prepared, list):
            return [self._hide_outside(item) for item in prepared]
        return self._hide_outside(prepared)

    def _hide_outside(self, value):
        if isinstance(value, Member) and not self.scope.covers(value.branch):
            return gettext("(a member of another branch)")
        return value


def _scope_choices(field, request):
    """Limit a Member, Branch or member Enterprise choice field to the user's scope (server-side
    validation too): an enterprise is the clerk's when one of its contacts is."""
    if field is None or not hasattr(field, "queryset"):
        return field
    scope = scope_for(request)
    if field.queryset.model is Member:
        field.queryset = scope.filter(field.queryset, "branch")
    elif field.queryset.model is Branch:
        field.queryset = scope.filter(field.queryset, "")
    elif field.queryset.model is Enterprise and not scope.everything:
        field.queryset = scope.filter(field.queryset, "contacts__branch").distinct()
    return field


class BranchScopedSpreadsheetAdmin(SpreadsheetAdminMixin):
    """Spreadsheet import and export of a member-linked record: a file may name only the
    branches and members of the user's scope (members/resources.py ``BranchScopedResource``)."""

    def get_resource_kwargs(self, request, *args, **kwargs):
        scope = scope_for(request)
        return {
            **super().get_resource_kwargs(request, *args, **kwargs),
            "branch_queryset": scope.filter(Branch.objects.all(), ""),
            "member_queryset": scope.filter(Member.objects.all(), "branch"),
        }


class BranchScopedInline(ScopedChoices):
    """Mix into an inline (before ``admin.TabularInline``) of a member-linked record; set
    ``scope_lookup``. Its rows and its Member or Branch choices are scoped as in
    ``BranchScopedAdmin``: a clerk neither sees nor changes another branch's rows through a
    parent record, and a forged POST naming another branch's member fails validation."""

    scope_lookup = "branch"

    def get_queryset(self, request):
        return scope_for(request).filter(super().get_queryset(request), self.scope_lookup)
