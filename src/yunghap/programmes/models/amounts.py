"""Money by source (정부지원금, 기업부담 현금, 기업부담 현물), in integer won: the same three amounts on an
application, an agreement and their budget lines. Each concrete model keeps its own not-negative check."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AmountsBySource(models.Model):
    government_krw = models.BigIntegerField(_("정부지원금(원)"), default=0)
    firm_cash_krw = models.BigIntegerField(_("기업부담 현금(원)"), default=0)
    firm_inkind_krw = models.BigIntegerField(_("기업부담 현물(원)"), default=0)

    class Meta:
        abstract = True

    @property
    def firm_krw(self) -> int:
        return self.firm_cash_krw + self.firm_inkind_krw

    @property
    def total_krw(self) -> int:
        return self.government_krw + self.firm_krw
