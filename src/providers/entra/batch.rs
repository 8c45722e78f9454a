//! Microsoft Graph JSON batching (`POST /v1.0/$batch`): up to 20 GETs in one
//! HTTP call, as Graph's "Combine multiple HTTP requests using JSON
//! batching" reference shows it. nhiscan batches the per-object reads (each
//! app's `federatedIdentityCredentials`, each service principal's
//! `appRoleAssignments`), which would otherwise cost one call each.
//!
//! - Request body: `{"requests": [{"id": "1", "method": "GET", "url":
//!   "/applications/{id}/federatedIdentityCredentials"}, ...]}` (URLs
//!   relative to the version root).
//! - Response body: `{"responses": [{"id": "1", "status": 200, "headers":
//!   {...}, "body": {...}}, ...]}`, in any order.
//! - An item's `@odata.nextLink` is followed with plain GETs.
//! - An item answered 429, 503 or 504 is sent again in a later batch, after
//!   the longest `Retry-After` among them (capped), at most
//!   [`ITEM_RETRIES`] times; any other failing status is that item's error.
//! - The batch call itself is retried on 429 and 5xx within
//!   [`BATCH_ATTEMPTS`] tries; a batch refused outright fails its items.
//! - All throttling waits together stay within [`MAX_TOTAL_WAIT`], and a
//!   body over the shared cap is refused.
//!
//! Counting: each HTTP call is `POST /v1.0/$batch` in `api_calls`; each
//! request carried inside is counted under `$batch: <its route>`.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::auth::{error_text, scrub};
use super::live::{Graph, Page};
use crate::providers::http::{short_message, Limits, Transport};

/// The most requests Graph takes in one batch.
pub const MAX_BATCH: usize = 20;
/// How often one item answered 429/503/504 is sent again.
pub const ITEM_RETRIES: u32 = 3;
/// How often one batch call is tried on 429 or 5xx.
pub const BATCH_ATTEMPTS: u32 = 4;
/// The longest wait for one `Retry-After`.
const MAX_WAIT: Duration = Duration::from_secs(30);
/// The wait when a throttled answer names none.
const DEFAULT_WAIT: Duration = Duration::from_secs(2);
/// The most one scan waits on throttled batches and items, all told; past
/// it, what is still throttled fails (the source is then partial).
pub const MAX_TOTAL_WAIT: Duration = Duration::from_secs(5 * 60);

#[derive(Serialize)]
struct BatchRequest<'a> {
    requests: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Item<'a> {
    id: String,
    method: &'static str,
    url: &'a str,
}

#[derive(Deserialize)]
struct BatchResponse {
    #[serde(default)]
    responses: Vec<ItemResponse>,
}

#[derive(Deserialize)]
struct ItemResponse {
    id: String,
    status: u16,
    #[serde(default)]
    headers: HashMap<String, String>,
    body: Option<Box<RawValue>>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: Option<ErrorDetail>,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: Option<String>,
    message: Option<String>,
}

/// The `Retry-After` of an item's headers (any case), capped.
fn retry_after(headers: &HashMap<String, String>) -> Option<Duration> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))
        .and_then(|(_, v)| v.trim().parse::<f64>().ok())
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .map(|d| d.min(MAX_WAIT))
}

/// An item's error text: its status and Graph's `error.code: message`.
fn item_error(status: u16, body: Option<&RawValue>) -> String {
    let detail = body
        .and_then(|b| serde_json::from_str::<ErrorBody>(b.get()).ok())
        .and_then(|e| e.error)
        .map(|e| match (e.code, e.message) {
            (Some(c), Some(m)) => format!("{c}: {m}"),
            (c, m) => c.or(m).unwrap_or_default(),
        })
        .unwrap_or_default();
    let what = if status == 403 { " (permission denied)" } else { "" };
    format!("HTTP {status}{what} in $batch: {detail}")
        .trim_end_matches([':', ' '])
        .to_string()
}

