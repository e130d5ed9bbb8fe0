from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "honours"
    verbose_name = _("Honours")

    def ready(self):
        from honours import honour_roll
        from honours.contributions import register_citation_kinds
        from members import contributions

        register_citation_kinds()
        # A member's own page names each kind of record as the roll does.
        contributions.use_titles(
            lambda: {key: words["title"] for key, words in honour_roll.wording().items()}
        )
