"""The decision chains (决策链) of the demo deals: who decides, who champions, who resists.

Needs come in three layers — what they ask for, the problem behind it, what is at stake for them —
written the way the customer talks (English, Chinese or French). Bosses come before the people
who report to them; `vendor(...)` rows are the Helix people working the deal.
"""

from __future__ import annotations

from .qualifying import (
    BLOCKER,
    CHAMPION,
    EVALUATOR,
    HIGH,
    INFLUENCER,
    LOW,
    MEDIUM,
    NEUTRAL,
    PROCUREMENT,
    SKEPTIC,
    SPONSOR,
    SUPPORTER,
    USER,
    Person,
    vendor,
)

# (a) Palais Lindenhof — LED luminaires on a heritage building.
LED_CHAIN = (
    Person("sponsor", "Dr. Katharina Weiss", "Technical Director, Lindenhof Foundation", SPONSOR,
           HIGH, SUPPORTER, needs=(
               "Replace the halogen fittings of the east gallery and the façade before next "
               "season's exhibitions.",
               "Energy costs rose 60 % in two years and the halogen lamps are no longer made; "
               "every new fitting must pass the conservation office.",
               "She carried the board's energy plan: the retrofit must succeed without a "
               "conservation scandal on her watch."),
           email="k.weiss@palais-lindenhof.example"),
    Person("champion", "Markus Leitner", "Facility Manager", CHAMPION, MEDIUM, SUPPORTER,
           reports_to="sponsor", needs=(
               "Luminaires the old building-management system can switch and dim.",
               "The 1920s control circuits behind the BACnet gateway must keep working: nobody "
               "may rewire a listed wall.",
               "He is the one called at night when the lights fail during a gala."),
           email="m.leitner@palais-lindenhof.example"),
    Person("conservation", "Mag. Elisabeth Hofer", "Conservation consultant (monuments office "
           "liaison)", INFLUENCER, HIGH, SKEPTIC, account_wide=True, needs=(
               "2,700 K and CRI ≥ 95, indistinguishable from the brick samples.",
               "No fixing may damage or visibly alter the listed walls.",
               "Her name is on every approval: her reputation rests on the building's "
               "authenticity.")),
    Person("procurement", "Thomas Brandl", "Head of Purchasing", PROCUREMENT, MEDIUM, NEUTRAL,
           reports_to="sponsor", needs=(
               "Three comparable offers under the written purchase plan.",
               "The foundation's statutes require a documented award for any order over "
               "€100,000.",
               "An award that survives the board's audit.")),
    vendor("helix_engineer", "王芳", "Presales engineer, Helix Lighting & Buildings"),
    vendor("helix_sponsor", "Daniel Becker", "Sales director, Helix (executive sponsor on our "
           "side)", SPONSOR),
)

# (b) PT Batu Sakti Mineral — adaptive crusher in a humid, dusty mine.
CRUSHER_CHAIN = (
    Person("sponsor", "Ir. Hendra Wijaya", "VP Engineering", SPONSOR, HIGH, SUPPORTER, needs=(
        "Data from our own pit before we replace 12 crushers.",
        "Feed hardness swings from 80 to 250 MPa between benches: fixed-setting crushers choke "
        "or overproduce fines, and the Pit 3 expansion needs a steady 380 t/h.",
        "He promised the board that Pit 3 pays back in under three years; the wrong crusher "
        "ends that promise."), email="hendra.wijaya@batusakti.example"),
    Person("champion", "Budi Santoso", "Pit 3 Operations Superintendent", CHAMPION, MEDIUM,
           SUPPORTER, reports_to="sponsor", needs=(
               "A crusher that adjusts itself when the rock changes.",
               "His crews stop the line several times a shift to reset the setting by hand, in "
               "90 % humidity and heavy dust.",
               "He is judged on tonnes per shift and on bringing every crew home safe.")),
    Person("maintenance", "Dewi Kartika", "Maintenance Manager", EVALUATOR, MEDIUM, SKEPTIC,
           reports_to="sponsor", needs=(
               "Liner wear ≤ 1.2 mm per 10,000 t and 95 % availability.",
               "Humidity and dust kill electronics: she fears another sensor package her "
               "fitters cannot repair on site.",
               "Every unplanned stop is blamed on maintenance, not on the supplier.")),
    Person("procurement", "Agus Pratama", "Head of Procurement", PROCUREMENT, HIGH, NEUTRAL,
           needs=(
               "Three quotes under the RFQ and a purchase order that only triggers on results.",
               "The capex committee rejects any order without a competitive comparison.",
               "No order he signs may turn into a claim.")),
    vendor("helix_engineer", "Sam Okafor", "Presales engineer, Helix Heavy Equipment"),
    vendor("helix_sales", "Olivia Grant", "Account executive, Helix Heavy Equipment",
           INFLUENCER),
)

