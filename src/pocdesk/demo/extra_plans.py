"""The plans of the three extra deals: the Suzhou factory's high-bay lighting, the Chilean
conveyor (criteria version 1 awaiting the mine's signature) and the French workwear fabric."""

from __future__ import annotations

from .plans import AgreementPlan, Cost, Resource, measured, pass_fail
from .story import day, year

FACTORY_CRITERIA = (
    measured(
        "工作面平均照度 ≥ 300 lx", metric="工作面平均照度", unit="lx", comparator="gte",
        target="300", aggregation="mean", question="冲压工位的照度是否满足安全生产要求?",
        conditions="冲压车间 0.75 米高工作面,按 GB/T 5700 布置 48 个测点,夜班无天然光",
        method="经计量校准的照度计逐点测量(GB/T 5700)",
        frequency="安装后首周一次,之后每两周一次", importance=5, must_have=True),
    measured(
        "照度均匀度 ≥ 0.7", metric="照度均匀度(最小照度 ÷ 平均照度)", unit="U0",
        comparator="gte", target="0.7", aggregation="min",
        conditions="与平均照度相同的 48 个测点", method="由同一组照度读数计算",
        frequency="安装后首周一次,之后每两周一次", importance=4, must_have=True),
    measured(
        "比现有金卤灯节电 ≥ 55 %", metric="节电率", unit="%", comparator="gte", target="55",
        aggregation="latest", question="节能改造的投资回收期能否控制在两年以内?",
        conditions="同一照明回路,4 周正常生产班次,与改造前 4 周的金卤灯读数对比",
        method="照明回路独立电表,由设备动力部抄表", frequency="每日抄表,4 周后计算",
        owner="customer", importance=5, must_have=True),
    pass_fail(
        "冲压振动环境下连续运行 30 天无故障",
        passes="30 天内 40 盏灯无熄灭、无闪烁、无驱动电源故障",
        conditions="800 吨冲压机旁,振动加速度最高 3 g,车间温度 5–38 °C",
        method="班组每日巡检记录,并与照明控制器的故障日志核对", frequency="每日巡检",
        owner="customer", importance=4, must_have=True),
    measured(
        "色温 4000–5000 K", metric="相关色温", unit="K", comparator="between", low="4000",
        high="5000", aggregation="mean", conditions="工作面测点,灯具全功率点亮 30 分钟后",
        method="光谱照度计测量", frequency="安装后一次", importance=2),
)


def factory_agreement() -> AgreementPlan:
    return AgreementPlan(
        start=-40, end=20,
        clauses={
            "scope_included": (
                "二号厂房冲压车间 40 盏 LED 高棚灯(150 W、IP65、防振支架)的供货和安装指导;照明回路"
                "独立电表;成功标准所列照度、均匀度、节电和可靠性指标的测量。"),
            "scope_excluded": "一号厂房和办公区;智能照明控制系统;配电线路改造;高空作业车(客户提供)。",
            "follow_on_kind": "priority",
            "follow_on": (
                f"若全部必达指标达成,客户按询价函 HR-RFQ-{year()}-112 对两座厂房 1,800 盏灯比价时,"
                "优先与我方议价。"),
            "nda_reference": f"HR-NDA-{year()}-031",
        },
        resources=(
            Resource("environment", "冲压车间夜班停线窗口两次(每次 8 小时),用于安装", -42,
                     ("ready", 41)),
            Resource("equipment", "高空作业车一台及持证电工两名", -42, ("ready", 41)),
            Resource("data", "改造前 4 周金卤灯照明回路的电表读数", -41, ("ready", 41)),
        ),
        costs=(
            Cost("materials", "40 盏 LED 高棚灯样灯", "56000.00", "CNY", "vendor"),
            Cost("materials", "照明回路独立电表及安装", "2400.00", "CNY", "vendor"),
            Cost("labour", "安装人工(客户电工)", "8000.00", "CNY", "customer"),
            Cost("travel", "工程师现场指导差旅", "3500.00", "CNY", "vendor"),
        ),
    )


CONVEYOR_CRITERIA = (
    measured(
        "Cover wear within ± 0.5 mm of the ultrasonic checks",
        metric="difference between the sensor's cover thickness and the manual ultrasonic "
               "reading", unit="mm", comparator="eq", target="0", tolerance="0.5",
        aggregation="share_passing", share="95",
        question="Can the mine stop the manual thickness rounds?",
        conditions="2 km of conveyor CV-04, 40 reference points marked on the belt, belt stopped "
                   "for the manual check",
        method=("Manual ultrasonic thickness gauge (Olympus 38DL PLUS) by the reliability "
                "engineer, compared with the sensor's reading at the same point and hour"),
        frequency="Weekly, at the 40 reference points", owner="customer", importance=5,
        must_have=True),
    measured(
        "Warning at least 72 h before a rip or splice failure",
        metric="lead time of the first warning before a rip or splice failure", unit="h",
        comparator="gte", target="72", aggregation="min",
        question="Do the sensors give the maintenance team time to plan the repair?",
        conditions="Every rip, splice failure or emergency belt repair on CV-04 during the "
                   "8 weeks",
        method="Time between the first sensor alarm and the failure recorded in the mine's "
               "maintenance system",
        frequency="At every event", importance=5, must_have=True),
    pass_fail(
        "No sensor dropout longer than 10 minutes at −10 °C",
        passes="No sensor stops reporting for more than 10 minutes during the 8 weeks",
        conditions="3,800 m altitude, nights down to −10 °C, belt speed 5.2 m/s",
        method="Heartbeat log of the sensor gateway", frequency="Continuous", importance=3),
    measured(
        "Data availability ≥ 98 %", metric="share of the expected readings received",
        unit="%", comparator="gte", target="98", aggregation="mean",
        method="Readings received ÷ readings expected, from the gateway's database",
        frequency="Daily", importance=3),
)


