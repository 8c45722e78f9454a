//! A typed view of an IAM policy document: `Statement` as object or array,
//! `Action`/`NotAction`, `Resource`/`NotResource` and `Principal` as string or
//! array. `Condition` is kept, not evaluated.

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
    /// The raw `Condition` block, when present.
    pub condition: Option<Value>,
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

    /// Condition keys used, lowercased (`sts:externalid`, `aws:principalorgid`).
    pub fn condition_keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        if let Some(Value::Object(ops)) = &self.condition {
            for block in ops.values() {
                if let Value::Object(k) = block {
                    keys.extend(k.keys().map(|s| s.to_ascii_lowercase()));
                }
            }
        }
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
        condition: obj.get("Condition").cloned(),
    })
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
        assert_eq!(s[1].condition_keys(), vec!["sts:externalid"]);
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
    }
}
