#!/usr/bin/env python3
"""Prints a large `kubectl get ... -A -o json` List for benchmarks.

    gen-kubernetes-cluster.py ACCOUNTS BINDINGS PODS > cluster.json

Accounts spread over ACCOUNTS/50 namespaces; every tenth has a legacy token
Secret (with a fake `data.token`, which nhiscan must skip); bindings are
RoleBindings to a few ClusterRoles and Roles, every hundredth a
ClusterRoleBinding; pods run as the accounts in turn. Deterministic.
"""
import json
import sys

accounts, bindings, pods = (int(a) for a in sys.argv[1:4])
namespaces = max(1, accounts // 50)
out = sys.stdout
out.write('{"apiVersion": "v1", "kind": "List", "cluster": "bench", "metadata": {"resourceVersion": ""}, "items": [\n')
first = True


def emit(obj):
    global first
    if not first:
        out.write(",\n")
    first = False
    out.write(json.dumps(obj, separators=(",", ":")))


def meta(name, ns=None, **extra):
    m = {"name": name, "creationTimestamp": "2024-01-01T00:00:00Z", "uid": f"uid-{ns}-{name}", "resourceVersion": "1"}
    if ns:
        m["namespace"] = ns
    m.update(extra)
    return m


def sa_name(i):
    return f"ns-{i % namespaces}", f"sa-{i}"


rules = {
    "view": [{"apiGroups": [""], "resources": ["pods", "services", "configmaps"], "verbs": ["get", "list", "watch"]}],
    "edit": [{"apiGroups": ["", "apps"], "resources": ["pods", "deployments", "secrets"], "verbs": ["get", "list", "create", "update", "patch", "delete"]}],
    "cluster-admin": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}],
    "agg": None,
    "agg-part": [{"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["get", "create"]}],
}
for name, r in rules.items():
    o = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": meta(name, labels={"bench/agg": "true"} if name == "agg-part" else {}), "rules": r}
    if name == "agg":
        o["aggregationRule"] = {"clusterRoleSelectors": [{"matchLabels": {"bench/agg": "true"}}]}
    emit(o)
for n in range(namespaces):
    emit({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": meta("reader", f"ns-{n}"),
          "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]})
for i in range(accounts):
    ns, name = sa_name(i)
    emit({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(name, ns, labels={"team": f"team-{i % 17}"} if i % 3 else {})})
    if i % 10 == 0:
        emit({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
              "data": {"token": "QkVOQ0gtVE9LRU4tTk9ULVJFQUw=", "ca.crt": "QkVOQ0g="},
              "metadata": meta(f"{name}-token", ns, annotations={"kubernetes.io/service-account.name": name},
                               labels={"kubernetes.io/legacy-token-last-used": "2025-03-01"} if i % 20 == 0 else {})})
roles = ["view", "edit", "agg", "reader"]
for b in range(bindings):
    ns, name = sa_name(b % accounts)
    if b % 100 == 0:
        emit({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": meta(f"crb-{b}"),
              "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin" if b % 1000 == 0 else "view"},
              "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": ns}]})
        continue
    role = roles[b % len(roles)]
    emit({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": meta(f"rb-{b}", ns),
          "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role" if role == "reader" else "ClusterRole", "name": role},
          "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": ns}, {"kind": "User", "name": f"user-{b % 50}"}]})
for p in range(pods):
    ns, name = sa_name((p * 7) % accounts)
    emit({"apiVersion": "v1", "kind": "Pod", "metadata": meta(f"pod-{p}", ns),
          "spec": {"serviceAccountName": name, "serviceAccount": name, "containers": [{"name": "app", "image": "registry.example/app:1"}]},
          "status": {"phase": "Running"}})
emit({"apiVersion": "v1", "kind": "ConfigMap", "data": {"since": "2023-08-15"},
      "metadata": meta("kube-apiserver-legacy-service-account-token-tracking", "kube-system")})
out.write("\n]}\n")
