"""Export a case's service plan through the Kinplan API: as JSON (Kinplan's own), FHIR R4 or a spreadsheet.

    KINPLAN_URL=http://127.0.0.1:8000 KINPLAN_TOKEN=kp_... python3 export_plan.py CASE_ID [--as json|fhir|csv|xlsx]

Writes plan-<case>.<ext> and prints its name. Needs only Python's standard library; a read-only token is enough.
"""

from __future__ import annotations

import argparse
import os
import urllib.request

PATHS = {
    "json": ("/cases/{case}/plan", "json"),
    "fhir": ("/cases/{case}/plan/fhir", "fhir.json"),
    "csv": ("/cases/{case}/plan/export?format=csv", "csv"),
    "xlsx": ("/cases/{case}/plan/export?format=xlsx", "xlsx"),
}


def download(case: int, kind: str) -> str:
    path, extension = PATHS[kind]
    request = urllib.request.Request(
        f"{os.environ['KINPLAN_URL'].rstrip('/')}/api/v1{path.format(case=case)}",
        headers={"Authorization": f"Bearer {os.environ['KINPLAN_TOKEN']}"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
    name = f"plan-{case}.{extension}"
    with open(name, "wb") as out:
        out.write(body)
    return name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", type=int, help="the case's id (in its address: /cases/<id>/)")
    parser.add_argument("--as", dest="kind", choices=sorted(PATHS), default="json")
    args = parser.parse_args()
    print(download(args.case, args.kind))


if __name__ == "__main__":
    main()
