//! The normalized inventory that every provider produces and every rule reads.
//!
//! An [`Identity`] is a principal (an IAM user, role or root account; an AI
//! platform's user, service account or workspace); the [`Credential`]s it
//! holds (access keys, certificates, a console password, API keys) hang below
//! it. Both share the fields in [`Item`]. Ids are stable: AWS principals use
//! their ARN, other providers `<provider>:<scope>/<kind>/<native id>`, and a
//! credential extends its holder's id
//! (`arn:aws:iam::123456789012:user/ci/deployer/access-key/1`).
//!
//! These types are also the wire shape of `identities` in JSON output v1; the
//! `json_v1_is_frozen` test catches accidental changes.

pub mod ai;
pub mod enrich;
pub mod time;

use std::collections::BTreeMap;
use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Where an item came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provider {
    Aws,
    Github,
    Openai,
    Anthropic,
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Provider::Aws => "aws",
            Provider::Github => "github",
            Provider::Openai => "openai",
            Provider::Anthropic => "anthropic",
        })
    }
}

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// An IAM user, or a person's account on an AI platform.
    User,
    /// An IAM role.
    Role,
    /// The account's root user.
    Root,
    /// An access key (AKIA...).
    AccessKey,
    /// An X.509 signing certificate.
    Certificate,
    /// A console password.
    Password,
    /// A service account of an AI platform (an OpenAI project service account).
    ServiceAccount,
    /// An AI platform's workspace (Anthropic), holding keys with no recorded creator.
    Workspace,
    /// An AI platform API key (OpenAI project key, Anthropic key).
    ApiKey,
    /// An AI platform admin API key (OpenAI organization admin key).
    AdminKey,
    /// An SSH public key for CodeCommit.
    SshPublicKey,
    /// A service-specific credential (CodeCommit, Keyspaces, Bedrock API key).
    ServiceSpecificCredential,
    /// A TLS server certificate uploaded to IAM.
    ServerCertificate,
    /// An OpenID Connect identity provider.
    OidcProvider,
    /// A SAML identity provider.
    SamlProvider,
    /// A GitHub organization, holding org-wide Actions secrets and webhooks.
    Organization,
    /// A GitHub repository, holding deploy keys, Actions secrets and webhooks.
    Repository,
    /// A person's (or a machine user's) account on a platform, holding personal tokens and keys.
    Account,
    /// A GitHub App installed on an organization.
    AppInstallation,
    /// A fine-grained personal access token granted access to an organization.
    FineGrainedPat,
    /// A pending request of a fine-grained personal access token for access to an organization.
    PatRequest,
    /// A personal access token (classic), from SAML SSO credential authorizations.
    ClassicPat,
    /// An SSH key, from SAML SSO credential authorizations.
    SshKey,
    /// An OAuth app token, from SAML SSO credential authorizations.
    OauthToken,
    /// A GitHub App user-to-server token, from SAML SSO credential authorizations.
    AppToken,
    /// A repository deploy key (an SSH key with access to one repository).
    DeployKey,
    /// A GitHub Actions secret (metadata only; never its value).
    ActionsSecret,
    /// A webhook, which may hold a shared secret.
    Webhook,
}

