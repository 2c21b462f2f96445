"""Words for generated deals, in the three languages of the product's users."""

from __future__ import annotations

import random

TEAM_KIND = {
    "lighting-buildings": "lighting",
    "heavy-equipment": "heavy",
    "textiles": "textiles",
    "software": "software",
}

CURRENCIES = {
    "lighting": ["EUR", "EUR", "EUR", "GBP", "USD", "CNY"],
    "heavy": ["USD", "USD", "USD", "EUR", "CNY"],
    "textiles": ["USD", "USD", "EUR", "GBP", "CNY"],
    "software": ["CNY", "CNY", "EUR", "USD", "GBP"],
}
COUNTRIES = {
    "EUR": ["FR", "FR", "DE", "IT", "ES", "NL", "AT", "BE"],
    "USD": ["US", "US", "CA", "CL", "ID", "AU", "MX", "ZA"],
    "GBP": ["GB"],
    "CNY": ["CN"],
}
LANGUAGE_OF_COUNTRY = {"CN": "zh-hans", "FR": "fr", "BE": "fr"}

# Thousands of the team's reporting currency.
AMOUNTS = {"lighting": (80, 3000), "heavy": (500, 20000), "textiles": (100, 5000),
           "software": (50, 2000)}

SOURCES = ["inbound", "outbound", "partner", "referral", "tender", "existing_customer",
           "trade_show"]

_NAME_PARTS = {
    "en": ["Atlas", "Kestrel", "Northwind", "Bluewater", "Summit", "Harbor", "Granite",
           "Silverline", "Redwood", "Orion", "Pioneer", "Evergreen", "Ironbridge", "Cobalt",
           "Falcon", "Horizon", "Lakeside", "Sterling", "Vantage", "Westfield"],
    "fr": ["Martin", "Lefèvre", "Rousseau", "Girard", "Bonnet", "Fontaine", "Chevalier",
           "Garnier", "Mercier", "Lambert", "Rhône-Alpes", "Atlantique", "Provence"],
    "zh-hans": ["恒达", "瑞丰", "金桥", "远航", "华信", "鼎盛", "新程", "天宇", "同创", "盛世"],
}
_ZH_CITIES = ["华东", "深圳", "宁波", "苏州", "成都", "武汉", "青岛", "厦门", "天津", "杭州"]
_NAME_SUFFIXES = {
    "lighting": {"en": ["Hotels", "Property Group", "Museums Trust", "Retail Parks",
                        "Facilities", "Airports"],
                 "fr": ["Hôtellerie", "Immobilier", "Patrimoine"],
                 "zh-hans": ["置业集团", "酒店管理有限公司", "商业广场"]},
    "heavy": {"en": ["Mining", "Quarries", "Aggregates", "Cement", "Resources"],
              "fr": ["Carrières", "Granulats", "Ciments"],
              "zh-hans": ["矿业集团", "建材有限公司", "水泥股份有限公司"]},
    "textiles": {"en": ["Apparel", "Outdoor", "Sportswear", "Uniforms", "Activewear"],
                 "fr": ["Confection", "Textiles", "Uniformes"],
                 "zh-hans": ["服饰有限公司", "运动用品有限公司"]},
    "software": {"en": ["Bank", "Insurance", "Retail", "Logistics", "Telecom", "Utilities"],
                 "fr": ["Assurances", "Distribution", "Logistique", "Banque"],
                 "zh-hans": ["银行", "保险股份有限公司", "物流集团", "零售集团"]},
}

