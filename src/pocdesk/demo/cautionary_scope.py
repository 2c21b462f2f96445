"""The French pilot's timebox and scope (story f, seed 004): how 3 months became 12.

The milestone plan was proposed and saved when the pilot was agreed, a checkpoint every 14 days.
The first two months kept it. Then the customer's people asked for one small thing after
another, each accepted as a "minor adjustment"; an ERP import slipped in as one; the docks module,
a specific development the agreement excluded, was accepted without a budget on the manager's
override; the target milestone was moved once and then forgotten, like the last checkpoint.
Promises followed the requests. The exit clause is reached and nobody has decided yet.
"""

from __future__ import annotations

from pocdesk.pocs.models import POC
from pocdesk.scope.models import ChangeClass, ChangeDecision, CommitmentCategory, CommitmentStatus

from .clock import StoryClock
from .company import Cast
from .timeboxes import (
    Done,
    Promise,
    Request,
    milestone_move,
    milestones_done,
    plan_save,
    promises_make,
    requests_record,
)

PILOT_PLANNED_HOURS = "160"
MINOR = ChangeClass.MINOR_ADJUSTMENT
EVOLUTION = ChangeClass.EVOLUTION
SPECIFIC = ChangeClass.SPECIFIC_DEVELOPMENT
ACCEPTED, DEFERRED = ChangeDecision.ACCEPTED, ChangeDecision.DEFERRED
QUOTED, REJECTED = ChangeDecision.QUOTED, ChangeDecision.REJECTED
DOCKS_MODULE = ("Module de gestion des quais : affectation automatique des quais de chargement "
                "et planification des créneaux de réception des fournisseurs.")
DOCKS_OVERRIDE = ("Accepté sans budget pour ne pas perdre le pilote : le client refuse de financer "
                  "un devis avant sa décision de déploiement. À refacturer dans le contrat de "
                  "déploiement ; plus aucun développement sans devis.")

PILOT_DONE = (
    Done("resources_ready", 366, evidence=(
        "Historique de 12 mois des livraisons et accès aux fichiers d'échange du TMS fournis ; "
        "les terminaux sont remplacés par les smartphones des chauffeurs.")),
    Done("kickoff", 365, evidence=(
        "Réunion de lancement à l'agence de Lyon avec le directeur des opérations : planning, "
        "critères de réussite et clause de sortie rappelés.")),
    Done("checkpoint:1", 351, evidence="Paramétrage des contraintes de tournées validé."),
    Done("installation", 345, witness="planner", evidence=(
        "Interface avec le TMS installée et testée sur une journée de commandes réelles, en "
        "présence du chef d'exploitation.")),
    Done("first_run", 341, witness="champion", evidence=(
        "Premières tournées optimisées pour les 45 véhicules, validées par la responsable "
        "d'agence avant le départ des camions.")),
    Done("checkpoint:2", 337, evidence="Deux semaines de tournées : -7 % de kilomètres."),
    Done("checkpoint:3", 324, evidence="Créneaux tenus à 92 % ; quatre demandes d'ajustement."),
    Done("midpoint_review", 316, evidence=(
        "Revue à mi-parcours avec M. Lemaire : -9 % de kilomètres, créneaux tenus à 93 %. Le "
        "client demande que les commandes viennent directement de son ERP maison.")),
    Done("checkpoint:4", 309, evidence="Import des commandes depuis l'ERP en cours de test."),
    Done("checkpoint:5", 295, evidence=(
        "L'import ERP bloque encore un matin sur trois : les critères ne sont pas mesurables "
        "dans les délais.")),
)

