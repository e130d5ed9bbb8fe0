"""Spreadsheet columns of suggestions received on paper (import) and of the review queue (export).

A row is one suggestion. ``记录编号`` blank adds one (source: paper, state: received, logged as
received by the importing user); filled, it updates that suggestion if it lies in the user's
branches. A new suggestion may bring its history from paper (``read_history``): 状态, 报送单位,
报送日期 and 采纳情况, applied after its receipt through the workflow's services, as the admin's
actions apply them; a suggestion on file moves only through the admin's actions. Authors are
named in ``作者``, separated by 、 or a comma, each a member of ``所属组织`` or a branch below it,
found by name or member number; a name two members share is an error asking for the member
number.
"""

import re
from collections import defaultdict

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from import_export import fields, widgets

from members.models import Branch, Member
from members.resources import (
    BranchScopedResource,
    branch_widget,
    refer_to_staff,
    sees_every_branch,
)
from portal.resources import (
    ChoiceWordWidget,
    DateWidget,
    NamedForeignKeyWidget,
    NumberWidget,
    YesNoWidget,
    invalid_choice,
)
from suggestions import services
from suggestions.models import HigherBody, Suggestion, SuggestionCall

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
# A paper suggestion's history (optional columns of a new suggestion's row).
BODIES, FORWARDED_ON, ANSWERS = "报送单位", "报送日期", "采纳情况"
ANSWER_WORDS = {
    "是": True,
    "采纳": True,
    "已采纳": True,
    "否": False,
    "未采纳": False,
    "待回复": None,
}