impl Kind {
    /// The kebab-case name used in ids and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Role => "role",
            Kind::Root => "root",
            Kind::AccessKey => "access-key",
            Kind::Certificate => "certificate",
            Kind::Password => "password",
            Kind::ServiceAccount => "service-account",
            Kind::Workspace => "workspace",
            Kind::ApiKey => "api-key",
            Kind::AdminKey => "admin-key",
            Kind::SshPublicKey => "ssh-public-key",
            Kind::ServiceSpecificCredential => "service-specific-credential",
            Kind::ServerCertificate => "server-certificate",
            Kind::OidcProvider => "oidc-provider",
            Kind::SamlProvider => "saml-provider",
            Kind::Organization => "organization",
            Kind::Repository => "repository",
            Kind::Account => "account",
            Kind::AppInstallation => "app-installation",
            Kind::FineGrainedPat => "fine-grained-pat",
            Kind::PatRequest => "pat-request",
            Kind::ClassicPat => "classic-pat",
            Kind::SshKey => "ssh-key",
            Kind::OauthToken => "oauth-token",
            Kind::AppToken => "app-token",
            Kind::DeployKey => "deploy-key",
            Kind::ActionsSecret => "actions-secret",
            Kind::Webhook => "webhook",
        }
    }

    /// Whether this kind only holds credentials for others (a repository, an
    /// organization) rather than being an identity that acts.
    pub fn is_container(self) -> bool {
        matches!(self, Kind::Organization | Kind::Repository)
    }

    /// Whether the provider lets this kind of credential carry an expiry
    /// date, so a missing one is a choice (`no-expiry`). AI platform keys and
    /// GitHub tokens can; AWS access keys, SSH
    /// and deploy keys, OAuth app tokens and secrets cannot expire.
    pub fn can_expire(self) -> bool {
        matches!(
            self,
            Kind::ApiKey
                | Kind::AdminKey
                | Kind::FineGrainedPat
                | Kind::ClassicPat
                | Kind::AppToken
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lifecycle state.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Active,
    Inactive,
    Expired,
    /// Requested, waiting for approval (a GitHub PAT request): not usable yet.
    Pending,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Active => "active",
            Status::Inactive => "inactive",
            Status::Expired => "expired",
            Status::Pending => "pending",
        })
    }
}

/// When an item was last used. `Unknown` (the provider does not say) is not
/// `Never` (the provider says it was never used): staleness rules treat them
/// differently.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "LastUsedWire", into = "LastUsedWire")]
pub enum LastUsed {
    #[default]
    Unknown,
    Never,
    At(Timestamp),
}

impl LastUsed {
    /// The timestamp, when there is one.
    pub fn at(self) -> Option<Timestamp> {
        match self {
            LastUsed::At(t) => Some(t),
            _ => None,
        }
    }

    /// `used`, `never` or `unknown`.
    pub fn usage(self) -> Usage {
        match self {
            LastUsed::Unknown => Usage::Unknown,
            LastUsed::Never => Usage::Never,
            LastUsed::At(_) => Usage::Used,
        }
    }
}

/// The `usage` field of [`LastUsed`] on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Usage {
    Used,
    Never,
    Unknown,
}

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Usage::Used => "used",
            Usage::Never => "never",
            Usage::Unknown => "unknown",
        })
    }
}

#[derive(Serialize, Deserialize)]
struct LastUsedWire {
    last_used_at: Option<Timestamp>,
    usage: Usage,
}

impl From<LastUsed> for LastUsedWire {
    fn from(v: LastUsed) -> Self {
        LastUsedWire {
            last_used_at: v.at(),
            usage: v.usage(),
        }
    }
}

impl From<LastUsedWire> for LastUsed {
    fn from(w: LastUsedWire) -> Self {
        match (w.usage, w.last_used_at) {
            (_, Some(t)) => LastUsed::At(t),
            (Usage::Never, None) => LastUsed::Never,
            _ => LastUsed::Unknown,
        }
    }
}

/// Who answers for an item, and how we know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    pub name: String,
    pub source: OwnerSource,
    /// The tag key, config pattern or holder id that gave the owner; for a
    /// departed owner, why we know they left.
    pub evidence: String,
    /// The owner is known to have left (removed from the organization, or
    /// lost access to the project the item lives in).
    #[serde(default)]
    pub departed: bool,
}

/// Where an owner came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OwnerSource {
    /// A tag on the identity (`owner`, `team`, ...).
    Tag,
    /// An `[[owners]]` entry in the config.
    Config,
    /// The human identity that holds the credential.
    Holder,
    /// The provider itself: AWS for its service-linked roles, an AI platform
    /// for the user who owns or created a key.
    Provider,
    /// The creator or owner the provider names on the item ([`Item::creator`]).
    Creator,
}

impl fmt::Display for OwnerSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OwnerSource::Tag => "tag",
            OwnerSource::Config => "config",
            OwnerSource::Holder => "holder",
            OwnerSource::Provider => "provider",
            OwnerSource::Creator => "creator",
        })
    }
}

/// How much an item can do, ordered from least to most.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum PrivilegeLevel {
    /// No policy data was available (for example a credential report alone).
    #[default]
    Unknown,
    None,
    Read,
    Write,
    /// Can manage permissions (IAM writes) without being full admin.
    Privileged,
    Admin,
}