PILOT_REQUESTS = (
    Request(352, "planner", "Afficher le numéro de quai de chargement sur la feuille de route "
                            "imprimée des chauffeurs.", "4", MINOR, ACCEPTED,
            note="Simple paramétrage du modèle d'impression."),
    Request(340, "champion", "Ajouter un créneau de livraison 6 h – 8 h pour les boulangeries et "
                             "les restaurants du centre de Lyon.", "12", MINOR, ACCEPTED),
    Request(331, "planner", "Exporter chaque soir les tournées au format CSV attendu par le "
                            "logiciel de paie.", "16", MINOR, ACCEPTED),
    Request(322, "planner", "Interdire aux porteurs de 19 t le passage sous le pont de la "
                            "Mulatière (hauteur limitée à 3,50 m).", "24", MINOR, ACCEPTED),
    Request(316, "sponsor", "Importer les commandes directement depuis l'ERP maison au lieu des "
                            "fichiers d'échange du TMS (première version : commandes du jour).",
            "40", MINOR, ACCEPTED, note="Accepté comme ajustement pour tenir le calendrier."),
    Request(305, "champion", "Ajouter la photo et la signature du destinataire à la preuve de "
                             "livraison.", "32", MINOR, ACCEPTED),
    Request(270, "planner", "Tenir compte des pauses réglementaires des chauffeurs (45 minutes "
                            "après 4 h 30 de conduite) dans le calcul des tournées.", "40",
            MINOR, ACCEPTED),
    Request(262, "champion", "Tableau de bord des émissions de CO₂ par tournée pour le rapport "
                             "RSE du groupe.", "120", EVOLUTION, DEFERRED,
            note="Inscrit à la feuille de route, après la signature du contrat de déploiement."),
    Request(250, "champion", "Recalculer les tournées en cours de journée pour insérer les "
                             "enlèvements urgents.", "36", MINOR, ACCEPTED),
    Request(205, "sponsor", DOCKS_MODULE, "320", SPECIFIC, ACCEPTED, note=DOCKS_OVERRIDE,
            decided_ago=200, decided_by="manager", override=True),
    Request(180, "champion", "Étendre le pilote à l'agence de Grenoble pendant l'été.", "80",
            MINOR, REJECTED, note=("Hors périmètre : les 13 autres agences sont exclues de "
                                   "l'accord de pilote ; elles relèvent du déploiement.")),
    Request(150, "sponsor", "Connecteur complet avec l'ERP maison : commandes, retours et "
                            "facturation, dans les deux sens.", "280", SPECIFIC, QUOTED,
            note="Devis envoyé ; le client attend le budget de l'an prochain.", decided_ago=140,
            decided_by="julien.moreau", quote=("38500", "EUR")),
    Request(100, "cio", "Authentification unique avec l'annuaire Azure AD du groupe.", "60",
            EVOLUTION, DEFERRED, note="Sur la feuille de route ; à chiffrer dans le contrat de "
                                      "déploiement."),
    Request(25, "cio", "Héberger la plateforme et ses données sur le cloud privé du groupe "
                       "plutôt qu'en SaaS.", "160", SPECIFIC),
)
DOCKS_REQUEST = 9  # index in PILOT_REQUESTS
PRIVATE_CLOUD_REQUEST = 13

PILOT_PROMISES = (
    Promise(200, "julien.moreau", "sponsor", CommitmentCategory.OUT_OF_SCOPE,
            "Livrer le module de gestion des quais avant la fin du pilote prolongé.", due=-125,
            request=DOCKS_REQUEST, feasibility=(
                "Estimé à 320 heures par l'équipe produit : faisable en dix semaines avec deux "
                "développeurs, à condition de figer le périmètre."),
            resolved=(CommitmentStatus.BROKEN, 110, (
                "Seule l'affectation des quais a été livrée ; la planification des réceptions "
                "n'est pas commencée."))),
    Promise(105, "claire.dubois", "cio", CommitmentCategory.RISKY,
            "Démontrer 95 % de livraisons dans le créneau sur quatre semaines consécutives "
            "avant la décision de déploiement.", due=60, preconditions=(
                "Les 40 principaux destinataires communiquent leurs horaires de réception ; "
                "l'import ERP reste stable ; les 45 véhicules restent dans le pilote.")),
    Promise(9, "claire.dubois", "cio", CommitmentCategory.UNCERTAIN,
            "Confirmer sous 24 heures si la plateforme peut être hébergée sur le cloud privé du "
            "groupe.", request=PRIVATE_CLOUD_REQUEST),
)


def pilot_plan(*, cast: Cast, clock: StoryClock, poc: POC, people) -> None:
    """The plan proposed and saved when the pilot was agreed, with the customer's planner in
    charge of the resources."""
    with clock.on(369):
        plan_save(actor=cast.user("claire.dubois"), poc=poc,
                  customer_owners={"resources_ready": people["planner"]})


def pilot_drift(*, cast: Cast, clock: StoryClock, poc: POC, people) -> None:
    """What happened inside the timebox while the extensions moved its end (call it after the
    extensions: the milestones, the requests and the promises of the whole year)."""
    claire = cast.user("claire.dubois")
    milestones_done(actor=claire, poc=poc, clock=clock, done=PILOT_DONE, people=people)
    # After the first extension the target was moved once, then never again.
    milestone_move(actor=claire, poc=poc, clock=clock, name="target_reached", days_ago=289,
                   due=-230)
    changes = requests_record(actor=claire, poc=poc, clock=clock, requests=PILOT_REQUESTS,
                              people=people, users=cast.users)
    promises_make(actor=claire, poc=poc, clock=clock, promises=PILOT_PROMISES, people=people,
                  users=cast.users, requests=changes)
