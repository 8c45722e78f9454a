#!/usr/bin/env python3
"""Writes the Kubernetes test fixtures (fixtures/kubernetes/, fixtures/rules/<k8s rule>/), shaped as `kubectl get ... -o json` prints them. Run from the repository root."""
import json
import os
for d in ["fixtures/kubernetes/split","fixtures/kubernetes/canary","fixtures/rules/default-service-account-bound","fixtures/rules/unused-service-account"]: os.makedirs(d, exist_ok=True)
TS="2024-01-15T10:00:00Z"
def meta(name, ns=None, ts=TS, labels=None, annotations=None):
    m={"creationTimestamp":ts,"name":name}
    if ns: m["namespace"]=ns
    if labels: m["labels"]=labels
    if annotations: m["annotations"]=annotations
    m["resourceVersion"]="4711"; m["uid"]="uid-"+(ns or "c")+"-"+name
    return m
def lst(items, **extra):
    d={"apiVersion":"v1","items":items,"kind":"List","metadata":{"resourceVersion":""}}
    d.update(extra); return d
def sa(name,n,ts=TS,labels=None,ann=None): return {"apiVersion":"v1","kind":"ServiceAccount","metadata":meta(name,n,ts,labels,ann)}
def tok(name,n,acct,ts,labels=None,data=None):
    o={"apiVersion":"v1","kind":"Secret","metadata":meta(name,n,ts,labels,{"kubernetes.io/service-account.name":acct,"kubernetes.io/service-account.uid":"uid-"+n+"-"+acct}),"type":"kubernetes.io/service-account-token"}
    o["data"]=data or {"ca.crt":"Q0EtRklYVFVSRQ==","namespace":"YXBwcw==","token":"RklYVFVSRS1UT0tFTi1OT1QtUkVBTA=="}
    return o
R=lambda g,r,v,**k: dict({"apiGroups":g,"resources":r,"verbs":v},**k)
def cr(name,rules,labels=None,agg=None):
    o={"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":meta(name,labels=labels),"rules":rules}
    if agg: o["aggregationRule"]={"clusterRoleSelectors":[{"matchLabels":agg}]}
    return o
def role(name,n,rules): return {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":meta(name,n),"rules":rules}
def bind(kind,name,n,rk,rn,subjects): return {"apiVersion":"rbac.authorization.k8s.io/v1","kind":kind,"metadata":meta(name,n),"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":rk,"name":rn},"subjects":subjects}
S=lambda name,n: {"kind":"ServiceAccount","name":name,"namespace":n}
G=lambda name: {"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":name}
U=lambda name: {"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":name}
def pod(name,n,acct=None,automount=None):
    spec={"containers":[{"image":"registry.example/app:1","name":"app"}],"restartPolicy":"Always"}
    if acct: spec["serviceAccount"]=acct; spec["serviceAccountName"]=acct
    if automount is not None: spec["automountServiceAccountToken"]=automount
    return {"apiVersion":"v1","kind":"Pod","metadata":meta(name,n,"2026-05-20T08:00:00Z"),"spec":spec,"status":{"phase":"Running"}}
tracking={"apiVersion":"v1","data":{"since":"2023-08-15"},"kind":"ConfigMap","metadata":meta("kube-apiserver-legacy-service-account-token-tracking","kube-system","2023-08-15T00:00:00Z")}
def dump(path,doc): open(path,"w").write(json.dumps(doc,indent=4)+"\n")

# The split cluster: one List per kind, plus the tracking ConfigMap on its own.
sas=[sa("default","apps"),sa("deployer","apps",labels={"owner":"team-apps"}),sa("reader","apps",labels={"team":"apps"}),
     sa("orphan","apps",labels={"owner":"team-apps"}),sa("tokens","apps",ts="2022-06-01T00:00:00Z",labels={"owner":"team-apps"}),
     sa("default","ops"),sa("root-bot","ops",ann={"eks.amazonaws.com/role-arn":"arn:aws:iam::111122223333:role/ops-admin","owner":"sre"}),
     sa("watcher","ops",labels={"app.kubernetes.io/part-of":"monitoring"}),sa("wild","ops",labels={"owner":"sre"}),
     sa("default","kube-system",ts="2022-01-01T00:00:00Z"),sa("gke-linked","ops",ann={"iam.gke.io/gcp-service-account":"app@proj.iam.gserviceaccount.com"})]
