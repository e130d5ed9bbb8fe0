"""Spreadsheet columns of suggestions received on paper (import) and of the review queue (export).

A row is one suggestion. ``记录编号`` blank adds one (source: paper, state: received, logged as
received by the importing user); filled, it updates that suggestion if it lies in the user's
branches. The workflow (state, forwardings) is never imported: it moves through the admin's
actions. Authors are named in ``作者``, separated by 、 or a comma, each a member of ``所属组织``
or a branch below it, found by name or member number; a name two members share is an error
asking for the member number.
"""

import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields, widgets

from members.models import Branch, Member
from members.resources import (
    BranchScopedResource,
    refer_to_staff,
    sees_every_branch,
)
from portal.resources import (
    ChoiceWordWidget,
    DateWidget,
    NamedForeignKeyWidget,
    NumberWidget,
    YesNoWidget,
)
from suggestions import services
from suggestions.models import Suggestion, SuggestionCall

STATE_WORDS = {
    "已收到": Suggestion.State.RECEIVED,
    "审阅中": Suggestion.State.UNDER_REVIEW,
    "已报送": Suggestion.State.FORWARDED,
    "已采纳": Suggestion.State.ADOPTED,
    "未采纳": Suggestion.State.NOT_ADOPTED,
    "已合并": Suggestion.State.MERGED,
    "已撤回": Suggestion.State.WITHDRAWN,
}
AUTHOR_SEPARATORS = re.compile(r"[、，,；;]")


class WordWidget(widgets.Widget):
    """A word as typed, without the spaces around it (a cell may hold a number, too)."""

    def clean(self, value, row=None, **kwargs):
        return str(value).strip() if value is not None else ""

    def render(self, value, obj=None, **kwargs):
        return value or ""


class AuthorsWidget(widgets.ManyToManyWidget):
    """Member authors by name or member number, among the user's members of the row's branch.

    A many-to-many widget, so that an export writes them; an import looks every author and
    branch of the file up at once (``prepare_table``), and ``SuggestionResource.import_instance``
    cleans them, so a bad name is the row's validation error under 作者.
    """

    def __init__(self, member_queryset=None):
        super().__init__(Member)
        self.members = member_queryset if member_queryset is not None else Member.objects.all()
        self.for_clerk = False  # a clerk is told whom to ask about a member not found
        self.branches, self.by_number, self.by_name = {}, defaultdict(list), defaultdict(list)

    def prepare_table(self, table) -> None:
        names = {str(value).strip() for value in table.column("所属组织") if value}
        self.branches = {branch.name: branch for branch in Branch.objects.filter(name__in=names)}
        tokens = {
            token.strip()
            for value in table.column("作者")
            for token in AUTHOR_SEPARATORS.split(str(value or ""))
            if token.strip()
        }
        self.by_number, self.by_name = defaultdict(list), defaultdict(list)
        found = self.members.filter(Q(number__in=tokens) | Q(name__in=tokens))
        for member in found.select_related("branch").order_by("pk"):
            if member.number in tokens:
                self.by_number[member.number].append(member)
            if member.name in tokens:
                self.by_name[member.name].append(member)

    def clean(self, value, row=None, **kwargs):
        names = [n.strip() for n in AUTHOR_SEPARATORS.split(str(value or "")) if n.strip()]
        branch = self.branches.get(str((row or {}).get("所属组织") or "").strip())

        def in_branch(members):
            if branch is None:
                return members
            return [m for m in members if m.branch.path.startswith(branch.path)]

        authors = []
        for name in names:
            found = in_branch(self.by_number.get(name, []))[:1] or in_branch(
                self.by_name.get(name, [])
            )
            if not found:
                message = _("No member %(name)s in %(branch)s or the branches below it.") % {
                    "name": name,
                    "branch": branch or "—",
                }
                raise ValueError(refer_to_staff(message) if self.for_clerk else message)
            if len(found) > 1:
                raise ValueError(
                    _("Several members are named %(name)s: write the member number instead.")
                    % {"name": name}
                )
            authors.append(found[0])
        return authors

    def render(self, value, obj=None, **kwargs):
        return "、".join(member.name for member in value.all()) if value is not None else ""


