#!/usr/bin/env python3
"""Writes the bundled demo data under scripts/sample-data/ (deterministic; the outputs are committed).

One fictional tenant (contoso) from Oct 2025 to Nov 2026, in every input format the tool reads, telling one story:
approved backup / archive / e-discovery / lawful-monitoring accounts in various states of their approvals, an
attacker (helpdesk-temp) who fails twice and then exempts j.doe from auditing and trims its audit actions, a
two-day hole in the October logs, and a snapshot that shows a bypass no log explains (svc-scanner).
Run: python3 scripts/make-sample-data.py
"""
import csv
import gzip
import io
import json
import os
import random
import uuid
from datetime import datetime, timedelta, timezone

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sample-data")
TENANT = "4a2f6c1e-8b3d-4e5f-9a0b-1c2d3e4f5a6b"
ORG_NAME = "contoso.onmicrosoft.com"
CANONICAL = "EURPR01A002.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com/"
rng = random.Random(20261129)


def uid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def ts(dt):
    # Management API style: no zone, 7-digit fraction sometimes absent.
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


def exchange_admin(dt, operation, user, params, ok=True, object_id=None, ip=None):
    record = {
        "CreationTime": ts(dt),
        "Id": uid(),
        "Operation": operation,
        "OrganizationId": TENANT,
        "RecordType": 1,
        "ResultStatus": "True" if ok else "False",
        "UserKey": "1003200" + str(rng.randint(100000000, 999999999)),
        "UserType": 2,
        "Version": 1,
        "Workload": "Exchange",
        "ObjectId": object_id or "",
        "UserId": user,
        "AppId": "",
        "ClientAppId": "",
        "ExternalAccess": False,
        "OrganizationName": ORG_NAME,
        "OriginatingServer": "AM6PR01MB1234 (15.20.7000.012)",
        "Parameters": [{"Name": n, "Value": v} for n, v in params],
        "SessionId": uid(),
    }
    if ip:
        record["ClientIP"] = ip
    return record


def bypass(dt, user, identity, enabled, ok=True, ip="198.51.100.10:50211", object_id=None, confirm=False):
    params = [("Identity", identity), ("AuditBypassEnabled", "True" if enabled else "False")]
    if confirm:  # -Confirm shifts the order: readers must look parameters up by name.
        params.insert(0, ("Confirm", "False"))
    return exchange_admin(dt, "Set-MailboxAuditBypassAssociation", user, params, ok,
                          object_id if object_id is not None else CANONICAL + identity.split("@")[0], ip)


USERS = ["a.smith@contoso.com", "b.jones@contoso.com", "c.wu@contoso.com", "d.khan@contoso.com",
         "e.garcia@contoso.com", "f.muller@contoso.com", "j.doe@contoso.com"]


