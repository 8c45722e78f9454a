//! Privilege-escalation paths: combinations of actions that let a principal
//! raise its own privilege. [`PATHS`] is the list documented in
//! `docs/rules/privilege-escalation.md`.
//!
//! A path is open when, for each of its steps, one of the step's actions is
//! allowed on every resource (after denies and the boundary; see
//! [`super::effective`]). The first step of the policy-editing paths also
//! counts when it reaches one of the principal's own resources: its own user,
//! role or groups, or a customer managed policy attached to it
//! (`iam:CreatePolicyVersion` on `arn:aws:iam::*:policy/team-*` when the
//! principal holds `policy/team-app`).

use std::sync::LazyLock;

use crate::model::{Escalation, Evidence};
use crate::providers::aws::{ROLE, USER};

use super::catalog::catalog;
use super::effective::{Effective, Target};

/// Which of the principal's own resources the first step may also target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Only every resource (`*`) counts.
    Any,
    /// A customer managed policy attached to the principal.
    OwnPolicy,
    /// The principal itself, when it is a user.
    OwnUser,
    /// A group the principal is in.
    OwnGroup,
    /// The principal itself, when it is a role.
    OwnRole,
}

/// One escalation path.
#[derive(Debug)]
pub struct Path {
    /// kebab-case id, used in findings and the docs.
    pub id: &'static str,
    /// How the path raises privilege.
    pub summary: &'static str,
    /// Each step needs one of its actions.
    pub steps: &'static [&'static [&'static str]],
    pub reach: Reach,
}

const PASS_ROLE: &[&str] = &["iam:PassRole"];

/// Every path nhiscan checks, in the docs' order.
pub const PATHS: &[Path] = &[
    Path {
        id: "create-policy-version",
        summary: "write a new default version of a managed policy the principal holds",
        steps: &[&["iam:CreatePolicyVersion"]],
        reach: Reach::OwnPolicy,
    },
    Path {
        id: "set-default-policy-version",
        summary: "switch a managed policy the principal holds to a more permissive old version",
        steps: &[&["iam:SetDefaultPolicyVersion"]],
        reach: Reach::OwnPolicy,
    },
    Path {
        id: "attach-user-policy",
        summary: "attach any managed policy (AdministratorAccess) to a user, itself included",
        steps: &[&["iam:AttachUserPolicy"]],
        reach: Reach::OwnUser,
    },
    Path {
        id: "attach-group-policy",
        summary: "attach any managed policy to a group the principal is in",
        steps: &[&["iam:AttachGroupPolicy"]],
        reach: Reach::OwnGroup,
    },
    Path {
        id: "attach-role-policy",
        summary: "attach any managed policy to a role, itself included",
        steps: &[&["iam:AttachRolePolicy"]],
        reach: Reach::OwnRole,
    },
    Path {
        id: "put-user-policy",
        summary: "write an inline policy on a user, itself included",
        steps: &[&["iam:PutUserPolicy"]],
        reach: Reach::OwnUser,
    },
    Path {
        id: "put-group-policy",
        summary: "write an inline policy on a group the principal is in",
        steps: &[&["iam:PutGroupPolicy"]],
        reach: Reach::OwnGroup,
    },
    Path {
        id: "put-role-policy",
        summary: "write an inline policy on a role, itself included",
        steps: &[&["iam:PutRolePolicy"]],
        reach: Reach::OwnRole,
    },
    Path {
        id: "add-user-to-group",
        summary: "add itself to a more privileged group",
        steps: &[&["iam:AddUserToGroup"]],
        reach: Reach::Any,
    },
    Path {
        id: "create-access-key",
        summary: "create an access key for another, more privileged user",
        steps: &[&["iam:CreateAccessKey"]],
        reach: Reach::Any,
    },
    Path {
        id: "create-login-profile",
        summary: "give another user a console password and sign in as them",
        steps: &[&["iam:CreateLoginProfile"]],
        reach: Reach::Any,
    },
    Path {
        id: "update-login-profile",
        summary: "reset another user's console password and sign in as them",
        steps: &[&["iam:UpdateLoginProfile"]],
        reach: Reach::Any,
    },
    Path {
        id: "update-assume-role-policy",
        summary: "rewrite a privileged role's trust policy to let itself in",
        steps: &[&["iam:UpdateAssumeRolePolicy"]],
        reach: Reach::Any,
    },
    Path {
        id: "pass-role-ec2",
        summary: "launch an instance with a privileged role and use its credentials",
        steps: &[PASS_ROLE, &["ec2:RunInstances", "ec2:RequestSpotInstances"]],
        reach: Reach::Any,
    },
    Path {
        id: "pass-role-lambda",
        summary: "create a function with a privileged role, then invoke it or trigger it from an event source",
        steps: &[
            PASS_ROLE,
            &["lambda:CreateFunction"],
            &["lambda:InvokeFunction", "lambda:CreateEventSourceMapping"],
        ],
        reach: Reach::Any,
    },
    Path {
        id: "pass-role-lambda-add-permission",
        summary: "create a function with a privileged role, then let itself (or a service it controls) invoke it",
        steps: &[
            PASS_ROLE,
            &["lambda:CreateFunction"],
            &["lambda:AddPermission"],
        ],
        reach: Reach::Any,
    },
    Path {
        id: "pass-role-glue-dev-endpoint",
        summary: "create a Glue development endpoint with a privileged role and log in to it",
        steps: &[PASS_ROLE, &["glue:CreateDevEndpoint"]],
        reach: Reach::Any,
    },
    Path {
        id: "pass-role-glue-job",
        summary: "create or update a Glue job with a privileged role, then run it",
        steps: &[
            PASS_ROLE,
            &["glue:CreateJob", "glue:UpdateJob"],
            &["glue:StartJobRun", "glue:CreateTrigger"],
        ],
        reach: Reach::Any,
    },
    Path {
        id: "pass-role-cloudformation",
        summary: "create a stack that runs as a privileged role",
        steps: &[PASS_ROLE, &["cloudformation:CreateStack"]],
        reach: Reach::Any,
    },
    Path {
        id: "pass-role-codebuild",
        summary: "create a CodeBuild project with a privileged role and start a build",
        steps: &[
            PASS_ROLE,
            &["codebuild:CreateProject"],
            &["codebuild:StartBuild", "codebuild:StartBuildBatch"],
        ],
        reach: Reach::Any,
    },
    Path {
        id: "pass-role-sagemaker",
        summary: "create a notebook, training or processing job that runs as a privileged role",
        steps: &[
            PASS_ROLE,
            &[
                "sagemaker:CreateNotebookInstance",
                "sagemaker:CreateTrainingJob",
                "sagemaker:CreateProcessingJob",
            ],
        ],
        reach: Reach::Any,
    },
    Path {
        id: "pass-role-datapipeline",
        summary: "create a data pipeline that runs commands as a privileged role",
        steps: &[
            PASS_ROLE,
            &["datapipeline:CreatePipeline"],
            &["datapipeline:PutPipelineDefinition"],
            &["datapipeline:ActivatePipeline"],
        ],
        reach: Reach::Any,
    },
    Path {
        id: "pass-role-ecs",
        summary: "register a task definition with a privileged role and run it",
        steps: &[
            PASS_ROLE,
            &["ecs:RegisterTaskDefinition"],
            &["ecs:RunTask", "ecs:StartTask", "ecs:CreateService"],
        ],
        reach: Reach::Any,
    },
    Path {
        id: "pass-role-apprunner",
        summary: "create an App Runner service whose instance role is privileged",
        steps: &[PASS_ROLE, &["apprunner:CreateService"]],
        reach: Reach::Any,
    },
    Path {
        id: "pass-role-bedrock-agentcore",
        summary: "create a Bedrock AgentCore code interpreter with a privileged role and run code in it",
        steps: &[
            PASS_ROLE,
            &["bedrock-agentcore:CreateCodeInterpreter"],
            &["bedrock-agentcore:StartCodeInterpreterSession"],
            &["bedrock-agentcore:InvokeCodeInterpreter"],
        ],
        reach: Reach::Any,
    },
    Path {
        id: "pass-role-cloudformation-stackset",
        summary: "create or update a stack set whose execution runs as a privileged role",
        steps: &[
            PASS_ROLE,
            &["cloudformation:CreateStackSet", "cloudformation:UpdateStackSet"],
            &["cloudformation:CreateStackInstances", "cloudformation:UpdateStackSet"],
        ],
        reach: Reach::Any,
    },
    Path {
        id: "assume-any-role",
        summary: "assume any role whose trust policy trusts the account",
        steps: &[&["sts:AssumeRole"]],
        reach: Reach::Any,
    },
    Path {
        id: "update-lambda-code",
        summary: "replace the code of a function that runs with a privileged role",
        steps: &[&["lambda:UpdateFunctionCode"]],
        reach: Reach::Any,
    },
    Path {
        id: "update-glue-dev-endpoint",
        summary: "add an SSH key to a Glue development endpoint that runs with a privileged role",
        steps: &[&["glue:UpdateDevEndpoint"]],
        reach: Reach::Any,
    },
    Path {
        id: "update-cloudformation-stack",
        summary: "update a stack whose service role is privileged",
        steps: &[&["cloudformation:UpdateStack"]],
        reach: Reach::Any,
    },
    Path {
        id: "sagemaker-notebook-url",
        summary: "open a presigned URL to a notebook that runs with a privileged role",
        steps: &[&["sagemaker:CreatePresignedNotebookInstanceUrl"]],
        reach: Reach::Any,
    },
    Path {
        id: "ec2-instance-connect",
        summary: "push an SSH key to an instance and use its role's credentials",
        steps: &[&["ec2-instance-connect:SendSSHPublicKey"]],
        reach: Reach::Any,
    },
    Path {
        id: "ssm-send-command",
        summary: "run commands on an instance and use its role's credentials",
        steps: &[&["ssm:SendCommand"]],
        reach: Reach::Any,
    },
    Path {
        id: "ssm-start-session",
        summary: "open a shell on an instance and use its role's credentials",
        steps: &[&["ssm:StartSession"]],
        reach: Reach::Any,
    },
];

/// The principal's own resources a first step of `reach` may target.
fn own_targets(eff: &Effective, reach: Reach) -> Vec<String> {
    let item = &eff.identity.item;
    match reach {
        Reach::Any => Vec::new(),
        Reach::OwnUser if item.kind == USER => vec![item.id.clone()],
        Reach::OwnRole if item.kind == ROLE => vec![item.id.clone()],
        Reach::OwnUser | Reach::OwnRole => Vec::new(),
        Reach::OwnGroup => eff
            .details
            .groups
            .iter()
            .map(|g| format!("arn:aws:iam::{}:group/{g}", item.scope))
            .collect(),
        Reach::OwnPolicy => {
            let mut arns: Vec<String> = eff
                .details
                .policies
                .iter()
                .filter_map(|p| p.arn.clone())
                .filter(|a| !a.starts_with("arn:aws:iam::aws:"))
                .collect();
            arns.sort_unstable();
            arns.dedup();
            arns
        }
    }
}

/// The catalogue index of every action of every path, looked up once.
static INDICES: LazyLock<Vec<Vec<Vec<Option<usize>>>>> = LazyLock::new(|| {
    PATHS
        .iter()
        .map(|p| {
            p.steps
                .iter()
                .map(|s| s.iter().map(|a| catalog().find(a)).collect())
                .collect()
        })
        .collect()
});

/// The open paths, in [`PATHS`] order, without asking whether anything is
/// there to escalate to (used when the account's principals are not known,
/// such as a saved snapshot; see [`super::graph`] for the exact answer).
pub fn find(eff: &Effective) -> Vec<Escalation> {
    let mut out = Vec::new();
    for (n, path) in PATHS.iter().enumerate() {
        let own = own_targets(eff, path.reach);
        let mut targets = vec![None];
        targets.extend(own.iter().map(|t| Some(t.as_str())));
        if let Some(e) = open(eff, n, &targets) {
            out.push(e);
        }
    }
    out
}

/// Whether path `n` may be open: each step has an action allowed on some
/// resource. A cheap test before trying targets one by one.
pub fn may_open(eff: &Effective, n: usize) -> bool {
    INDICES[n]
        .iter()
        .all(|step| step.iter().flatten().any(|&i| eff.some.contains(i)))
}

/// Path `n` if every step is granted: the first step on the first of
/// `targets` that a grant reaches (`None` = every resource), the rest on
/// every resource.
pub fn open(eff: &Effective, n: usize, targets: &[Option<&str>]) -> Option<Escalation> {
    let (path, indices) = (&PATHS[n], &INDICES[n]);
    let mut actions = Vec::new();
    let mut evidence: Vec<Evidence> = Vec::new();
    for (k, (step, step_indices)) in path.steps.iter().zip(indices).enumerate() {
        let here: &[Option<&str>] = if k == 0 { targets } else { &[None] };
        let mut found = false;
        for (action, index) in step.iter().zip(step_indices) {
            let Some(index) = *index else {
                continue;
            };
            // Every resource first; else the first own resource reached.
            let hit = here.iter().find_map(|t| {
                let target = t.map_or(Target::Any, Target::Arn);
                let grants = eff.grants_for(index, target);
                (!grants.is_empty()).then_some((t, grants))
            });
            let Some((target, grants)) = hit else {
                continue;
            };
            found = true;
            // Own resources are named in the fallback (first target `*`);
            // the graph names its target on the escalation instead.
            let name = match target {
                Some(arn) if targets[0].is_none() => format!("{action} on {arn}"),
                _ => action.to_string(),
            };
            for g in grants {
                let e = g.evidence(vec![name.clone()]);
                match evidence
                    .iter_mut()
                    .find(|x| x.policy == e.policy && x.via == e.via && x.statement == e.statement)
                {
                    Some(x) => x.actions.push(name.clone()),
                    None => evidence.push(e),
                }
            }
            actions.push(name);
        }
        if !found {
            return None;
        }
    }
    Some(Escalation {
        path: path.id.to_string(),
        actions,
        evidence,
        target: None,
        chain: Vec::new(),
        existing_resources: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Identity, Item, Kind};
    use crate::providers::aws::details::{of_mut, AttachedPolicy, IdentityDetails};
    use serde_json::{json, Value};
    use std::sync::Arc;

    const ACCOUNT: &str = "111122223333";

    fn principal(kind: Kind, name: &str, statements: Value) -> Identity {
        let mut i = Identity::new(Item::new(
            format!("arn:aws:iam::{ACCOUNT}:{kind}/{name}"),
            "aws",
            ACCOUNT.into(),
            kind,
            name.into(),
        ));
        i.item.details = Some(Box::new(IdentityDetails {
            policies_known: true,
            policies: vec![AttachedPolicy {
                name: "team-app".into(),
                arn: Some(format!("arn:aws:iam::{ACCOUNT}:policy/team-app")),
                via: "managed".into(),
                document: Some(Arc::new(
                    json!({"Version": "2012-10-17", "Statement": statements}),
                )),
            }],
            groups: vec!["builders".into()],
            ..IdentityDetails::default()
        }));
        i
    }

    fn open(identity: &Identity) -> Vec<String> {
        find(&Effective::of(identity))
            .into_iter()
            .map(|e| e.path)
            .collect()
    }

    fn allow(actions: &[&str], resource: &str) -> Value {
        json!([{"Effect": "Allow", "Action": actions, "Resource": resource}])
    }

    #[test]
    fn every_path_action_is_in_the_catalogue_and_ids_are_unique() {
        let mut ids = std::collections::BTreeSet::new();
        for p in PATHS {
            assert!(ids.insert(p.id), "duplicate {}", p.id);
            for a in p.steps.iter().flat_map(|s| s.iter()) {
                assert!(catalog().find(a).is_some(), "{}: {a} unknown", p.id);
            }
        }
    }

    #[test]
    fn every_path_is_documented_under_the_rule() {
        let page = include_str!("../../../../docs/rules/privilege-escalation.md");
        for p in PATHS {
            let row = page
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", p.id)))
                .unwrap_or_else(|| {
                    panic!("docs/rules/privilege-escalation.md lists no path {}", p.id)
                });
            for a in p.steps.iter().flat_map(|s| s.iter()) {
                assert!(
                    row.contains(&format!("`{a}`")),
                    "{}: the docs row lacks {a}",
                    p.id
                );
            }
        }
    }

    /// Each path, positive and negative: granting one action per step on `*`
    /// opens it (and names it); leaving out any one step keeps it closed.
    #[test]
    fn each_path_opens_with_all_its_steps_and_not_without_any_one() {
        for path in PATHS {
            for alternative in 0..path.steps.iter().map(|s| s.len()).max().unwrap() {
                let chosen: Vec<&str> = path
                    .steps
                    .iter()
                    .map(|s| s[alternative.min(s.len() - 1)])
                    .collect();
                let p = principal(USER, "u", allow(&chosen, "*"));
                let found = find(&Effective::of(&p));
                let hit = found.iter().find(|e| e.path == path.id);
                let hit = hit.unwrap_or_else(|| panic!("{} not found with {chosen:?}", path.id));
                assert_eq!(hit.actions, chosen, "{}", path.id);
                assert_eq!(hit.evidence[0].statement.as_deref(), Some("0"));
                assert_eq!(
                    hit.evidence[0].policy,
                    format!("arn:aws:iam::{ACCOUNT}:policy/team-app")
                );
            }
            for missing in 0..path.steps.len() {
                let chosen: Vec<&str> = path
                    .steps
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != missing)
                    .map(|(_, s)| s[0])
                    .collect();
                let p = principal(USER, "u", allow(&chosen, "*"));
                assert!(
                    !open(&p).contains(&path.id.to_string()),
                    "{} found without {:?}",
                    path.id,
                    path.steps[missing]
                );
            }
        }
    }

    #[test]
    fn a_step_scoped_to_a_named_resource_does_not_open_a_path() {
        let p = principal(
            USER,
            "u",
            json!([
                {"Effect": "Allow", "Action": "iam:PassRole", "Resource": format!("arn:aws:iam::{ACCOUNT}:role/app")},
                {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"},
                {"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "arn:aws:iam::*:user/${aws:username}"}
            ]),
        );
        assert!(open(&p).is_empty(), "{:?}", open(&p));
        // A type wildcard is every resource of the kind.
        let p = principal(
            USER,
            "u",
            allow(&["iam:CreateAccessKey"], "arn:aws:iam::*:user/*"),
        );
        assert_eq!(open(&p), ["create-access-key"]);
    }

    #[test]
    fn policy_editing_paths_also_reach_the_principals_own_resources() {
        // Only its own policy's name fits the pattern: still an escalation.
        let p = principal(
            USER,
            "u",
            allow(&["iam:CreatePolicyVersion"], "arn:aws:iam::*:policy/team-*"),
        );
        let found = find(&Effective::of(&p));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].actions,
            [format!(
                "iam:CreatePolicyVersion on arn:aws:iam::{ACCOUNT}:policy/team-app"
            )]
        );
        let other = principal(
            USER,
            "u",
            allow(
                &["iam:CreatePolicyVersion"],
                "arn:aws:iam::aws:policy/team-*",
            ),
        );
        assert!(
            open(&other).is_empty(),
            "AWS managed policies cannot be edited"
        );

        let me = principal(
            USER,
            "u",
            allow(
                &["iam:PutUserPolicy"],
                "arn:aws:iam::*:user/${aws:username}",
            ),
        );
        assert_eq!(open(&me), ["put-user-policy"]);
        let role = principal(
            ROLE,
            "r",
            allow(
                &["iam:AttachRolePolicy"],
                &format!("arn:aws:iam::{ACCOUNT}:role/r"),
            ),
        );
        assert_eq!(open(&role), ["attach-role-policy"]);
        let not_me = principal(
            ROLE,
            "r",
            allow(
                &["iam:AttachRolePolicy"],
                &format!("arn:aws:iam::{ACCOUNT}:role/x"),
            ),
        );
        assert!(open(&not_me).is_empty());
        let group = principal(
            USER,
            "u",
            allow(
                &["iam:PutGroupPolicy"],
                &format!("arn:aws:iam::{ACCOUNT}:group/builders"),
            ),
        );
        assert_eq!(open(&group), ["put-group-policy"]);
    }

    #[test]
    fn steps_split_across_policies_combine_and_a_deny_closes_them() {
        let mut p = principal(ROLE, "r", allow(&["iam:PassRole"], "*"));
        of_mut(&mut p).policies.push(AttachedPolicy {
            name: "ec2".into(),
            arn: None,
            via: "inline".into(),
            document: Some(Arc::new(json!({"Statement": {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}}))),
        });
        let found = find(&Effective::of(&p));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "pass-role-ec2");
        assert_eq!(found[0].evidence.len(), 2, "{:?}", found[0].evidence);
        of_mut(&mut p).policies.push(AttachedPolicy {
            name: "guard".into(),
            arn: None,
            via: "inline".into(),
            document: Some(Arc::new(
                json!({"Statement": {"Effect": "Deny", "Action": "iam:Pass*", "Resource": "*"}}),
            )),
        });
        assert!(open(&p).is_empty());
    }
}
