//! The OWASP Non-Human Identities Top 10 (2025), which each rule names.

use std::fmt;

/// One risk of the OWASP Non-Human Identities Top 10 (2025).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Risk {
    Nhi1,
    Nhi2,
    Nhi3,
    Nhi4,
    Nhi5,
    Nhi6,
    Nhi7,
    Nhi8,
    Nhi9,
    Nhi10,
}

impl Risk {
    /// `NHI1` to `NHI10`.
    pub fn id(self) -> &'static str {
        self.parts().0
    }

    /// The risk's title in the 2025 list.
    pub fn title(self) -> &'static str {
        self.parts().1
    }

    fn parts(self) -> (&'static str, &'static str) {
        match self {
            Risk::Nhi1 => ("NHI1", "Improper Offboarding"),
            Risk::Nhi2 => ("NHI2", "Secret Leakage"),
            Risk::Nhi3 => ("NHI3", "Vulnerable Third-Party NHI"),
            Risk::Nhi4 => ("NHI4", "Insecure Authentication"),
            Risk::Nhi5 => ("NHI5", "Overprivileged NHI"),
            Risk::Nhi6 => ("NHI6", "Insecure Cloud Deployment Configurations"),
            Risk::Nhi7 => ("NHI7", "Long-Lived Secrets"),
            Risk::Nhi8 => ("NHI8", "Environment Isolation"),
            Risk::Nhi9 => ("NHI9", "NHI Reuse"),
            Risk::Nhi10 => ("NHI10", "Human Use of NHI"),
        }
    }

    /// The tag used in JSON and SARIF rule metadata: `owasp-nhi:NHI7`.
    pub fn tag(self) -> String {
        format!("owasp-nhi:{}", self.id())
    }
}

impl fmt::Display for Risk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.id(), self.title())
    }
}
