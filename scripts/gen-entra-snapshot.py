#!/usr/bin/env python3
"""Writes an nhiscan Entra snapshot (nhiscan_entra_snapshot: 1) of a made-up
tenant to stdout: APPS app registrations, each with a service principal, and
CREDS credentials spread over them (two per app by default: a client secret
and a certificate; every tenth app also a federated credential). Owners,
application permissions, a few directory roles and the usage reports are
filled in, so every stage of a scan has work to do.

    python3 scripts/gen-entra-snapshot.py 20000 40000 > tenant.entra.json
"""
import json
import sys
import uuid

apps_n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
creds_n = int(sys.argv[2]) if len(sys.argv) > 2 else 2 * apps_n
tenant = "5a5a5a5a-0000-4000-8000-000000000000"
graph_sp = "6b6b6b6b-0000-4000-8000-000000000000"
ns = uuid.UUID("8f8f8f8f-0000-4000-8000-000000000000")
perms = ["1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9", "df021288-bdef-4463-88db-98f22de89214",
         "e2a3a72e-5f79-4c64-b1b1-878b674786c9", "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30"]


def gid(*parts):
    return str(uuid.uuid5(ns, "/".join(map(str, parts))))


def year(i):
    return 2019 + i % 7


apps, sps, usage, roles = [], [], [], []
per_app = max(1, creds_n // apps_n)
extra = creds_n - per_app * apps_n
for i in range(apps_n):
    app_id, obj, sp_id = gid("appid", i), gid("app", i), gid("sp", i)
    n = per_app + (1 if i < extra else 0)
    pw, kc = [], []
    for j in range(n):
        key = gid("key", i, j)
        start = f"{year(i + j)}-0{1 + j % 9}-15T10:00:00Z"
        end = f"{year(i + j) + (1 if j % 3 else 300)}-0{1 + j % 9}-15T10:00:00Z"
        if j % 2 == 0:
            pw.append({"customKeyIdentifier": None, "displayName": f"secret {j}", "endDateTime": end,
                       "hint": "abc", "keyId": key, "startDateTime": start})
        else:
            kc.append({"customKeyIdentifier": "AB" * 20, "displayName": f"CN=app-{i}", "endDateTime": end,
                       "keyId": key, "startDateTime": start, "type": "AsymmetricX509Cert", "usage": "Verify"})
        if i % 4 == 0:
            last = None if j % 2 else {"lastSignInDateTime": "2026-10-01T00:00:00Z"}
            usage.append({"id": f"{app_id}_{key}", "keyId": key, "appId": app_id, "appObjectId": obj,
                          "keyType": "clientSecret" if j % 2 == 0 else "certificate", "keyUsage": "sign",
                          "credentialOrigin": "application", "expirationDateTime": end, "signInActivity": last})
    owner = {"@odata.type": "#microsoft.graph.user", "id": gid("user", i % 500),
             "displayName": f"user {i % 500}", "userPrincipalName": f"user{i % 500}@contoso.com",
             "accountEnabled": i % 37 != 0}
    fics = []
    if i % 10 == 0:
        fics.append({"id": gid("fic", i), "name": "github", "issuer": "https://token.actions.githubusercontent.com",
                     "subject": f"repo:contoso/app-{i}:environment:prod" if i % 20 else "repo:contoso/*",
                     "audiences": ["api://AzureADTokenExchange"]})
    apps.append({"id": obj, "appId": app_id, "displayName": f"app-{i}", "createdDateTime": f"{year(i)}-01-01T00:00:00Z",
                 "signInAudience": "AzureADMyOrg", "tags": [], "passwordCredentials": pw, "keyCredentials": kc,
                 "requiredResourceAccess": [], "owners": [owner] if i % 11 else [],
                 "federatedIdentityCredentials": fics})
    assignments = [{"id": gid("ara", i), "appRoleId": perms[i % len(perms)], "principalId": sp_id,
                    "principalType": "ServicePrincipal", "resourceDisplayName": "Microsoft Graph",
                    "resourceId": graph_sp}] if i % 3 == 0 else []
    sps.append({"id": sp_id, "appId": app_id, "displayName": f"app-{i}", "servicePrincipalType": "Application",
                "appOwnerOrganizationId": tenant if i % 50 else "7c7c7c7c-0000-4000-8000-000000000000",
                "accountEnabled": True, "signInAudience": "AzureADMyOrg", "tags": [], "passwordCredentials": [],
                "keyCredentials": [], "owners": [], "appRoleAssignments": assignments})
    if i % 1000 == 0:
        roles.append({"id": gid("ra", i), "principalId": sp_id,
                      "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" if i % 2000 else "158c047a-c907-4556-b7ef-446551a6b5f7",
                      "directoryScopeId": "/"})
sps.append({"id": graph_sp, "appId": "00000003-0000-0000-c000-000000000000", "displayName": "Microsoft Graph",
            "servicePrincipalType": "Application", "appOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
            "accountEnabled": True, "tags": [], "passwordCredentials": [], "keyCredentials": [], "owners": []})
json.dump({"nhiscan_entra_snapshot": 1, "tenant_id": tenant, "graph_url": "https://graph.microsoft.com",
           "applications": apps, "service_principals": sps, "oauth2_permission_grants": [],
           "role_assignments": roles, "role_definitions": [
               {"id": "62e90394-69f5-4237-9190-012177145e10", "displayName": "Global Administrator",
                "templateId": "62e90394-69f5-4237-9190-012177145e10", "isBuiltIn": True},
               {"id": "158c047a-c907-4556-b7ef-446551a6b5f7", "displayName": "Cloud Application Administrator",
                "templateId": "158c047a-c907-4556-b7ef-446551a6b5f7", "isBuiltIn": True}],
           "service_principal_sign_in_activities": [], "app_credential_sign_in_activities": usage,
           "problems": [], "api_calls": {}}, sys.stdout)
