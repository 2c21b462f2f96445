"""The seven situations of SPEC §15, told through the services as the team would have lived them.

Each story writes its account, opportunity and POC in the language the customer uses, and walks
the POC through the lifecycle on the days it happened (see `clock.StoryClock`).
"""

from __future__ import annotations

from pocdesk.pocs.models import Status

from .cautionary_stories import (
    BUREAU_ACCOUNT,
    PILOT_ACCOUNT,
    UTILITY_ACCOUNT,
    credit_bureau,
    french_pilot_drift,
    utility_science_project,
)
from .proving_stories import (
    CRUSHER_ACCOUNT,
    FABRIC_ACCOUNT,
    LED_ACCOUNT,
    RETAIL_ACCOUNT,
    adaptive_crusher,
    led_heritage_building,
    quick_dry_fabric,
    smart_customer_service,
)
from .story import Story

SEVEN_STORIES: tuple[Story, ...] = (
    Story("led_heritage_building", "LED luminaires on a heritage building's 1920s BMS",
          LED_ACCOUNT, Status.CLOSED, "en", led_heritage_building),
    Story("adaptive_crusher", "Adaptive rock crusher, a month in a humid, dusty mine",
          CRUSHER_ACCOUNT, Status.EVALUATING, "en", adaptive_crusher),
    Story("quick_dry_fabric", "Quick-dry antibacterial fabric: won after a partial result",
          FABRIC_ACCOUNT, Status.CLOSED, "en", quick_dry_fabric),
    Story("smart_customer_service", "Smart customer service for a retail chain",
          RETAIL_ACCOUNT, Status.AGREED, "zh-hans", smart_customer_service),
    Story("credit_bureau", "Credit bureau that never buys: walked away",
          BUREAU_ACCOUNT, Status.WALKED_AWAY, "en", credit_bureau),
    Story("french_pilot_drift", "French pilot client: 3 months drifted to 12",
          PILOT_ACCOUNT, Status.PAUSED, "fr", french_pilot_drift),
    Story("utility_science_project", "Utility science project without a sponsor",
          UTILITY_ACCOUNT, Status.DRAFT, "en", utility_science_project),
)