impl fmt::Display for PrivilegeLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PrivilegeLevel::Unknown => "unknown",
            PrivilegeLevel::None => "none",
            PrivilegeLevel::Read => "read",
            PrivilegeLevel::Write => "write",
            PrivilegeLevel::Privileged => "privileged",
            PrivilegeLevel::Admin => "admin",
        })
    }
}

/// A privilege level and the policy statements that give it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Privilege {
    pub level: PrivilegeLevel,
    pub evidence: Vec<Evidence>,
    /// What a permissions boundary (`via: boundary`) or an unconditional
    /// `Deny` removed from the grants; `actions` names what was removed.
    #[serde(default)]
    pub capped: Vec<Evidence>,
    /// Privilege-escalation paths the effective permissions open.
    #[serde(default)]
    pub escalations: Vec<Escalation>,
    /// Grants of write or permissions-management actions on `Resource: *`,
    /// or of a whole service (`service:*`); `actions` names the patterns.
    #[serde(default)]
    pub wildcards: Vec<Evidence>,
}

/// One privilege-escalation path and the grants that open it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    /// The path's id, as listed under `privilege-escalation` in the README.
    pub path: String,
    /// The actions that enable it (`iam:PassRole`, `ec2:RunInstances`).
    pub actions: Vec<String>,
    /// The statements that grant those actions.
    pub evidence: Vec<Evidence>,
}

/// One policy statement behind a privilege verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Policy name, or ARN for managed policies.
    pub policy: String,
    /// How the policy reaches the identity: `inline`, `managed`,
    /// `group:<name>:inline` or `group:<name>:managed`.
    pub via: String,
    /// Statement index in the policy, with its Sid when it has one (`0`, `2 (AllowAll)`).
    pub statement: Option<String>,
    /// The actions that gave the level.
    pub actions: Vec<String>,
    /// Condition keys the statement is subject to. Conditions are recorded,
    /// not evaluated: a conditional grant counts as a grant.
    #[serde(default)]
    pub conditions: Vec<String>,
}

/// Fields every inventory item has, identity or credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Stable id: the ARN for AWS principals; `<holder id>/<kind>/<slot or key id>` for credentials.
    pub id: String,
    pub provider: Provider,
    /// The account (AWS) or organization the item lives in.
    pub scope: String,
    pub kind: Kind,
    pub name: String,
    pub owner: Option<Owner>,
    pub created_at: Option<Timestamp>,
    #[serde(flatten)]
    pub last_used: LastUsed,
    pub expires_at: Option<Timestamp>,
    pub status: Status,
    pub privilege: Privilege,
    /// `false` for non-human identities (NHIs) and machine credentials.
    pub human: bool,
    /// Why `human` has its value.
    pub human_reason: String,
    /// Whether this is an AI identity or credential (see `inventory::ai`).
    #[serde(default)]
    pub ai: bool,
    /// Why `ai` has its value.
    #[serde(default)]
    pub ai_reason: String,
    /// The person the provider names as the item's owner or creator (a GitHub
    /// PAT's owner, a deploy key's `added_by`), with their membership.
    #[serde(default)]
    pub creator: Option<Creator>,
    /// Which repositories a grant reaches (GitHub `repository_selection`).
    #[serde(default)]
    pub repository_selection: Option<RepositorySelection>,
    /// A webhook's delivery settings.
    #[serde(default)]
    pub webhook: Option<WebhookSettings>,
}

/// Who created or owns an item, as the provider says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Creator {
    /// The login or user name.
    pub name: String,
    /// Whether they are still a member of the scope (the GitHub org):
    /// `false` means they have left; `null` means unknown (members not read,
    /// or an app's bot account).
    pub member: Option<bool>,
}

impl Creator {
    /// Whether the creator is known to have left the scope.
    pub fn departed(&self) -> bool {
        self.member == Some(false)
    }
}

/// Which repositories a GitHub grant reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RepositorySelection {
    /// Every repository of the organization, including future ones.
    All,
    /// A chosen list (`selected`, or `subset` for PATs).
    Selected,
    /// No repositories (organization permissions only).
    None,
}

/// How a webhook delivers. The secret itself is never read or kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSettings {
    /// Scheme and host of the delivery URL only: paths and queries can hold tokens.
    pub url: Option<String>,
    /// Whether deliveries are signed with a shared secret.
    pub secret: bool,
    /// Whether TLS certificate checks are off (`insecure_ssl: "1"`).
    pub insecure_ssl: bool,
    pub events: Vec<String>,
}

