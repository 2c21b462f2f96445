"""ISO reference data (countries, currencies) with names in the reader's language."""

from __future__ import annotations

import gettext
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

_GETTEXT_LANGUAGES = {"zh-hans": "zh_CN", "fr": "fr"}


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    import pycountry

    return {country.alpha_2: country.name for country in pycountry.countries}


@lru_cache(maxsize=1)
def _currencies() -> dict[str, str]:
    import pycountry

    return {currency.alpha_3: currency.name for currency in pycountry.currencies}


@lru_cache(maxsize=8)
def _catalogue(domain: str, language: str):
    import pycountry

    locale = _GETTEXT_LANGUAGES.get(language)
    if not locale:
        return None
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[locale], fallback=True)


def _translated(domain: str, name: str) -> str:
    catalogue = _catalogue(domain, translation.get_language() or "en")
    return catalogue.gettext(name) if catalogue else name


def country_name(code: str) -> str:
    name = _countries().get((code or "").upper())
    return _translated("iso3166-1", name) if name else code


def currency_name(code: str) -> str:
    name = _currencies().get((code or "").upper())
    return _translated("iso4217", name) if name else code


def country_choices() -> list[tuple[str, str]]:
    return sorted(((code, country_name(code)) for code in _countries()), key=lambda item: item[1])


def currency_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} · {currency_name(code)}") for code in sorted(_currencies())]


def validate_country_code(value: str) -> None:
    if value and value.upper() not in _countries():
        raise ValidationError(_("“%(value)s” is not an ISO 3166 country code (e.g. FR, CN, US)."),
                              params={"value": value}, code="country")


def validate_currency_code(value: str) -> None:
    if value not in _currencies():
        raise ValidationError(_("“%(value)s” is not an ISO 4217 currency code (e.g. EUR, CNY, USD)."),
                              params={"value": value}, code="currency")