def conveyor_agreement() -> AgreementPlan:
    """Still being negotiated: started, not yet submitted."""
    return AgreementPlan(
        start=10, end=66,
        clauses={
            "scope_included": (
                "Wear sensors and their gateway on 2 km of conveyor CV-04; 8 weeks of "
                "monitoring; weekly comparison with the manual ultrasonic checks; the warnings "
                "of the success criteria."),
            "scope_excluded": (
                "The other 9 km of the overland conveyor; integration with the mine's CMMS; "
                "belt repairs."),
            "follow_on_kind": "priority",
            "follow_on": (
                f"If every must-have criterion is met, the mine awards tender MC-{year()}-07 for "
                "the 11 km of overland conveyor to Helix, subject to the board's approval."),
            "nda_reference": f"MC-NDA-{year()}-19",
        },
        resources=(
            Resource("environment", "Access to CV-04 during the weekly maintenance stop", 7),
            Resource("people", "Reliability engineer for the weekly ultrasonic checks", 10),
        ),
        costs=(
            Cost("materials", "Sensors and gateway for 2 km of belt", "68000.00", "USD",
                 "vendor"),
            Cost("labour", "Installation, access and belt stops (the mine's 30 % share of the "
                           "trial)", "29000.00", "USD", "customer"),
        ),
    )


WORKWEAR_CRITERIA = (
    pass_fail(
        "Conformité EN ISO 11612 (A1, B1, C1) après 50 lavages à 75 °C",
        passes="Le laboratoire accrédité déclare le tissu conforme aux codes A1, B1 et C1 de la "
               "norme EN ISO 11612",
        question="Le tissu protège-t-il toujours après une vie de lavages industriels ?",
        conditions="50 lavages industriels à 75 °C selon ISO 15797, séchage en tunnel",
        method="Rapport d'essai d'un laboratoire accrédité COFRAC",
        frequency="Une fois, après 50 lavages", owner="customer", importance=5, must_have=True),
    measured(
        "Retrait ≤ 3 % après 50 lavages", metric="retrait dimensionnel", unit="%",
        comparator="lte", target="3", aggregation="max",
        conditions="ISO 15797, 75 °C, 50 cycles",
        method="ISO 5077 : repères mesurés avant et après lavage, chaîne et trame, trois "
               "éprouvettes",
        frequency="Après 5, 25 et 50 lavages", owner="customer", importance=4, must_have=True),
    measured(
        "Résistance à la traction ≥ 800 N", metric="force de rupture", unit="N",
        comparator="gte", target="800", aggregation="min",
        conditions="Après 50 lavages, chaîne et trame",
        method="ISO 13934-1 (méthode de la bande), cinq éprouvettes par sens",
        frequency="Une fois, après 50 lavages", owner="customer", importance=4, must_have=True),
    measured(
        "Grammage 260 g/m² ± 13 g/m²", metric="masse surfacique", unit="g/m²", comparator="eq",
        target="260", tolerance="13", aggregation="mean",
        conditions="Tissu à réception, avant lavage, conditionné 24 h à 20 °C et 65 % HR",
        method="ISO 3801, cinq prélèvements par rouleau", frequency="Chaque rouleau livré",
        importance=2),
)


def workwear_agreement() -> AgreementPlan:
    return AgreementPlan(
        start=-240, end=-200,
        clauses={
            "scope_included": (
                "Fourniture de 120 m de tissu HelixGuard 260 g/m² ; essais en laboratoire "
                "accrédité selon les critères de réussite ; un rapport d'essai complet."),
            "scope_excluded": (
                "Confection des vêtements ; essais d'arc électrique (IEC 61482) ; certification "
                "du vêtement fini ; prix de série."),
            "follow_on_kind": "right_of_first_refusal",
            "follow_on": (
                "Si le tissu satisfait tous les critères obligatoires, Durand Vêtements "
                "Techniques accorde à Helix un droit de premier refus sur les 180 000 m de "
                f"l'appel d'offres DVT-AO-{day(-255).year}-04 : Helix peut s'aligner sur la "
                "meilleure offre reçue."),
            "nda_reference": f"Accord de confidentialité DVT-{day(-255).year}-11",
        },
        resources=(
            Resource("environment", "Créneau au laboratoire accrédité retenu par le client",
                     -242, ("ready", 243)),
        ),
        costs=(
            Cost("materials", "120 m de tissu HelixGuard", "2640.00", "EUR", "vendor"),
            Cost("other", "Essais en laboratoire accrédité (EN ISO 11612, ISO 15797, "
                          "ISO 13934-1)", "7800.00", "EUR", "shared"),
            Cost("logistics", "Transport des échantillons", "420.00", "EUR", "vendor"),
        ),
    )
