"""Words of the generated execution logs and meetings (`scale_execution`), in the three demo
languages."""

from __future__ import annotations

FIRST_RUN = {
    "en": ("First run witnessed on site", "Started on the customer's own data and equipment; "
                                          "the first readings logged."),
    "fr": ("Premier essai sur site, en présence du client", "Démarrage sur les données et "
                                                             "l'équipement du client ; premiers "
                                                             "relevés enregistrés."),
    "zh-hans": ("现场首次运行,客户见证", "在客户自有设备和数据上启动,首批读数已记录。"),
}
TARGET_REACHED = {
    "en": ("Target reached on every must-have criterion", "Read together with the customer's "
                                                         "evaluator."),
    "fr": ("Objectif atteint sur tous les critères obligatoires", "Relevé avec l'évaluateur du "
                                                                 "client."),
    "zh-hans": ("全部必达指标已达成", "与客户技术评估人共同读数确认。"),
}
OBSERVATIONS = {
    "en": ["Readings stable over the week.", "Night shift readings slightly below day shift.",
           "Customer's operators now run the daily checks on their own.",
           "Baseline data confirmed with the customer."],
    "fr": ["Relevés stables sur la semaine.", "Les opérateurs du client font seuls les "
           "contrôles quotidiens.", "Données de référence confirmées avec le client."],
    "zh-hans": ["本周读数稳定。", "夜班读数略低于白班。", "客户操作人员已能独立完成日常检查。",
                "基线数据已与客户确认。"],
}
ISSUES = {
    "en": [("Sensor readings missing for six hours", "Logger restarted; the gap is noted on the "
                                                     "readings."),
           ("Customer's network blocked the data upload", "Firewall rule opened by their IT.")],
    "fr": [("Relevés manquants pendant six heures", "Enregistreur redémarré ; la lacune est "
                                                    "notée sur les relevés."),
           ("Le réseau du client bloquait l'envoi des données", "Règle de pare-feu ouverte par "
                                                                "leur DSI.")],
    "zh-hans": [("传感器读数缺失 6 小时", "记录仪已重启,缺口已在读数中备注。"),
                ("客户网络拦截了数据上传", "客户 IT 已开放防火墙规则。")],
}
RISKS = {
    "en": [("The customer's team needs two people trained before go-live",
            "Training plan proposed; waiting for the customer to name the trainees.")],
    "fr": [("L'équipe du client doit former deux personnes avant la mise en service",
            "Plan de formation proposé ; le client doit désigner les participants.")],
    "zh-hans": [("客户团队上线前需培训两名人员", "已提交培训计划,等待客户确定参训人员。")],
}
SYNC = {
    "en": ("Progress against the criteria; open issues; next week's measurements.",
           "Readings reviewed with the customer's team.", "Keep the measurement plan."),
    "fr": ("Avancement par critère ; points ouverts ; mesures de la semaine prochaine.",
           "Relevés revus avec l'équipe du client.", "Maintenir le plan de mesure."),
    "zh-hans": ("对照成功标准的进展;未决问题;下周测量安排。", "与客户团队一起复核读数。",
                "维持现有测量计划。"),
}
STEERING = {
    "en": ("Results so far, risks, decision path after the POC.",
           "Sponsor briefed on the readings and the open risks.",
           "Decision meeting planned after the final review."),
    "fr": ("Résultats à date, risques, décision après le pilote.",
           "Sponsor informé des relevés et des risques ouverts.",
           "Réunion de décision prévue après la revue finale."),
    "zh-hans": ("阶段结果、风险、试点后的决策路径。", "向客户高层汇报读数和未决风险。",
                "终审后召开决策会。"),
}
ACTIONS = {
    "en": ["Send the weekly readings export.", "Confirm the date of the final review.",
           "Share the baseline figures.", "Name the two people to train.",
           "Check the logger's clock against the plant's time."],
    "fr": ["Envoyer l'export hebdomadaire des relevés.", "Confirmer la date de la revue finale.",
           "Partager les chiffres de référence.", "Désigner les deux personnes à former."],
    "zh-hans": ["发送每周读数导出。", "确认终审日期。", "提供基线数据。", "确定两名参训人员。"],
}
READING_NOTES = {
    "en": "Logged by the on-site data logger.",
    "fr": "Enregistré par l'enregistreur sur site.",
    "zh-hans": "现场数据记录仪采集。",
}