# (c) Northpeak Athletics — quick-dry antibacterial fabric.
FABRIC_CHAIN = (
    Person("sponsor", "Jennifer Cole", "VP Global Sourcing", SPONSOR, HIGH, NEUTRAL, needs=(
        "A second supplier for the running line's jersey.",
        "A single-source fabric put two launches at risk last year.",
        "She will not list a supplier whose claims fail in a customer's washing machine: her "
        "name is on the listing."), email="jcole@northpeak.example"),
    Person("champion", "Mark Ellison", "Director of Materials Innovation", CHAMPION, MEDIUM,
           SUPPORTER, reports_to="sponsor", needs=(
               "A quick-dry antibacterial knit for next year's running collection.",
               "Odour complaints are the first reason for returns of running shirts.",
               "He wants the innovation that headlines the collection to be his find.")),
    Person("lab", "Dr. Anika Rao", "Quality & Testing Manager", EVALUATOR, HIGH, SKEPTIC,
           reports_to="champion", needs=(
               "Results from our designated lab, after 50 washes, on production samples.",
               "Antibacterial finishes usually wash out after 20 cycles.",
               "Her lab's sign-off is the brand's promise: she will not be the one who "
               "approved a failing fabric.")),
    Person("merchandiser", "Ryan Walsh", "Running category merchandiser", USER, MEDIUM,
           NEUTRAL, reports_to="sponsor", needs=(
               "The same hand-feel and colours as today's jersey.",
               "The collection's price points leave no room for a costlier fabric.",
               "His category's margin is his bonus.")),
    vendor("helix_sales", "李伟", "Account executive, Helix Textiles", INFLUENCER),
)

# (d) 鲜丰汇零售集团 — smart customer service.
RETAIL_CHAIN = (
    Person("sponsor", "陈建国", "集团首席信息官(CIO)", SPONSOR, HIGH, SUPPORTER, needs=(
        "试点证明智能客服能扛住双十一和春节的高峰。",
        "高峰期排队超过 10 分钟,差评集中在客服;新系统必须接入自建 CRM 和订单中台。",
        "数字化客服是集团今年给他定的 KPI,全渠道上线失败直接影响他的年度考核。")),
    Person("operations", "周海涛", "运营副总裁", INFLUENCER, HIGH, NEUTRAL, needs=(
        "客服成本不再随门店数线性增长。",
        "420 家门店的客服中心 180 人,人力成本每年上涨 8 %。",
        "他要向董事会证明门店扩张的运营成本可控。")),
    Person("champion", "刘敏", "客服中心总监", CHAMPION, MEDIUM, SUPPORTER,
           reports_to="operations", needs=(
               "机器人接住重复问题,人工只处理复杂投诉。",
               "高峰期客服加班严重,一年流失三分之一的坐席。",
               "她不想再在每个大促后向老板解释满意度下滑。")),
    Person("architect", "王磊", "IT 架构师", EVALUATOR, MEDIUM, SKEPTIC, reports_to="sponsor",
           needs=(
               "接口调用成功率 ≥ 99.5 %,不改动订单中台。",
               "再多一个外部系统,他的团队就多一份运维负担。",
               "他不想为外部系统的故障背锅。")),
    Person("procurement", "孙丽", "采购经理", PROCUREMENT, MEDIUM, NEUTRAL, reports_to="sponsor",
           needs=(
               "按招标流程比价,合同条款符合集团模板。",
               "审计要求所有 IT 采购留有完整的评标记录。",
               "不出审计问题。")),
    vendor("helix_engineer", "王芳", "Helix 售前工程师"),
)

# (e) Meridian Credit Reporting — years of evaluations, never a purchase.
BUREAU_CHAIN = (
    Person("cto", "Robert Vance", "Chief Technology Officer", SPONSOR, HIGH, SUPPORTER,
           needs=(
               "A benchmark of API gateways on our reference workload.",
               "The architecture board must show it evaluated the market before renewing the "
               "incumbent.",
               "He wanted a modernisation story for his first year as CTO.")),
    Person("architect", "Gregory Hale", "Chief Architect, chair of the architecture board",
           INFLUENCER, HIGH, NEUTRAL, account_wide=True, needs=(
               "Custom demos of every gateway on the market, “over two weekends”.",
               "The board compares vendors every year to keep the incumbent's price down.",
               "His standing rests on knowing every product — evaluations are his conference "
               "talks.")),
    Person("engineer", "Priya Natarajan", "Senior Platform Engineer", EVALUATOR, MEDIUM,
           SUPPORTER, reports_to="architect", account_wide=True, needs=(
               "20,000 calls per second with p99 ≤ 50 ms and no lost request.",
               "The current gateway drops requests when a node fails.",
               "She is paged at night for every outage.")),
    Person("procurement", "Dana Whitfield", "Procurement Manager, IT", PROCUREMENT, MEDIUM,
           NEUTRAL, account_wide=True, needs=(
               "No sourcing event is planned.",
               "Procurement only opens an RFP once a business owner holds a budget.",
               "She will not start a process nobody sponsors.")),
    vendor("helix_engineer", "Claire Dubois", "Presales engineer, Helix Software & Services"),
)

