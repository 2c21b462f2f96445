"""The demo company's people. Usernames are listed here so production can refuse them.

Plain data without model imports: the production check imports `DEMO_USERNAMES`.
"""

from __future__ import annotations

from dataclasses import dataclass

ADMIN = "admin"
MANAGER = "manager"
PRESALES_ENGINEER = "presales_engineer"
ACCOUNT_EXECUTIVE = "account_executive"


@dataclass(frozen=True)
class DemoTeam:
    slug: str
    name: str
    reporting_currency: str
    description: str


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    display_name: str
    role: str  # ADMIN (staff, no team) or a people.Role value held in every team listed
    teams: tuple[str, ...]
    language: str
    time_zone: str

    @property
    def email(self) -> str:
        return f"{self.username}@helix-industrial.example"


COMPANY_NAME = "Helix Industrial Solutions"

DEMO_TEAMS: tuple[DemoTeam, ...] = (
    DemoTeam("lighting-buildings", "Lighting & Buildings", "EUR",
             "Architectural LED luminaires and building controls, sold from Shenzhen to Europe."),
    DemoTeam("heavy-equipment", "Heavy Equipment", "USD",
             "Crushers, screens and conveyors for mines and quarries."),
    DemoTeam("textiles", "Textiles", "USD",
             "Performance fabrics for sportswear and workwear brands."),
    DemoTeam("software", "Software & Services", "CNY",
             "Customer-service AI, API infrastructure and planning software."),
)

ALL_TEAMS = tuple(team.slug for team in DEMO_TEAMS)

DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("admin", "Alex", "Morgan", "Alex Morgan", ADMIN, (), "en", "UTC"),
    DemoPerson("manager", "Daniel", "Becker", "Daniel Becker", MANAGER, ALL_TEAMS, "en",
               "Europe/Berlin"),
    DemoPerson("engineer", "Sam", "Okafor", "Sam Okafor", PRESALES_ENGINEER,
               ("lighting-buildings", "heavy-equipment", "textiles"), "en", "Asia/Singapore"),
    DemoPerson("sales", "Olivia", "Grant", "Olivia Grant", ACCOUNT_EXECUTIVE,
               ("heavy-equipment", "textiles", "software"), "en", "America/New_York"),
    DemoPerson("wang.fang", "芳", "王", "王芳", PRESALES_ENGINEER,
               ("lighting-buildings", "software"), "zh-hans", "Asia/Shanghai"),
    DemoPerson("li.wei", "伟", "李", "李伟", ACCOUNT_EXECUTIVE,
               ("lighting-buildings", "textiles", "software"), "zh-hans", "Asia/Shanghai"),
    DemoPerson("claire.dubois", "Claire", "Dubois", "Claire Dubois", PRESALES_ENGINEER,
               ("software",), "fr", "Europe/Paris"),
    DemoPerson("julien.moreau", "Julien", "Moreau", "Julien Moreau", ACCOUNT_EXECUTIVE,
               ("software", "textiles"), "fr", "Europe/Paris"),
)

DEMO_USERNAMES: tuple[str, ...] = tuple(person.username for person in DEMO_PEOPLE)
