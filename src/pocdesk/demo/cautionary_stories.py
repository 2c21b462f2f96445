"""Stories (e)–(g) of SPEC §15: the POCs the seeds warn about — fodder, drift, science project.

Two of them already ended once: the credit bureau's first benchmark and the utility's first
sandbox both met every target and closed without a decision (`closing_stories`).

The credit bureau's first benchmark and the French pilot went through the whole plan: written
criteria before qualifying, criteria and agreement signed by both sides before agreed
(`cautionary_plans`). The pilot's agreement still says three months: its exit clause was passed
long ago while the pilot ran on, its milestone plan stalled and its scope crept
(`cautionary_scope`). The utility's science project has no criteria at all.
"""

from __future__ import annotations

from decimal import Decimal

from pocdesk.accounts.services import account_create
from pocdesk.criteria.models import Criterion
from pocdesk.criteria.services import criterion_template_create
from pocdesk.opportunities.services import (
    opportunity_create,
    opportunity_red_flags_record,
    opportunity_update,
)
from pocdesk.pocs.models import POC, PocType, Status
from pocdesk.pocs.services import poc_create, poc_transition, poc_update
from pocdesk.qualification.services import poc_commitment_set, qualification_override
from pocdesk.stakeholders.services import stakeholder_update
from pocdesk.timebox.services import extension_decide, extension_request

from . import cautionary_execution as execution
from . import cautionary_plans as plan
from . import cautionary_scope as pilot_scope
from . import closing_stories as closing
from . import decision_chains as chains
from . import plans
from .clock import StoryClock
from .closing import close_with_results
from .company import Cast
from .qualifying import INFLUENCER, LOW, NEUTRAL, chain_create, engage
from .story import day, year

# (e) seed 001 — a credit bureau that has evaluated vendors for years without buying.
BUREAU_ACCOUNT = "Meridian Credit Reporting, Inc."
BUREAU_WALK_AWAY = (
    "POC fodder: no documented purchasing process (no RFP, no written purchase plan) and no "
    "confirmed budget, and the customer stays evasive on both; an earlier POC with us ended "
    "without a purchase; the opportunity has been open for over two years; no executive sponsor "
    "since the CTO left, and Integron is far ahead in their cycle. We walked away politely and "
    "offered a paid architecture workshop instead.")