dump("fixtures/kubernetes/split/serviceaccounts.json",lst(sas))
secrets=[tok("old-token","apps","tokens","2023-01-01T00:00:00Z"),
         tok("new-token","apps","tokens","2024-02-01T00:00:00Z"),
         tok("used-token","apps","tokens","2023-09-01T00:00:00Z",labels={"kubernetes.io/legacy-token-last-used":"2025-01-05"}),
         tok("fresh-token","apps","tokens","2023-09-01T00:00:00Z",labels={"kubernetes.io/legacy-token-last-used":"2026-05-30"}),
         tok("dead-token","apps","tokens","2023-09-01T00:00:00Z",labels={"kubernetes.io/legacy-token-last-used":"2024-01-02","kubernetes.io/legacy-token-invalid-since":"2025-01-03"}),
         {"apiVersion":"v1","data":{"password":"RklYVFVSRQ=="},"kind":"Secret","metadata":meta("db","apps"),"type":"Opaque"}]
dump("fixtures/kubernetes/split/secrets.json",lst(secrets))
dump("fixtures/kubernetes/split/clusterroles.json",lst([
    cr("cluster-admin",[R(["*"],["*"],["*"]),{"nonResourceURLs":["*"],"verbs":["*"]}]),
    cr("agg-admin",None,agg={"fx.example/aggregate-to-agg-admin":"true"}),
    cr("agg-secrets",[R([""],["secrets"],["get","list","watch"])],labels={"fx.example/aggregate-to-agg-admin":"true"}),
    cr("agg-deploy",[R(["apps"],["deployments"],["get","list","update","patch"])],labels={"fx.example/aggregate-to-agg-admin":"true"}),
    cr("pod-exec",[R([""],["pods","pods/exec"],["get","create"])]),
]))
dump("fixtures/kubernetes/split/roles.json",lst([
    role("pod-reader","apps",[R([""],["pods","pods/log"],["get","list","watch"])]),
    role("wild","ops",[R(["apps"],["deployments"],["*"])]),
    role("cm","apps",[R([""],["configmaps"],["get"])]),
]))
dump("fixtures/kubernetes/split/rolebindings.json",lst([
    bind("RoleBinding","deployer","apps","ClusterRole","agg-admin",[S("deployer","apps")]),
    bind("RoleBinding","reader","apps","Role","pod-reader",[S("reader","apps"),U("jane@example.com")]),
    bind("RoleBinding","orphan","apps","Role","cm",[S("orphan","apps")]),
    bind("RoleBinding","default-cm","apps","Role","cm",[S("default","apps")]),
    bind("RoleBinding","wild","ops","Role","wild",[S("wild","ops")]),
]))
dump("fixtures/kubernetes/split/clusterrolebindings.json",lst([
    bind("ClusterRoleBinding","root-bot",None,"ClusterRole","cluster-admin",[S("root-bot","ops")]),
    bind("ClusterRoleBinding","ops-exec",None,"ClusterRole","pod-exec",[G("system:serviceaccounts:ops")]),
    bind("ClusterRoleBinding","kube-system-default",None,"ClusterRole","cluster-admin",[S("default","kube-system")]),
    bind("ClusterRoleBinding","humans",None,"ClusterRole","cluster-admin",[G("oncall"),U("bob@example.com")]),
]))
dump("fixtures/kubernetes/split/pods.json",lst([pod("deployer-1","apps","deployer"),pod("reader-1","apps","reader",False),pod("root-bot-1","ops","root-bot"),pod("web-1","apps")]))
dump("fixtures/kubernetes/split/tracking-configmap.json",tracking)

