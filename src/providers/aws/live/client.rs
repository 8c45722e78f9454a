//! SDK configuration and clients for a live scan.
//!
//! Credentials, profile, region and endpoint come from aws-config's usual
//! chain (environment, `~/.aws/config`, SSO, `credential_process`, IMDS), with
//! `--aws-profile`, `--aws-region` and `--aws-endpoint-url` on top. Every
//! client carries a [`Counter`] interceptor, so each request sent (retries
//! included) is counted by operation in the source's `api_calls`.

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_iam::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_iam::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_iam::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::retries::classifiers::{ClassifyRetry, RetryAction};
use aws_smithy_runtime_api::client::orchestrator::{HttpResponse, Metadata};

use super::Options;
use crate::error::Error;
use crate::providers::http::Calls;

/// IAM is global; its endpoint is reached through this region when none is configured.
const DEFAULT_REGION: &str = "us-east-1";

/// Attempts per request unless `AWS_MAX_ATTEMPTS` says otherwise. Throttled
/// and transient failures are retried with the SDK's exponential backoff and
/// jitter (standard retry mode).
pub const MAX_ATTEMPTS: u32 = 8;

/// Attempts per request of an optional enrichment call
/// (`ListServiceSpecificCredentials`), whatever `AWS_MAX_ATTEMPTS` says: an
/// enrichment that fails must not dominate a scan.
pub const OPTIONAL_ATTEMPTS: u32 = 3;

/// [`OPTIONAL_ATTEMPTS`], or fewer when `AWS_MAX_ATTEMPTS` asks for fewer.
fn optional_attempts() -> u32 {
    std::env::var("AWS_MAX_ATTEMPTS")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|n| *n > 0)
        .map_or(OPTIONAL_ATTEMPTS, |n| n.min(OPTIONAL_ATTEMPTS))
}

/// The base configuration: the default credential chain or `--aws-profile`,
/// region, endpoint override (`--aws-endpoint-url`, else `AWS_ENDPOINT_URL`), retries.
pub async fn base_config(options: &Options) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if std::env::var_os("AWS_MAX_ATTEMPTS").is_none() {
        loader = loader.retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS));
    }
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &options.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    // No single attempt waits longer than the request timeout: a server that
    // never answers cannot hang the scan.
    let limits = crate::providers::http::Limits::from_env();
    loader = loader.timeout_config(
        aws_config::timeout::TimeoutConfig::builder()
            .connect_timeout(std::time::Duration::from_secs(10))
            .operation_attempt_timeout(limits.request_timeout)
            .build(),
    );
    let config = loader.load().await;
    if config.region().is_some() {
        config
    } else {
        config
            .into_builder()
            .region(Region::from_static(DEFAULT_REGION))
            .build()
    }
}

/// Loads credentials once before any request, so that a machine with none
/// gets one clear line (and exit 2) rather than a failed source per call.
pub async fn check_credentials(config: &SdkConfig, options: &Options) -> Result<(), Error> {
    use aws_credential_types::provider::error::CredentialsError;
    use aws_sdk_iam::config::ProvideCredentials;
    let tried = match &options.profile {
        Some(p) => format!("profile {p:?} from ~/.aws/config and ~/.aws/credentials"),
        None => "the environment (AWS_ACCESS_KEY_ID, AWS_PROFILE), ~/.aws/config and ~/.aws/credentials (profile default), SSO, web identity, the container endpoint and the EC2 instance metadata service (IMDS)".to_string(),
    };
    let todo = "run `aws configure` or `aws sso login`, set AWS_PROFILE, or pass --aws-profile NAME";
    let Some(provider) = config.credentials_provider() else {
        return Err(Error::Usage(format!(
            "no AWS credentials: no credential provider is configured; {todo}"
        )));
    };
    match provider.provide_credentials().await {
        Ok(_) => Ok(()),
        Err(CredentialsError::CredentialsNotLoaded(_) | CredentialsError::ProviderTimedOut(_)) => {
            Err(Error::Usage(format!(
                "no AWS credentials found; tried {tried}. To fix: {todo}"
            )))
        }
        Err(e) => Err(Error::Usage(format!(
            "AWS credentials could not be loaded ({}); tried {tried}. To fix: {todo}",
            DisplayErrorContext(&e).to_string().replace('\n', " ")
        ))),
    }
}