INDUSTRIES = {
    "lighting": {"en": ["Hospitality", "Real estate", "Museums", "Airports"],
                 "fr": ["Hôtellerie", "Immobilier", "Musées"],
                 "zh-hans": ["酒店", "房地产", "制造业"]},
    "heavy": {"en": ["Mining", "Quarrying", "Cement"], "fr": ["Carrières", "Cimenterie"],
              "zh-hans": ["矿业", "建材"]},
    "textiles": {"en": ["Sportswear", "Workwear", "Outdoor apparel"],
                 "fr": ["Vêtements de sport", "Vêtements de travail"],
                 "zh-hans": ["运动服饰", "工装"]},
    "software": {"en": ["Banking", "Insurance", "Retail", "Logistics", "Utilities"],
                 "fr": ["Banque", "Assurance", "Distribution", "Logistique"],
                 "zh-hans": ["银行", "保险", "零售", "物流"]},
}

PRODUCTS = {
    "lighting": {"en": ["LED façade lighting", "Smart dimming", "High-bay LED retrofit",
                        "Emergency lighting"],
                 "fr": ["Éclairage LED de façade", "Gradation intelligente",
                        "Rénovation LED des entrepôts"],
                 "zh-hans": ["LED 立面照明", "智能调光", "高棚灯节能改造"]},
    "heavy": {"en": ["Adaptive cone crusher", "Mobile screening plant",
                     "Conveyor wear monitoring", "Crusher liner upgrade"],
              "fr": ["Concasseur adaptatif", "Crible mobile",
                     "Surveillance d'usure des convoyeurs"],
              "zh-hans": ["自适应圆锥破碎机", "移动筛分站", "输送带磨损监测"]},
    "textiles": {"en": ["Quick-dry antibacterial knit", "Flame-retardant workwear fabric",
                        "Recycled-polyester jersey", "Waterproof breathable shell"],
                 "fr": ["Maille séchage rapide antibactérienne", "Tissu ignifugé",
                        "Jersey en polyester recyclé"],
                 "zh-hans": ["速干抗菌面料", "阻燃工装面料", "再生涤纶针织面料"]},
    "software": {"en": ["Smart customer service", "API gateway", "Route optimisation",
                        "Predictive maintenance analytics"],
                 "fr": ["Service client intelligent", "Passerelle d'API",
                        "Optimisation des tournées"],
                 "zh-hans": ["智能客服", "API 网关", "线路优化", "预测性维护分析"]},
}

COMPETITORS = {
    "lighting": ["Lumenwerk AG", "Brightline Europe", "华辉照明", "Nordlys Lighting"],
    "heavy": ["Kessler Minerals Technik", "Sandvale Crushing", "Ridgeback Equipment"],
    "textiles": ["Evertex Performance Fabrics", "Anatolia Tekstil", "Polaris Mills"],
    "software": ["Integron", "Apigate", "云答智能", "Optitour"],
}

REASONS = {
    "walked_away": {
        "en": ["No budget and no written purchase process.", "POC fodder: a competitor is far "
               "ahead and we are the comparison quote.", "No executive sponsor after three "
               "requests.", "The scope amounts to free production use."],
        "fr": ["Pas de budget ni de processus d'achat écrit.", "Aucun sponsor de direction.",
               "Le périmètre revient à une utilisation gratuite en production."],
        "zh-hans": ["没有预算,也没有书面采购流程。", "客户只是拿我们陪标,竞争对手遥遥领先。",
                    "始终找不到高层决策人。"],
    },
    "paused": {
        "en": ["Customer's test environment unavailable.", "Waiting for the customer's data "
               "export.", "Plant shutdown for maintenance."],
        "fr": ["Environnement de test du client indisponible.", "En attente des données du "
               "client."],
        "zh-hans": ["客户测试环境暂不可用。", "等待客户提供数据。", "工厂停产检修。"],
    },
    "closed": {
        "en": ["Won: every must-have criterion met.", "Lost on price.", "No decision: the "
               "project was postponed.", "Won after a conditional purchase order."],
        "fr": ["Gagné : tous les critères obligatoires atteints.", "Perdu sur le prix.",
               "Pas de décision : projet reporté."],
        "zh-hans": ["赢单:所有必达指标均已达成。", "因价格丢单。", "客户项目延期,未做决定。"],
    },
}


