//! One account, in few calls.
//!
//! 1. In an Organization scan, `sts:AssumeRole` into the account's role.
//! 2. At once: `GenerateCredentialReport` (repeated until the report is
//!    COMPLETE) then `GetCredentialReport`; every page of
//!    `GetAccountAuthorizationDetails`; `ListServerCertificates`,
//!    `ListOpenIDConnectProviders`, `ListSAMLProviders` and
//!    `ListServiceSpecificCredentials` for all users.
//! 3. Per item, only where it adds something: `ListAccessKeys` for users the
//!    report shows with keys (the key ids), `ListSigningCertificates` for users
//!    with certificates (ids and expiry), `ListSSHPublicKeys` for users whose
//!    policies may allow CodeCommit Git access (the only use of such a key),
//!    and one tag or detail call per server certificate and identity provider.
//!
//! The report and the authorization details go through the same importers as
//! saved exports. A failed call marks the source partial with the operation and
//! the AWS error code; with neither the report nor the details it is failed.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::future::Future;
use std::path::Path;
use std::time::Duration;

use aws_config::SdkConfig;
use aws_sdk_iam::config::{Credentials, SharedCredentialsProvider};
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_iam::types::{
    AccessKeyMetadata, ReportStateType, SigningCertificate, SshPublicKeyMetadata,
};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use futures::stream::{self, StreamExt};

use super::client::{failure, Clients};
use super::{export, items, source, timestamp, Options};
use crate::model::{Identity, Source};
use crate::progress::Progress;
use crate::providers::aws::{
    authorization_details, credential_report, ACCESS_KEY, CERTIFICATE, OIDC_PROVIDER,
    SAML_PROVIDER, USER,
};
use crate::providers::http::Calls;

/// The source kind of one live account.
pub const KIND: &str = "aws-account";

/// Longest wait for the credential report, and the first and longest pause between checks.
const REPORT_WAIT: Duration = Duration::from_secs(300);
const REPORT_FIRST_PAUSE: Duration = Duration::from_millis(250);
const REPORT_MAX_PAUSE: Duration = Duration::from_secs(5);

/// The most items a page of IAM list calls may hold; fewer pages, fewer calls.
const PAGE: i32 = 1000;

/// The whole of an optional enrichment listing (`ListServiceSpecificCredentials`),
/// all pages and retries: past it the source is partial, with the reason.
pub const OPTIONAL_DEADLINE: Duration = Duration::from_secs(30);

/// An account to scan.
#[derive(Debug, Clone)]
pub struct Target {
    pub account: String,
    /// Who the account is read as: the caller's or the assumed role's ARN.
    pub location: String,
    pub config: SdkConfig,
    /// A role to assume first, with its external id.
    pub assume: Option<(String, Option<String>)>,
}

/// The account the credentials belong to (`sts:GetCallerIdentity`).
pub async fn current_account(
    base: &SdkConfig,
    options: &Options,
    progress: &Progress,
) -> (Source, Vec<Identity>) {
    progress.add_work(1);
    let calls = Calls::default();
    let clients = Clients::new(base, calls.clone());
    match caller(&clients).await {
        Ok((account, arn)) => {
            let target = Target {
                account,
                location: arn,
                config: base.clone(),
                assume: None,
            };
            account_scan(target, calls, options.concurrency, progress).await
        }
        Err(problem) => {
            progress.done(1);
            let location = match &options.profile {
                Some(p) => format!("aws profile {p}"),
                None => "aws default credentials".to_string(),
            };
            (
                source(KIND, "", &location, &[problem], true, &calls, &[]),
                Vec::new(),
            )
        }
    }
}

/// `(account id, caller ARN)`.
pub async fn caller(c: &Clients) -> Result<(String, String), String> {
    let out = c
        .sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| failure("GetCallerIdentity", &e))?;
    Ok((
        out.account().unwrap_or_default().to_string(),
        out.arn().unwrap_or_default().to_string(),
    ))
}

