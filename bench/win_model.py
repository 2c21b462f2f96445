"""Win-probability model: training on 100,000 closed deals and scoring 100,000 open ones.

Synthetic deals with a known probability (ten categorical attributes of 3 to 60 levels, five
numbers, one of them a skewed amount), so the bench also prints how close the learned
probability comes to the true one. Run: .venv/bin/python bench/win_model.py [--deals N]
"""

import argparse
import os
import sys
import time

import django

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pocdesk.settings.test")
django.setup()

from pocdesk.insights.learning.choose import train  # noqa: E402
from pocdesk.insights.learning.synthetic import synthetic_deals  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=100_000)
    arguments = parser.parse_args()
    closed, truth_closed = synthetic_deals(arguments.deals, seed=1)
    open_deals, truth_open = synthetic_deals(arguments.deals, seed=2)
    started = time.perf_counter()
    model = train(closed)
    trained = time.perf_counter() - started
    started = time.perf_counter()
    probabilities = model.predict(open_deals)
    scored = time.perf_counter() - started
    started = time.perf_counter()
    model.explain(open_deals.subset(range(100)))
    explained = time.perf_counter() - started
    error = abs(probabilities - truth_open).mean()
    print(f"training on {len(closed):,} closed deals: {trained:.2f} s "
          f"(estimator {model.key}; out-of-fold Brier {model.scores})")
    print(f"scoring {len(open_deals):,} open deals: {scored:.2f} s")
    print(f"factors of 100 deals: {explained:.2f} s")
    print(f"mean |learned − true probability|: {error:.3f}")


if __name__ == "__main__":
    main()
