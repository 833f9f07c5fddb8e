"""Reference data of the programmes: the new growth engines."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yunghap.core.i18n import in_reader_language


class GrowthEngine(models.Model):
    """One of the 17 new growth engines of 2009 (신성장동력), used to tag topics and postings."""

    code = models.CharField(_("코드"), max_length=16, unique=True)
    field_name = models.CharField(_("분야"), max_length=50)
    field_name_en = models.CharField(_("분야(영문)"), max_length=80, blank=True)
    name = models.CharField(_("명칭"), max_length=80)
    name_en = models.CharField(_("명칭(영문)"), max_length=120, blank=True)
    aliases = models.CharField(_("다른 이름"), max_length=200, blank=True, help_text=_("';'로 구분"))

    class Meta:
        verbose_name = _("신성장동력")
        verbose_name_plural = _("신성장동력")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_reader_language(self.name, self.name_en)

    @property
    def display_field_name(self) -> str:
        return in_reader_language(self.field_name, self.field_name_en)