def credit_bureau(cast: Cast, clock: StoryClock) -> POC:
    sales, claire, manager = cast.user("sales"), cast.user("claire.dubois"), cast.user("manager")
    with clock.on(780):
        account = account_create(
            actor=sales, team=cast.team("software"), name=BUREAU_ACCOUNT, country="US",
            industry="Financial services (credit bureau)", size="enterprise", currency="USD",
            website="https://meridian-credit.example",
            notes=(f"Has evaluated web-service infrastructure vendors since {year(-8)}: conferences all "
                   "around the world, custom demos, two POCs with us alone — and never a purchase "
                   "order. No RFP has ever been issued."),
        )
    with clock.on(770):
        opportunity = opportunity_create(
            actor=sales, account=account, name="Web-services gateway modernisation",
            amount=Decimal("900000"), currency="USD", expected_close_date=day(-640),
            stage="qualification", source="inbound",
            description="Architecture board wants to compare three gateways on its own workload.",
            competitors=[{"name": "Integron", "position": "level"}],
        )
    # The first time, the deal looked qualified on paper: a written evaluation plan, a budget
    # confirmed by the new CTO, who sponsored the benchmark himself.
    with clock.on(765):
        opportunity = opportunity_update(
            actor=sales, opportunity=opportunity, purchase_process="written_plan",
            purchase_reference=f"MCR-AB-{day(-765).year}-03 (architecture board evaluation plan)",
            budget_confirmed=True, budget_amount=Decimal("900000"),
            budget_confirmed_by="Robert Vance, CTO", budget_confirmed_on=day(-765),
            decision_date=day(-640), nda_signed=True,
            nda_reference=f"MCR-NDA-{day(-765).year}-211")
        people = chain_create(actor=sales, opportunity=opportunity, people=chains.BUREAU_CHAIN)
    with clock.on(760):
        first = poc_create(
            actor=claire, opportunity=opportunity, title="Gateway throughput benchmark in Meridian's lab",
            objective=("Prove 10,000 API calls per second with p99 latency ≤ 80 ms on Meridian's "
                       "reference workload in their lab."),
            poc_type=PocType.SANDBOX_TRIAL, owner=claire, language="en",
        )
    with clock.on(757):
        plans.criteria_write(actor=claire, poc=first, specs=plan.BUREAU_CRITERIA)
    with clock.on(755):
        engage(actor=claire, poc=first, stakeholder=people["cto"], days_ago=755, kind="meeting",
               note="Sponsored the benchmark and its targets in front of the architecture board.")
        engage(actor=claire, poc=first, stakeholder=people["architect"], days_ago=755,
               kind="workshop", note="Defined the reference workload.")
        engage(actor=claire, poc=first, stakeholder=people["engineer"], days_ago=754,
               kind="workshop", note="Prepared the lab and the load injectors.")
        first = poc_commitment_set(
            actor=sales, poc=first, level=1,
            commitment_reference=f"Evaluation agreement MCR-EVAL-{day(-755).year}-07, signed by "
                                 "the CTO")
    with clock.on(750):
        first = poc_transition(actor=claire, poc=first, to=Status.QUALIFIED)
        first = poc_update(actor=claire, poc=first, start_date=day(-730), end_date=day(-700))
    agreement = plan.bureau_agreement()
    with clock.on(745):
        plans.agreement_write(actor=claire, poc=first, plan=agreement)
        versions = plans.submit(actor=claire, poc=first)
    with clock.on(743) as moment:
        plans.sign_for_vendor(actor=claire, versions=versions, signed_at=moment,
                              title="Presales engineer, Helix Software & Services")
    with clock.on(741, hour=17) as moment:
        plans.sign_for_customer(actor=claire, versions=versions, signatory=people["cto"],
                                signed_at=moment)
    with clock.on(740):
        first = poc_transition(actor=claire, poc=first, to=Status.AGREED)
    plans.resources_settle(actor=claire, poc=first, plan=agreement, clock=clock)
    with clock.on(730):
        first = poc_transition(actor=claire, poc=first, to=Status.RUNNING)
    execution.bureau_benchmark_record(cast=cast, clock=clock, poc=first)
    with clock.on(700):
        first = poc_transition(actor=claire, poc=first, to=Status.EVALUATING)
    close_with_results(actor=claire, poc=first, clock=clock, closing=closing.bureau_closing(),
                       people=people, results_ago=closing.BUREAU_RESULTS_AGO,
                       closed_ago=closing.BUREAU_CLOSED_AGO, rates_actor=manager)
    with clock.on(675):
        opportunity = opportunity_update(
            actor=sales, opportunity=opportunity, purchase_process="none", purchase_reference="",
            budget_confirmed=False, budget_amount=None, budget_confirmed_by="",
            budget_confirmed_on=None, decision_date=None, expected_close_date=day(-380),
            close_date_reason="The board withdrew its evaluation plan after the benchmark: the "
                              "CTO's budget was never released.")
    with clock.on(520):
        stakeholder_update(
            actor=sales, stakeholder=people["cto"], title=f"Former CTO (left in {day(-520).year})",
            role=INFLUENCER, influence=LOW, attitude=NEUTRAL,
            notes="Sponsored the benchmark, then left Meridian; nobody took over his budget.")
    with clock.on(390):
        opportunity = opportunity_update(
            actor=sales, opportunity=opportunity, expected_close_date=day(-100),
            close_date_reason="The architecture board postponed any decision to next year's "
                              "budget round.")
    with clock.on(110):
        opportunity = opportunity_update(
            actor=sales, opportunity=opportunity, expected_close_date=day(60),
            close_date_reason="Still “evaluating”: Integron started a paid pilot meanwhile.")
    with clock.on(60):
        opportunity = opportunity_update(
            actor=sales, opportunity=opportunity, amount=Decimal("1200000"),
            expected_close_date=day(120),
            close_date_reason="New inbound request for “a quick POC over two weekends”.",
            description=("Inbound request for “a quick POC over two weekends” with custom demos "
                         "for their architecture board. No RFP, no written purchase plan, budget "
                         "“to be decided later”. Integron has run a paid pilot with them since "
                         "spring."),
            competitors=[{"name": "Integron", "position": "behind"},
                         {"name": "Apigate", "position": "level"}],
        )
    with clock.on(55):
        poc = poc_create(
            actor=claire, opportunity=opportunity,
            title="Custom gateway POC for the architecture board",
            objective=("Prove that our gateway sustains 20,000 credit-report API calls per second "
                       "with p99 latency ≤ 50 ms and no lost request during a node failure, on "
                       "Meridian's reference workload."),
            poc_type=PocType.SANDBOX_TRIAL, owner=claire, language="en",
        )
    with clock.on(50):
        engage(actor=claire, poc=poc, stakeholder=people["architect"], days_ago=50,
               kind="workshop", note="Asked for eleven custom demos; would not name a budget "
                                     "owner.")
        engage(actor=claire, poc=poc, stakeholder=people["engineer"], days_ago=49, kind="call",
               note="Shared the reference workload again.")
        opportunity_red_flags_record(
            actor=claire, opportunity=opportunity, customer_evasive=True,
            red_flag_notes=("Asked three times who owns the budget and how they will buy: "
                            "“to be decided later”. Procurement has no sourcing event planned. "
                            "Our benchmark two years ago met every target and led nowhere."))
    with clock.on(40):
        poc = poc_transition(actor=manager, poc=poc, to=Status.WALKED_AWAY,
                             reason=BUREAU_WALK_AWAY)
    return poc


