//! Lists read to the end, in the two shapes nhiscan meets:
//! - `Link: <...>; rel="next"` (GitHub), via [`Client::list_link`];
//! - `has_more` + `last_id` with a cursor query parameter (OpenAI `after`,
//!   Anthropic `after_id`), via [`Client::list_cursor`].
//!
//! Both refuse to loop: a `Link` target or cursor seen before in the same
//! list is an error ([`HttpError::Stalled`]), as is `has_more` without a
//! cursor.

use std::collections::HashSet;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::client::Client;
use super::error::HttpError;
use super::transport::Transport;

/// How a cursor-paginated list takes its page size and cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// The query parameter carrying the cursor: `after`, `after_id`.
    pub param: &'static str,
    /// The query parameter carrying the page size: `limit`.
    pub limit_param: &'static str,
    pub page_size: u32,
}

/// One page of a cursor-paginated list.
#[derive(Debug, Deserialize)]
struct Page<T> {
    #[serde(default = "Vec::new")]
    data: Vec<T>,
    #[serde(default)]
    has_more: bool,
    #[serde(default)]
    last_id: Option<String>,
}

impl<T: Transport> Client<T> {
    /// Every item of a `Link`-paginated list starting at `first`, counted
    /// under `operation`; `items` takes the list out of one page.
    pub async fn list_link<P, I>(
        &self,
        operation: &str,
        first: String,
        items: impl Fn(P) -> Vec<I>,
    ) -> Result<Vec<I>, HttpError>
    where
        P: DeserializeOwned,
    {
        let mut seen = HashSet::from([first.clone()]);
        let mut next = Some(first);
        let mut all = Vec::new();
        while let Some(target) = next.take() {
            self.check_pages(operation, seen.len())?;
            let response = self.send(operation, &target).await?;
            all.extend(items(self.decode(operation, &response)?));
            let Some(url) = response.headers.link.as_deref().and_then(next_link) else {
                break;
            };
            let target =
                self.transport()
                    .next_target(&url)
                    .map_err(|message| HttpError::Transport {
                        operation: operation.into(),
                        message: format!("cannot follow the next page {url:?}: {message}"),
                        attempts: 0,
                    })?;
            if !seen.insert(target.clone()) {
                return Err(HttpError::Stalled {
                    operation: operation.into(),
                    detail: format!("Link rel=\"next\" leads back to {target}"),
                    cursor: None,
                });
            }
            next = Some(target);
        }
        Ok(all)
    }

    /// Every item of a cursor-paginated list at `target`, following
    /// `last_id` while `has_more` is true.
    pub async fn list_cursor<I: DeserializeOwned>(
        &self,
        operation: &str,
        target: &str,
        cursor: Cursor,
    ) -> Result<Vec<I>, HttpError> {
        let mut seen = HashSet::new();
        let mut after: Option<String> = None;
        let mut all = Vec::new();
        let mut pages = 0;
        loop {
            pages += 1;
            self.check_pages(operation, pages)?;
            let mut query = vec![(cursor.limit_param, cursor.page_size.to_string())];
            if let Some(c) = &after {
                query.push((cursor.param, c.clone()));
            }
            let page: Page<I> = self
                .get_json(operation, &with_query(target, &query))
                .await?;
            all.extend(page.data);
            if !page.has_more {
                return Ok(all);
            }
            match page.last_id {
                Some(next) if !next.is_empty() && seen.insert(next.clone()) => after = Some(next),
                last => {
                    return Err(HttpError::Stalled {
                        operation: operation.into(),
                        detail: format!("has_more is true, last_id {last:?}"),
                        cursor: last,
                    })
                }
            }
        }
    }

    /// An error when page number `page` (1 first) is past the page cap.
    fn check_pages(&self, operation: &str, page: usize) -> Result<(), HttpError> {
        let max = self.limits().max_pages;
        if page > max {
            return Err(HttpError::Limit {
                operation: operation.into(),
                detail: format!(
                    "stopped after {max} pages (the page cap, NHISCAN_MAX_PAGES); the list is incomplete"
                ),
            });
        }
        Ok(())
    }
}

