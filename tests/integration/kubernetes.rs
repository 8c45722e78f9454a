//! Kubernetes from `kubectl get ... -o json` output (`fixtures/kubernetes/`,
//! written by `scripts/gen-kubernetes-fixtures.py`): one List per kind across
//! files, RBAC resolution (RoleBindings to ClusterRoles, aggregation, group
//! subjects), legacy tokens against the tracking date, and token values that
//! never reach any output.

use serde_json::Value;

use crate::common::{dir_with, fixture_arg, nhiscan, NOW};

fn scan_json(args: &[&str]) -> (i32, Value, String) {
    let (code, stdout, stderr) = nhiscan()
        .args(["scan", "-q", "--now", NOW, "-f", "json"])
        .args(args)
        .run();
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    (code, json, stderr)
}

fn split() -> (i32, Value) {
    let (code, json, _) = scan_json(&[
        "-i",
        &fixture_arg("kubernetes/split"),
        "--kube-cluster-name",
        "fx",
    ]);
    (code, json)
}

fn identity<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["identities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no identity {id}"))
}

/// `rule item-id: message` of every finding.
fn findings(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let id = f["credential_id"]
                .as_str()
                .or(f["identity_id"].as_str())
                .unwrap();
            format!(
                "{} {id}: {}",
                f["rule_id"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect()
}

fn has(found: &[String], rule: &str, id: &str) -> bool {
    found
        .iter()
        .any(|f| f.starts_with(&format!("{rule} {id}:")))
}

const SA: &str = "k8s:fx/apps/serviceaccount/";
const OPS: &str = "k8s:fx/ops/serviceaccount/";

#[test]
fn one_list_per_kind_across_files_resolves_like_one_cluster() {
    let (code, json) = split();
    assert_eq!(code, 0, "{json}");
    let sources = json["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 8);
    assert!(sources.iter().all(|s| s["provider"] == "kubernetes"
        && s["kind"] == "kubectl-json"
        && s["scope"] == "fx"));
    // A RoleBinding to an aggregated ClusterRole: secrets in one namespace.
    let deployer = identity(&json, &format!("{SA}deployer"));
    assert_eq!(deployer["privilege"]["level"], "privileged");
    let grant = &deployer["kubernetes"]["grants"][0];
    assert_eq!(grant["binding"], "RoleBinding/apps/deployer");
    assert_eq!(grant["namespace"], "apps");
    assert_eq!(
        grant["rules"].as_array().unwrap().len(),
        2,
        "aggregated: {grant}"
    );
    assert_eq!(deployer["kubernetes"]["pods"], 1);
    // cluster-admin through a ClusterRoleBinding, with its IRSA link.
    let root = identity(&json, &format!("{OPS}root-bot"));
    assert_eq!(root["privilege"]["level"], "admin");
    assert_eq!(
        root["kubernetes"]["cloud_links"][0]["target"],
        "arn:aws:iam::111122223333:role/ops-admin"
    );
    assert_eq!(root["owner"]["name"], "sre");
    // Only a group grant: pods/exec for every account of ops.
    let watcher = identity(&json, &format!("{OPS}watcher"));
    assert_eq!(watcher["privilege"]["level"], "privileged");
    assert_eq!(
        watcher["kubernetes"]["grants"][0]["subject"],
        "Group system:serviceaccounts:ops"
    );
    assert_eq!(
        watcher["owner"]["name"], "monitoring",
        "app.kubernetes.io/part-of"
    );
    let reader = identity(&json, &format!("{SA}reader"));
    assert_eq!(reader["privilege"]["level"], "read");
    assert_eq!(
        reader["kubernetes"]["pods_mounting_token"], 0,
        "the pod spec says no"
    );
    let gke = identity(&json, &format!("{OPS}gke-linked"));
    assert_eq!(gke["kubernetes"]["cloud_links"][0]["cloud"], "gcp");
    let system = identity(&json, "k8s:fx/kube-system/serviceaccount/default");
    assert_eq!(system["owner"]["source"], "provider");

    // The same objects in one mixed List give the same identities.
    let mut items = Vec::new();
    for f in std::fs::read_dir(fixture_arg("kubernetes/split")).unwrap() {
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(f.unwrap().path()).unwrap()).unwrap();
        match doc["items"].as_array() {
            Some(list) => items.extend(list.iter().cloned()),
            None => items.push(doc),
        }
    }
    let merged =
        serde_json::json!({"apiVersion": "v1", "kind": "List", "cluster": "fx", "items": items});
    let dir = dir_with(&[("all.json", &merged.to_string())]);
    let (_, one, _) = scan_json(&["-i", &dir.path().display().to_string()]);
    assert_eq!(one["identities"], json["identities"]);
    assert_eq!(findings(&one), findings(&json));
}

#[test]
fn the_core_rules_judge_accounts_and_legacy_tokens() {
    let (_, json) = split();
    let found = findings(&json);
    assert!(
        has(&found, "admin-privilege", &format!("{OPS}root-bot")),
        "{found:#?}"
    );
    let esc = found
        .iter()
        .find(|f| f.starts_with(&format!("privilege-escalation {SA}deployer:")))
        .expect("deployer escalates");
    assert!(
        esc.contains("read-secrets") && esc.contains("RoleBinding/apps/deployer"),
        "{esc}"
    );
    assert!(esc.contains("ClusterRole/agg-admin"), "{esc}");
    assert!(
        has(&found, "privilege-escalation", &format!("{OPS}watcher")),
        "group subject"
    );
    assert!(!has(&found, "privilege-escalation", &format!("{SA}reader")));
    assert!(has(&found, "wildcard-privilege", &format!("{OPS}wild")));
    assert!(
        !has(
            &found,
            "admin-privilege",
            "k8s:fx/kube-system/serviceaccount/default"
        ),
        "system account"
    );
    assert!(!has(
        &found,
        "missing-owner",
        "k8s:fx/kube-system/serviceaccount/default"
    ));
    assert!(has(&found, "missing-owner", &format!("{SA}default")));
    assert!(!has(&found, "missing-owner", &format!("{SA}deployer")));

    let tokens = format!("{SA}tokens/legacy-token/");
    // Created before tracking began, no label: unknown, not never used.
    let old = identity(&json, &format!("{SA}tokens"))["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "apps/old-token")
        .unwrap()
        .clone();
    assert_eq!(old["usage"], "unknown");
    assert_eq!(old["kubernetes"]["tracking_since"], "2023-08-15");
    assert!(!has(&found, "never-used", &format!("{tokens}old-token")));
    assert!(!has(
        &found,
        "unused-credential",
        &format!("{tokens}old-token")
    ));
    assert!(has(&found, "never-used", &format!("{tokens}new-token")));
    assert!(has(
        &found,
        "unused-credential",
        &format!("{tokens}used-token")
    ));
    assert!(!has(
        &found,
        "unused-credential",
        &format!("{tokens}fresh-token")
    ));
    assert!(has(&found, "no-expiry", &format!("{tokens}fresh-token")));
    assert!(
        !has(&found, "no-expiry", &format!("{tokens}dead-token")),
        "invalidated"
    );
    let no_expiry = found.iter().find(|f| f.starts_with("no-expiry")).unwrap();
    assert!(no_expiry.contains("legacy-token"), "{no_expiry}");
}

#[test]
fn without_the_tracking_configmap_no_token_is_never_used() {
    let dir = dir_with(&[]);
    for f in ["serviceaccounts.json", "secrets.json"] {
        std::fs::copy(
            format!("{}/{f}", fixture_arg("kubernetes/split")),
            dir.path().join(f),
        )
        .unwrap();
    }
    let (_, json, _) = scan_json(&["-i", &dir.path().display().to_string()]);
    let found = findings(&json);
    assert!(
        !found.iter().any(|f| f.starts_with("never-used")),
        "{found:#?}"
    );
    let tokens = identity(&json, "k8s:cluster/apps/serviceaccount/tokens");
    let new = tokens["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "apps/new-token")
        .unwrap();
    assert_eq!(new["usage"], "unknown");
}

#[test]
fn unused_service_account_needs_pods_in_the_input() {
    let (_, json, _) = scan_json(&["-i", &fixture_arg("kubernetes/no-pods.json")]);
    assert!(!findings(&json)
        .iter()
        .any(|f| f.starts_with("unused-service-account")));
}

#[test]
fn token_values_never_reach_any_output() {
    const CANARY: &str = "nhiscan-canary-7f3e9c1d2b";
    // The canary, base64-encoded as Secret data holds it.
    const CANARY_B64: &str = "bmhpc2Nhbi1jYW5hcnktN2YzZTljMWQyYg==";
    let input = fixture_arg("kubernetes/canary");
    let text = std::fs::read_to_string(format!("{input}/cluster.json")).unwrap();
    assert!(
        text.contains(CANARY) && text.contains(CANARY_B64),
        "the fixture holds the canary"
    );
    for format in ["table", "json", "csv", "sarif", "markdown"] {
        let (code, stdout, stderr) = nhiscan()
            .args(["scan", "-q", "--now", NOW, "-f", format, "-i", &input])
            .run();
        assert!(code == 0 || code == 1, "{format}: {code} {stderr}");
        for out in [&stdout, &stderr] {
            assert!(
                !out.contains(CANARY) && !out.contains(CANARY_B64),
                "{format} leaks"
            );
            assert!(
                !out.contains("last-applied-configuration"),
                "{format} keeps the annotation"
            );
        }
        if format == "json" {
            assert!(stdout
                .contains("k8s:canary/apps/serviceaccount/deployer/legacy-token/canary-token"));
            assert!(stdout
                .contains("k8s:cluster/apps/serviceaccount/deployer/legacy-token/single-token"));
        }
    }
    // A saved scan read back stays clean too.
    let dir = dir_with(&[]);
    let saved = dir.path().join("saved.json");
    let (_, _, _) = nhiscan()
        .args(["scan", "-q", "--now", NOW, "-f", "json", "-i", &input, "-o"])
        .arg_path(&saved)
        .run();
    let (_, again, _) = scan_json(&["-i", &saved.display().to_string()]);
    let again = again.to_string();
    assert!(!again.contains(CANARY) && !again.contains(CANARY_B64));
    assert!(
        again.contains("\"level\":\"admin\""),
        "privilege recomputed from saved grants"
    );
}

#[test]
fn broken_lists_name_the_file_and_line() {
    let bad = "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n{\"kind\": \"ServiceAccount\",\n \"metadata\": {\"name\": 5}}]}";
    let dir = dir_with(&[("sa.json", bad)]);
    let path = dir.path().join("sa.json");
    let (code, _, stderr) = nhiscan().args(["scan", "-q", "-i"]).arg_path(&path).run();
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!("{}:3", path.display())),
        "{stderr}"
    );
    let truncated = "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [";
    let dir = dir_with(&[("t.json", truncated)]);
    let (code, _, stderr) = nhiscan()
        .args(["scan", "-q", "-i"])
        .arg_path(&dir.path().join("t.json"))
        .run();
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("t.json:1"), "{stderr}");
}

#[test]
fn an_irsa_link_to_a_role_in_the_same_scan_shows_the_chain() {
    let (code, json, stderr) = scan_json(&["-i", &fixture_arg("kubernetes/irsa")]);
    assert_eq!(code, 0, "{stderr}");
    let builder = identity(&json, "k8s:irsa/ci/serviceaccount/builder");
    // Read in the cluster, but it can act as an admin role.
    assert_eq!(builder["privilege"]["level"], "privileged", "{builder}");
    let escalations = builder["privilege"]["escalations"].as_array().unwrap();
    let link = escalations
        .iter()
        .find(|e| e["path"] == "acts-as")
        .unwrap_or_else(|| panic!("no acts-as: {escalations:?}"));
    assert_eq!(link["target"], "aws role ci-admin (admin)");
    assert_eq!(
        link["chain"],
        serde_json::json!([
            "serviceaccount ci/builder",
            "annotation eks.amazonaws.com/role-arn",
            "aws role ci-admin (admin)"
        ])
    );
    let found = findings(&json);
    let esc = found
        .iter()
        .find(|f| f.starts_with("privilege-escalation k8s:irsa/ci/serviceaccount/builder:"))
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert!(
        esc.contains("acts-as to aws role ci-admin (admin)")
            && esc.contains("[chain: serviceaccount ci/builder → annotation eks.amazonaws.com/role-arn → aws role ci-admin (admin)]"),
        "{esc}"
    );
    // A role the scan does not hold stays a recorded link, with no chain.
    let elsewhere = identity(&json, "k8s:irsa/ci/serviceaccount/elsewhere");
    assert_eq!(elsewhere["privilege"]["level"], "read");
    assert_eq!(
        elsewhere["kubernetes"]["cloud_links"][0]["target"],
        "arn:aws:iam::999999999999:role/not-in-this-scan"
    );
    assert!(!has(
        &found,
        "privilege-escalation",
        "k8s:irsa/ci/serviceaccount/elsewhere"
    ));

    // Without the role's file, the builder is only what RBAC gives it.
    let (_, alone, _) = scan_json(&["-i", &fixture_arg("kubernetes/irsa/cluster.json")]);
    let builder = identity(&alone, "k8s:irsa/ci/serviceaccount/builder");
    assert_eq!(builder["privilege"]["level"], "read");
}

#[test]
fn the_demo_chains_its_irsa_account_to_the_build_role() {
    let (_, json, _) = scan_json(&["--demo"]);
    let deployer = identity(&json, "k8s:demo-eks/ci/serviceaccount/deployer");
    let link = deployer["privilege"]["escalations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "acts-as")
        .unwrap_or_else(|| panic!("{deployer}"))
        .clone();
    assert_eq!(link["target"], "aws role build-runner (privileged)");
}

#[test]
fn the_cluster_name_flag_renames_every_file_cluster_into_one() {
    // Two files naming two clusters, renamed into one: bindings in one file
    // reach accounts in the other.
    let sa = serde_json::json!({"apiVersion": "v1", "kind": "List", "cluster": "a", "items": [
        {"apiVersion": "v1", "kind": "ServiceAccount",
         "metadata": {"name": "bot", "namespace": "ns", "creationTimestamp": "2024-01-01T00:00:00Z"}}]});
    let rbac = serde_json::json!({"apiVersion": "v1", "kind": "List", "cluster": "b", "items": [
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
         "metadata": {"name": "bot-admin"},
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
         "subjects": [{"kind": "ServiceAccount", "name": "bot", "namespace": "ns"}]},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
         "metadata": {"name": "cluster-admin"},
         "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}]});
    let dir = dir_with(&[
        ("sa.json", &sa.to_string()),
        ("rbac.json", &rbac.to_string()),
    ]);
    let path = dir.path().display().to_string();
    let (_, apart, _) = scan_json(&["-i", &path]);
    assert_eq!(
        identity(&apart, "k8s:a/ns/serviceaccount/bot")["privilege"]["level"],
        "none"
    );
    let (_, one, _) = scan_json(&["-i", &path, "--kube-cluster-name", "prod"]);
    let bot = identity(&one, "k8s:prod/ns/serviceaccount/bot");
    assert_eq!(bot["privilege"]["level"], "admin", "{bot}");
    assert_eq!(bot["scope"], "prod");
    assert!(one["sources"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["scope"] == "prod"));
    let clusters: Vec<&Value> = one["identities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "cluster")
        .collect();
    assert_eq!(clusters.len(), 1);
    assert_eq!(clusters[0]["id"], "k8s:prod/cluster/prod");
}
