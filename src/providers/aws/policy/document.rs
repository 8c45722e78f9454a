//! A typed view of an IAM policy document: `Version`, `Statement` as object
//! or array, `Effect`, `Action`/`NotAction`, `Resource`/`NotResource` and
//! `Principal`/`NotPrincipal`, each a string or an array. `Condition` is
//! parsed into [`Condition`] tests and recorded, not evaluated.

use std::collections::BTreeMap;

use serde_json::Value;

/// A parsed policy document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicyDocument {
    pub version: Option<String>,
    pub statements: Vec<Statement>,
}

/// Allow or Deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// Who a statement applies to, in resource and trust policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// `"Principal": "*"`.
    Any,
    /// `{"AWS": [...], "Service": [...], "Federated": [...]}`.
    Typed(BTreeMap<String, Vec<String>>),
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Position in the document.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub action: Vec<String>,
    pub not_action: Vec<String>,
    pub resource: Vec<String>,
    pub not_resource: Vec<String>,
    pub principal: Option<Principal>,
    pub not_principal: Option<Principal>,
    /// The `Condition` block, one entry per operator and key.
    pub conditions: Vec<Condition>,
}

/// One test of a `Condition` block: `"StringLike": {"aws:PrincipalArn": ["arn:..."]}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// As written, with any `ForAnyValue:`/`ForAllValues:` prefix and `IfExists` suffix.
    pub operator: String,
    /// As written (`aws:PrincipalOrgID`); keys are case-insensitive.
    pub key: String,
    /// Values as text (`true`, `42` for booleans and numbers).
    pub values: Vec<String>,
}

impl Condition {
    /// The operator without set prefix or `IfExists`, lowercased (`stringlike`).
    pub fn base_operator(&self) -> String {
        let op = self.operator.to_ascii_lowercase();
        let op = op.rsplit(':').next().unwrap_or_default();
        op.strip_suffix("ifexists").unwrap_or(op).to_string()
    }

    /// Whether the key must be present and match: not a negated operator
    /// (`StringNotEquals`, `NotIpAddress`), not `...IfExists`, not `Null`,
    /// not `ForAllValues:` (which an absent key satisfies).
    pub fn is_positive(&self) -> bool {
        let op = self.operator.to_ascii_lowercase();
        let base = self.base_operator();
        !op.ends_with("ifexists")
            && !op.starts_with("forallvalues:")
            && !base.contains("not")
            && base != "null"
    }

    /// Whether values are patterns (`StringLike`, `ArnLike`, `ArnEquals`).
    pub fn is_like(&self) -> bool {
        let base = self.base_operator();
        base.ends_with("like") || base.starts_with("arn")
    }

    /// Whether the key is `key` (case-insensitive).
    pub fn is_key(&self, key: &str) -> bool {
        self.key.eq_ignore_ascii_case(key)
    }
}

impl Statement {
    /// `0`, or `0 (Sid)` when the statement has a Sid.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(sid) if !sid.is_empty() => format!("{} ({sid})", self.index),
            _ => self.index.to_string(),
        }
    }

    /// Whether the statement applies to every resource (`*` or a `NotResource`).
    pub fn all_resources(&self) -> bool {
        self.resource.iter().any(|r| r == "*") || !self.not_resource.is_empty()
    }

    /// Condition keys used, as written, sorted and without duplicates.
    pub fn condition_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.conditions.iter().map(|c| c.key.clone()).collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

impl PolicyDocument {
    /// Parses a decoded document. Unknown keys are ignored; a missing or
    /// invalid `Effect`, or a field of the wrong type, is an error.
    pub fn parse(value: &Value) -> Result<Self, String> {
        let obj = value
            .as_object()
            .ok_or("policy document is not a JSON object")?;
        let version = obj
            .get("Version")
            .and_then(Value::as_str)
            .map(str::to_string);
        let raw: Vec<&Value> = match obj.get("Statement") {
            None => Vec::new(),
            Some(Value::Array(a)) => a.iter().collect(),
            Some(v @ Value::Object(_)) => vec![v],
            Some(_) => return Err("Statement is neither an object nor an array".into()),
        };
        let statements = raw
            .into_iter()
            .enumerate()
            .map(|(i, s)| statement(i, s).map_err(|e| format!("Statement {i}: {e}")))
            .collect::<Result<_, _>>()?;
        Ok(PolicyDocument {
            version,
            statements,
        })
    }
}

