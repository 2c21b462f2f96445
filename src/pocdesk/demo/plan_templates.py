"""The teams' agreement templates: default clause texts a new POC agreement starts from.

The manager wrote them in the languages the teams sign in: Chinese for the software and lighting
teams' customers in China, French for the software and textiles teams' customers in France, and
a mining template in English for heavy equipment (conditional purchase order, 14-day exit, weekly
checkpoints). Other team-language pairs start from the built-in texts.
"""

from __future__ import annotations

from pocdesk.agreements.services import agreement_template_save

from .company import Cast

ZH_CLAUSES = {
    "scope_included": "试点仅覆盖成功标准中列明的场景、模块和指标,在客户提供的环境中进行。",
    "scope_excluded": ("未列明的内容,包括定制开发、与其他系统的集成和生产使用,均不在试点范围内,按变更"
                       "申请处理。"),
    "ip_ownership": ("双方各自保留原有知识产权。试点期间我方形成的配置、脚本和测试结果归我方所有;客户"
                     "的数据和样品归客户所有。"),
    "confidentiality": "双方对试点期间交换的全部信息按本协议引用的保密协议承担保密义务。",
    "follow_on_kind": "priority",
    "follow_on": "若成功标准全部达成,客户按已商定的条件进入采购流程,并在采购中给予我方优先权。",
    "exit_slip_days": 14,
    "exit_clause": ("任一约定节点延误超过本协议规定的天数,任一方可书面通知终止试点,或双方以书面形式"
                    "重新商定试点计划。"),
    "data_handling": "客户数据仅用于本次试点,存放于约定的环境中,并在试点结束后 30 天内删除或返还。",
    "checkpoint_cadence_days": 7,
}

FR_CLAUSES = {
    "scope_included": ("Le pilote couvre uniquement les cas d'usage et les modules listés dans "
                       "les critères de réussite, testés dans l'environnement fourni par le "
                       "client."),
    "scope_excluded": ("Tout ce qui n'est pas listé ci-dessus, notamment les développements "
                       "spécifiques, l'intégration avec d'autres systèmes et l'utilisation en "
                       "production, est hors périmètre et traité comme une demande de "
                       "changement."),
    "ip_ownership": ("Chaque partie conserve sa propriété intellectuelle préexistante. Les "
                     "paramétrages, scripts et résultats produits par Helix pendant le pilote "
                     "restent sa propriété ; les données et les échantillons du client restent "
                     "les siens."),
    "confidentiality": ("Les parties traitent comme confidentielles toutes les informations "
                        "échangées pendant le pilote, conformément à l'accord de confidentialité "
                        "référencé."),
    "follow_on_kind": "priority",
    "follow_on": ("Si les critères de réussite sont atteints, le client engage l'achat aux "
                  "conditions discutées et donne la priorité à Helix dans son processus "
                  "d'achat."),
    "exit_slip_days": 30,
    "exit_clause": ("Si une échéance convenue glisse de plus du nombre de jours indiqué ici, "
                    "chaque partie peut arrêter le pilote, ou les deux parties renégocient son "
                    "plan par écrit."),
    "data_handling": ("Les données du client ne servent qu'au pilote, sont stockées dans "
                      "l'environnement convenu et sont supprimées ou restituées dans les 30 "
                      "jours suivant la fin du pilote."),
    "checkpoint_cadence_days": 14,
}

MINING_CLAUSES = {
    "scope_included": ("One machine installed and commissioned on the customer's site, run on "
                       "the customer's material for the agreed period, and the measurements of "
                       "the success criteria."),
    "scope_excluded": ("Civil works, power supply and permits (the customer's); integration "
                       "with the site's control or fleet systems; other machines or pits; "
                       "production guarantees beyond the trial."),
    "ip_ownership": ("Each party keeps its pre-existing intellectual property. The machine's "
                     "control software remains Helix's; the operating data recorded on site "
                     "belong to the customer, who lets Helix use them anonymised."),
    "follow_on_kind": "conditional_po",
    "follow_on": ("A conditional purchase order is signed before the trial starts; it becomes "
                  "firm when every must-have criterion is met."),
    "exit_slip_days": 14,
    "exit_clause": ("If the start of the trial slips by more than the days stated here, the "
                    "customer may cancel the conditional purchase order without cost, and Helix "
                    "removes the machine at its own cost."),
    "data_handling": ("Machine data are recorded on site and shared with the customer every "
                      "day; Helix keeps an anonymised copy for product improvement."),
    "checkpoint_cadence_days": 7,
}

TEMPLATES = (
    ("software", "zh-hans", ZH_CLAUSES),
    ("lighting-buildings", "zh-hans", ZH_CLAUSES),
    ("software", "fr", FR_CLAUSES),
    ("textiles", "fr", FR_CLAUSES),
    ("heavy-equipment", "en", MINING_CLAUSES),
)


def agreement_templates_seed(cast: Cast) -> None:
    manager = cast.user("manager")
    for slug, language, clauses in TEMPLATES:
        agreement_template_save(actor=manager, team=cast.team(slug), language=language, **clauses)
