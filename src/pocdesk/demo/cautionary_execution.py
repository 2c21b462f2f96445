"""The run and the governance of the POCs the seeds warn about (stories e–g, SPEC §8).

The French pilot measured for a year what was meant to be settled in three months: kilometres
and overtime improved, but never to the agreed targets, and deliveries stayed a few points short
of the promised slots. Its governance wore out as it drifted: fortnightly syncs thinned to one a
month, the operations director who sponsored the pilot stopped coming to the steering meetings
once the new CIO arrived, and the customer's action items went overdue.

The credit bureau's first benchmark, two years ago: three 4-hour load runs in Meridian's lab, every
target met. The utility's first sandbox, a year ago: 60 past feeder faults replayed in three
batches, every target met too — and no decision, for want of a sponsor.

The utility's new science project is still a draft, but the team already spends its weeks on it:
syncs with the innovation lab, and two steering meetings meant to bring in the asset-management
director — the budget owner the deal needs as executive sponsor — both missed: he declined the
first, the lab manager cancelled the second when he did not answer. A third is planned.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import replace
from decimal import Decimal

from pocdesk.execution.models import KeyEvent, LogKind
from pocdesk.governance.models import MeetingType
from pocdesk.pocs.models import POC

from . import cautionary_plans as plan
from .clock import StoryClock
from .company import Cast
from .execution_stories import (
    Action,
    Entry,
    Held,
    Reading,
    at,
    cadence_set,
    log_write,
    meetings_hold,
    readings_upload,
)

KEY, ISSUE, RISK, NOTE = LogKind.KEY_EVENT, LogKind.ISSUE, LogKind.RISK, LogKind.OBSERVATION
SYNC, STEERING = MeetingType.WEEKLY_SYNC, MeetingType.STEERING

# (f) The French pilot. -----------------------------------------------------------------------

(PILOT_KM, PILOT_OVERTIME, PILOT_SLOT, PILOT_NO_REENTRY,
 PILOT_COMPUTE) = (criterion["title"] for criterion in plan.PILOT_CRITERIA)
FIRST_RUN_AGO, PAUSED_AGO = 341, 20
ERP_TROUBLE = (300, 280)  # days ago: the in-house ERP import blocked one morning in three
AUDITED_PER_WEEK = 40


def pilot_readings() -> list[Reading]:
    rng = random.Random(12)  # noqa: S311 - demo data, not secrets
    rows = []
    for week, days_ago in enumerate(range(FIRST_RUN_AGO - 7, PAUSED_AGO, -7), start=1):
        friday = at(days_ago, 17)
        km = min(10.8, 5.5 + 0.45 * week) + rng.gauss(0, 0.5)
        rows.append(Reading(PILOT_KM, friday, value=_dec(km, "0.1"),
                            conditions=f"Semaine {week}, à volume corrigé"))
        erp = ERP_TROUBLE[1] < days_ago <= ERP_TROUBLE[0]
        rows.append(Reading(PILOT_NO_REENTRY, friday + datetime.timedelta(minutes=10),
                            passed=not erp, conditions=f"Semaine {week}",
                            note="Commandes ressaisies à la main : import ERP bloqué."
                            if erp else ""))
        share = 0.91 if week < 8 else 0.93
        for number in range(AUDITED_PER_WEEK):
            rows.append(Reading(
                PILOT_SLOT, at(days_ago + 4 - number % 5, 8 + number % 9), passed=rng.random()
                < share, conditions=f"Échantillon de contrôle, semaine {week}, livraison "
                                    f"{number + 1}"))
    for month, days_ago in enumerate(range(FIRST_RUN_AGO - 30, PAUSED_AGO, -30), start=1):
        overtime = min(8.6, 3.5 + 1.1 * month) + rng.gauss(0, 0.4)
        rows.append(Reading(PILOT_OVERTIME, at(days_ago, 11), value=_dec(overtime, "0.1"),
                            conditions=f"Paie du mois {month}, hors intérimaires"))
    for days_ago in range(FIRST_RUN_AGO, PAUSED_AGO, -1):
        minutes = 9.5 + rng.gauss(0, 1.1) + (2.5 if days_ago <= ERP_TROUBLE[0] else 0)
        rows.append(Reading(PILOT_COMPUTE, at(days_ago, 17.5), value=_dec(minutes, "0.1"),
                            conditions="Commandes arrêtées à 17 h"))
    return rows


PILOT_LOG = (
    Entry(345, KEY, "Interface TMS installée et testée", hour=18,
          key_event=KeyEvent.INSTALLATION_COMPLETE, milestone="installation", witness="planner",
          body="Une journée de commandes réelles passée par les fichiers d'échange, sans "
               "ressaisie."),
    Entry(341, KEY, "Premières tournées optimisées pour les 45 véhicules", hour=6,
          key_event=KeyEvent.FIRST_RUN, milestone="first_run", witness="champion",
          body="Validées par la responsable d'agence avant le départ des camions."),
    Entry(298, ISSUE, "L'import ERP bloque un matin sur trois", severity="high",
          body="Les commandes du jour arrivent en double ou pas du tout : le chef d'exploitation "
               "les ressaisit dans le TMS.",
          resolved=(280, "Contrôle des doublons ajouté à l'import ; plus de ressaisie depuis.")),
    Entry(200, RISK, "Module de gestion des quais accepté sans budget", severity="high",
          body="320 heures de développement spécifique, hors accord de pilote, acceptées sur "
               "dérogation du manager.",
          mitigation="Plus aucun développement sans devis ; à refacturer dans le contrat de "
                     "déploiement."),
    Entry(105, RISK, "Le nouveau DSI veut revoir le périmètre avant toute décision",
          severity="high",
          body="M. Garnier veut d'abord remplacer le TMS ; le directeur des opérations ne vient "
               "plus aux comités.",
          mitigation="Obtenir un comité avec le directeur des opérations et le DSI ensemble."),
    Entry(PAUSED_AGO, NOTE, "Pilote mis en pause",
          body="En attente d'un budget pour les développements spécifiques ; les relevés "
               "s'arrêtent ce jour."),
)

PILOT_STEERING = (
    (365, "Lancement du pilote", ("sponsor", "champion", "planner"), ()),
    (316, "Revue à mi-parcours", ("sponsor", "champion"), ()),
    (288, "Comité de pilotage", ("sponsor", "champion"), ()),
    (256, "Comité de pilotage", ("sponsor", "champion"), ()),
    (205, "Comité de pilotage : module de gestion des quais", ("sponsor", "champion"), ()),
    (170, "Comité de pilotage", ("sponsor",), ("champion",)),
    (140, "Comité de pilotage : connecteur ERP", ("sponsor", "champion"), ()),
    (105, "Comité de pilotage avec le nouveau DSI", ("sponsor", "cio"), ("champion",)),
    (70, "Comité de pilotage", ("cio", "champion"), ("sponsor",)),
    (35, "Comité de pilotage", ("cio",), ("sponsor", "champion")),
)
# Fortnightly for the first three months, then monthly, then whenever it suited.
PILOT_SYNC_DAYS = (*range(351, 266, -14), *range(239, 112, -28), 84, 56, 28)


def pilot_meetings() -> tuple[Held, ...]:
    meetings = [
        Held(days_ago, STEERING, title, attendees=came, absent=missed,
             vendor=("claire.dubois", "julien.moreau"),
             agenda="Résultats par critère ; demandes du client ; suite du pilote.")
        for days_ago, title, came, missed in PILOT_STEERING]
    meetings += [Held(days_ago, SYNC, "Point d'avancement", attendees=("champion", "planner"),
                      vendor=("claire.dubois",)) for days_ago in PILOT_SYNC_DAYS]
    return tuple(sorted(meetings, key=lambda held: -held.days_ago))


PILOT_ACTIONS = {
    316: (Action("Importer les commandes depuis l'ERP maison (première version)",
                 owner="claire.dubois", due=-290, done=289),),
    205: (Action("Chiffrer le module de gestion des quais", owner="julien.moreau", due=-200,
                 done=201),),
    105: (Action("Transmettre les horaires de réception des 40 principaux destinataires",
                 customer_owner="champion", due=-60),
          Action("Présenter l'architecture de la plateforme au DSI", owner="claire.dubois",
                 due=-90, done=92)),
    35: (Action("Chiffrer l'hébergement sur le cloud privé du groupe", owner="claire.dubois",
                due=-8),
         Action("Confirmer le budget des développements spécifiques pour l'an prochain",
                customer_owner="cio", due=-5)),
}


def pilot_execution(*, cast: Cast, clock: StoryClock, poc: POC, people) -> None:
    """A year of readings, the log and the meetings (call it while the pilot still runs)."""
    claire = cast.user("claire.dubois")
    cadence_set(actor=claire, poc=poc, clock=clock, days_ago=369, weekly_sync_days=14,
                steering_days=28)
    # The week's export, every Friday evening.
    readings_upload(actor=claire, poc=poc, clock=clock, readings=pilot_readings(), lag_days=0,
                    hour=19, every=7)
    log_write(actor=claire, poc=poc, clock=clock, entries=PILOT_LOG, people=people)
    meetings = tuple(replace(held, actions=PILOT_ACTIONS.get(held.days_ago, ()))
                     if held.meeting_type == STEERING else held for held in pilot_meetings())
    meetings_hold(actor=claire, poc=poc, clock=clock, meetings=meetings, people=people,
                  users=cast.users)


# (g) The utility's science project. -----------------------------------------------------------

UTILITY_MEETINGS = (
    Held(16, SYNC, "Sandbox sync with the innovation lab",
         agenda="The dissolved-gas export; what the lab wants to try.",
         attendees=("champion", "data_scientist"), vendor=("claire.dubois",),
         actions=(Action("Ask OT security whether the data may leave the OT network",
                         customer_owner="champion", due=-9),)),
    Held(14, STEERING, "Steering meeting with the Asset Management Director", status="cancelled",
         agenda="Who owns the transformer fleet's budget; what a successful sandbox leads to.",
         absent=("asset_director",), vendor=("claire.dubois", "sales"), recorded_ago=17,
         notes="Mr Marsh declined: he has not been briefed on the sandbox and sees no budget "
               "for it."),
    Held(9, SYNC, "Sandbox sync with the innovation lab",
         agenda="Model ideas; the lab's board presentation.",
         attendees=("champion",), absent=("data_scientist",), vendor=("claire.dubois",)),
    Held(4, STEERING, "Steering meeting with the Asset Management Director", status="cancelled",
         agenda="The sandbox's purpose and the decision it would support.",
         absent=("asset_director",), vendor=("claire.dubois", "sales"), recorded_ago=10,
         notes="No answer from Mr Marsh; Dr. Clarke cancelled the day before."),
    Held(2, SYNC, "Sandbox sync with the innovation lab",
         agenda="The lab would like to start without the asset-management director.",
         attendees=("champion",), vendor=("claire.dubois",),
         decisions=("No sandbox work before an executive sponsor has agreed the criteria.",),
         actions=(Action("Invite the Asset Management Director to a third steering meeting",
                         customer_owner="champion", due=1),)),
    Held(-5, STEERING, "Steering meeting with the Asset Management Director", status="planned",
         agenda="Sponsorship, success criteria and the decision after the sandbox.",
         attendees=("asset_director", "champion"), vendor=("claire.dubois", "sales"),
         recorded_ago=2),
)


def utility_governance(*, cast: Cast, clock: StoryClock, poc: POC, people) -> None:
    """Syncs with the lab and missed steering meetings, while the POC waits in draft."""
    claire = cast.user("claire.dubois")
    cadence_set(actor=claire, poc=poc, clock=clock, days_ago=17, weekly_sync_days=7,
                steering_days=14)
    meetings_hold(actor=claire, poc=poc, clock=clock, meetings=UTILITY_MEETINGS, people=people,
                  users=cast.users)


def _dec(value: float, places: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))


# (e) The credit bureau's first benchmark: three 4-hour runs in Meridian's lab, two years ago. --

BUREAU_RUNS = (712, 708, 704)  # days ago
BUREAU_THROUGHPUT, BUREAU_LATENCY, BUREAU_REPLAY = (criterion["title"]
                                                    for criterion in plan.BUREAU_CRITERIA)


def bureau_benchmark_readings() -> list[Reading]:
    """Gatling's 10-minute windows: the lowest at 10,480 calls/s, the worst p99 at 71 ms."""
    rng = random.Random(10000)  # noqa: S311 - demo data, not secrets
    rows = []
    for run, days_ago in enumerate(BUREAU_RUNS, start=1):
        for window in range(24):
            moment = at(days_ago, 13 + window / 6)
            where = f"Run {run}, window {window + 1} of 24, three-node cluster, TLS on"
            throughput = 10480 if (run, window) == (2, 17) else 10610 + abs(rng.gauss(0, 90))
            latency = 71 if (run, window) == (3, 9) else 58 + abs(rng.gauss(0, 3.5))
            rows.append(Reading(BUREAU_THROUGHPUT, moment,
                                value=Decimal(str(round(throughput))), conditions=where))
            rows.append(Reading(BUREAU_LATENCY, moment, value=Decimal(str(round(latency))),
                                conditions=where))
        rows.append(Reading(BUREAU_REPLAY, at(days_ago, 18), passed=True,
                            conditions=f"Run {run}: one million recorded requests",
                            note="Every status and body checksum matched the recording."))
    return rows