# (f) seed 004 — a French pilot client whose 3-month POC drifted to 12 months.
PILOT_ACCOUNT = "Transports Lemaire & Fils"
PILOT_DRIFT = (
    # (on days ago, new POC end, new expected close, why)
    (290, -215, -185, "Le client demande l'intégration de son ERP maison avant de conclure "
                      "(ajustement accepté dans le pilote)."),
    (200, -125, -95, "Nouvelle demande : module de gestion des quais — développement spécifique, "
                     "sans budget dédié."),
    (110, -35, -5, "Arrivée d'un nouveau DSI : il veut revoir le périmètre du pilote."),
    # The fourth request waits for the manager: the exit clause is reached meanwhile.
    (30, 60, 60, "Attente du budget de l'an prochain pour financer les développements "
                "spécifiques."),
)


def french_pilot_drift(cast: Cast, clock: StoryClock) -> POC:
    julien, claire = cast.user("julien.moreau"), cast.user("claire.dubois")
    with clock.on(400):
        account = account_create(
            actor=julien, team=cast.team("software"), name=PILOT_ACCOUNT, country="FR",
            industry="Transport et logistique", size="large", currency="EUR",
            website="https://transports-lemaire.example",
            notes=("Transporteur régional (Auvergne-Rhône-Alpes) : 600 véhicules, 14 agences. "
                   "Client pilote et première référence visée pour la plateforme d'optimisation "
                   "des tournées. Sponsor initial : le directeur des opérations ; un nouveau DSI "
                   "est arrivé en cours de pilote."),
        )
    with clock.on(395):
        opportunity = opportunity_create(
            actor=julien, account=account,
            name="Optimisation des tournées — déploiement sur 14 agences",
            amount=Decimal("850000"), currency="EUR", expected_close_date=day(-245),
            stage="evaluation", source="referral",
            description=("Pilote de 3 mois sur l'agence de Lyon, puis déploiement national si les "
                         "critères sont atteints : abonnement estimé à 850 k€ sur 3 ans. Aucun "
                         "budget prévu pour des développements spécifiques."),
            competitors=[{"name": "Optitour", "position": "level"},
                         {"name": "RouteMaster", "position": "unknown"}],
        )
    with clock.on(390):
        poc = poc_create(
            actor=claire, opportunity=opportunity,
            title="Pilote d'optimisation des tournées — agence de Lyon",
            objective=("Prouver en 3 mois sur l'agence de Lyon (45 véhicules, 1 200 livraisons par "
                       "jour) que l'optimisation des tournées réduit d'au moins 12 % les "
                       "kilomètres parcourus et d'au moins 10 % les heures supplémentaires des "
                       "chauffeurs, avec au moins 95 % de livraisons dans le créneau promis et "
                       "sans aucune ressaisie dans le TMS existant."),
            poc_type=PocType.ON_SITE_PILOT, owner=claire, language="fr",
            start_date=day(-365), end_date=day(-275),
            planned_effort_hours=Decimal(pilot_scope.PILOT_PLANNED_HOURS),
        )
    with clock.on(386):
        opportunity = opportunity_update(
            actor=julien, opportunity=opportunity, purchase_process="written_plan",
            purchase_reference=f"TL-DIR-{day(-386).year}-009 (plan d'achat : pilote puis "
                               "déploiement)",
            budget_confirmed=True, budget_amount=Decimal("850000"),
            budget_confirmed_by="Philippe Lemaire, directeur des opérations",
            budget_confirmed_on=day(-392), decision_date=day(-260), nda_signed=True,
            nda_reference=f"Accord de confidentialité TL-NDA-{day(-386).year}-02")
        people = chain_create(actor=julien, opportunity=opportunity, people=chains.PILOT_CHAIN)
    with clock.on(385):
        plans.criteria_write(actor=claire, poc=poc, specs=plan.PILOT_CRITERIA)
    with clock.on(384):
        engage(actor=claire, poc=poc, stakeholder=people["sponsor"], days_ago=384,
               kind="meeting", note="Validation du périmètre du pilote et des critères de "
                                    "réussite en comité de direction.")
        engage(actor=claire, poc=poc, stakeholder=people["champion"], days_ago=384,
               kind="site_visit", note="Visite de l'agence de Lyon et des quais.")
        engage(actor=claire, poc=poc, stakeholder=people["planner"], days_ago=383,
               kind="workshop", note="Atelier sur les contraintes de tournées et le TMS.")
        poc = poc_commitment_set(
            actor=julien, poc=poc, level=1,
            commitment_reference=f"Lettre d'accord de collaboration TL-PIL-{day(-384).year}-01, "
                                 "signée par le directeur des opérations")
    with clock.on(380):
        poc = poc_transition(actor=claire, poc=poc, to=Status.QUALIFIED)
    agreement = plan.pilot_agreement()
    with clock.on(376):
        plans.agreement_write(actor=claire, poc=poc, plan=agreement)
        versions = plans.submit(actor=claire, poc=poc)
    with clock.on(374) as moment:
        plans.sign_for_vendor(actor=claire, versions=versions, signed_at=moment,
                              title="Ingénieure avant-vente, Helix Software & Services")
    with clock.on(371, hour=11) as moment:
        plans.sign_for_customer(actor=claire, versions=versions, signatory=people["sponsor"],
                                signed_at=moment)
    with clock.on(370):
        poc = poc_transition(actor=claire, poc=poc, to=Status.AGREED,
                             reason="Accord de pilote signé : 3 mois, jalons toutes les deux "
                                    "semaines, clause de sortie à 30 jours de retard.")
    plans.resources_settle(actor=claire, poc=poc, plan=agreement, clock=clock)
    pilot_scope.pilot_plan(cast=cast, clock=clock, poc=poc, people=people)
    with clock.on(365):
        poc = poc_transition(actor=claire, poc=poc, to=Status.RUNNING)
    with clock.on(330):
        on_time = Criterion.objects.get(poc=poc, title=plan.PILOT_SLOT_TITLE)
        criterion_template_create(actor=claire, criterion=on_time,
                                  industry="Transport et logistique")
    manager = cast.user("manager")
    for number, (days_ago, poc_end, close_date, reason) in enumerate(PILOT_DRIFT, start=1):
        with clock.on(days_ago):
            extension = extension_request(actor=claire, poc=poc, requested_end=day(poc_end),
                                          reason=reason)
            if number <= 3:
                # The team allows two extensions: the third needs the manager's override.
                extension_decide(
                    actor=manager, extension=extension, approve=True, beyond_policy=number > 2,
                    note=("Dernière prolongation : le nouveau DSI doit trancher avant la fin."
                          if number > 2 else ""))
            poc.refresh_from_db()
            opportunity = opportunity_update(actor=julien, opportunity=opportunity,
                                             expected_close_date=day(close_date),
                                             close_date_reason=reason)
            if days_ago == 110:
                people.update(chain_create(actor=julien, opportunity=opportunity,
                                           people=(chains.PILOT_NEW_CIO,)))
                engage(actor=claire, poc=poc, stakeholder=people["cio"], days_ago=105,
                       kind="meeting",
                       note="Le nouveau DSI veut revoir le périmètre avant toute décision.")
    # Meanwhile, inside the timebox: the plan slipped, requests piled up, promises followed.
    pilot_scope.pilot_drift(cast=cast, clock=clock, poc=poc, people=people)
    execution.pilot_execution(cast=cast, clock=clock, poc=poc, people=people)
    poc.refresh_from_db()
    with clock.on(20):
        poc = poc_transition(
            actor=claire, poc=poc, to=Status.PAUSED,
            reason="Le client attend un budget dédié aux développements spécifiques "
                   "(gestion des quais, connecteur ERP maison) ; prévu sur 3 mois, le pilote en "
                   "dure 12.")
    return poc