/// Scans one account; counts into `calls`. Marks one unit of progress done.
pub async fn account_scan(
    target: Target,
    calls: Calls,
    concurrency: usize,
    progress: &Progress,
) -> (Source, Vec<Identity>) {
    let Target {
        account,
        location,
        config,
        assume,
    } = target;
    progress.message(format!("{account}: reading"));
    let base_for_scrub = config.clone();
    let config = match assume {
        None => Ok(config),
        Some((role, external_id)) => assume_role(&config, &calls, &role, external_id).await,
    };
    let deadline = crate::providers::http::Limits::from_env().source_deadline;
    let mut result = match &config {
        Ok(config) => {
            let clients = Clients::new(config, calls.clone());
            match tokio::time::timeout(deadline, read(&account, &clients, concurrency, progress))
                .await
            {
                Ok(read) => read,
                Err(_) => Read {
                    identities: Vec::new(),
                    problems: vec![format!(
                        "the source's deadline ({}s, NHISCAN_SOURCE_DEADLINE_SECS) passed; the read stopped",
                        deadline.as_secs()
                    )],
                    failed: true,
                },
            }
        }
        Err(problem) => Read {
            identities: Vec::new(),
            problems: vec![problem.clone()],
            failed: true,
        },
    };
    // An error body may echo the request's credentials: scrub every problem
    // with the credentials in play (the assumed role's and the caller's).
    let mut scrubber = scrubber(&base_for_scrub).await;
    if let Ok(config) = &config {
        scrubber.extend(secrets(config).await);
    }
    for problem in &mut result.problems {
        *problem = scrubber.scrub(problem);
    }
    progress.done(1);
    let source = source(
        KIND,
        &account,
        &location,
        &result.problems,
        result.failed,
        &calls,
        &result.identities,
    );
    (source, result.identities)
}

/// The secret parts of `config`'s credentials (secret key, session token),
/// empty when there are none.
async fn secrets(config: &SdkConfig) -> Vec<String> {
    use aws_sdk_iam::config::ProvideCredentials;
    let Some(provider) = config.credentials_provider() else {
        return Vec::new();
    };
    match provider.provide_credentials().await {
        Ok(c) => [
            Some(c.secret_access_key().to_string()),
            c.session_token().map(str::to_string),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Err(_) => Vec::new(),
    }
}

/// A scrubber knowing `config`'s credentials.
async fn scrubber(config: &SdkConfig) -> crate::util::redact::Scrubber {
    crate::util::redact::Scrubber::new(secrets(config).await)
}

/// Temporary credentials for `role`, as a config for the account's clients.
async fn assume_role(
    base: &SdkConfig,
    calls: &Calls,
    role: &str,
    external_id: Option<String>,
) -> Result<SdkConfig, String> {
    let c = Clients::new(base, calls.clone());
    let out = c
        .sts
        .assume_role()
        .role_arn(role)
        .role_session_name("nhiscan")
        .set_external_id(external_id)
        .send()
        .await
        .map_err(|e| failure("AssumeRole", &e))?;
    let creds = out
        .credentials()
        .ok_or_else(|| format!("AssumeRole: {role}: the response has no credentials"))?;
    let expiry = timestamp(creds.expiration())
        .and_then(|t| u64::try_from(t.as_second()).ok())
        .map(|s| std::time::UNIX_EPOCH + Duration::from_secs(s));
    let credentials = Credentials::new(
        creds.access_key_id(),
        creds.secret_access_key(),
        Some(creds.session_token().to_string()),
        expiry,
        "nhiscan-assume-role",
    );
    Ok(base
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(credentials))
        .build())
}

/// What reading an account gave.
struct Read {
    identities: Vec<Identity>,
    problems: Vec<String>,
    failed: bool,
}

/// Every call for one account after credentials are settled.
async fn read(account: &str, c: &Clients, concurrency: usize, progress: &Progress) -> Read {
    let (report, details, certs, oidc, saml, specific) = tokio::join!(
        credential_report(c, account),
        authorization_details(c, account),
        server_certificates(c, account, concurrency),
        oidc_providers(c, account, concurrency),
        saml_providers(c, account, concurrency),
        optional(
            "ListServiceSpecificCredentials",
            paged("ListServiceSpecificCredentials", |marker| async move {
            let out = c
                .optional
                .list_service_specific_credentials()
                .all_users(true)
                .set_marker(marker)
                .max_items(PAGE)
                .send()
                .await
                .map_err(|e| failure("ListServiceSpecificCredentials", &e))?;
            Ok((
                out.service_specific_credentials().to_vec(),
                next(out.is_truncated(), out.marker()),
            ))
        })),
    );
    let mut problems = Vec::new();
    let failed = report.is_err() && details.0.is_none();

    let mut principals: BTreeMap<String, Identity> = BTreeMap::new();
    let (details, details_problem) = details;
    problems.extend(details_problem);
    let report = report.unwrap_or_else(|problem| {
        problems.push(problem);
        Vec::new()
    });
    for identity in details.into_iter().flatten().chain(report) {
        match principals.entry(identity.item.id.clone()) {
            Entry::Occupied(mut e) => e.get_mut().merge(identity),
            Entry::Vacant(e) => {
                e.insert(identity);
            }
        }
    }

    problems.extend(per_user(c, &mut principals, concurrency, progress).await);

    let (specific, problem) = specific;
    problems.extend(problem);
    for m in &specific {
        let holder = principals
            .values_mut()
            .find(|u| u.item.kind == USER && u.item.name == m.user_name());
        if let Some(user) = holder {
            items::service_specific_credential(user, m);
        }
    }

    let mut identities: Vec<Identity> = principals.into_values().collect();
    for (found, found_problems) in [certs, oidc, saml] {
        identities.extend(found);
        problems.extend(found_problems);
    }
    Read {
        identities,
        problems,
        failed,
    }
}