# (f) Transports Lemaire & Fils — a pilot that drifted from 3 to 12 months.
PILOT_CHAIN = (
    Person("sponsor", "Philippe Lemaire", "Directeur des opérations", SPONSOR, HIGH, SUPPORTER,
           needs=(
               "Des tournées optimisées sur les 14 agences.",
               "Le gazole et les heures supplémentaires des chauffeurs pèsent 40 % des coûts "
               "d'exploitation.",
               "Fils du fondateur, il veut moderniser l'entreprise familiale avant d'en prendre "
               "la direction.")),
    Person("champion", "Sandrine Faure", "Responsable de l'agence de Lyon", CHAMPION, MEDIUM,
           SUPPORTER, reports_to="sponsor", needs=(
               "Des tournées calculées en un quart d'heure au lieu de deux heures chaque soir.",
               "Les créneaux promis aux clients ne sont tenus qu'à 85 %.",
               "Lyon doit devenir l'agence modèle : sa promotion en dépend.")),
    Person("planner", "Karim Benali", "Chef d'exploitation, agence de Lyon", USER, MEDIUM,
           NEUTRAL, reports_to="champion", needs=(
               "Aucune ressaisie dans le TMS.",
               "Chaque ressaisie crée des erreurs de livraison qu'il doit rattraper le "
               "lendemain.",
               "Il ne veut pas que l'outil décide à la place de ses vingt ans de métier.")),
    vendor("helix_engineer", "Claire Dubois", "Ingénieure avant-vente, Helix"),
    vendor("helix_sales", "Julien Moreau", "Responsable de compte, Helix", INFLUENCER),
)
PILOT_NEW_CIO = Person(
    "cio", "Nicolas Garnier", "Directeur des systèmes d'information (arrivé en cours de pilote)",
    BLOCKER, HIGH, SKEPTIC, needs=(
        "Revoir le périmètre du pilote avant toute décision.",
        "Il hérite d'un ERP maison et d'un TMS vieillissant qu'il veut remplacer d'abord.",
        "Nouveau venu, il veut imposer ses propres choix plutôt que ceux de son prédécesseur."))

# (g) Northern Grid Power — a science project: nobody above the lab manager.
UTILITY_CHAIN = (
    Person("champion", "Dr. Emma Clarke", "Innovation Lab Manager", CHAMPION, MEDIUM, SUPPORTER,
           needs=(
               "A free sandbox to “try machine learning on transformer data”.",
               "The lab must show the board two AI use cases this year, and transformer data is "
               "the easiest to get.",
               "Her lab's budget renewal depends on visible pilots, not on a purchase.")),
    Person("data_scientist", "Oliver Hughes", "Data scientist, Innovation Lab", EVALUATOR, LOW,
           SUPPORTER, reports_to="champion", needs=(
               "Access to 18 months of dissolved-gas and load data.",
               "He wants to compare our models with his own notebooks.",
               "A conference paper would help his career.")),
    Person("ot_security", "Graham Fletcher", "Head of OT Security", BLOCKER, HIGH, SKEPTIC,
           account_wide=True, needs=(
               "No transformer data leaves the OT network.",
               "Every new vendor connection to critical national infrastructure must be "
               "assessed under the NIS regulations.",
               "He carries the blame for any breach.")),
    Person("asset_director", "Steven Marsh", "Asset Management Director", INFLUENCER, HIGH,
           NEUTRAL, account_wide=True,
           notes="Not briefed, not met. Owns the transformer fleet and the maintenance budget: "
                 "the executive sponsor this deal needs.",
           needs=("", "", "")),
    vendor("helix_engineer", "Claire Dubois", "Presales engineer, Helix Software & Services"),
)

# The utility's first sandbox, a year earlier: the same lab, nobody above it.
UTILITY_FIRST_CHAIN = (
    Person("champion", "Dr. Emma Clarke", "Innovation Lab Manager", CHAMPION, MEDIUM, SUPPORTER,
           needs=(
               "Show that the lab's feeder data can locate faults.",
               "Line crews spend hours patrolling feeders after each fault.",
               "A visible first AI pilot for the lab's annual review.")),
    Person("data_scientist", "Oliver Hughes", "Data scientist, Innovation Lab", EVALUATOR, LOW,
           SUPPORTER, reports_to="champion", needs=(
               "The 60 documented faults and their job sheets.",
               "He wants to check our results against the crews' records himself.",
               "A first project of his own in the lab.")),
)

