"""The words of cooperative names, for the search (``cooperatives.search``).

A typed word that may hold a typo is compared with these few thousand words, not
with 150,000 names: the search then asks for the names that contain the words it
found, which the trigram index on ``UPPER(name)`` serves without computing a
similarity per name.

On PostgreSQL triggers keep the table current (migration
``0013_search_words``): every inserted name, and every name an update changes,
adds its new words, whichever path wrote it (a form, the ODS import's COPY, a bulk
update, the admin, a shell). Words of names since renamed or deleted stay: they
only make the search look for a word no name holds, which finds nothing.
``search_words_rebuild`` drops them. SQLite, the zero-setup development database,
has no triggers for it and leaves the table empty: the search does not read it
there.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchWord(models.Model):
    """One word of a cooperative name, upper case, without digits."""

    word = models.CharField(_("kata"), max_length=255, primary_key=True)

    class Meta:
        verbose_name = verbose_name_plural = _("kata nama koperasi")

    def __str__(self) -> str:
        return self.word
