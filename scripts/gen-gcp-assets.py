#!/usr/bin/env python3
"""Generates a Google Cloud organization in gcloud's formats, for bench-gcp.sh.

Usage: gen-gcp-assets.py DIR [ACCOUNTS] [KEYS] [BINDINGS]

Writes DIR/assets.json (a `gcloud asset list --content-type=resource` JSON
array: projects, service accounts, user-managed keys) and
DIR/iam-policies.ndjson (`gcloud asset export --content-type=iam-policy` lines:
one policy per project and per service account with bindings, plus a folder
and the organization). Every binding names one service account, so BINDINGS
is the number of (role, member) grants. Deterministic: no randomness.
"""
import json
import sys

out = sys.argv[1]
accounts = int(sys.argv[2]) if len(sys.argv) > 2 else 30000
keys = int(sys.argv[3]) if len(sys.argv) > 3 else 60000
bindings = int(sys.argv[4]) if len(sys.argv) > 4 else 200000
per_project = 100
projects = max(1, (accounts + per_project - 1) // per_project)
ORG = "organizations/900000000001"
FOLDER = "folders/800000000001"
ROLES = ["roles/viewer", "roles/logging.logWriter", "roles/monitoring.metricWriter",
         "roles/storage.objectAdmin", "roles/pubsub.publisher", "roles/cloudsql.client",
         "roles/iam.serviceAccountUser", "roles/run.developer", "roles/secretmanager.secretAccessor"]


def num(p):
    return str(1000000 + p)


def pid(p):
    return f"bench-{p:05d}"


def anc(p):
    return [f"projects/{num(p)}", FOLDER, ORG]


def email(i):
    p = i // per_project
    if i % per_project == 0:
        return f"{num(p)}-compute@developer.gserviceaccount.com"
    return f"svc-{i:06d}@{pid(p)}.iam.gserviceaccount.com"


with open(f"{out}/assets.json", "w") as f:
    f.write("[\n")
    first = True

    def put(obj):
        global first
        if not first:
            f.write(",\n")
        first = False
        f.write(json.dumps(obj))

    for p in range(projects):
        put({"name": f"//cloudresourcemanager.googleapis.com/projects/{num(p)}",
             "assetType": "cloudresourcemanager.googleapis.com/Project",
             "resource": {"version": "v1", "data": {"projectNumber": num(p), "projectId": pid(p),
                                                     "lifecycleState": "ACTIVE",
                                                     "labels": {"team": f"team-{p % 40}"} if p % 3 else {},
                                                     "createTime": "2021-01-01T00:00:00Z"}},
             "ancestors": anc(p)})
    for i in range(accounts):
        p = i // per_project
        uid = str(100000000000000000000 + i)
        put({"name": f"//iam.googleapis.com/projects/{pid(p)}/serviceAccounts/{uid}",
             "assetType": "iam.googleapis.com/ServiceAccount",
             "resource": {"version": "v1", "data": {
                 "name": f"projects/{pid(p)}/serviceAccounts/{email(i)}", "projectId": pid(p),
                 "uniqueId": uid, "email": email(i), "displayName": f"Service {i}",
                 "description": f"owner: team-{i % 97}" if i % 2 else "generated"}},
             "ancestors": anc(p)})
    for k in range(keys):
        i = k % accounts
        p = i // per_project
        kid = f"{k:040x}"
        put({"name": f"//iam.googleapis.com/projects/{pid(p)}/serviceAccounts/{i}/keys/{kid}",
             "assetType": "iam.googleapis.com/ServiceAccountKey",
             "resource": {"version": "v1", "data": {
                 "name": f"projects/{pid(p)}/serviceAccounts/{email(i)}/keys/{kid}",
                 "validAfterTime": f"20{20 + k % 6}-0{1 + k % 9}-15T10:00:00Z",
                 "validBeforeTime": "9999-12-31T23:59:59Z", "keyAlgorithm": "KEY_ALG_RSA_2048",
                 "keyOrigin": "GOOGLE_PROVIDED", "keyType": "USER_MANAGED", "disabled": k % 50 == 0}},
             "ancestors": anc(p)})
    f.write("\n]\n")

# Bindings: one per project for its default compute account (Editor), a few on the folder and
# organization, a Token Creator binding on every 10th account, the rest spread over projects.
policies = {}


def grant(resource, asset_type, ancestors, role, member):
    key = (resource, asset_type)
    entry = policies.setdefault(key, (ancestors, {}))
    entry[1].setdefault(role, []).append(f"serviceAccount:{member}")


count = 0
for p in range(projects):
    if count >= bindings:
        break
    grant(f"//cloudresourcemanager.googleapis.com/projects/{num(p)}",
          "cloudresourcemanager.googleapis.com/Project", anc(p), "roles/editor", email(p * per_project))
    count += 1
for i in range(1, min(accounts, 50)):
    if count >= bindings:
        break
    grant(f"//cloudresourcemanager.googleapis.com/{FOLDER}", "cloudresourcemanager.googleapis.com/Folder",
          [FOLDER, ORG], "roles/viewer", email(i))
    count += 1
for i in range(1, accounts, 10):
    if count >= bindings:
        break
    p = i // per_project
    target = min(i + 1, accounts - 1)
    grant(f"//iam.googleapis.com/projects/{pid(p)}/serviceAccounts/{100000000000000000000 + target}",
          "iam.googleapis.com/ServiceAccount", anc(p), "roles/iam.serviceAccountTokenCreator", email(i))
    count += 1
n = 0
while count < bindings:
    i = n % accounts
    p = i // per_project
    role = ROLES[(n // accounts + i) % len(ROLES)]
    if n // accounts >= len(ROLES):
        role = f"roles/custom.bench{n // accounts}"
    grant(f"//cloudresourcemanager.googleapis.com/projects/{num(p)}",
          "cloudresourcemanager.googleapis.com/Project", anc(p), role, email(i))
    count += 1
    n += 1

with open(f"{out}/iam-policies.ndjson", "w") as f:
    for (resource, asset_type), (ancestors, roles) in policies.items():
        f.write(json.dumps({"name": resource, "assetType": asset_type, "ancestors": ancestors,
                            "iamPolicy": {"version": 1, "bindings": [
                                {"role": r, "members": m} for r, m in roles.items()]}}) + "\n")
print(f"{accounts} accounts, {keys} keys, {count} bindings in {len(policies)} policies")
