from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from members.roles import apply_roles

        # After every migrate (and the flush of a transactional test): the roles as declared.
        post_migrate.connect(apply_roles, dispatch_uid="members.roles.apply_roles")