impl Graph {
    /// GETs every URL in `urls` (relative to `/v1.0`) through `$batch`, and
    /// returns each one's whole collection (following `@odata.nextLink`),
    /// or why it could not be read, in the order of `urls`. `route` names
    /// them in `api_calls` and errors.
    pub async fn batch_lists<T: DeserializeOwned>(
        &self,
        route: &str,
        urls: &[String],
    ) -> Vec<Result<Vec<T>, String>> {
        let mut out: Vec<Option<Result<Vec<T>, String>>> = (0..urls.len()).map(|_| None).collect();
        let mut next_links: Vec<(usize, String)> = Vec::new();
        let inner = format!("$batch: {route}");
        for chunk_start in (0..urls.len()).step_by(MAX_BATCH) {
            let mut pending: Vec<usize> =
                (chunk_start..(chunk_start + MAX_BATCH).min(urls.len())).collect();
            let mut round = 0;
            while !pending.is_empty() {
                let requests = pending
                    .iter()
                    .map(|&i| Item {
                        id: i.to_string(),
                        method: "GET",
                        url: &urls[i],
                    })
                    .collect();
                for _ in &pending {
                    self.http.calls().record(&inner);
                }
                let answer = match self.post_batch(&BatchRequest { requests }).await {
                    Ok(a) => a,
                    Err(why) => {
                        for &i in &pending {
                            out[i] = Some(Err(why.clone()));
                        }
                        break;
                    }
                };
                let mut by_id: HashMap<String, ItemResponse> =
                    answer.responses.into_iter().map(|r| (r.id.clone(), r)).collect();
                let mut again = Vec::new();
                let mut wait = Duration::ZERO;
                for &i in &pending {
                    let Some(r) = by_id.remove(&i.to_string()) else {
                        out[i] = Some(Err("no response for this request in the $batch answer".into()));
                        continue;
                    };
                    if (200..300).contains(&r.status) {
                        let page = r
                            .body
                            .as_deref()
                            .map(|b| serde_json::from_str::<Page<T>>(b.get()))
                            .unwrap_or_else(|| serde_json::from_str::<Page<T>>("{}"));
                        match page {
                            Ok(p) => {
                                if let Some(next) = p.next_link {
                                    next_links.push((i, next));
                                }
                                out[i] = Some(Ok(p.value));
                            }
                            Err(e) => {
                                out[i] = Some(Err(format!("unexpected body in $batch: {e}")));
                            }
                        }
                    } else if matches!(r.status, 429 | 503 | 504)
                        && round < ITEM_RETRIES
                        && self.waited() < MAX_TOTAL_WAIT
                    {
                        wait = wait.max(retry_after(&r.headers).unwrap_or(DEFAULT_WAIT));
                        again.push(i);
                    } else {
                        let mut why = item_error(r.status, r.body.as_deref());
                        if matches!(r.status, 429 | 503 | 504) {
                            why.push_str(&format!(
                                " (still throttled after {round} retries, {}s waited in all)",
                                self.waited().as_secs()
                            ));
                        }
                        out[i] = Some(Err(self.scrub(&why)));
                    }
                }
                if !again.is_empty() {
                    self.wait(wait).await;
                }
                pending = again;
                round += 1;
            }
        }
        // The rest of a long collection, page by page.
        for (i, next) in next_links {
            let rest = match self.http.transport().next_target(&next) {
                Ok(target) => self.list::<T>(route, target).await.map_err(|e| e.to_string()),
                Err(why) => Err(format!("cannot follow @odata.nextLink {next:?}: {why}")),
            };
            match (out[i].as_mut(), rest) {
                (Some(Ok(items)), Ok(more)) => items.extend(more),
                (slot, Err(why)) => *slot.expect("answered") = Err(why),
                _ => {}
            }
        }
        out.into_iter()
            .map(|r| r.unwrap_or_else(|| Err("not answered".into())))
            .collect()
    }