def company_name(rng: random.Random, kind: str, language: str) -> str:
    part = rng.choice(_NAME_PARTS[language])
    suffix = rng.choice(_NAME_SUFFIXES[kind][language])
    if language == "zh-hans":
        return f"{rng.choice(_ZH_CITIES)}{part}{suffix}"
    return f"{part} {suffix}"


def opportunity_name(product: str, company: str, language: str) -> str:
    return f"{company}{product}项目" if language == "zh-hans" else f"{product} — {company}"


def poc_title(product: str, company: str, language: str) -> str:
    if language == "zh-hans":
        return f"{company}{product}试点"
    if language == "fr":
        return f"Pilote « {product} » chez {company}"
    return f"{product} pilot at {company}"


def objective(rng: random.Random, product: str, language: str) -> str:
    percent, weeks = rng.choice([10, 15, 20, 25, 30, 40]), rng.choice([4, 6, 8, 12])
    if language == "zh-hans":
        return (f"证明{product}在 {weeks} 周内将客户的关键指标较现状提升至少 {percent} %,"
                f"期间无计划外停机,所有读数完整记录。")
    if language == "fr":
        return (f"Prouver que « {product} » améliore d'au moins {percent} % l'indicateur clé du "
                f"client par rapport à la situation actuelle, sur {weeks} semaines, sans arrêt "
                f"non planifié.")
    return (f"Prove that “{product}” improves the customer's key metric by at least "
            f"{percent} % against the current baseline over {weeks} weeks, with no unplanned "
            f"downtime and every reading logged.")


# People of the generated decision chains (SPEC §4: 决策链), by language.
FIRST_NAMES = {
    "en": ["James", "Sarah", "Michael", "Emily", "David", "Laura", "Robert", "Anna", "Daniel",
           "Grace", "Peter", "Hannah", "Thomas", "Maria", "Andrew", "Julia"],
    "fr": ["Pierre", "Camille", "Nicolas", "Sophie", "Laurent", "Claire", "Antoine", "Julie",
           "François", "Élodie", "Mathieu", "Nathalie"],
    "zh-hans": ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰"],
}
LAST_NAMES = {
    "en": ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Clark", "Walker", "Hughes",
           "Turner", "Morgan", "Reed", "Bennett", "Hayes", "Foster"],
    "fr": ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
           "Leroy", "Moreau", "Simon", "Laurent"],
    "zh-hans": ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"],
}
STAKEHOLDER_TITLES = {
    "executive_sponsor": {"en": ["Chief Operating Officer", "VP Engineering", "Managing Director",
                                 "Chief Information Officer", "Plant Director"],
                          "fr": ["Directeur général", "Directeur des opérations",
                                 "Directrice technique"],
                          "zh-hans": ["总经理", "副总裁", "首席信息官", "厂长"]},
    "champion": {"en": ["Operations Manager", "Head of Innovation", "Site Manager"],
                 "fr": ["Responsable d'exploitation", "Chef de projet innovation"],
                 "zh-hans": ["运营经理", "项目经理", "部门经理"]},
    "technical_evaluator": {"en": ["Senior Engineer", "IT Architect", "Quality Manager"],
                            "fr": ["Ingénieur méthodes", "Architecte SI", "Responsable qualité"],
                            "zh-hans": ["高级工程师", "IT 架构师", "质量经理"]},
    "procurement": {"en": ["Procurement Manager", "Category Buyer"],
                    "fr": ["Acheteur", "Responsable des achats"],
                    "zh-hans": ["采购经理", "采购专员"]},
}
PURCHASE_PREFIXES = {"rfp": "RFP", "rfq": "RFQ", "tender": "AO", "written_plan": "PP"}
OVERRIDE_JUSTIFICATIONS = {
    "en": ["Qualified before the gate was in place; data completed since.",
           "Strategic logo: the sales director accepted the missing items in writing."],
    "fr": ["Qualifié avant la mise en place du contrôle ; dossier complété depuis.",
           "Compte stratégique : le directeur commercial a accepté les manques par écrit."],
    "zh-hans": ["准入检查上线前已立项,资料已补齐。", "战略客户:销售总监书面同意缺项立项。"],
}
RED_FLAG_NOTES = {
    "en": ["Would not say who owns the budget.", "Asked for the full production scope for free.",
           "No answer on the purchasing process after three requests."],
    "fr": ["Refuse de dire qui porte le budget.", "Demande tout le périmètre de production "
           "gratuitement."],
    "zh-hans": ["不愿透露预算负责人。", "要求免费覆盖全部生产范围。", "三次询问采购流程均无答复。"],
}


