//! `nhiscan scan --aws` and its options.

use clap::Args;

use super::live::Options;
use crate::providers::Live;

/// `--aws` and its options.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Live AWS")]
pub struct AwsArgs {
    /// Scan live AWS IAM (read-only) with the default credential chain.
    #[arg(long)]
    pub aws: bool,

    /// Named profile from ~/.aws/config.
    #[arg(long, value_name = "NAME", requires = "aws")]
    pub aws_profile: Option<String>,

    /// Region; IAM is global, so this only picks the partition's endpoint (default us-east-1).
    #[arg(long, value_name = "REGION", requires = "aws")]
    pub aws_region: Option<String>,

    /// One endpoint for IAM, STS and Organizations (also read from AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL", requires = "aws")]
    pub aws_endpoint_url: Option<String>,

    /// Scan every account of the Organization through this role (e.g. OrganizationAccountAccessRole).
    #[arg(long, value_name = "ROLE_NAME", requires = "aws")]
    pub aws_org_role: Option<String>,

    /// With --aws-org-role: only these accounts.
    #[arg(
        long,
        value_name = "ID,...",
        value_delimiter = ',',
        requires = "aws_org_role"
    )]
    pub aws_accounts: Vec<String>,

    /// With --aws-org-role: the external id the role's trust policy requires.
    #[arg(long, value_name = "ID", requires = "aws_org_role")]
    pub aws_external_id: Option<String>,
}

impl AwsArgs {
    /// The live-scan options, when `--aws` was given.
    pub fn options(self, live: &Live) -> Option<Options> {
        self.aws.then(|| Options {
            profile: self.aws_profile,
            region: self.aws_region,
            endpoint_url: self.aws_endpoint_url,
            org_role: self.aws_org_role,
            accounts: self.aws_accounts,
            external_id: self.aws_external_id,
            concurrency: live.concurrency,
            progress: live.progress.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, FromArgMatches, Parser};

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        aws: AwsArgs,
    }

    fn parse(args: &[&str]) -> Result<AwsArgs, clap::Error> {
        let matches = Cli::command().try_get_matches_from(args)?;
        AwsArgs::from_arg_matches(&matches)
    }

    fn live() -> Live {
        Live {
            concurrency: 4,
            progress: crate::progress::Progress::hidden(),
        }
    }

    #[test]
    fn flags_become_options() {
        let a = parse(&[
            "x",
            "--aws",
            "--aws-profile",
            "audit",
            "--aws-org-role",
            "Reader",
            "--aws-accounts",
            "111122223333,444455556666",
            "--aws-external-id",
            "e",
        ])
        .unwrap();
        let o = a.options(&live()).unwrap();
        assert_eq!(o.profile.as_deref(), Some("audit"));
        assert_eq!(o.org_role.as_deref(), Some("Reader"));
        assert_eq!(o.accounts, ["111122223333", "444455556666"]);
        assert_eq!(o.external_id.as_deref(), Some("e"));
        assert_eq!(o.concurrency, 4);
        assert!(parse(&["x"]).unwrap().options(&live()).is_none());
    }

    #[test]
    fn options_need_their_flags() {
        assert!(parse(&["x", "--aws-profile", "p"]).is_err());
        assert!(parse(&["x", "--aws", "--aws-accounts", "111122223333"]).is_err());
    }
}