def noise(dt):
    kind = rng.random()
    user = rng.choice(USERS)
    if kind < 0.35:
        return {"CreationTime": ts(dt), "Id": uid(), "Operation": "MailItemsAccessed", "OrganizationId": TENANT,
                "RecordType": 50, "ResultStatus": "Succeeded", "UserKey": uid(), "UserType": 0, "Version": 1,
                "Workload": "Exchange", "UserId": user, "ClientIPAddress": "192.0.2.%d" % rng.randint(2, 250),
                "MailboxOwnerUPN": user, "LogonType": 0,
                "OperationProperties": [{"Name": "MailAccessType", "Value": "Bind"}]}
    if kind < 0.6:
        return {"CreationTime": ts(dt), "Id": uid(), "Operation": "UserLoggedIn", "OrganizationId": TENANT,
                "RecordType": 15, "ResultStatus": "Success", "UserKey": uid(), "UserType": 0, "Version": 1,
                "Workload": "AzureActiveDirectory", "ClientIP": "203.0.113.%d" % rng.randint(2, 250),
                "ObjectId": "00000002-0000-0ff1-ce00-000000000000", "UserId": user,
                "AzureActiveDirectoryEventType": 1}
    if kind < 0.8:
        return {"CreationTime": ts(dt), "Id": uid(), "Operation": "FileAccessed", "OrganizationId": TENANT,
                "RecordType": 6, "UserKey": uid(), "UserType": 0, "Version": 1, "Workload": "SharePoint",
                "ClientIP": "192.0.2.%d" % rng.randint(2, 250), "ObjectId":
                "https://contoso.sharepoint.com/sites/finance/Shared Documents/q%d.xlsx" % rng.randint(1, 4),
                "UserId": user, "SourceFileName": "q1.xlsx"}
    if kind < 0.93:
        # Set-Mailbox noise that does not touch auditing: keeps the prefilter honest.
        return exchange_admin(dt, "Set-Mailbox", "exo-admin@contoso.com",
                              [("Identity", user), ("ProhibitSendQuota", "49 GB (52,613,349,376 bytes)")],
                              object_id=CANONICAL + user.split("@")[0])
    return exchange_admin(dt, "Add-MailboxPermission", "exo-admin@contoso.com",
                          [("Identity", rng.choice(USERS)), ("User", rng.choice(USERS)), ("AccessRights", "FullAccess")],
                          object_id=CANONICAL + "shared-finance")


def day_noise(day, count):
    start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    return [noise(start + timedelta(seconds=rng.randint(0, 86399))) for _ in range(count)]


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def days(first, last):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def write_ndjson(path, records, compress=False):
    text = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records)
    if compress:
        with open(path, "wb") as f:
            # mtime fixed so the file is byte-identical on every run.
            with gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as gz:
                gz.write(text.encode())
    else:
        with open(path, "w", newline="\n") as f:
            f.write(text)


def ecs_dotted(record):
    """Filebeat o365 module output, flattened keys, for the November file."""
    doc = {
        "@timestamp": record["CreationTime"] + ".000Z",
        "event.dataset": "o365.audit", "event.module": "o365", "event.kind": "event",
        "event.id": record["Id"], "event.action": record["Operation"], "event.provider": record["Workload"],
        "event.code": {1: "ExchangeAdmin", 15: "AzureActiveDirectoryStsLogon", 6: "SharePointFileOperation",
                       50: "ExchangeItemAggregated"}[record["RecordType"]],
        "event.outcome": "failure" if record.get("ResultStatus") in ("False", "Failed") else "success",
        "organization.id": TENANT, "user.id": record["UserId"], "fileset.name": "audit", "input.type": "o365audit",
    }
    ip = record.get("ClientIP") or record.get("ClientIPAddress")
    if ip:
        host = ip.rsplit(":", 1)[0] if ip.count(":") == 1 else ip
        doc["client.ip"] = host
        doc["source.ip"] = host
    for key, value in record.items():
        if key == "Parameters":
            for p in value:
                doc["o365.audit.Parameters." + p["Name"]] = p["Value"]
        elif key == "OperationProperties":
            continue
        else:
            doc["o365.audit." + key] = value
    return doc


