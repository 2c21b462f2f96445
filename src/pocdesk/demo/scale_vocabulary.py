"""Words of the generated timeboxes and scope (`scale_timebox`), in the three demo languages."""

from __future__ import annotations

EXTENSION_REASONS = {
    "en": ["The customer's test environment was late by two weeks.",
           "Waiting for the customer's data export.", "Plant shutdown for maintenance.",
           "The customer asked to add a second site to the measurements.",
           "Key user on leave during the measurement window."],
    "fr": ["L'environnement de test du client a pris deux semaines de retard.",
           "En attente de l'export des données du client.", "Arrêt de l'usine pour maintenance.",
           "Le client demande d'ajouter un second site aux mesures."],
    "zh-hans": ["客户测试环境延迟两周交付。", "等待客户导出数据。", "工厂停产检修。",
                "客户要求增加第二个测点。"],
}
BEYOND_POLICY_NOTES = {
    "en": ["Last extension: the sponsor confirmed the decision date in writing.",
           "Strategic account: approved once more, with a stop date."],
    "fr": ["Dernière prolongation : le sponsor a confirmé la date de décision par écrit."],
    "zh-hans": ["最后一次延期:客户高层已书面确认决策日期。"],
}
REQUESTS = {
    "minor_adjustment": {
        "en": ["Add a column to the daily report.", "Change the alert threshold of the dashboard.",
               "Export the readings in the customer's CSV layout.",
               "Translate the operator screens.", "Add a second shift to the measurements."],
        "fr": ["Ajouter une colonne au rapport quotidien.", "Exporter les relevés au format CSV "
               "du client.", "Modifier le seuil d'alerte du tableau de bord."],
        "zh-hans": ["日报增加一列。", "按客户格式导出读数。", "调整看板告警阈值。", "增加夜班测量。"],
    },
    "evolution": {
        "en": ["Single sign-on with the customer's directory.",
               "A mobile app for the field technicians.", "Integration with the customer's ERP."],
        "fr": ["Authentification unique avec l'annuaire du client.",
               "Application mobile pour les techniciens."],
        "zh-hans": ["与客户目录系统单点登录。", "现场技术员移动应用。", "与客户 ERP 集成。"],
    },
    "specific_development": {
        "en": ["A custom connector to the customer's in-house system.",
               "A bespoke report for the customer's board.", "A custom fixture for the site."],
        "fr": ["Un connecteur spécifique vers le système maison du client.",
               "Un rapport sur mesure pour le comité de direction."],
        "zh-hans": ["对接客户自建系统的定制接口。", "为客户管理层定制报表。", "现场定制工装。"],
    },
}
DEFERRED_NOTES = {
    "en": ["On the roadmap after signature."], "fr": ["Sur la feuille de route après signature."],
    "zh-hans": ["签约后列入产品路线图。"],
}
REJECTED_NOTES = {
    "en": ["Outside the agreed scope."], "fr": ["Hors du périmètre convenu."],
    "zh-hans": ["超出约定范围。"],
}
OVERRIDE_NOTES = {
    "en": ["Accepted without a budget to keep the POC alive; to be billed in the contract."],
    "fr": ["Accepté sans budget pour ne pas perdre le pilote ; à refacturer au contrat."],
    "zh-hans": ["为保住试点,未立项先接受;费用计入正式合同。"],
}
COMMITMENTS = {
    "uncertain": {
        "en": ["Confirm within 24 hours whether the data can stay on site."],
        "fr": ["Confirmer sous 24 heures si les données peuvent rester sur site."],
        "zh-hans": ["24 小时内答复数据能否本地部署。"],
    },
    "risky": {
        "en": ["Reach the target during the peak week."],
        "fr": ["Atteindre l'objectif pendant la semaine de pointe."],
        "zh-hans": ["高峰周内达到目标。"],
    },
    "out_of_scope": {
        "en": ["Deliver the custom connector before the final review."],
        "fr": ["Livrer le connecteur spécifique avant la revue finale."],
        "zh-hans": ["终审前交付定制接口。"],
    },
}
PRECONDITIONS = {
    "en": "The customer provides the data and the site access on time.",
    "fr": "Le client fournit les données et l'accès au site à temps.",
    "zh-hans": "客户按时提供数据和现场权限。",
}
FEASIBILITY = {
    "en": "About three weeks for one developer, if the interface is documented.",
    "fr": "Environ trois semaines pour un développeur, si l'interface est documentée.",
    "zh-hans": "接口文档齐全的话,约需一名开发三周。",
}
BROKEN_NOTES = {
    "en": ["Missed: the customer's data arrived late."], "fr": ["Non tenu : données en retard."],
    "zh-hans": ["未兑现:客户数据延迟。"],
}
