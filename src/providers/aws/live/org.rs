//! `--aws-org-role`: every account of an AWS Organization.
//!
//! `sts:GetCallerIdentity` names the caller's account; `organizations:ListAccounts`
//! lists the others. Each active account (or each of `--aws-accounts`) is read
//! through `arn:<partition>:iam::<id>:role/<ROLE>`, except the caller's own
//! account, which is read with the caller's credentials. Accounts are scanned
//! `--concurrency` at a time; one account's failure affects only its source.

use aws_config::SdkConfig;
use aws_sdk_organizations::types::{Account, AccountState, AccountStatus};
use futures::stream::{self, StreamExt};

use super::client::{failure, Clients};
use super::collect::{self, caller, next, paged, Target};
use super::{source, Options};
use crate::model::{Identity, Source, SourceStatus};
use crate::progress::Progress;
use crate::providers::http::Calls;

/// The source kind of the account listing.
const KIND: &str = "aws-organization";
const LOCATION: &str = "organizations:ListAccounts";

/// Scans the Organization: its listing's source first, then one per account, by account id.
pub async fn scan(
    base: &SdkConfig,
    role: &str,
    options: &Options,
    progress: &Progress,
) -> Vec<(Source, Vec<Identity>)> {
    let calls = Calls::default();
    let c = Clients::new(base, calls.clone());
    let listed = async {
        let (account, arn) = caller(&c).await?;
        let (accounts, problem) = paged("ListAccounts", |token| {
            let c = &c;
            async move {
                let out = c
                    .org
                    .list_accounts()
                    .set_next_token(token)
                    .send()
                    .await
                    .map_err(|e| failure("ListAccounts", &e))?;
                Ok((out.accounts().to_vec(), next(true, out.next_token())))
            }
        })
        .await;
        match problem {
            Some(p) => Err(p),
            None => Ok((account, arn, accounts)),
        }
    }
    .await;
    let (caller_account, caller_arn, accounts) = match listed {
        Ok(found) => found,
        Err(problem) => {
            let failed = source(KIND, "", LOCATION, &[problem], true, &calls, &[]);
            return vec![(failed, Vec::new())];
        }
    };
    let partition = caller_arn.split(':').nth(1).unwrap_or("aws").to_string();

    let mut results = Vec::new();
    let mut targets = Vec::new();
    for id in &options.accounts {
        if !accounts.iter().any(|a| a.id() == Some(id.as_str())) {
            let problem = format!("{id} is not an account of the organization (ListAccounts)");
            results.push((
                source(
                    collect::KIND,
                    id,
                    id,
                    &[problem],
                    true,
                    &Calls::default(),
                    &[],
                ),
                Vec::new(),
            ));
        }
    }
    for account in &accounts {
        let Some(id) = account.id() else { continue };
        if !options.accounts.is_empty() && !options.accounts.iter().any(|a| a == id) {
            continue;
        }
        let role_arn = format!("arn:{partition}:iam::{id}:role/{role}");
        if let Some(state) = inactive(account) {
            let mut skipped = source(
                collect::KIND,
                id,
                &role_arn,
                &[format!("the account is {state}; not scanned")],
                false,
                &Calls::default(),
                &[],
            );
            skipped.status = SourceStatus::Skipped;
            results.push((skipped, Vec::new()));
            continue;
        }
        let own = id == caller_account;
        targets.push(Target {
            account: id.to_string(),
            location: if own {
                caller_arn.clone()
            } else {
                role_arn.clone()
            },
            config: base.clone(),
            assume: (!own).then(|| (role_arn, options.external_id.clone())),
        });
    }

    progress.add_work(targets.len() as u64);
    let scanned: Vec<_> = stream::iter(targets)
        .map(|t| collect::account_scan(t, Calls::default(), options.concurrency, progress))
        .buffer_unordered(options.concurrency)
        .collect()
        .await;
    results.extend(scanned);
    results.sort_by(|(a, _), (b, _)| a.scope.cmp(&b.scope));
    let listing = source(KIND, &caller_account, LOCATION, &[], false, &calls, &[]);
    results.insert(0, (listing, Vec::new()));
    results
}

/// Why an account cannot be scanned (`SUSPENDED`, `PENDING_CLOSURE`, ...), if so.
fn inactive(account: &Account) -> Option<String> {
    match (account.state(), account.status()) {
        (Some(AccountState::Active), _) | (None, Some(AccountStatus::Active)) => None,
        (Some(state), _) => Some(state.as_str().to_string()),
        (None, Some(status)) => Some(status.as_str().to_string()),
        (None, None) => None,
    }
}
