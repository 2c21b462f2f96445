"""The demo company's people. Usernames are listed here so production can refuse them."""

DEMO_USERNAMES = ("admin", "manager", "engineer", "sales")