/// `GenerateCredentialReport` until COMPLETE, then `GetCredentialReport`, parsed.
async fn credential_report(c: &Clients, account: &str) -> Result<Vec<Identity>, String> {
    let mut pause = REPORT_FIRST_PAUSE;
    let mut waited = Duration::ZERO;
    loop {
        let out = c
            .iam
            .generate_credential_report()
            .send()
            .await
            .map_err(|e| failure("GenerateCredentialReport", &e))?;
        if out.state() == Some(&ReportStateType::Complete) {
            break;
        }
        if waited >= REPORT_WAIT {
            return Err(format!(
                "GenerateCredentialReport: the report was not COMPLETE after {}s",
                waited.as_secs()
            ));
        }
        tokio::time::sleep(pause).await;
        waited += pause;
        pause = (pause * 2).min(REPORT_MAX_PAUSE);
    }
    let out = c
        .iam
        .get_credential_report()
        .send()
        .await
        .map_err(|e| failure("GetCredentialReport", &e))?;
    let content = out
        .content()
        .ok_or("GetCredentialReport: the response has no Content")?;
    let text = std::str::from_utf8(content.as_ref())
        .map_err(|e| format!("GetCredentialReport: the report is not UTF-8: {e}"))?;
    credential_report::parse(Path::new(&format!("{account} GetCredentialReport")), text)
        .map_err(|e| e.to_string())
}

/// Every page of `GetAccountAuthorizationDetails`, read with the export importer.
/// Pages read before a failure are kept.
async fn authorization_details(
    c: &Clients,
    account: &str,
) -> (Option<Vec<Identity>>, Option<String>) {
    let (pages, mut problem) = paged("GetAccountAuthorizationDetails", |marker| async move {
        let out = c
            .iam
            .get_account_authorization_details()
            .set_marker(marker)
            .max_items(PAGE)
            .send()
            .await
            .map_err(|e| failure("GetAccountAuthorizationDetails", &e))?;
        let marker = next(out.is_truncated(), out.marker());
        Ok((vec![out], marker))
    })
    .await;
    if pages.is_empty() {
        return (None, problem);
    }
    let text = export::to_json(&pages).to_string();
    let path = format!("{account} GetAccountAuthorizationDetails");
    match authorization_details::parse(Path::new(&path), &text) {
        Ok(details) => (Some(details.identities), problem),
        Err(e) => {
            problem = Some(e.to_string());
            (None, problem)
        }
    }
}

/// A per-user call.
#[derive(Debug, Clone, Copy)]
enum Job {
    AccessKeys,
    SigningCertificates,
    SshPublicKeys,
}

/// What one per-user call found.
enum Found {
    AccessKeys(Vec<AccessKeyMetadata>),
    SigningCertificates(Vec<SigningCertificate>),
    SshPublicKeys(Vec<SshPublicKeyMetadata>),
}

