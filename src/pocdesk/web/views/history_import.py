"""The CRM history import pages (§13.2): upload an export, map its columns with a preview, check
it with a dry run or import it, follow the job, then read the counts or every bad cell.

The upload is kept aside (its key in the session) while the mapping is chosen, so that the
mapping can be corrected and the file checked again without uploading it twice.
"""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect

from pocdesk.core.errors import ApplicationError, NotFound, ValidationFailed
from pocdesk.insights.history import (
    history_import_start,
    history_source_save,
    history_upload_stage,
    source_mapping,
    staged_file_delete,
    staged_file_open,
)
from pocdesk.insights.history_mapping import MappingError, file_layout
from pocdesk.insights.history_read import (
    HistoryFileError,
    guess_layout,
    read_head,
    separator_hint,
)
from pocdesk.insights.history_selectors import (
    history_import_get,
    history_import_state,
    history_source_detail,
    history_source_get,
    history_sources_for,
    history_teams_for,
)
from pocdesk.insights.models import HistorySource, ImportStatus
from pocdesk.people.selectors import team_list_visible

from ..errors import add_service_errors, page, refusal_redirect
from ..history_import_forms import HistoryMappingForm, HistoryUploadForm

SESSION_UPLOADS = "history_uploads"
SESSION_IMPORTS = "history_import_uploads"
PREVIEW_ROWS = 8


def import_url(history_import) -> str:
    return reverse("web:history_import", args=[history_import.pk])


# -- the uploads kept in the session ------------------------------------------------------------

def _uploads(request) -> dict:
    return request.session.get(SESSION_UPLOADS, {})


def _upload(request, token: str) -> dict:
    upload = _uploads(request).get(token)
    if upload is None:
        raise NotFound()
    return upload


def _remember_upload(request, upload: dict) -> str:
    token = uuid.uuid4().hex
    uploads = _uploads(request)
    uploads[token] = upload
    request.session[SESSION_UPLOADS] = uploads
    return token


def _remember_import(request, history_import, token: str) -> None:
    imports = request.session.get(SESSION_IMPORTS, {})
    imports[str(history_import.pk)] = token
    request.session[SESSION_IMPORTS] = imports


def _forget_upload(request, token: str) -> None:
    uploads = _uploads(request)
    upload = uploads.pop(token, None)
    if upload is not None:
        staged_file_delete(upload["key"])
        request.session[SESSION_UPLOADS] = uploads


# -- the sources and the upload -----------------------------------------------------------------

def _upload_form(request, data=None, files=None, *, source=None) -> HistoryUploadForm:
    teams = history_teams_for(request.user)
    sources = HistorySource.objects.filter(team__in=teams).select_related("team")
    return HistoryUploadForm(data, files, sources=sources, teams=teams,
                             initial={"source": source.pk} if source else None)


def _stage(request, form: HistoryUploadForm):
    """Keep the upload and go to the mapping step; None when the service refused it."""
    source = form.cleaned_data.get("source")
    team = source.team if source else form.cleaned_data["team"]
    uploaded = form.cleaned_data["file"]
    try:
        key = history_upload_stage(actor=request.user, team=team, file=uploaded,
                                   file_name=uploaded.name)
    except ValidationFailed as error:
        add_service_errors(form, error)
        return None
    token = _remember_upload(request, {
        "key": key, "file_name": uploaded.name[-255:], "team": team.pk,
        "source": source.pk if source else None,
        "name": source.name if source else form.cleaned_data["name"].strip()})
    return redirect("web:history_map", token=token)


@page
def history_sources_page(request):
    form = _upload_form(request)
    if request.method == "POST":
        form = _upload_form(request, request.POST, request.FILES)
        if form.is_valid() and (response := _stage(request, form)) is not None:
            return response
    return render(request, "web/history/sources.html", {"nav_section": "history",
        "sources": history_sources_for(request.user), "form": form,
        "can_import": form.fields["team"].queryset.exists(),
    }, status=400 if form.is_bound else 200)


@page
def history_source_page(request, source_id: int):
    source = history_source_get(user=request.user, source_id=source_id)
    can_import = request.user.has_perm("pocdesk.manage_team", source.team)
    form = _upload_form(request, source=source) if can_import else None
    if request.method == "POST" and can_import:
        form = _upload_form(request, request.POST, request.FILES, source=source)
        if form.is_valid() and (response := _stage(request, form)) is not None:
            return response
    try:
        toml = source_mapping(source).to_toml()
    except ApplicationError:
        toml = ""
    return render(request, "web/history/source.html", {"nav_section": "history",
        "source": source, "detail": history_source_detail(source, open_deals=True), "mapping_toml": toml,
        "form": form, "can_import": can_import,
    }, status=400 if form is not None and form.is_bound else 200)


