//! AWS policy documents: parsing ([`document`]), the action catalogue they
//! name ([`catalog`], [`actions`]), a principal's effective permissions
//! ([`effective`]), the privilege level and escalation paths they give
//! ([`privilege`], [`escalation`]), the account's principal graph
//! ([`graph`]: who can obtain whose permissions) and what a role's trust policy lets in
//! ([`trust`]).

pub mod actions;
pub mod catalog;
pub mod document;
pub mod effective;
pub mod escalation;
pub mod graph;
pub mod privilege;
pub mod trust;
pub mod wildcard;

pub use document::{Effect, PolicyDocument, Statement};

/// Whether an IAM pattern (`s3:Get*`, `*`, `iam:?ass*`, an ARN with
/// wildcards) matches a concrete text. ASCII case-insensitive, as AWS matches
/// actions; `?` matches one byte.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    // Iterative glob match with backtracking on the last `*`.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi].eq_ignore_ascii_case(&t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;

    #[test]
    fn matches_like_aws() {
        assert!(wildcard_match("*", "iam:PassRole"));
        assert!(wildcard_match("iam:*", "IAM:PassRole"));
        assert!(wildcard_match("iam:pass*", "iam:PassRole"));
        assert!(wildcard_match("s3:?etObject", "s3:GetObject"));
        assert!(wildcard_match("iam:*Policy*", "iam:PutUserPolicy"));
        assert!(wildcard_match(
            "arn:aws:iam::*:user/*",
            "arn:aws:iam::1:user/a/b"
        ));
        assert!(!wildcard_match("iam:Get*", "iam:PassRole"));
        assert!(!wildcard_match("s3:*", "iam:PassRole"));
        assert!(!wildcard_match("iam:PassRole", "iam:PassRoles"));
        assert!(!wildcard_match("a?", "a"));
    }
}