def person_name(rng: random.Random, language: str) -> str:
    first, last = rng.choice(FIRST_NAMES[language]), rng.choice(LAST_NAMES[language])
    return f"{last}{first}" if language == "zh-hans" else f"{first} {last}"


# Success criteria of generated POCs (SPEC §5.1), by kind and language:
# (title, metric, unit, comparator, target or pass condition, aggregation, measurement method);
# a range is written "low:high"; "share_passing" means every reading must pass.
CRITERIA = {
    "lighting": {
        "en": [
            ("Average illuminance ≥ 300 lx on the work plane", "average illuminance", "lx",
             "gte", "300", "mean", "Calibrated lux meter on a 1 m grid at 0.75 m height"),
            ("Energy use at least 50 % below the current fittings", "energy saving", "%", "gte",
             "50", "latest", "Sub-meter on the lighting circuit, four weeks against the baseline"),
            ("No luminaire failure in 30 days", "", "", "pass_fail",
             "No luminaire off, flickering or with a failed driver during 30 days", "latest",
             "Daily inspection log checked against the controller's fault log"),
        ],
        "fr": [
            ("Éclairement moyen ≥ 300 lx sur le plan de travail", "éclairement moyen", "lx",
             "gte", "300", "mean", "Luxmètre étalonné, maillage de 1 m à 0,75 m de hauteur"),
            ("Consommation réduite d'au moins 50 %", "économie d'énergie", "%", "gte", "50",
             "latest", "Sous-compteur du circuit d'éclairage, quatre semaines comparées"),
            ("Aucune panne de luminaire en 30 jours", "", "", "pass_fail",
             "Aucun luminaire éteint, clignotant ou en panne d'alimentation pendant 30 jours",
             "latest", "Registre de ronde quotidien"),
        ],
        "zh-hans": [
            ("工作面平均照度 ≥ 300 lx", "平均照度", "lx", "gte", "300", "mean",
             "经校准的照度计,0.75 米高度按 1 米网格测量"),
            ("节电率 ≥ 50 %", "节电率", "%", "gte", "50", "latest", "照明回路独立电表,4 周对比"),
            ("连续运行 30 天无故障", "", "", "pass_fail", "30 天内无熄灭、无闪烁、无驱动故障",
             "latest", "每日巡检记录"),
        ],
    },
    "heavy": {
        "en": [
            ("Throughput ≥ 350 t/h", "throughput", "t/h", "gte", "350", "mean",
             "Belt-scale totaliser, hourly totals"),
            ("Product size P80 ≤ 30 mm", "P80 of the product", "mm", "lte", "30", "p95",
             "Sieve analysis by the site laboratory, two samples per shift"),
            ("Availability ≥ 95 %", "mechanical availability", "%", "gte", "95", "min",
             "Run hours ÷ scheduled hours from the dispatch system, weekly"),
        ],
        "fr": [
            ("Débit ≥ 350 t/h", "débit", "t/h", "gte", "350", "mean",
             "Bascule intégratrice sur convoyeur, totaux horaires"),
            ("Granulométrie P80 ≤ 30 mm", "P80 du produit", "mm", "lte", "30", "p95",
             "Analyse granulométrique par le laboratoire du site, deux prélèvements par poste"),
            ("Disponibilité ≥ 95 %", "disponibilité mécanique", "%", "gte", "95", "min",
             "Heures de marche ÷ heures planifiées, chaque semaine"),
        ],
        "zh-hans": [
            ("处理量 ≥ 350 t/h", "处理量", "t/h", "gte", "350", "mean", "皮带秤累计量,按小时统计"),
            ("产品粒度 P80 ≤ 30 mm", "产品 P80 粒度", "mm", "lte", "30", "p95",
             "现场化验室筛分分析,每班两次取样"),
            ("设备可用率 ≥ 95 %", "机械可用率", "%", "gte", "95", "min", "调度系统运行时间统计,每周"),
        ],
    },
    "textiles": {
        "en": [
            ("Antibacterial rate ≥ 99 % after 50 washes", "bacterial reduction", "%", "gte", "99",
             "min", "AATCC TM100 at an accredited laboratory"),
            ("Dimensional change within ± 3 %", "dimensional change", "%", "between", "-3:3",
             "share_passing", "AATCC TM135, three specimens per style"),
            ("Passes the brand's colour-fastness test", "", "", "pass_fail",
             "Grade 4 or better in every colour-fastness test of the brand's protocol", "latest",
             "Brand's laboratory report"),
        ],
        "fr": [
            ("Taux antibactérien ≥ 99 % après 50 lavages", "réduction bactérienne", "%", "gte",
             "99", "min", "ISO 20743 en laboratoire accrédité"),
            ("Retrait compris entre -3 % et 3 %", "variation dimensionnelle", "%", "between",
             "-3:3", "share_passing", "ISO 5077, trois éprouvettes"),
            ("Conforme à l'essai de solidité des coloris", "", "", "pass_fail",
             "Indice 4 ou mieux à chaque essai de solidité du protocole", "latest",
             "Rapport du laboratoire de la marque"),
        ],
        "zh-hans": [
            ("50 次水洗后抑菌率 ≥ 99 %", "抑菌率", "%", "gte", "99", "min",
             "第三方检测机构按 GB/T 20944.3 检测"),
            ("水洗尺寸变化率在 ±3 % 以内", "尺寸变化率", "%", "between", "-3:3", "share_passing",
             "GB/T 8628,每款三个试样"),
            ("色牢度检测合格", "", "", "pass_fail", "品牌方案中每项色牢度均达到 4 级及以上",
             "latest", "品牌实验室检测报告"),
        ],
    },
    "software": {
        "en": [
            ("Response time p95 ≤ 2 s", "response time", "s", "lte", "2", "p95",
             "Application monitoring, every request"),
            ("Automation rate ≥ 60 %", "share of cases handled without an agent", "%", "gte",
             "60", "mean", "Weekly export of the case log"),
            ("Interface success rate ≥ 99.5 %", "interface call success rate", "%", "gte",
             "99.5", "min", "API gateway logs, daily"),
        ],
        "fr": [
            ("Temps de réponse p95 ≤ 2 s", "temps de réponse", "s", "lte", "2", "p95",
             "Supervision applicative, chaque requête"),
            ("Taux d'automatisation ≥ 60 %", "part des demandes traitées sans conseiller", "%",
             "gte", "60", "mean", "Export hebdomadaire du journal des demandes"),
            ("Aucune ressaisie manuelle", "", "", "pass_fail",
             "Aucune donnée ressaisie à la main dans le système existant", "latest",
             "Journal d'audit du système existant"),
        ],
        "zh-hans": [
            ("响应时间 P95 ≤ 2 秒", "响应时间", "秒", "lte", "2", "p95", "应用监控,逐笔采集"),
            ("自动处理率 ≥ 60 %", "无需人工处理的工单占比", "%", "gte", "60", "mean",
             "每周导出工单日志统计"),
            ("接口调用成功率 ≥ 99.5 %", "接口调用成功率", "%", "gte", "99.5", "min",
             "API 网关日志,按日统计"),
        ],
    },
}