@require_GET
@page
def history_source_mapping(request, source_id: int) -> HttpResponse:
    """The saved mapping as a TOML file, for `pocdesk import history --mapping`."""
    source = history_source_get(user=request.user, source_id=source_id)
    response = HttpResponse(source_mapping(source).to_toml(),
                            content_type="application/toml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{source.name}.toml"'
    return response


# -- the mapping step ---------------------------------------------------------------------------

def _head(key: str, layout: dict):
    """(header, rows, problem): the file read with the chosen layout, or why it cannot be."""
    try:
        with staged_file_open(key) as staged:
            header, rows = read_head(staged, file_layout(layout), rows=PREVIEW_ROWS)
    except MappingError as error:  # an unknown encoding, a bad separator
        return [], [], " ".join(" ".join(messages) for messages in error.fields.values())
    except HistoryFileError as error:
        return [], [], error.message
    hint = separator_hint(header, layout.get("separator") or ",") if (
        layout.get("format") != "xlsx") else ""
    return header, rows, hint


def _source_of(request, upload: dict) -> HistorySource | None:
    if upload.get("source"):
        return history_source_get(user=request.user, source_id=upload["source"])
    return (HistorySource.objects.filter(team_id=upload["team"], name=upload["name"])
            .select_related("team").first())


@page
def history_map_page(request, token: str):
    upload = _upload(request, token)
    source = _source_of(request, upload)
    mapping = None
    if source is not None and source.mapping:
        try:
            mapping = source_mapping(source)
        except ApplicationError:
            mapping = None
    posted = request.method == "POST"
    if posted:
        layout = HistoryMappingForm.posted_layout(request.POST)
    elif mapping is not None:
        layout = {"format": mapping.format or ("xlsx" if upload["key"].endswith(".xlsx")
                                               else "csv"),
                  "separator": mapping.separator, "encoding": mapping.encoding,
                  "sheet": mapping.sheet}
    else:
        with staged_file_open(upload["key"]) as staged:
            layout = guess_layout(staged, upload["file_name"])
    header, preview, problem = _head(upload["key"], layout)
    form = HistoryMappingForm(request.POST if posted else None, header=header, mapping=mapping,
                              layout=layout, new_source=source is None)
    form.initial.setdefault("name", upload["name"])
    action = request.POST.get("action", "")
    if posted and action in {"dry_run", "import"} and not problem and form.is_valid():
        response = _start(request, token, upload, form, dry_run=action == "dry_run")
        if response is not None:
            return response
    kind_rows = [(name, field, _samples(preview, index))
                 for index, (name, field) in enumerate(form.kind_fields())]
    return render(request, "web/history/map.html", {"nav_section": "history",
        "upload": upload, "token": token, "source": source, "form": form, "header": header,
        "preview": preview, "problem": problem, "mapping": mapping, "kind_rows": kind_rows,
    }, status=400 if posted and action in {"dry_run", "import"} else 200)


def _samples(preview: list[list[str]], index: int, count: int = 3) -> list[str]:
    values = dict.fromkeys(row[index] for row in preview if index < len(row) and row[index])
    return list(values)[:count]


def _start(request, token: str, upload: dict, form: HistoryMappingForm, *, dry_run: bool):
    name = upload["name"] if "name" not in form.fields else (
        form.cleaned_data.get("name") or upload["name"])
    team = team_list_visible(user=request.user).filter(pk=upload["team"]).first()
    if team is None:
        raise NotFound()
    try:
        source = history_source_save(actor=request.user, team=team, name=name,
                                     mapping=form.document())
        with staged_file_open(upload["key"]) as staged:
            history_import = history_import_start(actor=request.user, source=source,
                                                  file=staged, file_name=upload["file_name"],
                                                  dry_run=dry_run)
    except (MappingError, ValidationFailed) as error:
        add_service_errors(form, form.mapping_errors(error.fields))
        return None
    _remember_import(request, history_import, token)
    return redirect(import_url(history_import))


# -- the import ---------------------------------------------------------------------------------

def _import_token(request, history_import) -> str:
    token = request.session.get(SESSION_IMPORTS, {}).get(str(history_import.pk), "")
    return token if token in _uploads(request) else ""


@page
def history_import_page(request, import_id: int):
    history_import = history_import_get(user=request.user, import_id=import_id)
    source = history_import.source
    can_import = request.user.has_perm("pocdesk.manage_team", source.team)
    token = _import_token(request, history_import) if can_import else ""
    if request.method == "POST" and can_import:
        if history_import.status != ImportStatus.CHECKED or not token:
            return redirect(import_url(history_import))
        upload = _uploads(request)[token]
        try:
            with staged_file_open(upload["key"]) as staged:
                started = history_import_start(actor=request.user, source=source, file=staged,
                                               file_name=upload["file_name"], dry_run=False)
        except ApplicationError as error:
            return refusal_redirect(request, error, import_url(history_import))
        _remember_import(request, started, token)
        return redirect(import_url(started))
    if history_import.status == ImportStatus.DONE and token:
        _forget_upload(request, token)  # imported: the copy kept for the mapping step is done
        token = ""
    state = history_import_state(history_import)
    return render(request, "web/history/import.html", {"nav_section": "history",
        "history_import": history_import, "source": source, "state": state,
        "errors": state["errors"], "token": token, "can_import": can_import,
        "counts": (history_source_detail(source).counts
                   if history_import.status == ImportStatus.DONE else None),
    })


@require_GET
@page
def history_import_progress(request, import_id: int) -> HttpResponse:
    """The progress bar alone, polled every second; once the job is over, the whole page."""
    history_import = history_import_get(user=request.user, import_id=import_id)
    state = history_import_state(history_import, errors=0)
    if state["finished"]:
        if request.htmx:
            return HttpResponseClientRedirect(import_url(history_import))
        return redirect(import_url(history_import))
    return render(request, "web/history/import_progress.html",
                  {"history_import": history_import, "state": state})
