//! AWS policy documents: parsing ([`document`]), the privilege level they grant
//! ([`privilege`]) and what a role's trust policy lets in ([`trust`]).

pub mod document;
pub mod privilege;
pub mod trust;

pub use document::{Effect, PolicyDocument, Statement};

/// Whether an IAM action pattern (`s3:Get*`, `*`, `iam:?ass*`) matches a
/// concrete action or pattern text. Case-insensitive, as AWS matches actions.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let t: Vec<char> = text.to_ascii_lowercase().chars().collect();
    // Iterative glob match with backtracking on the last `*`.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
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
    p[pi..].iter().all(|&c| c == '*')
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
        assert!(!wildcard_match("iam:Get*", "iam:PassRole"));
        assert!(!wildcard_match("s3:*", "iam:PassRole"));
        assert!(!wildcard_match("iam:PassRole", "iam:PassRoles"));
    }
}
