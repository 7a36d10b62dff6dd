"""Write import files with many users, to time `licgraph import` (prints paths, asserts nothing).

python bench/import_bench.py --users 1000000 --customers 10 --out /tmp/import-1m
time licgraph import /tmp/import-1m/*.csv
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

LOCATIONS = ("US", "GB", "DE", "FR", "IN", "JP", "BR", "CA", "AU", "NL", "")


def write(out: Path, *, customers: int, users: int) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "customers.csv", out / "entitlements.csv", out / "users.csv"]
    with paths[0].open("w", newline="", encoding="utf-8") as file:
        rows = csv.writer(file)
        rows.writerow(["customer_key", "name", "domain"])
        rows.writerows(
            [f"bench-{c}", f"Bench Tenant {c}", f"bench{c}.example.com"] for c in range(customers)
        )
    with paths[1].open("w", newline="", encoding="utf-8") as file:
        rows = csv.writer(file)
        rows.writerow(["customer_key", "sku_part_number", "name", "total_licenses"])
        rows.writerows([f"bench-{c}", "SPE_E3", "Microsoft 365 E3", 1000] for c in range(customers))
    with paths[2].open("w", newline="", encoding="utf-8") as file:
        rows = csv.writer(file)
        rows.writerow(
            ["customer_key", "user_key", "display_name", "user_principal_name", "usage_location"]
        )
        for i in range(users):
            c = i % customers
            rows.writerow(
                [
                    f"bench-{c}",
                    f"u{i}",
                    f"User {i:07d}",
                    f"user{i}@bench{c}.example.com",
                    LOCATIONS[i % len(LOCATIONS)],
                ]
            )
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path("bench-import"))
    args = parser.parse_args()
    for path in write(args.out, customers=args.customers, users=args.users):
        print(path)


if __name__ == "__main__":
    main()