def split_list(value) -> list[str]:
    return [token.strip() for token in AUTHOR_SEPARATORS.split(str(value or "")) if token.strip()]


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

    # The import template's 说明 sheet (portal/import_templates.py).
    column_help = {
        "记录编号": _lazy("Blank adds a record; a record's number changes that record."),
        "作者": _lazy(
            "Members of 所属组织 or a branch below it, by name or member number, separated by 、"
        ),
        "标题": _lazy(
            "A suggestion with the same title, authors and call as one already held is not "
            "imported unless you choose to."
        ),
    }
    template_example = {
        "标题": "关于口罩价格的建议",
        "内容": "建议加强口罩价格监管。",
        "主题": "民生保障",
        "所属组织": "医院支社",
        "集体建议": "否",
        "作者": "王芳",
        "收到日期": "2020-02-03",
        "公开": "否",
    }

    def __init__(self, may_publish=True, **kwargs):
        super().__init__(**kwargs)
        self.fields["branch"].widget = branch_widget(self.branch_queryset)
        self.fields["authors"].widget = AuthorsWidget(self.member_queryset)
        self.bodies = {}  # the higher bodies the file names, by name (prepare_rows)
        # Publishing a title is the committee's decision: a clerk's file cannot set 公开.
        self.fields["is_public"].readonly = not may_publish

    def get_queryset(self):
        return super().get_queryset().select_related("call", "branch").prefetch_related("authors")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.fields["authors"].widget.for_clerk = not sees_every_branch(kwargs.get("user"))

    def known_headers(self) -> list[str]:
        # A paper suggestion's history is read from columns of its own (``read_history``).
        return [*super().known_headers(), BODIES, FORWARDED_ON, ANSWERS]

    def prepare_rows(self, table):
        self.fields["authors"].widget.prepare_table(table)
        names = {name for value in table.column(BODIES) for name in split_list(value)}
        self.bodies = (
            {body.name: body for body in HigherBody.objects.filter(name__in=names)} if names else {}
        )

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
        self.history_read = None
        errors.update(self.read_history(instance, row))
        if errors:
            raise ValidationError(errors)

    def read_history(self, suggestion, row) -> dict:
        """A new suggestion's history from paper, checked as the services would check it, and
        kept in ``self.history_read`` as (state, bodies, forwarded on, answers) to apply after
        its receipt; returns the errors by column. A suggestion on file keeps its state: a
        different 状态 (or any forwarding) is refused, as the admin's actions move it."""
        state_text = str(row.get("状态") or "").strip()
        cells = {column: row.get(column) for column in (BODIES, FORWARDED_ON, ANSWERS)}
        given = [column for column, value in cells.items() if value not in (None, "")]
        if not state_text and not given:
            return {}
        try:
            state = ChoiceWordWidget(STATE_WORDS).clean(state_text)
        except ValueError as error:
            return {"状态": [str(error)]}
        State = Suggestion.State
        if suggestion.pk:
            on_file = _("A suggestion on file moves only through the admin's actions.")
            if state is not None and state != suggestion.state:
                return {"状态": [on_file]}
            return {given[0]: [on_file]} if given else {}
        if state == State.MERGED:
            return {"状态": [_("A suggestion is merged into another in the admin.")]}
        bodies = []
        for name in split_list(cells[BODIES]):
            if name not in self.bodies:
                return {BODIES: [_("No higher body named %(name)s.") % {"name": name}]}
            if self.bodies[name] in bodies:
                return {BODIES: [_("%(name)s is named twice.") % {"name": name}]}
            bodies.append(self.bodies[name])
        try:
            forwarded_on = DateWidget().clean(cells[FORWARDED_ON])
        except ValueError as error:
            return {FORWARDED_ON: [str(error)]}
        answers = []
        for word in split_list(cells[ANSWERS]):
            if word not in ANSWER_WORDS:
                return {ANSWERS: [invalid_choice(word).args[0]]}
            answers.append(ANSWER_WORDS[word])
        if not bodies:
            if forwarded_on is not None or answers:
                return {BODIES: [_("Choose the body the suggestion is forwarded to.")]}
            if state in (State.FORWARDED, State.ADOPTED, State.NOT_ADOPTED):
                return {BODIES: [_("Choose the body the suggestion is forwarded to.")]}
            self.history_read = (state, [], None, [])
            return {}
        if forwarded_on is None:
            return {FORWARDED_ON: [_("Give the date it was forwarded.")]}
        if suggestion.received_on and forwarded_on < suggestion.received_on:
            return {
                FORWARDED_ON: [
                    _("《%(title)s》 was only received on %(date)s.")
                    % {"title": suggestion.title, "date": suggestion.received_on}
                ]
            }
        if len(answers) == 1:
            answers = answers * len(bodies)
        if answers and len(answers) != len(bodies):
            return {
                ANSWERS: [
                    _("Give one answer for each body in %(column)s, in its order, or one for all.")
                    % {"column": BODIES}
                ]
            }
        answers = answers or [None] * len(bodies)
        if True in answers:
            follows = State.ADOPTED
        elif None not in answers:
            follows = State.NOT_ADOPTED
        else:
            follows = State.FORWARDED
        if state is not None and state != follows:
            return {
                "状态": [
                    _(
                        "%(state)s does not follow from %(bodies)s and %(answers)s: they make "
                        "it %(follows)s."
                    )
                    % {
                        "state": state_text,
                        "bodies": BODIES,
                        "answers": ANSWERS,
                        "follows": next(w for w, s in STATE_WORDS.items() if s == follows),
                    }
                ]
            }
        self.history_read = (follows, bodies, forwarded_on, answers)
        return {}

    def apply_history(self, suggestion, history, user) -> None:
        """The history read from paper (``read_history``), through the workflow's services
        (each move logged with the importing user, as the admin's actions log it)."""
        state, bodies, forwarded_on, answers = history
        State = Suggestion.State
        if state == State.UNDER_REVIEW:
            services.suggestion_review(suggestion=suggestion, user=user)
        for body in bodies:
            services.suggestion_forward(
                suggestion=suggestion, body=body, forwarded_on=forwarded_on, user=user
            )
        for body, adopted in zip(bodies, answers, strict=True):
            if adopted is not None:
                services.suggestion_answer(
                    suggestion=suggestion, body=body, adopted=adopted, user=user
                )
        if state == State.WITHDRAWN:
            services.suggestion_withdraw(suggestion=suggestion, user=user)

    def row_extras(self):
        return self.authors_read, self.history_read

    # The same suggestion entered twice: the same title, authors (a collective one: the same
    # branch) and call.

    def duplicate_key(self, planned):
        suggestion, authors = planned.instance, planned.extras[0] or []
        by = frozenset(author.pk for author in authors) or suggestion.branch_id
        return (suggestion.title, by, suggestion.call_id), None

    def records_like(self, rows):
        titles = {planned.instance.title for planned in rows}
        found = (
            self.get_queryset()
            .prefetch_related(None)
            .filter(title__in=titles)
            .annotate(author_ids=ArrayAgg("authors", default=[]))
            .order_by("pk")
            .values_list("pk", "title", "branch_id", "call_id", "author_ids")
        )
        return [
            (pk, (title, frozenset(a for a in author_ids if a is not None) or branch, call), None)
            for pk, title, branch, call, author_ids in found
        ]

    # Suggestions arrive by the dozen, not by the thousand: each is saved as the admin saves
    # one, so that its authors' history and its log are kept as there.

    def save_new(self, batch, *, user):
        for planned in batch:
            self._save(planned, user)
            # A new suggestion's log starts with its receipt, by the importing user.
            services.suggestion_record_receipt(suggestion=planned.instance, user=user)
            if planned.extras[1] is not None:
                self.apply_history(planned.instance, planned.extras[1], user)

    def save_changed(self, batch, *, user):
        for planned in batch:
            self._save(planned, user)

    def _save(self, planned, user):
        suggestion = planned.instance
        suggestion._history_user = user
        suggestion.save()
        authors = planned.extras[0]
        if authors is not None:
            suggestion.authors.set(authors)