def main():
    os.makedirs(os.path.join(HERE, "logs"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "snapshots"), exist_ok=True)

    # 1. An older Purview audit search export (new header form), with the approvals' original bypass changes.
    older = [
        bypass(utc(2025, 10, 2, 9, 15, 3), "exo-admin@contoso.com", "svc-archive@contoso.com", True),
        bypass(utc(2025, 11, 2, 10, 2, 44), "exo-admin@contoso.com", "svc-oldtool@contoso.com", True),
        bypass(utc(2026, 1, 20, 8, 30, 12), "exo-admin@contoso.com", "svc-backup@contoso.com", True,
               object_id="7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6"),
        bypass(utc(2026, 2, 2, 14, 45, 0), "exo-admin@contoso.com", "svc-ediscovery@contoso.com", True, confirm=True),
        bypass(utc(2026, 6, 2, 16, 5, 31), "exo-admin@contoso.com", "legal-monitor@contoso.com", True),
    ]
    for d in [utc(2025, 10, 2), utc(2025, 11, 2), utc(2026, 1, 20), utc(2026, 2, 2), utc(2026, 6, 2)]:
        older += day_noise(d, 6)
    older.sort(key=lambda r: r["CreationTime"], reverse=True)  # Purview lists newest first
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["RecordId", "CreationDate", "RecordType", "Operation", "UserId", "AuditData",
                     "AssociatedAdminUnits", "AssociatedAdminUnitsNames"])
    for r in older:
        record_type = {1: "ExchangeAdmin", 15: "AzureActiveDirectoryStsLogon", 6: "SharePointFileOperation",
                       50: "ExchangeItemAggregated"}[r["RecordType"]]
        writer.writerow([r["Id"], r["CreationTime"] + ".0000000Z", record_type, r["Operation"], r["UserId"],
                         json.dumps(r, separators=(",", ":")), "", ""])
    with open(os.path.join(HERE, "logs", "purview-audit-export-2025-10-to-2026-06.csv"), "w", encoding="utf-8-sig",
              newline="") as f:
        f.write(buf.getvalue())

    # 2. September 2026, raw Management API records, gzip. svc-oldtool's bypass is removed (its entry goes stale).
    september = []
    for d in days(utc(2026, 9, 15), utc(2026, 9, 30)):
        september += day_noise(d, 40)
    september.append(bypass(utc(2026, 9, 10, 11, 0, 0) + timedelta(days=6), "exo-admin@contoso.com",
                            "svc-oldtool@contoso.com", False))
    september.sort(key=lambda r: r["CreationTime"])
    write_ndjson(os.path.join(HERE, "logs", "o365-management-api-2026-09.ndjson.gz"), september, compress=True)

    # 3. October 2026, raw Management API records, plain NDJSON, with no data on Oct 18-19 (collector outage).
    october = []
    for d in days(utc(2026, 10, 1), utc(2026, 10, 31)):
        if d.day in (18, 19):
            continue
        october += day_noise(d, 40)
    october += [
        # Backup maintenance: removed and re-enabled the same morning by the authorized admin.
        bypass(utc(2026, 10, 5, 7, 10, 0), "exo-admin@contoso.com", "svc-backup", False,
               object_id="7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6"),
        bypass(utc(2026, 10, 5, 7, 55, 0), "exo-admin@contoso.com", "svc-backup", True,
               object_id="7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6"),
        # The attack: two failed tries, then success, then trimming the target's audit actions.
        bypass(utc(2026, 10, 21, 3, 12, 9), "helpdesk-temp@contoso.com", "jdoe", True, ok=False,
               ip="[2001:db8::66]:51234"),
        bypass(utc(2026, 10, 21, 3, 13, 40), "helpdesk-temp@contoso.com", "j.doe@contoso.com", True, ok=False,
               ip="[2001:db8::66]:51240"),
        bypass(utc(2026, 10, 21, 3, 14, 7), "helpdesk-temp@contoso.com", "j.doe@contoso.com", True,
               ip="[2001:db8::66]:51244"),
        exchange_admin(utc(2026, 10, 21, 3, 20, 55), "Set-Mailbox", "helpdesk-temp@contoso.com",
                       [("Identity", "j.doe@contoso.com"),
                        ("AuditOwner", "Update,MoveToDeletedItems,SoftDelete,HardDelete")],
                       object_id=CANONICAL + "j.doe", ip="[2001:db8::66]:51251"),
    ]
    october.sort(key=lambda r: r["CreationTime"])
    write_ndjson(os.path.join(HERE, "logs", "o365-management-api-2026-10.ndjson"), october)

    # 4. November 2026 as Filebeat wrote it (flattened ECS): the remediation of j.doe.
    november = []
    for d in days(utc(2026, 11, 1), utc(2026, 11, 28)):
        november += day_noise(d, 25)
    november.append(bypass(utc(2026, 11, 3, 9, 30, 0), "exo-admin@contoso.com", "j.doe@contoso.com", False))
    november.sort(key=lambda r: r["CreationTime"])
    with open(os.path.join(HERE, "logs", "filebeat-o365-2026-11.ndjson"), "w") as f:
        for r in november:
            f.write(json.dumps(ecs_dotted(r), separators=(",", ":")) + "\n")

    # 5. Snapshots of Get-MailboxAuditBypassAssociation.
    def row(name, enabled, guid):
        dn = "CN=%s,OU=contoso.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=EURPR01A002,DC=PROD,DC=OUTLOOK,DC=COM" % name
        return {"RunspaceId": "b1946c2e-0c52-4bc0-9a39-2e6bb9a4f1a0", "AuditBypassEnabled": enabled,
                "AdminDisplayName": "", "ExchangeVersion": "0.10 (14.0.100.0)", "Name": name,
                "DistinguishedName": dn, "Identity": CANONICAL + name, "Guid": guid,
                "ObjectCategory": "EURPR01A002.PROD.OUTLOOK.COM/Configuration/Schema/ms-Exch-Mailbox-Audit-Bypass-Association",
                "ObjectClass": "msExchMailboxAuditBypassAssociation",
                "WhenChangedUTC": "", "WhenCreatedUTC": "", "ExchangeObjectId": guid,
                "OrganizationId": "EURPR01A002.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com",
                "Id": CANONICAL + name, "OriginatingServer": "AM6PR01A002DC03.EURPR01A002.PROD.OUTLOOK.COM",
                "IsValid": True, "ObjectState": "Unchanged"}

    accounts = {
        "svc-backup": "7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6",
        "svc-archive": "0d6e1f2a-3b4c-4d5e-8f60-7a8b9c0d1e2f",
        "legal-monitor": "2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091",
        "svc-ediscovery": "3c4d5e6f-7081-4923-8b4c-5d6e7f809102",
        "svc-oldtool": "4d5e6f70-8192-4a34-9c5d-6e7f80910213",
        "j.doe": "5e6f7081-92a3-4b45-8d6e-7f8091021324",
        "svc-scanner": "6f708192-a3b4-4c56-9e7f-809102132435",
        "a.smith": "708192a3-b4c5-4d67-8f80-910213243546",
    }
    # End of September, full export as JSON (ConvertTo-Json): every mailbox, True and False.
    september_rows = []
    for name, guid in accounts.items():
        enabled = name in ("svc-backup", "svc-archive", "legal-monitor", "svc-ediscovery", "svc-scanner")
        september_rows.append(row(name, enabled, guid))
    with open(os.path.join(HERE, "snapshots", "bypass-associations-2026-09-30.json"), "w") as f:
        json.dump(september_rows, f, indent=2)
    # End of October, filtered export (| Where AuditBypassEnabled) as Export-Csv with the #TYPE line.
    october_rows = [row(n, True, g) for n, g in accounts.items()
                    if n in ("svc-backup", "svc-archive", "legal-monitor", "svc-ediscovery", "svc-scanner", "j.doe")]
    buf = io.StringIO()
    buf.write("#TYPE Deserialized.Microsoft.Exchange.Data.Directory.Management.MailboxAuditBypassAssociation\r\n")
    fields = list(october_rows[0].keys())
    writer = csv.DictWriter(buf, fieldnames=fields, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writeheader()
    for r in october_rows:
        writer.writerow({k: ("True" if v is True else "False" if v is False else v) for k, v in r.items()})
    with open(os.path.join(HERE, "snapshots", "bypass-associations-2026-10-31.csv"), "w", newline="") as f:
        f.write(buf.getvalue())


if __name__ == "__main__":
    main()