# Rule fixtures: one mixed List each.
dump("fixtures/rules/default-service-account-bound/cluster.json",lst([
    sa("default","apps"),sa("default","ops"),sa("default","kube-system"),sa("default","quiet"),
    cr("view",[R([""],["pods"],["get","list"])]),
    bind("RoleBinding","default-view","apps","ClusterRole","view",[S("default","apps")]),
    bind("ClusterRoleBinding","ops-view",None,"ClusterRole","view",[G("system:serviceaccounts:ops")]),
    bind("ClusterRoleBinding","ks-default",None,"ClusterRole","view",[S("default","kube-system")]),
], cluster="fx"))
open("fixtures/rules/default-service-account-bound/expected.txt","w").write(
"# Item ids this rule must flag in this directory, and no others. now = 2026-06-01T00:00:00Z\n"
"# apps/default is bound by a RoleBinding to a ClusterRole; ops/default only through the\n# system:serviceaccounts:ops group; kube-system/default is a system account; quiet/default has no binding.\n"
"k8s:fx/apps/serviceaccount/default\n")
dump("fixtures/rules/unused-service-account/cluster.json",lst([
    sa("orphan","apps"),sa("busy","apps"),sa("tokened","apps"),sa("grouped","apps"),sa("idle","apps"),
    role("cm","apps",[R([""],["configmaps"],["get"])]),
    bind("RoleBinding","cm","apps","Role","cm",[S("orphan","apps"),S("busy","apps"),S("tokened","apps")]),
    bind("RoleBinding","all","apps","Role","cm",[G("system:serviceaccounts:apps")]),
    tok("tokened-token","apps","tokened","2025-01-01T00:00:00Z",labels={"kubernetes.io/legacy-token-last-used":"2026-05-01"}),
    pod("busy-1","apps","busy"),
    tracking,
], cluster="fx"))
open("fixtures/rules/unused-service-account/expected.txt","w").write(
"# Item ids this rule must flag in this directory, and no others. now = 2026-06-01T00:00:00Z\n"
"# busy runs in a pod, tokened has a token Secret, grouped and idle are bound only through their\n# namespace's group (or not at all).\n"
"k8s:fx/apps/serviceaccount/orphan\n")
# The same objects without any Pod: the rule must stay silent.
dump("fixtures/kubernetes/no-pods.json",lst([sa("orphan","apps"),role("cm","apps",[R([""],["configmaps"],["get"])]),bind("RoleBinding","cm","apps","Role","cm",[S("orphan","apps")])],cluster="fx"))

# Canary: every place a token value can sit in kubectl output.
CANARY="nhiscan-canary-7f3e9c1d2b"
import base64
b64=base64.b64encode(CANARY.encode()).decode()
last_applied=json.dumps({"apiVersion":"v1","kind":"Secret","stringData":{"token":CANARY},"metadata":{"name":"canary-token","namespace":"apps"}})
can=tok("canary-token","apps","deployer","2024-02-01T00:00:00Z",data={"token":b64,"ca.crt":b64,"canary":CANARY})
can["stringData"]={"token":CANARY}
can["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]=last_applied
opaque={"apiVersion":"v1","data":{"since":b64,"password":b64},"kind":"Secret","metadata":meta("opaque","apps"),"type":"Opaque","stringData":{"since":CANARY}}
cm={"apiVersion":"v1","data":{"since":"2023-08-15","other":CANARY},"kind":"ConfigMap","metadata":meta("kube-apiserver-legacy-service-account-token-tracking","kube-system")}
other_cm={"apiVersion":"v1","data":{"since":CANARY,"token":CANARY},"kind":"ConfigMap","metadata":meta("app-config","apps")}
dump("fixtures/kubernetes/canary/cluster.json",lst([sa("deployer","apps"),can,opaque,cm,other_cm,
    cr("admin",[R(["*"],["*"],["*"])]),bind("ClusterRoleBinding","d",None,"ClusterRole","admin",[S("deployer","apps")])],cluster="canary"))
# A single Secret object, as `kubectl get secret NAME -o json` prints it.
single=tok("single-token","apps","deployer","2024-02-01T00:00:00Z",data={"token":b64})
single["stringData"]={"token":CANARY}
dump("fixtures/kubernetes/canary/secret.json",single)
