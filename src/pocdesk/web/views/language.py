import contextlib

from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from pocdesk.core.errors import ApplicationError
from pocdesk.people.services import profile_update

from ..forms import LanguageForm


@require_POST
def set_language(request):
    """Django's set_language (session cookie, safe redirect), remembered in the user's profile."""
    form = LanguageForm(request.POST)
    if form.is_valid() and request.user.is_authenticated:
        # Should the profile refuse, the cookie still switches the language for this browser.
        with contextlib.suppress(ApplicationError):
            profile_update(actor=request.user, user=request.user,
                           language=form.cleaned_data["language"])
    return django_set_language(request)