# (g) seed 003 — an electric utility's "science project" without an executive sponsor. A year
# earlier the same lab had a first sandbox, qualified only by a manager's override: every target
# met, and no decision.
UTILITY_ACCOUNT = "Northern Grid Power plc"


def utility_science_project(cast: Cast, clock: StoryClock) -> POC:
    sales, claire = cast.user("sales"), cast.user("claire.dubois")
    with clock.on(430):
        account = account_create(
            actor=sales, team=cast.team("software"), name=UTILITY_ACCOUNT, country="GB",
            industry="Electric utility", size="enterprise", currency="GBP",
            website="https://northern-grid.example",
            notes=("Requests from the innovation lab, which tests everything under the sun. No "
                   "contact above the lab manager; the asset-management director has not been "
                   "briefed."),
        )
    utility_first_sandbox(cast, clock, account)
    with clock.on(25):
        opportunity = opportunity_create(
            actor=sales, account=account, name="Substation predictive maintenance",
            amount=Decimal("400000"), currency="GBP", expected_close_date=day(240),
            stage="prospecting", source="inbound",
            description=("The innovation lab asks for a free sandbox to “try machine learning on "
                         "transformer data”. No budget line, no procurement process, no executive "
                         "sponsor. A science project until the asset-management director "
                         "sponsors it."),
        )
    with clock.on(20):
        poc = poc_create(
            actor=claire, opportunity=opportunity,
            title="Transformer anomaly-detection sandbox for the innovation lab",
            objective=("Prove on 18 months of dissolved-gas and load data from 40 primary "
                       "transformers that anomaly detection flags at least 8 of the 10 documented "
                       "faults 14 days or more before failure, with at most 2 false alarms per "
                       "transformer per year."),
            poc_type=PocType.SANDBOX_TRIAL, owner=claire, language="en",
        )
    # The lab is keen, but nobody who owns a budget has heard of the POC: no executive
    # sponsor among the stakeholders, so the gate refuses to qualify it.
    with clock.on(18):
        people = chain_create(actor=claire, opportunity=opportunity, people=chains.UTILITY_CHAIN)
        engage(actor=claire, poc=poc, stakeholder=people["champion"], days_ago=18,
               kind="meeting", note="Keen to start next week; could not say who would buy.")
        engage(actor=claire, poc=poc, stakeholder=people["data_scientist"], days_ago=17,
               kind="workshop", note="Walked through the dissolved-gas data export.")
        opportunity_red_flags_record(
            actor=claire, opportunity=opportunity,
            red_flag_notes=("Nobody above the lab manager knows about the POC; the asset-management "
                            "director has not been briefed and OT security has not agreed to "
                            "share the data. A science project until someone sponsors it."))
    # Meanwhile the team spends its weeks on it: syncs with the lab, steering meetings missed.
    execution.utility_governance(cast=cast, clock=clock, poc=poc, people=people)
    return poc


