#!/usr/bin/env python3
"""Writes the Reading stage's fixtures (hand-designed records, not real tenant data).

Run from this folder: python3 make-fixtures.py. The output is committed; gzip variants are made by the tests at
run time. Every record is invented; addresses come from documentation ranges (RFC 5737 / RFC 3849).
"""
import csv
import io
import json

TENANT = "3F8A2C4E-1B2D-4C5E-9F00-AABBCCDDEEFF"  # upper case on purpose: organization.id must come out lower case


def record(id, time, operation, params, user="admin@contoso.onmicrosoft.com", status="True", client=None,
           record_type=1, user_type=2, workload="Exchange", **extra):
    r = {"CreationTime": time, "Id": id, "Operation": operation, "OrganizationId": TENANT,
         "RecordType": record_type, "UserKey": "10032001A1B2C3D4", "UserType": user_type, "Version": 1,
         "Workload": workload, "ObjectId": "", "UserId": user}
    if status is not None:
        r["ResultStatus"] = status
    if client is not None:
        r["ClientIP"] = client
    if params is not None:
        r["Parameters"] = params
    r.update(extra)
    return r


def nv(*pairs):
    return [{"Name": n, "Value": v} for n, v in pairs]


API = [
    # 1: bypass enabled, 7-digit fraction, no zone, IPv6 in brackets with a port.
    record("a0000001-0000-4000-8000-000000000001", "2026-11-21T10:44:18.1234567", "Set-MailboxAuditBypassAssociation",
           nv(("Identity", "svc-backup@contoso.com"), ("AuditBypassEnabled", "True")),
           client="[2001:db8::5]:51234", OrganizationName="contoso.onmicrosoft.com",
           OriginatingServer="AM0PR01MB1234 (192.0.2.10)\r\n"),
    # 2: bypass removed; -Confirm first so the parameter order differs; IPv4 with a port.
    record("a0000001-0000-4000-8000-000000000002", "2026-11-22T08:00:00", "Set-MailboxAuditBypassAssociation",
           nv(("Confirm", "False"), ("AuditBypassEnabled", "False"), ("Identity", "svc-backup@contoso.com")),
           status="Succeeded", client="203.0.113.7:443"),
    # 3: Parameters as one PowerShell string; RecordType/UserType as strings; IPv4-mapped IPv6.
    record("a0000001-0000-4000-8000-000000000003", "2026-11-23T23:59:59.9999999Z", "Set-MailboxAuditBypassAssociation",
           '-Identity "svc backup@contoso.com" -AuditBypassEnabled:$true -Confirm:$false',
           record_type="1", user_type="2", client="::ffff:198.51.100.23"),
    # 4: a failed attempt.
    record("a0000001-0000-4000-8000-000000000004", "2026-11-24T12:00:00", "Set-MailboxAuditBypassAssociation",
           nv(("Identity", "intruder@contoso.com"), ("AuditBypassEnabled", "True")), status="Failed",
           client="198.51.100.9"),
    # 5: an ordinary Set-Mailbox with forwarding (what a rule-like prefilter group looks for); a null value dropped.
    record("a0000001-0000-4000-8000-000000000005", "2026-11-21T11:00:00", "Set-Mailbox",
           nv(("Identity", "ceo@contoso.com"), ("ForwardingSmtpAddress", "smtp:drop@example.net"), ("Comment", None)),
           status="PartiallySucceeded"),
    # 6: an Entra sign-in (RecordType 15), address only in ActorIpAddress.
    record("a0000001-0000-4000-8000-000000000006", "2026-11-21T12:30:00", "UserLoggedIn", None,
           user="alice@contoso.com", status="Success", record_type=15, user_type=0, workload="AzureActiveDirectory",
           ActorIpAddress="192.0.2.44",
           Actor=[{"ID": "alice@contoso.com", "Type": 5}, {"ID": "0f0f0f0f", "Type": 0}]),
    # 7: a record type no schema defines, no ResultStatus, a `Z` zone.
    record("a0000001-0000-4000-8000-000000000007", "2026-11-25T01:02:03Z", "FutureThing", None, status=None,
           record_type=9999, workload="Future"),
]


def write_ndjson(name, rows):
    with open(name, "w", newline="") as f:
        for r in rows:
            f.write(json.dumps(r, separators=(",", ":")) + "\n")


write_ndjson("api-records.ndjson", API)

# A content blob as the Management API returns it: one JSON array, pretty-printed (records span lines).
with open("api-content-blob.json", "w") as f:
    json.dump(API[:3], f, indent=2)
    f.write("\n")