/// The clients for one account, all counting into the same [`Calls`].
#[derive(Debug, Clone)]
pub struct Clients {
    pub iam: aws_sdk_iam::Client,
    /// IAM for optional calls: [`OPTIONAL_ATTEMPTS`] attempts.
    pub optional: aws_sdk_iam::Client,
    pub sts: aws_sdk_sts::Client,
    pub org: aws_sdk_organizations::Client,
}

impl Clients {
    /// Clients for `config` that count into `calls`.
    pub fn new(config: &SdkConfig, calls: Calls) -> Self {
        let counter = || Counter(calls.clone());
        Clients {
            iam: aws_sdk_iam::Client::from_conf(
                aws_sdk_iam::config::Builder::from(config)
                    .interceptor(counter())
                    .retry_classifier(RefusedIsFinal)
                    .build(),
            ),
            optional: aws_sdk_iam::Client::from_conf(
                aws_sdk_iam::config::Builder::from(config)
                    .interceptor(counter())
                    .retry_config(RetryConfig::standard().with_max_attempts(optional_attempts()))
                    .build(),
            ),
            sts: aws_sdk_sts::Client::from_conf(
                aws_sdk_sts::config::Builder::from(config)
                    .interceptor(counter())
                    .retry_classifier(RefusedIsFinal)
                    .build(),
            ),
            org: aws_sdk_organizations::Client::from_conf(
                aws_sdk_organizations::config::Builder::from(config)
                    .interceptor(counter())
                    .retry_classifier(RefusedIsFinal)
                    .build(),
            ),
        }
    }
}

/// A connection refused is final: nothing listens at the endpoint (a closed
/// `--aws-endpoint-url`, say), and retrying it only adds the backoff's wait.
/// Other connection errors (timeouts, resets) stay retryable.
#[derive(Debug)]
struct RefusedIsFinal;

impl ClassifyRetry for RefusedIsFinal {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let refused = match ctx.output_or_error() {
            Some(Err(err)) => err.as_connector_error().is_some_and(|e| {
                let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
                while let Some(c) = cause {
                    if c.downcast_ref::<std::io::Error>()
                        .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
                    {
                        return true;
                    }
                    cause = c.source();
                }
                false
            }),
            _ => false,
        };
        if refused {
            RetryAction::RetryForbidden
        } else {
            RetryAction::NoActionIndicated
        }
    }

    fn name(&self) -> &'static str {
        "nhiscan::RefusedIsFinal"
    }
}

/// Counts every request right before it is sent, by operation name.
#[derive(Debug)]
struct Counter(Calls);

impl Intercept for Counter {
    fn name(&self) -> &'static str {
        "nhiscan::CallCounter"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(metadata) = cfg.load::<Metadata>() {
            self.0.record(metadata.name());
        }
        Ok(())
    }
}

/// `Operation: Code: message` for a service error, `Operation: HTTP 500 ...`
/// for an error response without an AWS error code, `Operation: <cause chain>`
/// for anything else (no credentials, connection refused, timeout).
pub fn failure<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match (err.code(), err) {
        (Some(code), _) => format!(
            "{operation}: {code}: {}",
            err.message().unwrap_or("no message")
        ),
        (None, SdkError::ServiceError(e)) => {
            let raw = e.raw();
            // An error body in a shape the SDK does not read (moto wraps <Error> in
            // <Errors>, as EC2 does): take its <Code> and <Message> as they are.
            let body = raw.body().bytes().map(String::from_utf8_lossy);
            let field = |name: &str| {
                let body = body.as_deref()?;
                let start = body.find(&format!("<{name}>"))? + name.len() + 2;
                let len = body[start..].find(&format!("</{name}>"))?;
                Some(body[start..start + len].to_string())
            };
            let status = raw.status().as_u16();
            match (field("Code"), field("Message")) {
                (Some(code), message) => format!(
                    "{operation}: {code}: {} (HTTP {status})",
                    message.as_deref().unwrap_or("no message")
                ),
                (None, _) => format!("{operation}: HTTP {status} without an AWS error code"),
            }
        }
        (None, SdkError::ResponseError(e)) => format!(
            "{operation}: unreadable response (HTTP {})",
            e.raw().status().as_u16()
        ),
        (None, _) => format!("{operation}: {}", DisplayErrorContext(err)),
    }
}
