from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from honours.models import CareVisit, Citation, RollCategoryWording
from members import contributions
from members.scoping import BranchScopedAdmin, BranchTreeFilter
from portal.admin import HistoryAdmin


@admin.register(Citation)
class CitationAdmin(BranchScopedAdmin, HistoryAdmin):
    """Citations of a branch's members are the branch's to write; an enterprise's contribution
    (no member) is the committee's, so a clerk does not see it."""

    scope_lookup = "member__branch"
    scope_field_required_for_clerks = "member"
    index_order = 100
    list_display = ["title", "kind", "member", "enterprise", "unit", "role", "date"]
    list_select_related = ["member", "enterprise"]
    list_filter = ["kind", ("campaign", admin.RelatedOnlyFieldListFilter), BranchTreeFilter]
    search_fields = ["title", "member__name", "enterprise__name", "unit"]
    autocomplete_fields = ["member", "enterprise", "campaign"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["kind", "member", "enterprise", "campaign", "date"]}),
        (_("Citation"), {"fields": ["title", "unit", "role", "text"]}),
        (_("Artwork"), {"fields": ["medium", "image"]}),
    ]


@admin.register(CareVisit)
class CareVisitAdmin(HistoryAdmin):
    index_order = 105
    list_display = ["date", "sites", "letters_sent"]
    search_fields = ["sites", "visited__name", "leaders__name"]
    autocomplete_fields = ["leaders", "visited", "campaign"]


@admin.register(RollCategoryWording)
class RollCategoryWordingAdmin(HistoryAdmin):
    index_order = 110
    list_display = ["title", "category", "intro"]

    @admin.display(description=_("category"), ordering="kind")
    def category(self, wording):
        """The category by the name the code gives it, not its key (front_line)."""
        kind = contributions.kind(wording.kind)
        return kind.label if kind is not None else wording.kind

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            # The roll's categories, by the name the code gives them.
            return forms.ChoiceField(
                label=db_field.verbose_name,
                choices=[(kind.key, kind.label) for kind in contributions.kinds()],
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