    /// One `$batch` call, retried on 429 and 5xx within [`BATCH_ATTEMPTS`].
    async fn post_batch(&self, body: &BatchRequest<'_>) -> Result<BatchResponse, String> {
        const ROUTE: &str = "POST /v1.0/$batch";
        let body = serde_json::to_string(body).map_err(|e| e.to_string())?;
        let url = self
            .base
            .join("v1.0/$batch")
            .map_err(|e| format!("bad $batch URL: {e}"))?;
        let mut last = String::new();
        for attempt in 1..=BATCH_ATTEMPTS {
            self.http.calls().record(ROUTE);
            let sent = self
                .post
                .post(url.clone())
                .header("authorization", self.auth.clone())
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .body(body.clone())
                .send()
                .await;
            let response = match sent {
                Ok(r) => r,
                Err(e) => {
                    last = self.scrub(&format!("{ROUTE}: {}", error_text(&e)));
                    if (e.is_timeout() || e.is_connect()) && self.waited() < MAX_TOTAL_WAIT {
                        self.wait(DEFAULT_WAIT).await;
                        continue;
                    }
                    return Err(last);
                }
            };
            let status = response.status().as_u16();
            let wait = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(|v| retry_after(&HashMap::from([("retry-after".to_string(), v.to_string())])))
                .unwrap_or_default();
            let text = match read_capped(response).await {
                Ok(t) => t,
                Err(why) => return Err(format!("{ROUTE}: {why}")),
            };
            if (200..300).contains(&status) {
                return serde_json::from_str(&text)
                    .map_err(|e| format!("{ROUTE}: unexpected answer: {e}"));
            }
            last = self.scrub(&format!("{ROUTE}: HTTP {status}: {}", short_message(&text)));
            if (status == 429 || status >= 500)
                && attempt < BATCH_ATTEMPTS
                && self.waited() < MAX_TOTAL_WAIT
            {
                self.wait(wait.unwrap_or(DEFAULT_WAIT)).await;
                continue;
            }
            return Err(last);
        }
        Err(last)
    }

    fn scrub(&self, text: &str) -> String {
        scrub(text, &self.secrets)
    }

    /// How long batches have waited on throttling so far.
    fn waited(&self) -> Duration {
        Duration::from_millis(self.throttled_ms.load(Ordering::Relaxed))
    }

    /// Waits `d` (at most what is left of [`MAX_TOTAL_WAIT`]), and counts it.
    async fn wait(&self, d: Duration) {
        let d = d.min(MAX_TOTAL_WAIT.saturating_sub(self.waited()));
        self.throttled_ms
            .fetch_add(u64::try_from(d.as_millis()).unwrap_or(u64::MAX), Ordering::Relaxed);
        tokio::time::sleep(d).await;
    }
}

/// A response body, refused past the shared body cap
/// (`NHISCAN_MAX_RESPONSE_BYTES`), read chunk by chunk.
async fn read_capped(mut response: reqwest::Response) -> Result<String, String> {
    let max = Limits::from_env().max_body;
    let too_large = || format!("response body larger than {max} bytes (the cap, NHISCAN_MAX_RESPONSE_BYTES)");
    if response.content_length().is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > max {
                    return Err(too_large());
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(String::from_utf8_lossy(&bytes).into_owned()),
            Err(e) => return Err(error_text(&e)),
        }
    }
}

/// Failures of one route's items, folded into one problem line: how many,
/// which objects (the first few) and the first reason.
pub fn summarize(total: usize, failed: &BTreeMap<String, String>) -> Option<String> {
    let (_, first) = failed.iter().next()?;
    let mut ids: Vec<&str> = failed.keys().map(String::as_str).take(5).collect();
    if failed.len() > 5 {
        ids.push("...");
    }
    Some(format!(
        "{} of {total} failed ({}): {first}",
        failed.len(),
        ids.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_errors_name_the_status_and_graphs_message() {
        let body = RawValue::from_string(
            r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#.into(),
        )
        .unwrap();
        assert_eq!(
            item_error(403, Some(&body)),
            "HTTP 403 (permission denied) in $batch: Authorization_RequestDenied: Insufficient privileges to complete the operation."
        );
        assert_eq!(item_error(404, None), "HTTP 404 in $batch");
        let h = HashMap::from([("Retry-After".to_string(), "120".to_string())]);
        assert_eq!(retry_after(&h), Some(MAX_WAIT), "capped");
    }

    #[test]
    fn failures_fold_into_one_line() {
        let failed: BTreeMap<String, String> = (0..7)
            .map(|i| (format!("sp-{i}"), "HTTP 403 in $batch".to_string()))
            .collect();
        let s = summarize(40, &failed).unwrap();
        assert!(s.starts_with("7 of 40 failed (sp-0, sp-1, sp-2, sp-3, sp-4, ...)"), "{s}");
        assert!(summarize(1, &BTreeMap::new()).is_none());
    }
}
