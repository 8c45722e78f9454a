#!/usr/bin/env python3
"""Writes fixtures/kubernetes/api/: the List bodies the API server returns for
the objects of fixtures/kubernetes/split/ (written by gen-kubernetes-fixtures.py),
for the live-scan tests (tests/integration/kubernetes_live.rs).

Shapes follow the Kubernetes API reference: a `<Kind>List` with `apiVersion`,
`metadata` (ListMeta: `resourceVersion`, `continue` while more pages follow)
and `items`, whose objects carry no `kind`/`apiVersion` of their own (only
`kubectl` adds them). Token Secrets come as a `PartialObjectMetadataList`
(`meta.k8s.io/v1`) of `PartialObjectMetadata` items, which is what
`Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`
asks for. `secrets-full.json` is what a plain list would return, with a
canary token: the tests serve it only to requests that do NOT ask for
metadata, so it must never be fetched. Errors are `Status` objects.
"""
import copy
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SPLIT = ROOT / "fixtures/kubernetes/split"
OUT = ROOT / "fixtures/kubernetes/api"
CANARY = "S1VCRS1DQU5BUlktbGl2ZS10b2tlbi1kbzdub3RsZWFr"  # base64 of KUBE-CANARY-live-token-do7notleak

RBAC = "rbac.authorization.k8s.io/v1"


def items(name):
    body = json.loads((SPLIT / name).read_text())
    out = []
    for item in body["items"]:
        item = copy.deepcopy(item)
        item.pop("kind", None)
        item.pop("apiVersion", None)
        out.append(item)
    return out


def list_body(kind, api_version, objs, cont=None):
    meta = {"resourceVersion": "4711"}
    if cont:
        meta["continue"] = cont
    return {"kind": kind, "apiVersion": api_version, "metadata": meta, "items": objs}


def write(name, body):
    (OUT / name).write_text(json.dumps(body, indent=4) + "\n")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    accounts = items("serviceaccounts.json")
    half = len(accounts) // 2
    write("serviceaccounts-1.json", list_body("ServiceAccountList", "v1", accounts[:half], "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDcxMSwic3RhcnQiOiJhcHBzL3JlYWRlclx1MDAwMCJ9"))
    write("serviceaccounts-2.json", list_body("ServiceAccountList", "v1", accounts[half:]))
    secrets = [s for s in items("secrets.json") if s.get("type") == "kubernetes.io/service-account-token"]
    write("secrets-metadata.json", list_body(
        "PartialObjectMetadataList", "meta.k8s.io/v1",
        [{"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": s["metadata"]} for s in secrets]))
    full = copy.deepcopy(secrets)
    for s in full:
        s["data"] = {"token": CANARY, "namespace": "YXBwcw==", "ca.crt": "Q0EtRklYVFVSRQ=="}
    write("secrets-full.json", list_body("SecretList", "v1", full))
    write("roles.json", list_body("RoleList", RBAC, items("roles.json")))
    write("clusterroles.json", list_body("ClusterRoleList", RBAC, items("clusterroles.json")))
    write("rolebindings.json", list_body("RoleBindingList", RBAC, items("rolebindings.json")))
    write("clusterrolebindings.json", list_body("ClusterRoleBindingList", RBAC, items("clusterrolebindings.json")))
    write("pods.json", list_body("PodList", "v1", items("pods.json")))
    write("namespaces.json", list_body("NamespaceList", "v1", [
        {"metadata": {"name": ns, "uid": f"uid-ns-{ns}", "resourceVersion": "4711",
                      "creationTimestamp": "2023-01-01T00:00:00Z",
                      "labels": {"kubernetes.io/metadata.name": ns}},
         "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
        for ns in ("apps", "ops", "kube-system")]))
    tracking = json.loads((SPLIT / "tracking-configmap.json").read_text())
    write("tracking-configmap.json", tracking)
    write("status-403-secrets.json", {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": "secrets is forbidden: User \"system:serviceaccount:nhiscan:scanner\" cannot list resource \"secrets\" in API group \"\" at the cluster scope",
        "reason": "Forbidden", "details": {"kind": "secrets"}, "code": 403})
    write("status-401.json", {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": "Unauthorized", "reason": "Unauthorized", "code": 401})


if __name__ == "__main__":
    main()
