"""The plans of stories (e) and (f): the credit bureau's first benchmark, signed and met without
a purchase, and the French pilot whose agreed end date (and exit clause) drifted past."""

from __future__ import annotations

from .plans import AgreementPlan, Cost, Resource, measured, pass_fail
from .story import day

# (e) The credit bureau's first POC, two years ago: every target met, no purchase.
BUREAU_CRITERIA = (
    measured(
        "Sustained 10,000 API calls per second", metric="sustained throughput", unit="calls/s",
        comparator="gte", target="10000", aggregation="min",
        question="Can the gateway carry Meridian's peak credit-report traffic?",
        conditions=("Meridian's reference workload (credit-report look-ups, 70 % reads) on a "
                    "three-node cluster in Meridian's lab, TLS on"),
        method="Load injectors' reports (Gatling), minimum over the 10-minute windows of a "
               "4-hour run",
        frequency="Every 10 minutes of each 4-hour run", importance=5, must_have=True),
    measured(
        "p99 latency ≤ 80 ms at 10,000 calls per second", metric="99th-percentile latency",
        unit="ms", comparator="lte", target="80", aggregation="max",
        conditions="At 10,000 calls per second, same workload and cluster",
        method="Gatling percentiles per 10-minute window", frequency="Every 10 minutes",
        importance=5, must_have=True),
    pass_fail(
        "Reference workload replayed without a functional error",
        passes=("Every response of the replayed workload matches the recorded response (status "
                "and body checksum)"),
        conditions="One million recorded production requests, anonymised",
        method="Meridian's replay harness comparing responses with the production recording",
        frequency="Once per run", owner="customer", importance=3),
)


def bureau_agreement() -> AgreementPlan:
    return AgreementPlan(
        start=-730, end=-700,
        clauses={
            "scope_included": (
                "A three-node gateway cluster installed in Meridian's performance lab; replay "
                "of the reference workload; 4-hour load runs at 10,000 calls per second; the "
                "measurements of the success criteria."),
            "scope_excluded": (
                "Production traffic; integration with Meridian's identity provider; custom "
                "plug-ins; demonstrations beyond the reference workload."),
            "follow_on_kind": "priority",
            "follow_on": (
                "If the success criteria are met, the architecture board recommends the gateway "
                "for the modernisation programme and Meridian opens its purchasing process "
                "within 90 days, giving Helix priority."),
            "checkpoint_cadence_days": 7,
            "nda_reference": f"MCR-NDA-{day(-765).year}-211",
        },
        resources=(
            Resource("environment", "Three servers in Meridian's performance lab, 10 GbE", -733,
                     ("ready", 731)),
            Resource("data", "Recording of the reference workload (one million requests, "
                             "anonymised)", -733, ("ready", 732)),
        ),
        costs=(
            Cost("labour", "Two Helix engineers on site for three weeks", "54000.00", "USD",
                 "vendor"),
            Cost("travel", "Travel and accommodation", "11500.00", "USD", "vendor"),
            Cost("other", "Cloud capacity for the load injectors", "3200.00", "USD", "customer"),
        ),
    )


# (g) The utility's first sandbox, a year before the transformer request: feeder faults located
# from the lab's data, qualified by a manager's override without an executive sponsor.
UTILITY_FIRST_LOCATION = "Fault located within two spans for at least 85 % of past faults"
UTILITY_FIRST_SPEED = "Each fault record analysed in 60 s or less"
UTILITY_FIRST_CRITERIA = (
    measured(
        UTILITY_FIRST_LOCATION, metric="share of historical faults located within two spans",
        unit="%", comparator="gte", target="85", aggregation="latest",
        question="Can the lab's feeder data point the line crews to the right spans?",
        conditions="60 documented faults on 11 kV feeders of the northern depot, 2019–2023, "
                   "replayed from the lab's copy of the disturbance records",
        method="Located span compared with the repair crew's job sheet, counted by the lab's "
               "data scientist", frequency="After each batch of 20 faults", owner="customer",
        importance=5, must_have=True),
    measured(
        UTILITY_FIRST_SPEED, metric="analysis time per disturbance record", unit="s",
        comparator="lte", target="60", aggregation="max",
        conditions="The sandbox's two-node cluster, one record at a time",
        method="Time-stamps of the sandbox's job log", frequency="Every record",
        importance=3),
)


def utility_first_agreement() -> AgreementPlan:
    return AgreementPlan(
        start=-410, end=-380,
        clauses={
            "scope_included": (
                "A sandbox in the innovation lab's cloud tenant; the replay of 60 documented "
                "feeder faults; the measurements of the success criteria; a results workshop."),
            "scope_excluded": (
                "Live SCADA or OT-network data; integration with the outage-management system; "
                "any production use; the transformer fleet."),
            "follow_on_kind": "priority",
            "follow_on": (
                "If the criteria are met, the innovation lab presents the results to the "
                "asset-management director with a proposal for a paid pilot on two depots."),
            "exit_slip_days": 14,
            "exit_clause": (
                "If the disturbance records are not delivered within 14 days of the start date, "
                "either party may end the sandbox; Helix deletes the data it received."),
            "checkpoint_cadence_days": 14,
            "nda_reference": f"NGP-NDA-{day(-425).year}-08",
        },
        resources=(
            Resource("data", "Anonymised disturbance records and job sheets of 60 feeder "
                             "faults", -412, ("ready", 411)),
        ),
        costs=(
            Cost("labour", "Helix data engineer and presales engineer, four weeks part-time",
                 "18000.00", "GBP", "vendor"),
            Cost("licences", "Sandbox cloud capacity", "1400.00", "GBP", "vendor"),
        ),
    )