def utility_first_sandbox(cast: Cast, clock: StoryClock, account) -> POC:
    sales, claire, manager = cast.user("sales"), cast.user("claire.dubois"), cast.user("manager")
    with clock.on(428):
        opportunity = opportunity_create(
            actor=sales, account=account, name="Feeder fault location analytics",
            amount=Decimal("250000"), currency="GBP", expected_close_date=day(-330),
            stage="evaluation", source="inbound",
            description=("The innovation lab wants to know whether its feeder disturbance "
                         "records can locate faults for the line crews. A paid pilot on two "
                         "depots would follow, if the asset-management director agrees."),
        )
        people = chain_create(actor=sales, opportunity=opportunity,
                              people=chains.UTILITY_FIRST_CHAIN)
    with clock.on(425):
        poc = poc_create(
            actor=claire, opportunity=opportunity,
            title="Feeder fault-location sandbox for the innovation lab",
            objective=("Prove on 60 documented faults of the northern depot's 11 kV feeders that "
                       "the lab's disturbance records locate at least 85 % of them within two "
                       "spans, each record analysed in 60 seconds or less."),
            poc_type=PocType.SANDBOX_TRIAL, owner=claire, language="en",
        )
        plans.criteria_write(actor=claire, poc=poc, specs=plan.UTILITY_FIRST_CRITERIA)
        engage(actor=claire, poc=poc, stakeholder=people["champion"], days_ago=425,
               kind="meeting", note="Keen to start; will “bring the asset-management director "
                                    "to the results”.")
        engage(actor=claire, poc=poc, stakeholder=people["data_scientist"], days_ago=424,
               kind="workshop", note="Chose the 60 faults and how the located spans are checked.")
        poc = poc_commitment_set(actor=sales, poc=poc, level=1,
                                 commitment_reference="Sandbox letter from the innovation lab")
    with clock.on(420):
        poc = qualification_override(
            actor=manager, poc=poc,
            justification=("No executive sponsor and no budget yet, but the lab manager promises "
                           "the asset-management director at the results workshop; a UK utility "
                           "reference is worth a four-week sandbox."))
        poc = poc_update(actor=claire, poc=poc, start_date=day(-410), end_date=day(-380))
    agreement = plan.utility_first_agreement()
    with clock.on(418):
        plans.agreement_write(actor=claire, poc=poc, plan=agreement)
        versions = plans.submit(actor=claire, poc=poc)
    with clock.on(417) as moment:
        plans.sign_for_vendor(actor=claire, versions=versions, signed_at=moment,
                              title="Presales engineer, Helix Software & Services")
    with clock.on(415, hour=16) as moment:
        plans.sign_for_customer(actor=claire, versions=versions, signatory=people["champion"],
                                signed_at=moment)
    with clock.on(414):
        poc = poc_transition(actor=claire, poc=poc, to=Status.AGREED)
    plans.resources_settle(actor=claire, poc=poc, plan=agreement, clock=clock)
    with clock.on(410):
        poc = poc_transition(actor=claire, poc=poc, to=Status.RUNNING,
                             reason="Sandbox open; the first 20 fault records loaded.")
    execution.utility_first_record(cast=cast, clock=clock, poc=poc)
    with clock.on(380):
        poc = poc_transition(actor=claire, poc=poc, to=Status.EVALUATING)
    poc = close_with_results(actor=claire, poc=poc, clock=clock,
                             closing=closing.utility_first_closing(), people=people,
                             results_ago=closing.UTILITY_FIRST_RESULTS_AGO,
                             closed_ago=closing.UTILITY_FIRST_CLOSED_AGO, rates_actor=manager)
    with clock.on(370):
        opportunity_update(actor=sales, opportunity=opportunity, stage="closed_lost")
    return poc