class SuggestionResource(BranchScopedResource):
    id = fields.Field(
        attribute="id", column_name="记录编号", widget=NumberWidget(whole=True), readonly=True
    )
    title = fields.Field(attribute="title", column_name="标题")
    text = fields.Field(attribute="text", column_name="内容")
    # The word itself, one of the call's topics (Suggestion.clean says which, naming 主题).
    topic = fields.Field(
        attribute="topic", column_name="主题", widget=WordWidget(), saves_null_values=False
    )
    call = fields.Field(
        attribute="call",
        column_name="征集活动",
        widget=NamedForeignKeyWidget(SuggestionCall, field="title"),
    )
    branch = fields.Field(attribute="branch", column_name="所属组织")
    by_branch = fields.Field(attribute="by_branch", column_name="集体建议", widget=YesNoWidget())
    authors = fields.Field(attribute="authors", column_name="作者", widget=AuthorsWidget())
    received_on = fields.Field(attribute="received_on", column_name="收到日期", widget=DateWidget())
    is_public = fields.Field(attribute="is_public", column_name="公开", widget=YesNoWidget())
    # The workflow, exported for reading; an import never changes it.
    state = fields.Field(
        attribute="state", column_name="状态", widget=ChoiceWordWidget(STATE_WORDS), readonly=True
    )

    class Meta:
        model = Suggestion
        fields = (
            "id",
            "title",
            "text",
            "topic",
            "call",
            "branch",
            "by_branch",
            "authors",
            "received_on",
            "is_public",
            "state",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    record_number_column = "记录编号"

    def __init__(self, may_publish=True, **kwargs):
        super().__init__(**kwargs)
        self.fields["branch"].widget = NamedForeignKeyWidget(Branch, self.branch_queryset)
        self.fields["authors"].widget = AuthorsWidget(self.member_queryset)
        # Publishing a title is the committee's decision: a clerk's file cannot set 公开.
        self.fields["is_public"].readonly = not may_publish

    def get_queryset(self):
        return super().get_queryset().select_related("call", "branch").prefetch_related("authors")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.fields["authors"].widget.for_clerk = not sees_every_branch(kwargs.get("user"))

    def prepare_rows(self, table):
        self.fields["authors"].widget.prepare_table(table)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.pk is None:
            instance.source = Suggestion.Source.PAPER
        # Checked whether or not the file has the column: a suggestion always has an author.
        self.authors_read = None
        try:
            authors = self.fields["authors"].clean(row) if "作者" in row else []
        except ValueError as error:
            errors["authors"] = [str(error)]
        else:
            if "作者" in row:
                self.authors_read = authors
            if (
                not authors
                and not instance.by_branch
                and not (instance.pk and "作者" not in row and instance.authors.exists())
            ):
                errors["authors"] = [
                    _("Name at least one member author, or mark it a collective suggestion.")
                ]
        if errors:
            raise ValidationError(errors)

    def row_extras(self):
        return self.authors_read

    # Suggestions arrive by the dozen, not by the thousand: each is saved as the admin saves
    # one, so that its authors' history and its log are kept as there.

    def save_new(self, batch, *, user):
        for planned in batch:
            self._save(planned, user)
            # A new suggestion's log starts with its receipt, by the importing user.
            services.suggestion_record_receipt(suggestion=planned.instance, user=user)

    def save_changed(self, batch, *, user):
        for planned in batch:
            self._save(planned, user)

    def _save(self, planned, user):
        suggestion = planned.instance
        suggestion._history_user = user
        suggestion.save()
        if planned.extras is not None:
            suggestion.authors.set(planned.extras)