# (f) The French pilot: 3 months agreed, 12 months run. Its exit clause was passed long ago.
PILOT_SLOT_TITLE = "Livraisons dans le créneau promis"
PILOT_CRITERIA = (
    measured(
        "Kilomètres parcourus réduits d'au moins 12 %",
        metric="réduction des kilomètres parcourus", unit="%", comparator="gte", target="12",
        aggregation="mean", question="Les tournées optimisées font-elles moins rouler les "
                                     "camions ?",
        conditions=("Agence de Lyon, 45 véhicules, 1 200 livraisons par jour ; comparaison avec "
                    "les mêmes semaines de l'année précédente, à volume corrigé"),
        method="Relevés des boîtiers télématiques des véhicules, consolidés chaque semaine",
        frequency="Hebdomadaire", importance=5, must_have=True),
    measured(
        "Heures supplémentaires des chauffeurs réduites d'au moins 10 %",
        metric="réduction des heures supplémentaires", unit="%", comparator="gte", target="10",
        aggregation="latest", conditions="Chauffeurs salariés de l'agence de Lyon, hors "
                                         "intérimaires",
        method=("Export mensuel de la paie, comparé à la moyenne des trois mois précédant le "
                "pilote"),
        frequency="Mensuelle", owner="customer", importance=4, must_have=True),
    pass_fail(
        PILOT_SLOT_TITLE,
        passes="Livraison effectuée dans le créneau horaire annoncé au destinataire la veille",
        aggregation="share_passing", share="95",
        question="Le client final est-il livré quand on le lui a promis ?",
        conditions="Toutes les livraisons de l'agence de Lyon planifiées par l'outil",
        method=("Horodatage de la preuve de livraison sur le terminal du chauffeur, comparé au "
                "créneau promis"),
        frequency="Chaque livraison, consolidé chaque semaine", importance=5, must_have=True),
    pass_fail(
        "Aucune ressaisie dans le TMS existant",
        passes="Aucune tournée ni commande ressaisie à la main dans le TMS : tout passe par "
               "l'interface",
        conditions="Interface avec le TMS actuel de l'agence, sans modification du TMS",
        method="Journal d'audit du TMS (saisies manuelles), revu chaque semaine avec le chef "
               "d'exploitation",
        frequency="Hebdomadaire", owner="customer", importance=4, must_have=True),
    measured(
        "Tournées du lendemain calculées en moins de 15 minutes",
        metric="durée de calcul du plan de tournées", unit="min", comparator="lte", target="15",
        aggregation="p95", conditions="Commandes arrêtées à 17 h, jusqu'à 1 400 livraisons",
        method="Journal de l'application (début et fin de l'optimisation)",
        frequency="Chaque soir", importance=2),
)


def pilot_agreement() -> AgreementPlan:
    return AgreementPlan(
        start=-365, end=-275,
        clauses={
            "scope_included": (
                "Optimisation des tournées de l'agence de Lyon (45 véhicules, 1 200 livraisons "
                "par jour) ; interface avec le TMS existant par fichiers d'échange ; application "
                "mobile des chauffeurs pour la preuve de livraison ; formation des quatre "
                "planificateurs ; mesure des critères de réussite."),
            "scope_excluded": (
                "Les 13 autres agences ; tout développement spécifique, notamment l'intégration "
                "de l'ERP maison et un module de gestion des quais, qui feraient l'objet d'un "
                "devis séparé ; toute modification du TMS ; la télématique des véhicules "
                "(fournie par le client)."),
            "follow_on_kind": "priority",
            "follow_on": (
                "Si tous les critères obligatoires sont atteints, le client engage le "
                "déploiement sur les 14 agences (abonnement de 3 ans) selon son plan d'achat "
                f"TL-DIR-{day(-386).year}-009, sans nouvelle consultation."),
            "exit_slip_days": 30,
            "exit_clause": (
                "Si la date de fin convenue est dépassée de plus de 30 jours, chaque partie peut "
                "mettre fin au pilote par lettre recommandée, ou les deux parties renégocient "
                "par écrit le périmètre, le calendrier et le budget. Aucune prolongation "
                "tacite."),
            "checkpoint_cadence_days": 14,
            "nda_reference": f"Accord de confidentialité TL-NDA-{day(-386).year}-02",
        },
        resources=(
            Resource("data", "Historique de 12 mois des livraisons et des relevés télématiques "
                             "de l'agence de Lyon", -369, ("ready", 368)),
            Resource("interfaces", "Accès en lecture et en écriture aux fichiers d'échange du "
                                   "TMS (commandes et tournées)", -368, ("ready", 366)),
            Resource("people", "Planificateurs et chef d'exploitation disponibles deux jours "
                               "pour la formation", -366, ("ready", 366)),
            Resource("equipment", "45 terminaux Android pour les chauffeurs", -366,
                     ("waived", 366)),
        ),
        costs=(
            Cost("licences", "Licences de la plateforme pour 45 véhicules pendant 3 mois",
                 "13500.00", "EUR", "vendor"),
            Cost("labour", "Paramétrage, interface TMS et formation (25 jours)", "21250.00",
                 "EUR", "shared"),
            Cost("travel", "Déplacements Paris–Lyon de l'équipe projet", "3800.00", "EUR",
                 "vendor"),
        ),
    )