impl PolicyDocument {
    /// Parses what can be parsed: the valid statements, and one message per
    /// statement (or for the document) that is not valid. Evaluation uses
    /// this so that a bad statement never silently drops its valid siblings;
    /// the caller must surface the messages (the importers already reject
    /// such documents, so this is reached only by inventories built another
    /// way, such as a saved snapshot).
    pub fn parse_lenient(value: &Value) -> (Self, Vec<String>) {
        let Some(obj) = value.as_object() else {
            return (Self::default(), vec!["policy document is not a JSON object".into()]);
        };
        let version = obj
            .get("Version")
            .and_then(Value::as_str)
            .map(str::to_string);
        let raw: Vec<&Value> = match obj.get("Statement") {
            None => Vec::new(),
            Some(Value::Array(a)) => a.iter().collect(),
            Some(v @ Value::Object(_)) => vec![v],
            Some(_) => {
                return (
                    Self::default(),
                    vec!["Statement is neither an object nor an array".into()],
                )
            }
        };
        let mut statements = Vec::new();
        let mut errors = Vec::new();
        for (i, s) in raw.into_iter().enumerate() {
            match statement(i, s) {
                Ok(s) => statements.push(s),
                Err(e) => errors.push(format!("Statement {i}: {e}")),
            }
        }
        (
            PolicyDocument {
                version,
                statements,
            },
            errors,
        )
    }
}

/// The statement number a parse message starts with (`Statement 3: ...` → `3`).
pub fn statement_of(message: &str) -> Option<&str> {
    let (n, _) = message.strip_prefix("Statement ")?.split_once(':')?;
    (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then_some(n)
}

fn statement(index: usize, value: &Value) -> Result<Statement, String> {
    let obj = value.as_object().ok_or("not an object")?;
    let effect = match obj.get("Effect").and_then(Value::as_str) {
        Some(e) if e.eq_ignore_ascii_case("allow") => Effect::Allow,
        Some(e) if e.eq_ignore_ascii_case("deny") => Effect::Deny,
        other => return Err(format!("Effect must be Allow or Deny, got {other:?}")),
    };
    Ok(Statement {
        index,
        sid: obj.get("Sid").and_then(Value::as_str).map(str::to_string),
        effect,
        action: strings(obj.get("Action"), "Action")?,
        not_action: strings(obj.get("NotAction"), "NotAction")?,
        resource: strings(obj.get("Resource"), "Resource")?,
        not_resource: strings(obj.get("NotResource"), "NotResource")?,
        principal: obj.get("Principal").map(principal).transpose()?,
        not_principal: obj.get("NotPrincipal").map(principal).transpose()?,
        conditions: obj
            .get("Condition")
            .map(conditions)
            .transpose()?
            .unwrap_or_default(),
    })
}

/// `{"Operator": {"key": value-or-values}}`.
fn conditions(value: &Value) -> Result<Vec<Condition>, String> {
    let ops = value.as_object().ok_or("Condition is not an object")?;
    let mut out = Vec::new();
    for (operator, tests) in ops {
        let tests = tests
            .as_object()
            .ok_or_else(|| format!("Condition {operator} is not an object"))?;
        for (key, v) in tests {
            let scalar = |v: &Value| match v {
                Value::String(s) => Ok(s.clone()),
                Value::Bool(_) | Value::Number(_) => Ok(v.to_string()),
                _ => Err(format!("Condition {operator} {key} holds a non-scalar")),
            };
            let values = match v {
                Value::Array(a) => a.iter().map(scalar).collect::<Result<_, _>>()?,
                other => vec![scalar(other)?],
            };
            out.push(Condition {
                operator: operator.clone(),
                key: key.clone(),
                values,
            });
        }
    }
    Ok(out)
}

/// A string or an array of strings.
fn strings(value: Option<&Value>, field: &str) -> Result<Vec<String>, String> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("{field} holds a non-string"))
            })
            .collect(),
        Some(_) => Err(format!("{field} is neither a string nor an array")),
    }
}

