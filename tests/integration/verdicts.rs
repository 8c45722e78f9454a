//! Privilege verdicts on the Cloudsplaining vector
//! (`fixtures/aws/cloudsplaining/`), an export built to exercise escalation
//! paths and their false-positive and false-negative traps: the named cases
//! are asserted, and every identity's verdict is snapshotted.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::{fixture_arg, nhiscan, NOW};

/// The scan's JSON report.
fn report() -> Value {
    let (code, stdout, stderr) = nhiscan()
        .args([
            "scan",
            "-i",
            &fixture_arg("aws/cloudsplaining/example-authz-details.json"),
            "--now",
            NOW,
            "-f",
            "json",
        ])
        .run();
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).expect("valid JSON")
}

/// Name → (level, escalation paths, privilege rules that fired).
fn verdicts(report: &Value) -> BTreeMap<String, (String, Vec<String>, Vec<String>)> {
    let mut rules: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        let rule = f["rule_id"].as_str().unwrap();
        if [
            "admin-privilege",
            "privilege-escalation",
            "wildcard-privilege",
        ]
        .contains(&rule)
        {
            rules
                .entry(f["identity_id"].as_str().unwrap())
                .or_default()
                .push(rule.to_string());
        }
    }
    report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let p = &i["privilege"];
            let paths = p["escalations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["path"].as_str().unwrap().to_string())
                .collect();
            let fired = rules.remove(i["id"].as_str().unwrap()).unwrap_or_default();
            let name = format!(
                "{} {}",
                i["kind"].as_str().unwrap(),
                i["name"].as_str().unwrap()
            );
            (
                name,
                (p["level"].as_str().unwrap().to_string(), paths, fired),
            )
        })
        .collect()
}

#[test]
fn the_traps_in_the_vector_are_judged_right() {
    let v = verdicts(&report());
    let paths = |name: &str| &v[name].1;
    for kind in ["user", "role"] {
        let named = |case: &str| format!("{kind} {case}-{kind}");
        // False negatives for per-policy tools: nhiscan finds each.
        assert_eq!(
            paths(&named("fn1-privesc3-partial")),
            &["pass-role-ec2"],
            "split across two policies"
        );
        assert_eq!(
            paths(&named("fn2-exploitableResourceConstraint")),
            &["create-policy-version"],
            "policy/fn2-* covers its own policy"
        );
        assert_eq!(
            paths(&named("fn3-exploitableConditionConstraint")),
            &["create-policy-version"],
            "conditions are not evaluated"
        );
        assert!(
            paths(&named("fn4-exploitableNotAction")).contains(&"put-user-policy".to_string()),
            "NotAction leaves iam:Put* in"
        );
        // False-positive traps: nothing left, or nothing exploitable.
        for case in [
            "fp1-allow-and-deny",
            "fp2-allow-and-deny-multiple-policies",
            "fp3-deny-iam",
        ] {
            assert_eq!(v[&named(case)].0, "none", "{case}");
        }
        assert!(
            paths(&named("fp4-nonExploitableResourceConstraint")).is_empty(),
            "AWS managed policies cannot be versioned"
        );
        // fp5's condition can never hold, but conditions are not evaluated (README).
        assert_eq!(
            paths(&named("fp5-nonExploitableConditionConstraint")),
            &["create-policy-version"]
        );
    }
    for admin in [
        "user obama",
        "user userwithlotsofpermissions",
        "user privesc-sre-user",
        "role privesc-sre-role",
        "role OrganizationAccountAccessRole",
    ] {
        assert_eq!(v[admin].0, "admin", "{admin}");
        assert_eq!(
            v[admin].2,
            ["admin-privilege"],
            "{admin}: admin-privilege alone"
        );
    }
    // Every privescN case opens the path it is named after.
    let expected = [
        (1, "create-policy-version"),
        (2, "set-default-policy-version"),
        (3, "pass-role-ec2"),
        (4, "create-access-key"),
        (5, "create-login-profile"),
        (6, "update-login-profile"),
        (7, "attach-user-policy"),
        (8, "attach-group-policy"),
        (9, "attach-role-policy"),
        (10, "put-user-policy"),
        (11, "put-group-policy"),
        (12, "put-role-policy"),
        (13, "add-user-to-group"),
        (14, "update-assume-role-policy"),
        (15, "pass-role-lambda"),
        (16, "pass-role-lambda"),
        (17, "update-lambda-code"),
        (18, "pass-role-glue-dev-endpoint"),
        (19, "update-glue-dev-endpoint"),
        (20, "pass-role-cloudformation"),
        (21, "pass-role-datapipeline"),
    ];
    for (n, path) in expected {
        let hits: Vec<_> = v
            .iter()
            .filter(|(name, _)| name.contains(&format!(" privesc{n}-")))
            .collect();
        assert_eq!(hits.len(), 2, "privesc{n}: a user and a role");
        for (name, (_, paths, fired)) in hits {
            assert!(paths.contains(&path.to_string()), "{name}: {paths:?}");
            assert!(
                fired.contains(&"privilege-escalation".to_string()),
                "{name}"
            );
        }
    }
    // Service-linked roles are out of scope for the privilege rules.
    assert!(v["role AWSServiceRoleForAmazonSSM"].2.is_empty());
}

#[test]
fn verdicts_on_the_vector() {
    let text: Vec<String> = verdicts(&report())
        .into_iter()
        .map(|(name, (level, paths, fired))| {
            let paths = if paths.len() == nhiscan::providers::aws::policy::escalation::PATHS.len() {
                "every path".to_string()
            } else {
                paths.join(" ")
            };
            format!("{name}: {level} [{paths}] {}", fired.join(" "))
                .trim_end()
                .to_string()
        })
        .collect();
    insta::assert_snapshot!(text.join("\n"));
}
