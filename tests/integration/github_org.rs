//! A fake GitHub organization, served by wiremock on 127.0.0.1.
//!
//! Every body is GitHub's own example (`fixtures/github/vectors/`): lists are
//! the vector bodies unchanged, or items cloned from them with ids, names and
//! dates changed, so a served body always has exactly GitHub's shape. Lists
//! are paginated with `Link` headers as GitHub does, the org's repositories
//! moving to `/organizations/{id}/repos` from page 2 on.
//!
//! Shared by the integration tests and `benches/github.rs`.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{json, Value};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A vector body from `fixtures/github/vectors/`.
pub fn vector(name: &str) -> Value {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/github/vectors")
        .join(name);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    serde_json::from_str(&text).expect("vector is JSON")
}

/// The first item of a vector list (or of `field` in a wrapped one), to clone.
fn template(name: &str, field: Option<&str>) -> Value {
    let body = vector(name);
    let list = match field {
        Some(f) => &body[f],
        None => &body,
    };
    list[0].clone()
}

fn set(mut item: Value, fields: Value) -> Value {
    for (k, v) in fields.as_object().expect("fields object") {
        item[k] = v.clone();
    }
    item
}

pub fn member(login: &str) -> Value {
    let id = login.bytes().map(u64::from).sum::<u64>();
    set(
        template("org-members.json", None),
        json!({"login": login, "id": id}),
    )
}

/// A fine-grained PAT grant. `expires` and `last_used` are RFC 3339 or null.
pub fn pat_grant(
    id: u64,
    owner: &str,
    name: &str,
    permissions: Value,
    selection: &str,
    expires: Value,
    last_used: Value,
) -> Value {
    set(
        template("org-personal-access-tokens.json", None),
        json!({
            "id": id, "owner": member(owner), "token_name": name, "token_id": id + 90000,
            "permissions": permissions, "repository_selection": selection,
            "access_granted_at": "2026-01-10T09:00:00.000-07:00",
            "token_expires_at": expires, "token_last_used_at": last_used, "token_expired": false,
        }),
    )
}

pub fn pat_request(id: u64, owner: &str, name: &str) -> Value {
    set(
        template("org-personal-access-token-requests.json", None),
        json!({"id": id, "owner": member(owner), "token_name": name, "token_id": id + 80000,
               "created_at": "2026-05-20T08:00:00Z"}),
    )
}

pub fn installation(id: u64, slug: &str, permissions: Value, selection: &str) -> Value {
    set(
        template("org-installations.json", Some("installations")),
        json!({"id": id, "app_slug": slug, "app_id": id + 1000, "permissions": permissions,
               "repository_selection": selection, "created_at": "2025-02-01T00:00:00Z"}),
    )
}

pub fn deploy_key(
    id: u64,
    title: &str,
    read_only: bool,
    added_by: &str,
    last_used: Value,
) -> Value {
    set(
        template("repo-deploy-keys.json", None),
        json!({"id": id, "title": title, "read_only": read_only, "added_by": added_by,
               "last_used": last_used, "created_at": "2026-01-05T10:00:00Z"}),
    )
}

pub fn secret(name: &str) -> Value {
    set(
        template("repo-actions-secrets.json", Some("secrets")),
        json!({"name": name, "created_at": "2026-02-01T00:00:00Z", "updated_at": "2026-02-01T00:00:00Z"}),
    )
}

/// A webhook to `url`, signed with a secret or not.
pub fn hook(id: u64, url: &str, secret: bool) -> Value {
    let mut config = json!({"content_type": "json", "insecure_ssl": "0", "url": url});
    if secret {
        config["secret"] = "********".into();
    }
    set(
        template("repo-hooks.json", None),
        json!({"id": id, "config": config}),
    )
}

pub fn repo(name: &str, id: u64) -> Value {
    set(
        template("org-repos.json", None),
        json!({"name": name, "id": id, "full_name": format!("acme/{name}")}),
    )
}

/// One repository's lists.
#[derive(Debug, Clone, Default)]
pub struct FakeRepo {
    pub keys: Vec<Value>,
    pub secrets: Vec<Value>,
    pub hooks: Vec<Value>,
}