fn principal(value: &Value) -> Result<Principal, String> {
    match value {
        Value::String(s) if s == "*" => Ok(Principal::Any),
        Value::Object(map) => {
            let mut typed = BTreeMap::new();
            for (k, v) in map {
                typed.insert(k.clone(), strings(Some(v), "Principal")?);
            }
            Ok(Principal::Typed(typed))
        }
        _ => Err("Principal must be \"*\" or an object".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statement_as_object_or_array_and_strings_or_arrays() {
        let one = PolicyDocument::parse(&json!({
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
        }))
        .unwrap();
        assert_eq!(one.statements.len(), 1);
        assert_eq!(one.statements[0].action, vec!["s3:GetObject"]);
        assert!(one.statements[0].all_resources());

        let many = PolicyDocument::parse(&json!({
            "Statement": [
                {"Sid": "A", "Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "NotResource": "arn:x"},
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "sts:AssumeRole",
                 "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}
            ]
        }))
        .unwrap();
        let s = &many.statements;
        assert_eq!(s[0].effect, Effect::Deny);
        assert_eq!(s[0].label(), "0 (A)");
        assert_eq!(s[0].not_action, vec!["iam:*", "sts:*"]);
        assert!(s[0].all_resources());
        assert_eq!(s[1].condition_keys(), vec!["sts:ExternalId"]);
        assert_eq!(
            s[1].conditions,
            vec![Condition {
                operator: "StringEquals".into(),
                key: "sts:ExternalId".into(),
                values: vec!["x".into()]
            }]
        );
        match &s[1].principal {
            Some(Principal::Typed(m)) => assert_eq!(m["AWS"], vec!["arn:aws:iam::1:root"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rejects_bad_effect_and_types() {
        let e = PolicyDocument::parse(&json!({"Statement": [{"Effect": "Maybe"}]})).unwrap_err();
        assert!(e.contains("Statement 0") && e.contains("Maybe"), "{e}");
        let e = PolicyDocument::parse(&json!({"Statement": {"Effect": "Allow", "Action": 3}}))
            .unwrap_err();
        assert!(e.contains("Action"), "{e}");
        assert!(PolicyDocument::parse(&json!("x")).is_err());
        let e = PolicyDocument::parse(
            &json!({"Statement": {"Effect": "Allow", "Condition": {"Bool": {"k": {"x": 1}}}}}),
        )
        .unwrap_err();
        assert!(e.contains("Condition Bool k"), "{e}");
    }

    #[test]
    fn conditions_of_every_value_shape_and_their_operators() {
        let doc = PolicyDocument::parse(&json!({"Version": "2012-10-17", "Statement": {
            "Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {
                "ForAnyValue:StringLikeIfExists": {"aws:PrincipalOrgPaths": ["o-1/*", "o-2/*"]},
                "Bool": {"aws:SecureTransport": true},
                "NumericLessThan": {"s3:max-keys": 10},
                "StringNotEquals": {"aws:PrincipalAccount": "111122223333"}
            }
        }}))
        .unwrap();
        assert_eq!(doc.version.as_deref(), Some("2012-10-17"));
        let c = &doc.statements[0].conditions;
        assert_eq!(c.len(), 4);
        let find = |key: &str| c.iter().find(|c| c.is_key(key)).unwrap();
        let paths = find("AWS:PrincipalOrgPaths");
        assert_eq!(paths.values, vec!["o-1/*", "o-2/*"]);
        assert_eq!(paths.base_operator(), "stringlike");
        assert!(
            paths.is_like() && !paths.is_positive(),
            "IfExists is not positive"
        );
        assert_eq!(find("aws:SecureTransport").values, vec!["true"]);
        assert!(find("aws:SecureTransport").is_positive());
        assert_eq!(find("s3:max-keys").values, vec!["10"]);
        assert!(!find("aws:PrincipalAccount").is_positive());
    }
}