# Extras: a Suzhou factory, a Chilean copper mine, a Lyon workwear maker.
FACTORY_CHAIN = (
    Person("sponsor", "张志强", "厂长", SPONSOR, HIGH, SUPPORTER, needs=(
        "两座厂房的高棚灯全部换成 LED。",
        "金卤灯耗电高、光衰快,冲压车间照度不足已引发两次质量投诉。",
        "集团今年给工厂下达了 15 % 的节能指标,完不成影响他的年度考核。")),
    Person("champion", "吴刚", "设备动力部经理", CHAMPION, MEDIUM, SUPPORTER,
           reports_to="sponsor", needs=(
               "灯具在冲压振动下不坏、维护少。",
               "12 米层高换一次灯要停线搭升降车。",
               "他不想再为半夜灭灯被叫回工厂。")),
    Person("safety", "黄涛", "安全环保主管", EVALUATOR, MEDIUM, SKEPTIC, reports_to="sponsor",
           needs=(
               "工作面照度 ≥ 300 lx,均匀度 ≥ 0.7。",
               "照度不足是车间安全检查的扣分项。",
               "出了安全事故他要担责。")),
    Person("procurement", "何静", "采购部经理", PROCUREMENT, MEDIUM, NEUTRAL,
           reports_to="sponsor", needs=(
               "按询价函比价,三家供应商报价。",
               "集团采购制度要求 50 万元以上项目公开询价。",
               "价格说得过去,流程挑不出毛病。")),
    vendor("helix_engineer", "王芳", "Helix 售前工程师"),
)

CONVEYOR_CHAIN = (
    Person("sponsor", "Carlos Muñoz", "Maintenance Director", SPONSOR, HIGH, SUPPORTER, needs=(
        "Warning before a belt rips, not after.",
        "Belt failures cost 14 hours of downtime last year on the overland conveyor.",
        "The board approved his reliability programme: it must show results this year.")),
    Person("champion", "Valentina Rojas", "Reliability Engineer", CHAMPION, MEDIUM, SUPPORTER,
           reports_to="sponsor", needs=(
               "Wear readings she can trust without climbing onto the belt.",
               "Manual ultrasonic checks cover 2 km a week out of 11 km.",
               "She wants the predictive-maintenance programme to be hers.")),
    Person("superintendent", "Jorge Fuentes", "Conveyor Superintendent", USER, MEDIUM, SKEPTIC,
           reports_to="sponsor", needs=(
               "Sensors that survive −10 °C nights at 3,800 m.",
               "Every previous sensor trial ended with frozen, broken kit.",
               "His crews do not want extra work for gadgets.")),
    Person("procurement", "Andrea Soto", "Contracts & Tenders Manager", PROCUREMENT, MEDIUM,
           NEUTRAL, needs=(
               "Bids that follow tender MC-07 to the letter.",
               "The mine's compliance office audits every tender.",
               "A clean award.")),
    vendor("helix_engineer", "Sam Okafor", "Presales engineer, Helix Heavy Equipment"),
)

WORKWEAR_CHAIN = (
    Person("sponsor", "Isabelle Durand", "Directrice générale", SPONSOR, HIGH, SUPPORTER,
           needs=(
               "Un second fournisseur de tissu ignifugé pour la nouvelle gamme EPI.",
               "Le fournisseur turc actuel a livré deux fois en retard cette année.",
               "Elle veut sécuriser la gamme qui doit porter la croissance de l'entreprise "
               "familiale.")),
    Person("buyer", "Marc Petit", "Directeur des achats", PROCUREMENT, HIGH, SKEPTIC,
           reports_to="sponsor", needs=(
               "Un prix au mètre aligné sur le fournisseur actuel.",
               "Les clients du BTP achètent au prix ; chaque centime compte.",
               "Il est jugé sur la marge brute de la gamme.")),
    Person("champion", "Hélène Roche", "Responsable R&D et qualité", CHAMPION, MEDIUM,
           SUPPORTER, reports_to="sponsor", needs=(
               "Un tissu certifié EN ISO 11612 après 50 lavages industriels.",
               "Les retours clients portent sur le retrait et la tenue au lavage.",
               "Elle signe les certificats de conformité des EPI.")),
    vendor("helix_sales", "Julien Moreau", "Responsable de compte, Helix Textiles", INFLUENCER),
)