/// An organization's lists. `credential_authorizations: None` answers 404,
/// as an org without Enterprise Cloud SAML SSO does.
#[derive(Debug, Clone)]
pub struct FakeOrg {
    pub name: String,
    pub members: Vec<Value>,
    pub pat_grants: Vec<Value>,
    pub pat_requests: Vec<Value>,
    pub credential_authorizations: Option<Vec<Value>>,
    pub installations: Vec<Value>,
    pub org_secrets: Vec<Value>,
    pub org_hooks: Vec<Value>,
    /// Repository objects and their lists, by name.
    pub repos: Vec<(Value, FakeRepo)>,
    pub page_size: usize,
}

impl FakeOrg {
    /// An org with nothing in it.
    pub fn empty(name: &str) -> Self {
        FakeOrg {
            name: name.into(),
            members: Vec::new(),
            pat_grants: Vec::new(),
            pat_requests: Vec::new(),
            credential_authorizations: None,
            installations: Vec::new(),
            org_secrets: Vec::new(),
            org_hooks: Vec::new(),
            repos: Vec::new(),
            page_size: 100,
        }
    }

    /// GitHub's example bodies, unchanged, as one org with one repository.
    pub fn vectors(name: &str) -> Self {
        let list = |file: &str, field: Option<&str>| {
            let body = vector(file);
            match field {
                Some(f) => body[f].as_array().unwrap().clone(),
                None => body.as_array().unwrap().clone(),
            }
        };
        let repos = list("org-repos.json", None)
            .into_iter()
            .map(|r| {
                let lists = FakeRepo {
                    keys: list("repo-deploy-keys.json", None),
                    secrets: list("repo-actions-secrets.json", Some("secrets")),
                    hooks: list("repo-hooks.json", None),
                };
                (r, lists)
            })
            .collect();
        FakeOrg {
            name: name.into(),
            members: list("org-members.json", None),
            pat_grants: list("org-personal-access-tokens.json", None),
            pat_requests: list("org-personal-access-token-requests.json", None),
            credential_authorizations: Some(list("org-credential-authorizations.json", None)),
            installations: list("org-installations.json", Some("installations")),
            org_secrets: list("org-actions-secrets.json", Some("secrets")),
            org_hooks: list("org-hooks.json", None),
            repos,
            page_size: 100,
        }
    }

    /// Adds a repository with its lists.
    pub fn with_repo(mut self, name: &str, lists: FakeRepo) -> Self {
        let id = 5000 + self.repos.len() as u64;
        self.repos.push((repo(name, id), lists));
        self
    }

    /// Mounts every endpoint of the org on `server`.
    pub async fn mount(&self, server: &MockServer) {
        let org = &self.name;
        let base = server.uri();
        let page = |items: &[Value], field: Option<&'static str>, next: String| Paged {
            items: Arc::new(items.to_vec()),
            field,
            page_size: self.page_size,
            next,
        };
        let lists: [(String, &[Value], Option<&'static str>); 7] = [
            (format!("/orgs/{org}/members"), &self.members, None),
            (
                format!("/orgs/{org}/personal-access-tokens"),
                &self.pat_grants,
                None,
            ),
            (
                format!("/orgs/{org}/personal-access-token-requests"),
                &self.pat_requests,
                None,
            ),
            (
                format!("/orgs/{org}/installations"),
                &self.installations,
                Some("installations"),
            ),
            (
                format!("/orgs/{org}/actions/secrets"),
                &self.org_secrets,
                Some("secrets"),
            ),
            (format!("/orgs/{org}/hooks"), &self.org_hooks, None),
            (
                format!("/orgs/{org}/credential-authorizations"),
                self.credential_authorizations
                    .as_deref()
                    .unwrap_or_default(),
                None,
            ),
        ];
        for (p, items, field) in lists {
            if p.ends_with("credential-authorizations") && self.credential_authorizations.is_none()
            {
                Mock::given(method("GET"))
                    .and(path(p.as_str()))
                    .respond_with(not_found())
                    .mount(server)
                    .await;
                continue;
            }
            Mock::given(method("GET"))
                .and(path(p.as_str()))
                .respond_with(page(items, field, format!("{base}{p}")))
                .mount(server)
                .await;
        }
        // Repositories: page 1 at /orgs/{org}/repos, then GitHub's own /organizations/{id}/repos links.
        let repos: Vec<Value> = self.repos.iter().map(|(r, _)| r.clone()).collect();
        let next = format!("{base}/organizations/652551/repos");
        for p in [
            format!("/orgs/{org}/repos"),
            "/organizations/652551/repos".to_string(),
        ] {
            Mock::given(method("GET"))
                .and(path(p.as_str()))
                .respond_with(page(&repos, None, next.clone()))
                .mount(server)
                .await;
        }
        let by_repo = |pick: fn(&FakeRepo) -> &Vec<Value>| -> Lists {
            self.repos
                .iter()
                .map(|(r, lists)| (r["name"].as_str().unwrap().to_string(), pick(lists).clone()))
                .collect()
        };
        let endpoints = [
            ("keys", by_repo(|r| &r.keys), None),
            ("actions/secrets", by_repo(|r| &r.secrets), Some("secrets")),
            ("hooks", by_repo(|r| &r.hooks), None),
        ];
        for (suffix, data, field) in endpoints {
            Mock::given(method("GET"))
                .and(path_regex(format!("^/repos/{org}/[^/]+/{suffix}$")))
                .respond_with(ByRepo {
                    data: Arc::new(data),
                    field,
                    page_size: self.page_size,
                    base: base.clone(),
                })
                .mount(server)
                .await;
        }
    }
}