impl Item {
    /// A new active item with no owner, dates or privilege yet.
    pub fn new(id: String, provider: Provider, scope: String, kind: Kind, name: String) -> Self {
        Item {
            id,
            provider,
            scope,
            kind,
            name,
            owner: None,
            created_at: None,
            last_used: LastUsed::Unknown,
            expires_at: None,
            status: Status::Active,
            privilege: Privilege::default(),
            human: false,
            human_reason: String::new(),
            ai: false,
            ai_reason: String::new(),
            creator: None,
            repository_selection: None,
            webhook: None,
        }
    }
}

/// A policy reaching an identity, with its document when known.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AttachedPolicy {
    pub name: String,
    /// ARN of a managed policy; `None` for inline policies.
    pub arn: Option<String>,
    /// `inline`, `managed`, `group:<name>:inline` or `group:<name>:managed`.
    pub via: String,
    /// The decoded policy document, when the export carried it.
    pub document: Option<serde_json::Value>,
}

/// A principal: an IAM user, role or root account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    #[serde(flatten)]
    pub item: Item,
    /// The provider's own id (AIDA..., AROA...).
    pub native_id: Option<String>,
    pub path: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub groups: Vec<String>,
    /// MFA state, when known (credential report).
    pub mfa_active: Option<bool>,
    /// Whether the source described this identity's policies (so an empty
    /// `policies` means none, not unknown).
    pub policies_known: bool,
    pub policies: Vec<AttachedPolicy>,
    pub permissions_boundary: Option<String>,
    /// The boundary policy's document, when the export carried it.
    #[serde(default)]
    pub permissions_boundary_document: Option<serde_json::Value>,
    /// A role's trust policy (AssumeRolePolicyDocument).
    pub trust_policy: Option<serde_json::Value>,
    /// Names of the instance profiles a role is in.
    #[serde(default)]
    pub instance_profiles: Vec<String>,
    pub credentials: Vec<Credential>,
}

impl Identity {
    /// A new identity around `item` with no details yet.
    pub fn new(item: Item) -> Self {
        Identity {
            item,
            native_id: None,
            path: None,
            tags: BTreeMap::new(),
            groups: Vec::new(),
            mfa_active: None,
            policies_known: false,
            policies: Vec::new(),
            permissions_boundary: None,
            permissions_boundary_document: None,
            trust_policy: None,
            instance_profiles: Vec::new(),
            credentials: Vec::new(),
        }
    }

    /// Whether this identity's console password is on record.
    pub fn has_password(&self) -> bool {
        self.credentials
            .iter()
            .any(|c| c.item.kind == Kind::Password)
    }

    /// Whether this is a role the account's owner manages: not an AWS
    /// service-linked role (`/aws-service-role/`), which AWS creates and owns.
    pub fn is_customer_role(&self) -> bool {
        self.item.kind == Kind::Role
            && !self
                .path
                .as_deref()
                .is_some_and(|p| p.starts_with("/aws-service-role/"))
    }

    /// Active credentials of one kind.
    pub fn active(&self, kind: Kind) -> impl Iterator<Item = &Credential> {
        self.credentials
            .iter()
            .filter(move |c| c.item.kind == kind && c.item.status == Status::Active)
    }

    /// Fills what `self` lacks from `other`, which describes the same principal
    /// (a credential report row and an authorization-details entry, say).
    pub fn merge(&mut self, other: Identity) {
        let a = &mut self.item;
        let b = other.item;
        a.created_at = a.created_at.or(b.created_at);
        if a.last_used == LastUsed::Unknown {
            a.last_used = b.last_used;
        }
        a.expires_at = a.expires_at.or(b.expires_at);
        self.native_id = self.native_id.take().or(other.native_id);
        self.path = self.path.take().or(other.path);
        for (k, v) in other.tags {
            self.tags.entry(k).or_insert(v);
        }
        for g in other.groups {
            if !self.groups.contains(&g) {
                self.groups.push(g);
            }
        }
        self.mfa_active = self.mfa_active.or(other.mfa_active);
        self.policies_known |= other.policies_known;
        for p in other.policies {
            if !self
                .policies
                .iter()
                .any(|q| q.name == p.name && q.via == p.via)
            {
                self.policies.push(p);
            }
        }
        self.permissions_boundary = self
            .permissions_boundary
            .take()
            .or(other.permissions_boundary);
        self.permissions_boundary_document = self
            .permissions_boundary_document
            .take()
            .or(other.permissions_boundary_document);
        self.trust_policy = self.trust_policy.take().or(other.trust_policy);
        for p in other.instance_profiles {
            if !self.instance_profiles.contains(&p) {
                self.instance_profiles.push(p);
            }
        }
        for c in other.credentials {
            if !self.credentials.iter().any(|d| d.item.id == c.item.id) {
                self.credentials.push(c);
            }
        }
        self.credentials.sort_by(|x, y| x.item.id.cmp(&y.item.id));
    }
}

