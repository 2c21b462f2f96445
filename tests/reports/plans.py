"""Realistic plans in the three document languages, built through the services.

Each plan has four criteria (equal ± tolerance, between with a share of readings, at most, a
pass/fail test), two customer resources and three cost lines in two currencies.
"""

import datetime
from decimal import Decimal

from pocdesk.agreements.services import agreement_save
from pocdesk.criteria.services import criterion_create
from tests.factories import AccountFactory, OpportunityFactory, POCFactory

PLANS = {
    "en": {
        "account": "Musée des Arts Décoratifs",
        "opportunity": "Heritage lighting retrofit, phase 1",
        "title": "Warm-white LED luminaires on the building management system",
        "objective": (
            "Prove that the retrofit luminaires light the paintings of rooms 75–77 within the "
            "conservation limits, with the warm tone the curators approved, and that the museum's "
            "building management system controls every luminaire.\n\nA positive result leads to "
            "the order for the 1,900 luminaires of phase 1."),
        "criteria": [
            {"title": "Colour temperature",
             "question": "Does the light match the warm tone the curators approved?",
             "metric": "correlated colour temperature", "unit": "K", "comparator": "eq",
             "target_value": Decimal("2700"), "tolerance": Decimal("100"),
             "test_conditions": "1 m below each luminaire, after 30 minutes of warm-up, "
                                "galleries closed",
             "measurement_method": "Calibrated spectrometer, one reading per luminaire",
             "frequency": "Weekly", "aggregation": "mean", "owner_side": "vendor",
             "importance": 5, "must_have": True},
            {"title": "Illuminance on the artworks",
             "question": "Are light-sensitive works kept within conservation limits?",
             "metric": "illuminance", "unit": "lx", "comparator": "between",
             "target_min": Decimal("45"), "target_max": Decimal("55"),
             "aggregation": "share_passing", "required_share": Decimal("95"),
             "test_conditions": "12 reference points on paintings in rooms 75–77",
             "measurement_method": "Data-logging lux meters at the reference points",
             "frequency": "Every 15 minutes during opening hours", "owner_side": "customer",
             "importance": 5, "must_have": True},
            {"title": "Flicker",
             "question": "Is the light free of visible flicker at every dimming level?",
             "metric": "percent flicker", "unit": "%", "comparator": "lte",
             "target_value": Decimal("1.5"), "aggregation": "max",
             "test_conditions": "At 100 %, 50 % and 10 % dimming",
             "measurement_method": "Flicker meter on three luminaires per room",
             "frequency": "Once per dimming level", "owner_side": "vendor", "importance": 3},
            {"title": "Control from the BMS", "comparator": "pass_fail",
             "question": "Can the facility team run the lighting from their own system?",
             "pass_condition": "All 240 luminaires switch and dim from the building management "
                               "system within 2 seconds, in 20 consecutive tests",
             "aggregation": "latest",
             "test_conditions": "Through the DALI-2 gateway on the museum's network",
             "measurement_method": "Joint test protocol signed by both facility managers",
             "frequency": "At the end of week 2", "owner_side": "vendor", "importance": 4},
        ],
        "targets": ["2700 ± 100 K", "45–55 lx", "≤ 1.5 %", "All 240 luminaires switch and dim"],
        "clauses": {
            "scope_included": "Supply and installation of 240 luminaires in rooms 75–77; DALI-2 "
                              "gateway; integration with the museum's BMS.",
            "scope_excluded": "Emergency lighting, exterior lighting and any change to the BMS "
                              "beyond lighting control.",
            "nda_reference": "NDA-2025-114 of 3 November 2025",
        },
        "resources": [
            {"kind": "environment", "description": "Access to rooms 75–77 outside opening hours "
                                                    "(20:00–07:00) with a museum escort",
             "due_date": datetime.date(2026, 1, 9)},
            {"kind": "interfaces", "description": "BMS test account and the DALI gateway's "
                                                   "network address",
             "due_date": datetime.date(2026, 1, 14)},
        ],
        "costs": [
            {"category": "materials", "description": "240 sample luminaires with drivers",
             "amount": Decimal("18400.00"), "currency": "EUR", "paid_by": "vendor"},
            {"category": "labour", "description": "Installation by the museum's certified "
                                                   "electricians",
             "amount": Decimal("6250.00"), "currency": "EUR", "paid_by": "customer"},
            {"category": "licences", "description": "Photometry analysis software, 3 months",
             "amount": Decimal("1200.00"), "currency": "USD", "paid_by": "vendor"},
        ],
    },
    "fr": {
        "account": "Musée des Arts Décoratifs",
        "opportunity": "Rénovation de l'éclairage patrimonial, phase 1",
        "title": "Luminaires LED blanc chaud pilotés par la GTB",
        "objective": (
            "Démontrer que les luminaires de rénovation éclairent les tableaux des salles 75 à 77 "
            "dans les limites de conservation, avec la teinte chaude validée par les "
            "conservateurs, et que la gestion technique du bâtiment pilote chaque luminaire."),
        "criteria": [
            {"title": "Température de couleur",
             "question": "La lumière a-t-elle la teinte chaude validée par les conservateurs ?",
             "metric": "température de couleur proximale", "unit": "K", "comparator": "eq",
             "target_value": Decimal("2700"), "tolerance": Decimal("100"),
             "test_conditions": "À 1 m sous chaque luminaire, après 30 minutes de chauffe, "
                                "salles fermées",
             "measurement_method": "Spectromètre étalonné, une mesure par luminaire",
             "frequency": "Hebdomadaire", "aggregation": "mean", "owner_side": "vendor",
             "importance": 5, "must_have": True},
            {"title": "Éclairement des œuvres",
             "question": "Les œuvres sensibles restent-elles dans les limites de conservation ?",
             "metric": "éclairement", "unit": "lx", "comparator": "between",
             "target_min": Decimal("45"), "target_max": Decimal("55"),
             "aggregation": "share_passing", "required_share": Decimal("95"),
             "test_conditions": "12 points de référence sur les tableaux des salles 75 à 77",
             "measurement_method": "Luxmètres enregistreurs aux points de référence",
             "frequency": "Toutes les 15 minutes pendant les heures d'ouverture",
             "owner_side": "customer", "importance": 5, "must_have": True},
            {"title": "Papillotement",
             "question": "La lumière est-elle exempte de papillotement visible ?",
             "metric": "taux de papillotement", "unit": "%", "comparator": "lte",
             "target_value": Decimal("1.5"), "aggregation": "max",
             "test_conditions": "À 100 %, 50 % et 10 % de gradation",
             "measurement_method": "Flickermètre sur trois luminaires par salle",
             "frequency": "Une fois par niveau de gradation", "owner_side": "vendor",
             "importance": 3},
            {"title": "Pilotage par la GTB", "comparator": "pass_fail",
             "question": "L'équipe technique peut-elle piloter l'éclairage depuis son système ?",
             "pass_condition": "Les 240 luminaires s'allument et se graduent depuis la GTB en "
                               "moins de 2 secondes, sur 20 essais consécutifs",
             "aggregation": "latest",
             "test_conditions": "Par la passerelle DALI-2 sur le réseau du musée",
             "measurement_method": "Procès-verbal d'essai signé par les deux responsables",
             "frequency": "À la fin de la semaine 2", "owner_side": "vendor", "importance": 4},
        ],
        "targets": ["2700 ± 100 K", "45–55 lx", "≤ 1,5 %", "Les 240 luminaires s'allument"],
        "clauses": {
            "scope_included": "Fourniture et pose de 240 luminaires dans les salles 75 à 77 ; "
                              "passerelle DALI-2 ; intégration à la GTB du musée.",
            "scope_excluded": "L'éclairage de sécurité, l'éclairage extérieur et toute "
                              "modification de la GTB hors pilotage de l'éclairage.",
            "ip_ownership": "Chaque partie conserve sa propriété intellectuelle antérieure. Les "
                            "paramétrages produits par le fournisseur restent sa propriété.",
            "confidentiality": "Les parties traitent comme confidentielle toute information "
                               "échangée pendant la POC, selon l'accord de confidentialité cité.",
            "follow_on": "Si les critères de succès sont atteints, le client engage l'achat de "
                         "la phase 1 aux conditions discutées.",
            "exit_clause": "Si une échéance convenue glisse au-delà du nombre de jours indiqué, "
                           "chaque partie peut arrêter la POC.",
            "data_handling": "Les relevés sont conservés dans l'environnement du musée et "
                             "supprimés 30 jours après la fin de la POC.",
            "nda_reference": "NDA-2025-114 du 3 novembre 2025",
        },
        "resources": [
            {"kind": "environment", "description": "Accès aux salles 75 à 77 hors des heures "
                                                    "d'ouverture (20 h – 7 h), accompagné",
             "due_date": datetime.date(2026, 1, 9)},
            {"kind": "interfaces", "description": "Compte de test GTB et adresse réseau de la "
                                                   "passerelle DALI",
             "due_date": datetime.date(2026, 1, 14)},
        ],
        "costs": [
            {"category": "materials", "description": "240 luminaires d'essai avec leurs drivers",
             "amount": Decimal("18400.00"), "currency": "EUR", "paid_by": "vendor"},
            {"category": "labour", "description": "Pose par les électriciens habilités du musée",
             "amount": Decimal("6250.00"), "currency": "EUR", "paid_by": "customer"},
            {"category": "licences", "description": "Logiciel d'analyse photométrique, 3 mois",
             "amount": Decimal("1200.00"), "currency": "USD", "paid_by": "vendor"},
        ],
    },
    "zh-hans": {
        "account": "江西铜业集团",
        "opportunity": "二号破碎站智能化改造",
        "title": "潮湿井下环境中的智能圆锥破碎机试运行",
        "objective": (
            "验证智能圆锥破碎机在井下高温高湿环境中能够稳定达到额定处理能力，排料粒度满足选矿要求，"
            "并能将全部故障告警实时推送到中控室。\n\n试运行成功后，客户将按已商定条件采购三台设备。"),
        "criteria": [
            {"title": "破碎机处理能力", "question": "高峰时段产线能否跟上？",
             "metric": "处理量", "unit": "t/h", "comparator": "gte",
             "target_value": Decimal("120"), "aggregation": "mean",
             "test_conditions": "在 40 °C、相对湿度 95 % 的井下环境中连续运行",
             "measurement_method": "地磅每小时累计值", "frequency": "每小时",
             "owner_side": "vendor", "importance": 5, "must_have": True},
            {"title": "排料粒度", "question": "产品粒度是否满足选矿厂的要求？",
             "metric": "排料粒度 P80", "unit": "mm", "comparator": "between",
             "target_min": Decimal("20"), "target_max": Decimal("40"),
             "aggregation": "share_passing", "required_share": Decimal("90"),
             "test_conditions": "矿石硬度 f=12–14", "measurement_method": "每班人工筛分取样",
             "frequency": "每班一次", "owner_side": "customer", "importance": 4,
             "must_have": True},
            {"title": "主轴轴承温度", "question": "长时间运行时轴承是否过热？",
             "metric": "轴承温度", "unit": "°C", "comparator": "eq",
             "target_value": Decimal("65"), "tolerance": Decimal("5"), "aggregation": "p95",
             "test_conditions": "满负荷连续运行 72 小时", "measurement_method": "PT100 温度传感器",
             "frequency": "每分钟", "owner_side": "vendor", "importance": 3},
            {"title": "远程监控告警", "comparator": "pass_fail",
             "question": "故障能否及时通知到值班人员？",
             "pass_condition": "在 30 天试运行期间，所有设备故障均在 5 分钟内推送到中控室和手机端",
             "aggregation": "latest", "test_conditions": "通过矿区工业环网",
             "measurement_method": "双方共同签署的测试记录", "frequency": "试运行结束时",
             "owner_side": "vendor", "importance": 4},
        ],
        "targets": ["≥ 120 t/h", "20–40 mm", "65 ± 5 °C", "所有设备故障均在 5 分钟内推送"],
        "clauses": {
            "scope_included": "二号破碎站一台智能圆锥破碎机的安装、调试和 30 天试运行，包括自适应控制模块。",
            "scope_excluded": "一号破碎站、输送系统改造以及与 ERP 系统的集成不在本次范围内。",
            "ip_ownership": "双方保留各自原有的知识产权。试运行中供应商产生的控制参数归供应商所有，"
                            "客户的生产数据归客户所有。",
            "confidentiality": "双方对试运行期间交换的全部信息保密，适用所引用的保密协议。",
            "follow_on": "如成功标准全部达成，客户将按已商定条件采购三台设备，并给予供应商优先权。",
            "exit_clause": "如约定的截止日期延误超过规定天数，任何一方均可终止试运行，或书面重新约定计划。",
            "data_handling": "生产数据仅用于本次试运行，存储在矿区内网，试运行结束后 30 天内删除或归还。",
            "nda_reference": "保密协议 JXCU-2025-087",
        },
        "resources": [
            {"kind": "environment", "description": "二号破碎站夜班运行权限（20:00–08:00）",
             "due_date": datetime.date(2026, 1, 9)},
            {"kind": "interfaces", "description": "DCS 系统只读接口和 OPC UA 账号",
             "due_date": datetime.date(2026, 1, 14)},
        ],
        "costs": [
            {"category": "materials", "description": "衬板和传感器备件",
             "amount": Decimal("86000.00"), "currency": "CNY", "paid_by": "vendor"},
            {"category": "labour", "description": "现场安装调试（两名工程师，10 天）",
             "amount": Decimal("42000.00"), "currency": "CNY", "paid_by": "customer"},
            {"category": "logistics", "description": "设备运输与吊装",
             "amount": Decimal("2400.00"), "currency": "USD", "paid_by": "shared"},
        ],
    },
}


def make_plan_poc(*, team, owner, language: str, poc=None):
    """A POC of `team` in `language` with the plan of PLANS[language] in its live draft."""
    plan = PLANS[language]
    if poc is None:
        account = AccountFactory(team=team, name=plan["account"])
        opportunity = OpportunityFactory(account=account, owner=owner, name=plan["opportunity"])
        poc = POCFactory(opportunity=opportunity, owner=owner, title=plan["title"],
                         objective=plan["objective"], language=language)
    for spec in plan["criteria"]:
        criterion_create(actor=owner, poc=poc, **spec)
    agreement_save(actor=owner, poc=poc,
                   clauses={**plan["clauses"], "start_date": datetime.date(2026, 1, 12),
                            "end_date": datetime.date(2026, 2, 20),
                            "checkpoint_cadence_days": 7, "exit_slip_days": 21},
                   resources=plan["resources"], cost_lines=plan["costs"])
    return poc