def bureau_benchmark_record(*, cast: Cast, clock: StoryClock, poc: POC) -> None:
    readings_upload(actor=cast.user("claire.dubois"), poc=poc, clock=clock,
                    readings=bureau_benchmark_readings(), hour=9)


# (g) The utility's first sandbox: 60 past faults replayed in three batches, a year ago. -------

def utility_first_readings() -> list[Reading]:
    rng = random.Random(11)  # noqa: S311 - demo data, not secrets
    rows = []
    for batch, (days_ago, located) in enumerate(((400, "85.0"), (392, "87.5"), (386, "88.3")),
                                                start=1):
        for record in range(20):
            rows.append(Reading(plan.UTILITY_FIRST_SPEED, at(days_ago, 10 + record / 4),
                                value=Decimal(str(round(rng.uniform(18, 52)))),
                                conditions=f"Batch {batch}, fault record {record + 1} of 20"))
        rows.append(Reading(plan.UTILITY_FIRST_LOCATION, at(days_ago, 17), value=Decimal(located),
                            conditions=f"Faults 1–{batch * 20}, checked against the job sheets",
                            note="Counted by Oliver Hughes."))
    return rows


def utility_first_record(*, cast: Cast, clock: StoryClock, poc: POC) -> None:
    readings_upload(actor=cast.user("claire.dubois"), poc=poc, clock=clock,
                    readings=utility_first_readings(), hour=9)