def ecs(r):
    """The nested ECS document Elastic's integration would store for a raw record (only what the tests need)."""
    doc = {
        "@timestamp": r["CreationTime"][:19] + ".000Z",
        "data_stream": {"dataset": "o365.audit", "namespace": "default", "type": "logs"},
        "event": {"action": r["Operation"], "dataset": "o365.audit", "id": r["Id"], "provider": r["Workload"],
                  "outcome": "failure" if r.get("ResultStatus") == "Failed" else "success", "code": "ExchangeAdmin",
                  "category": ["web"], "type": ["info"]},
        "organization": {"id": TENANT.lower()},
        "user": {"id": r["UserId"]},
        "o365": {"audit": {"ObjectId": r.get("ObjectId", ""), "ResultStatus": r.get("ResultStatus")}},
    }
    params = r.get("Parameters")
    if isinstance(params, list):
        doc["o365"]["audit"]["Parameters"] = {p["Name"]: p["Value"] for p in params if p["Value"] is not None}
    elif isinstance(params, str):
        doc["o365"]["audit"]["Parameters"] = {"_raw": params}
    return doc


def flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        key = prefix + "." + k if prefix else k
        if isinstance(v, dict):
            out.update(flatten(v, key))
        else:
            out[key] = v
    return out


nested = [ecs(r) for r in API[:5]]
write_ndjson("ecs-nested.ndjson", nested)
write_ndjson("ecs-flattened.ndjson", [flatten(d) for d in nested])
# Mixed: Filebeat-style dotted keys beside nested objects in one document, and an _source export line.
mixed = []
for d in nested[:2]:
    m = {"@timestamp": d["@timestamp"], "event.action": d["event"]["action"], "event.id": d["event"]["id"],
         "event": {"dataset": "o365.audit", "provider": "Exchange", "outcome": d["event"]["outcome"]},
         "o365.audit": {"Parameters": d["o365"]["audit"]["Parameters"]}, "user.id": d["user"]["id"]}
    mixed.append(m)
mixed.append({"_index": ".ds-logs-o365.audit-default-2026.11.21-000001", "_id": "x1", "_source": nested[2]})
# A Filebeat document of the older kind: event.dataset only, no data_stream.
old = flatten(nested[3])
del old["data_stream.dataset"], old["data_stream.namespace"], old["data_stream.type"]
mixed.append(old)
write_ndjson("ecs-mixed.ndjson", mixed)

# An Elasticsearch _search response, pretty-printed as Kibana's dev tools save it.
search = {"took": 3, "timed_out": False, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
          "hits": {"total": {"value": 3, "relation": "eq"}, "max_score": 1.0,
                   "hits": [{"_index": ".ds-logs-o365.audit-default", "_id": "h%d" % i, "_score": 1.0,
                             "_source": d, "sort": [i]} for i, d in enumerate(nested[:3])]},
          "aggregations": {"by_action": {"buckets": [{"key": "hits", "doc_count": 3}]}}}
with open("search-response.json", "w") as f:
    json.dump(search, f, indent=2)

# Purview CSV exports. Old: CreationDate,UserIds,Operations,AuditData. New: RecordId,CreationDate,RecordType,...
def audit_json(r):
    return json.dumps(r, separators=(",", ":"))


buf = io.StringIO()
w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
w.writerow(["CreationDate", "UserIds", "Operations", "AuditData"])
for r in API[:3]:
    w.writerow([r["CreationTime"][:19] + ".0000000Z", r["UserId"], r["Operation"], audit_json(r)])
with open("purview-classic.csv", "w", newline="", encoding="utf-8-sig") as f:
    f.write("#TYPE Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.AuditRecord\r\n")
    f.write(buf.getvalue())

buf = io.StringIO()
w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
w.writerow(["RecordId", "CreationDate", "RecordType", "Operation", "UserId", "AuditData", "AssociatedAdminUnits",
            "AssociatedAdminUnitsNames"])
multi = dict(API[4])
multi["Id"] = "a0000001-0000-4000-8000-000000000015"
multi["Comment"] = "line one, line two"
rows = [API[0], multi, API[1]]
for r in rows:
    data = audit_json(r)
    if r is multi:
        # A raw line break inside the quoted AuditData cell (where JSON allows whitespace), so the row spans lines.
        data = data.replace('"Comment":"line one', '"Comment":\n"line one')
    w.writerow([r["Id"], r["CreationTime"][:19], "ExchangeAdmin", r["Operation"], r["UserId"], data, "", ""])
# A row whose AuditData lacks Id and CreationTime: they come from the RecordId and CreationDate columns.
trimmed = {k: v for k, v in API[3].items() if k not in ("Id", "CreationTime")}
w.writerow(["a0000001-0000-4000-8000-000000000016", "11/24/2026 1:05:09 PM", "ExchangeAdmin", trimmed["Operation"],
            trimmed["UserId"], audit_json(trimmed), "", ""])
with open("purview-new.csv", "w", newline="", encoding="utf-8-sig") as f:
    f.write(buf.getvalue())