/// GitHub's 404 body.
pub fn not_found() -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_json(json!({
        "message": "Not Found",
        "documentation_url": "https://docs.github.com/rest",
        "status": "404"
    }))
}

/// One page of `items`, with `Link` headers pointing at `next` (a full URL without query).
#[derive(Clone)]
struct Paged {
    items: Arc<Vec<Value>>,
    field: Option<&'static str>,
    page_size: usize,
    next: String,
}

impl Respond for Paged {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        page_of(&self.items, self.field, self.page_size, &self.next, request)
    }
}

/// Lists by repository name.
type Lists = HashMap<String, Vec<Value>>;

/// Per-repository lists behind one `/repos/{org}/{repo}/...` pattern.
struct ByRepo {
    data: Arc<Lists>,
    field: Option<&'static str>,
    page_size: usize,
    base: String,
}

impl Respond for ByRepo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let repo = request.url.path().split('/').nth(3).unwrap_or_default();
        match self.data.get(repo) {
            Some(items) => {
                let next = format!("{}{}", self.base, request.url.path());
                page_of(items, self.field, self.page_size, &next, request)
            }
            None => not_found(),
        }
    }
}

fn page_of(
    items: &[Value],
    field: Option<&str>,
    size: usize,
    next: &str,
    request: &Request,
) -> ResponseTemplate {
    let page: usize = request
        .url
        .query_pairs()
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1);
    let pages = items.len().div_ceil(size).max(1);
    let start = ((page - 1) * size).min(items.len());
    let chunk = items[start..(start + size).min(items.len())].to_vec();
    let body = match field {
        Some(f) => json!({"total_count": items.len(), f: chunk}),
        None => Value::Array(chunk),
    };
    let mut response = ResponseTemplate::new(200)
        .set_body_json(body)
        .insert_header("x-ratelimit-limit", "5000")
        .insert_header("x-ratelimit-remaining", "4999");
    let link = |p: usize, rel: &str| format!("<{next}?per_page=100&page={p}>; rel=\"{rel}\"");
    let mut links = Vec::new();
    if page < pages {
        links.push(link(page + 1, "next"));
        links.push(link(pages, "last"));
    }
    if page > 1 {
        links.push(link(page - 1, "prev"));
        links.push(link(1, "first"));
    }
    if !links.is_empty() {
        response = response.insert_header("link", links.join(", ").as_str());
    }
    response
}

/// A wiremock server on its own runtime, so tests can call nhiscan's
/// blocking API (which runs its own runtime) while it serves.
pub struct Server {
    pub runtime: tokio::runtime::Runtime,
    pub mock: MockServer,
}

impl Server {
    pub fn start() -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let mock = runtime.block_on(MockServer::start());
        Server { runtime, mock }
    }

    /// A server for the benchmark: requests are not recorded.
    pub fn start_unrecorded() -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let mock = runtime.block_on(MockServer::builder().disable_request_recording().start());
        Server { runtime, mock }
    }

    pub fn uri(&self) -> String {
        self.mock.uri()
    }

    /// Serves `org`.
    pub fn serve(&self, org: &FakeOrg) {
        self.runtime.block_on(org.mount(&self.mock));
    }

    /// Mounts one extra mock (give it priority 1 to win over the org's).
    pub fn mount(&self, mock: Mock) {
        self.runtime.block_on(mock.mount(&self.mock));
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.runtime
            .block_on(self.mock.received_requests())
            .unwrap_or_default()
    }
}