/// A secret or key held by an identity. Never carries the secret itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Credential {
    #[serde(flatten)]
    pub item: Item,
    /// The holder's id.
    pub parent_id: String,
    /// The provider's id for the credential (an access key id), when known.
    pub native_id: Option<String>,
    /// Service and region of the last use, when known.
    pub last_used_service: Option<String>,
    pub last_used_region: Option<String>,
    /// The redacted hint the provider shows for the secret (`sk-abc...wxyz`),
    /// never the secret itself.
    #[serde(default)]
    pub hint: Option<String>,
}

/// The state of one source (an input file, a demo, later a live API).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub provider: Provider,
    /// Accounts or orgs the source described, comma-separated.
    pub scope: String,
    /// `credential-report`, `authorization-details`, `nhiscan-json`, `demo`,
    /// `openai-admin-api`, `anthropic-snapshot`, ...; `aws-account` and
    /// `aws-organization` for live AWS scans.
    pub kind: String,
    /// File path or other locator.
    pub location: String,
    pub status: SourceStatus,
    /// Identities and credentials the source contributed.
    pub items: usize,
    pub error: Option<String>,
    /// API calls made to read a live source, by operation (empty for files).
    #[serde(default)]
    pub api_calls: BTreeMap<String, u64>,
}

/// Whether a source was read completely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceStatus {
    Ok,
    Partial,
    Failed,
    Skipped,
}

impl Source {
    /// `location (kind) status: error`, for warnings and notes.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}) {}: {}",
            self.location,
            self.kind,
            self.status,
            self.error.as_deref().unwrap_or("no detail")
        )
    }
}

impl SourceStatus {
    /// Whether the scan that used this source is incomplete.
    pub fn is_incomplete(self) -> bool {
        matches!(self, SourceStatus::Partial | SourceStatus::Failed)
    }
}

impl fmt::Display for SourceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceStatus::Ok => "ok",
            SourceStatus::Partial => "partial",
            SourceStatus::Failed => "failed",
            SourceStatus::Skipped => "skipped",
        })
    }
}

/// Everything collected in one scan, sorted by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inventory {
    pub sources: Vec<Source>,
    identities: BTreeMap<String, Identity>,
}

impl Inventory {
    /// Adds an identity, merging it into one with the same id.
    pub fn add(&mut self, identity: Identity) {
        match self.identities.get_mut(&identity.item.id) {
            Some(existing) => existing.merge(identity),
            None => {
                let mut identity = identity;
                identity
                    .credentials
                    .sort_by(|x, y| x.item.id.cmp(&y.item.id));
                self.identities.insert(identity.item.id.clone(), identity);
            }
        }
    }

    /// Identities in id order.
    pub fn identities(&self) -> impl ExactSizeIterator<Item = &Identity> {
        self.identities.values()
    }

    /// Identities in id order, mutably.
    pub fn identities_mut(&mut self) -> impl Iterator<Item = &mut Identity> {
        self.identities.values_mut()
    }

    /// Looks an identity up by id.
    pub fn get(&self, id: &str) -> Option<&Identity> {
        self.identities.get(id)
    }

    /// Number of identities plus credentials.
    pub fn item_count(&self) -> usize {
        self.identities
            .values()
            .map(|i| 1 + i.credentials.len())
            .sum()
    }

    /// Whether any source failed or was partial.
    pub fn is_partial(&self) -> bool {
        self.sources.iter().any(|s| s.status.is_incomplete())
    }
}