/// The per-user calls, bounded by `concurrency`; returns their problems.
async fn per_user(
    c: &Clients,
    users: &mut BTreeMap<String, Identity>,
    concurrency: usize,
    progress: &Progress,
) -> Vec<String> {
    let mut jobs = Vec::new();
    for u in users.values().filter(|u| u.item.kind == USER) {
        let has = |kind| u.credentials.iter().any(|c| c.item.kind == kind);
        let wanted = [
            (has(ACCESS_KEY), Job::AccessKeys),
            (has(CERTIFICATE), Job::SigningCertificates),
            (items::may_use_codecommit(u), Job::SshPublicKeys),
        ];
        for (_, job) in wanted.into_iter().filter(|(w, _)| *w) {
            jobs.push((job, u.item.id.clone(), u.item.name.clone()));
        }
    }
    progress.add_work(jobs.len() as u64);
    let results: Vec<(String, Result<Option<Found>, String>)> = stream::iter(jobs)
        .map(|(job, id, name)| async move {
            let found = list_for_user(c, job, &name).await;
            progress.done(1);
            (id, found)
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;

    let mut problems = Vec::new();
    for (id, found) in results {
        let Some(user) = users.get_mut(&id) else {
            continue;
        };
        match found {
            Ok(Some(Found::AccessKeys(keys))) => items::access_keys(user, &keys),
            Ok(Some(Found::SigningCertificates(certs))) => {
                items::signing_certificates(user, &certs)
            }
            Ok(Some(Found::SshPublicKeys(keys))) => items::ssh_public_keys(user, &keys),
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
    }
    problems.sort();
    problems
}

/// One per-user call. `None` when the user was deleted since the report was made.
async fn list_for_user(c: &Clients, job: Job, name: &str) -> Result<Option<Found>, String> {
    /// `None` for NoSuchEntity (the user is gone), else the problem.
    fn problem<E>(
        operation: &str,
        name: &str,
        e: &SdkError<E, HttpResponse>,
    ) -> Result<Option<Found>, String>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        if e.code() == Some("NoSuchEntity") {
            Ok(None)
        } else {
            Err(format!("{} (user {name})", failure(operation, e)))
        }
    }
    match job {
        Job::AccessKeys => match c.iam.list_access_keys().user_name(name).send().await {
            Ok(o) => Ok(Some(Found::AccessKeys(o.access_key_metadata().to_vec()))),
            Err(e) => problem("ListAccessKeys", name, &e),
        },
        Job::SigningCertificates => {
            match c
                .iam
                .list_signing_certificates()
                .user_name(name)
                .send()
                .await
            {
                Ok(o) => Ok(Some(Found::SigningCertificates(o.certificates().to_vec()))),
                Err(e) => problem("ListSigningCertificates", name, &e),
            }
        }
        Job::SshPublicKeys => match c.iam.list_ssh_public_keys().user_name(name).send().await {
            Ok(o) => Ok(Some(Found::SshPublicKeys(o.ssh_public_keys().to_vec()))),
            Err(e) => problem("ListSSHPublicKeys", name, &e),
        },
    }
}

/// Server certificates, with their tags.
async fn server_certificates(
    c: &Clients,
    account: &str,
    concurrency: usize,
) -> (Vec<Identity>, Vec<String>) {
    let (certs, problem) = paged("ListServerCertificates", |marker| async move {
        let out = c
            .iam
            .list_server_certificates()
            .set_marker(marker)
            .max_items(PAGE)
            .send()
            .await
            .map_err(|e| failure("ListServerCertificates", &e))?;
        Ok((
            out.server_certificate_metadata_list().to_vec(),
            next(out.is_truncated(), out.marker()),
        ))
    })
    .await;
    let mut problems: Vec<String> = problem.into_iter().collect();
    let tagged: Vec<_> = stream::iter(&certs)
        .map(|m| async move {
            let tags = c
                .iam
                .list_server_certificate_tags()
                .server_certificate_name(m.server_certificate_name())
                .send()
                .await
                .map(|o| o.tags().to_vec())
                .map_err(|e| failure("ListServerCertificateTags", &e));
            (m, tags)
        })
        .buffered(concurrency)
        .collect()
        .await;
    let identities = tagged
        .into_iter()
        .map(|(m, tags)| {
            let tags = tags.unwrap_or_else(|p| {
                problems.push(p);
                Vec::new()
            });
            items::server_certificate(account, m, &tags)
        })
        .collect();
    (identities, problems)
}

/// OIDC identity providers, with URL, creation date and tags from `GetOpenIDConnectProvider`.
async fn oidc_providers(
    c: &Clients,
    account: &str,
    concurrency: usize,
) -> (Vec<Identity>, Vec<String>) {
    let arns: Vec<String> = match c.iam.list_open_id_connect_providers().send().await {
        Ok(out) => out
            .open_id_connect_provider_list()
            .iter()
            .filter_map(|p| p.arn().map(str::to_string))
            .collect(),
        Err(e) => return (Vec::new(), vec![failure("ListOpenIDConnectProviders", &e)]),
    };
    let found: Vec<(Identity, Option<String>)> = stream::iter(arns)
        .map(|arn| async move {
            let name = arn
                .rsplit_once("oidc-provider/")
                .map_or(arn.as_str(), |(_, n)| n);
            let mut identity = items::provider_identity(account, &arn, OIDC_PROVIDER, name);
            let got = c
                .iam
                .get_open_id_connect_provider()
                .open_id_connect_provider_arn(&arn)
                .send()
                .await;
            match got {
                Ok(out) => {
                    identity.item.created_at = out.create_date().and_then(timestamp);
                    identity.tags = items::tags(out.tags());
                    (identity, None)
                }
                Err(e) => (identity, Some(failure("GetOpenIDConnectProvider", &e))),
            }
        })
        .buffered(concurrency)
        .collect()
        .await;
    let problems = found.iter().filter_map(|(_, p)| p.clone()).collect();
    (found.into_iter().map(|(i, _)| i).collect(), problems)
}

/// SAML identity providers, with their `ValidUntil` as expiry and their tags.
async fn saml_providers(
    c: &Clients,
    account: &str,
    concurrency: usize,
) -> (Vec<Identity>, Vec<String>) {
    let list = match c.iam.list_saml_providers().send().await {
        Ok(out) => out.saml_provider_list().to_vec(),
        Err(e) => return (Vec::new(), vec![failure("ListSAMLProviders", &e)]),
    };
    let found: Vec<(Identity, Option<String>)> = stream::iter(list)
        .filter_map(|entry| async move { entry.arn().map(str::to_string).map(|arn| (arn, entry)) })
        .map(|(arn, entry)| async move {
            let name = arn
                .rsplit_once("saml-provider/")
                .map_or(arn.as_str(), |(_, n)| n);
            let mut identity = items::provider_identity(account, &arn, SAML_PROVIDER, name);
            identity.item.created_at = entry.create_date().and_then(timestamp);
            identity.item.expires_at = entry.valid_until().and_then(timestamp);
            let tags = c
                .iam
                .list_saml_provider_tags()
                .saml_provider_arn(&arn)
                .send()
                .await;
            match tags {
                Ok(out) => {
                    identity.tags = items::tags(out.tags());
                    (identity, None)
                }
                Err(e) => (identity, Some(failure("ListSAMLProviderTags", &e))),
            }
        })
        .buffered(concurrency)
        .collect()
        .await;
    let problems = found.iter().filter_map(|(_, p)| p.clone()).collect();
    (found.into_iter().map(|(i, _)| i).collect(), problems)
}

/// An optional listing held to [`OPTIONAL_DEADLINE`] in all: on expiry,
/// nothing from it and the reason.
async fn optional<T>(
    operation: &str,
    listing: impl Future<Output = (Vec<T>, Option<String>)>,
) -> (Vec<T>, Option<String>) {
    match tokio::time::timeout(OPTIONAL_DEADLINE, listing).await {
        Ok(done) => done,
        Err(_) => (
            Vec::new(),
            Some(format!(
                "{operation}: cut short after {}s (the deadline for optional calls); skipped",
                OPTIONAL_DEADLINE.as_secs()
            )),
        ),
    }
}

/// Every page of a marker-paginated call: the items, and the problem that
/// stopped it early (items from earlier pages are kept). A marker seen
/// before, or more pages than the page cap (`NHISCAN_MAX_PAGES`), stops it.
pub async fn paged<T, F, Fut>(operation: &str, page: F) -> (Vec<T>, Option<String>)
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), String>>,
{
    paged_within(
        operation,
        crate::providers::http::Limits::from_env().max_pages,
        page,
    )
    .await
}

/// [`paged`], with at most `max_pages` pages.
pub async fn paged_within<T, F, Fut>(
    operation: &str,
    max_pages: usize,
    mut page: F,
) -> (Vec<T>, Option<String>)
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), String>>,
{
    let mut items = Vec::new();
    let mut marker = None;
    let mut seen = std::collections::HashSet::new();
    let mut number = 0;
    loop {
        number += 1;
        if number > max_pages {
            return (
                items,
                Some(format!(
                    "{operation}: stopped after {max_pages} pages (the page cap, NHISCAN_MAX_PAGES); earlier pages kept"
                )),
            );
        }
        match page(marker.take()).await {
            Ok((found, next)) => {
                items.extend(found);
                match next {
                    Some(m) if !seen.insert(m.clone()) => {
                        return (
                            items,
                            Some(format!(
                                "{operation}: IsTruncated with a Marker seen before (page {number}); pagination did not advance, earlier pages kept"
                            )),
                        )
                    }
                    Some(m) => marker = Some(m),
                    None => return (items, None),
                }
            }
            Err(problem) if number == 1 => return (items, Some(problem)),
            Err(problem) => {
                return (
                    items,
                    Some(format!(
                        "{problem} (page {number} of {operation}; earlier pages kept)"
                    )),
                )
            }
        }
    }
}

/// The marker for the next page, when the response says there is one.
pub fn next(truncated: bool, marker: Option<&str>) -> Option<String> {
    marker.filter(|_| truncated).map(str::to_string)
}