/// The `rel="next"` URL of a `Link` header.
pub fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim() == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
    })
}

/// Characters left as they are in a query value (RFC 3986 unreserved).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `target` with `query` appended, values percent-encoded.
fn with_query(target: &str, query: &[(&str, String)]) -> String {
    let mut out = target.to_string();
    for (i, (name, value)) in query.iter().enumerate() {
        let sep = if i == 0 && !target.contains('?') {
            '?'
        } else {
            '&'
        };
        out.push(sep);
        out.push_str(name);
        out.push('=');
        out.extend(utf8_percent_encode(value, QUERY_VALUE));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::client::tests::{client, respond, respond_with, Recorder, Scripted};
    use super::super::client::{Retry, Settings};
    use super::super::transport::Headers;
    use super::*;

    /// Runs `f` on the shared runtime.
    fn run<F: std::future::Future>(f: F) -> F::Output {
        super::super::block_on(f).expect("the shared runtime")
    }

    fn link(next: &str) -> Headers {
        Headers {
            link: Some(format!(
                r#"<{next}>; rel="next", <https://api.example/x?page=9>; rel="last""#
            )),
            ..Headers::default()
        }
    }

    #[test]
    fn link_headers_give_the_next_page() {
        let link = r#"<https://api.example.com/organizations/1/repos?per_page=100&page=2>; rel="next", <https://api.example.com/organizations/1/repos?per_page=100&page=5>; rel="last""#;
        assert_eq!(
            next_link(link).unwrap(),
            "https://api.example.com/organizations/1/repos?per_page=100&page=2"
        );
        let last_page = r#"<https://api.example.com/x?page=1>; rel="prev", <https://api.example.com/x?page=1>; rel="first""#;
        assert_eq!(next_link(last_page), None);
    }

    #[test]
    fn link_pages_are_followed_to_the_end() {
        let t = Scripted::new(vec![
            respond_with(200, link("https://api.example/x?page=2"), "[1, 2]"),
            respond_with(200, link("https://api.example/x?page=3"), "[3]"),
            respond(200, "[4]"),
        ]);
        let c = client(t.clone(), Recorder::new(), Retry::default());
        let all: Vec<u32> =
            run(c.list_link("GET /x", "/x?per_page=2".into(), |p: Vec<u32>| p)).unwrap();
        assert_eq!(all, [1, 2, 3, 4]);
        assert_eq!(t.asked(), ["/x?per_page=2", "/x?page=2", "/x?page=3"]);
        assert_eq!(c.calls().snapshot()["GET /x"], 3);
    }

    #[test]
    fn a_link_loop_is_an_error() {
        // Page 3 points back at page 2.
        let t = Scripted::new(vec![
            respond_with(200, link("https://api.example/x?page=2"), "[1]"),
            respond_with(200, link("https://api.example/x?page=3"), "[2]"),
            respond_with(200, link("https://api.example/x?page=2"), "[3]"),
        ]);
        let c = client(t.clone(), Recorder::new(), Retry::default());
        let err = run(c.list_link("GET /x", "/x".into(), |p: Vec<u32>| p)).unwrap_err();
        assert!(
            matches!(&err, HttpError::Stalled { detail, .. } if detail.contains("/x?page=2")),
            "{err:?}"
        );
        assert_eq!(t.asked().len(), 3);
        // A page pointing at itself (the first one included).
        let t = Scripted::new(vec![respond_with(
            200,
            link("https://api.example/x"),
            "[1]",
        )]);
        let c = client(t, Recorder::new(), Retry::default());
        assert!(matches!(
            run(c.list_link("GET /x", "/x".into(), |p: Vec<u32>| p)),
            Err(HttpError::Stalled { .. })
        ));
        // A next page the transport may not follow.
        let t = Scripted::new(vec![respond_with(
            200,
            link("https://evil.example/x"),
            "[1]",
        )]);
        let c = client(t, Recorder::new(), Retry::default());
        let err = run(c.list_link("GET /x", "/x".into(), |p: Vec<u32>| p)).unwrap_err();
        assert!(
            err.to_string().contains("cannot follow the next page"),
            "{err}"
        );
    }

    const CURSOR: Cursor = Cursor {
        param: "after_id",
        limit_param: "limit",
        page_size: 2,
    };

    fn page(ids: &[&str], has_more: bool, last: Option<&str>) -> String {
        serde_json::json!({"data": ids, "has_more": has_more, "first_id": ids.first(), "last_id": last})
            .to_string()
    }

    #[test]
    fn cursor_pages_are_followed_to_the_end() {
        let t = Scripted::new(vec![
            respond(200, &page(&["a", "b"], true, Some("b"))),
            respond(200, &page(&["c d"], true, Some("c d"))),
            respond(200, &page(&[], false, None)),
        ]);
        let c = client(t.clone(), Recorder::new(), Retry::default());
        let all: Vec<String> =
            run(c.list_cursor("GET /users", "/v1/users?include_archived=true", CURSOR)).unwrap();
        assert_eq!(all, ["a", "b", "c d"]);
        assert_eq!(
            t.asked(),
            [
                "/v1/users?include_archived=true&limit=2",
                "/v1/users?include_archived=true&limit=2&after_id=b",
                "/v1/users?include_archived=true&limit=2&after_id=c%20d",
            ]
        );
    }

    #[test]
    fn a_cursor_loop_is_an_error() {
        // b, then c, then b again.
        let t = Scripted::new(vec![
            respond(200, &page(&["a", "b"], true, Some("b"))),
            respond(200, &page(&["c"], true, Some("c"))),
            respond(200, &page(&["b"], true, Some("b"))),
        ]);
        let c = client(t.clone(), Recorder::new(), Retry::default());
        let err = run(c.list_cursor::<String>("GET /users", "/users", CURSOR)).unwrap_err();
        assert_eq!(
            err,
            HttpError::Stalled {
                operation: "GET /users".into(),
                detail: r#"has_more is true, last_id Some("b")"#.into(),
                cursor: Some("b".into()),
            }
        );
        assert_eq!(t.asked().len(), 3);
        // has_more with no cursor.
        let t = Scripted::new(vec![respond(200, &page(&["a"], true, None))]);
        let c = client(t, Recorder::new(), Retry::default());
        assert!(matches!(
            run(c.list_cursor::<String>("GET /users", "/users", CURSOR)),
            Err(HttpError::Stalled { cursor: None, .. })
        ));
    }

    #[test]
    fn listings_stop_at_the_page_cap() {
        // Link to page N+1 forever.
        let t = Scripted::new(
            (2..=4)
                .map(|n| respond_with(200, link(&format!("https://api.example/x?page={n}")), "[1]"))
                .collect(),
        );
        let mut settings = Settings::new("Test");
        settings.clock = Recorder::new();
        settings.limits.max_pages = 3;
        let c = Client::new(t.clone(), settings);
        let err = run(c.list_link("GET /x", "/x".into(), |p: Vec<u32>| p)).unwrap_err();
        assert!(
            matches!(&err, HttpError::Limit { detail, .. } if detail.contains("stopped after 3 pages")),
            "{err:?}"
        );
        assert_eq!(t.asked().len(), 3);
        // A cursor that keeps advancing.
        let t = Scripted::new(
            ["a", "b", "c"]
                .iter()
                .map(|id| respond(200, &page(&[id], true, Some(id))))
                .collect(),
        );
        let mut settings = Settings::new("Test");
        settings.clock = Recorder::new();
        settings.limits.max_pages = 2;
        let c = Client::new(t.clone(), settings);
        let err = run(c.list_cursor::<String>("GET /u", "/u", CURSOR)).unwrap_err();
        assert!(matches!(err, HttpError::Limit { .. }), "{err:?}");
        assert_eq!(t.asked().len(), 2);
    }

    #[test]
    fn queries_are_appended_and_encoded() {
        assert_eq!(with_query("/x", &[]), "/x");
        assert_eq!(
            with_query("/x?a=1", &[("after", "key a&b/é".into())]),
            "/x?a=1&after=key%20a%26b%2F%C3%A9"
        );
        assert_eq!(
            with_query("/x", &[("limit", "5".into()), ("after", "z".into())]),
            "/x?limit=5&after=z"
        );
    }
}
