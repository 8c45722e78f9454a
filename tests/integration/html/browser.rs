//! Debian's headless Chromium, driven through chromedriver on 127.0.0.1 by
//! fantoccini (WebDriver over plain HTTP).
//!
//! Each [`Browser`] starts its own chromedriver on a free port and a
//! Chromium with a fresh profile, and keeps the browser's console and
//! network logs (`goog:loggingPrefs`), which [`Browser::logs`] reads through
//! chromedriver's log endpoint. Dropping it ends both processes. Paths come
//! from `CHROMIUM` and `CHROMEDRIVER`, else `/usr/bin/chromium` and
//! `/usr/bin/chromedriver` (`scripts/test.sh` installs them).

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

/// The flags the issue asks for, plus a fixed window size.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1360,1000",
];

fn tool(var: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        path.exists(),
        "{} not found: the browser tests need Debian's chromium and chromium-driver \
         (./scripts/test.sh installs them: apt-get install -y chromium chromium-driver)",
        path.display()
    );
    path
}

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// chromedriver's log endpoint (`POST /session/{id}/se/log`).
#[derive(Debug)]
struct GetLog(&'static str);

impl WebDriverCompatibleCommand for GetLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": self.0 }).to_string()),
        )
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with `extra` flags.
    pub async fn start(extra: &[&str]) -> Browser {
        let chromium = tool("CHROMIUM", "/usr/bin/chromium");
        let chromedriver = tool("CHROMEDRIVER", "/usr/bin/chromedriver");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen in 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let mut args: Vec<String> = FLAGS.iter().map(|s| s.to_string()).collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
            "goog:loggingPrefs": { "browser": "ALL", "performance": "ALL" },
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        Browser {
            client: ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps)
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
                .expect("a WebDriver session with chromium"),
            driver,
            _profile: profile,
        }
    }

    /// Opens a local file and waits until the page's script has finished.
    pub async fn open(&self, path: &Path) {
        let url = url::Url::from_file_path(path).expect("absolute path");
        // Whatever the browser did before (its start page) is not the page's.
        self.logs("browser").await;
        self.logs("performance").await;
        self.client.goto(url.as_str()).await.expect("page loads");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = self
                .eval("return document.body && document.body.getAttribute('data-ready')")
                .await;
            if ready == json!("true") {
                break;
            }
            if Instant::now() > deadline {
                let logs = self.logs("browser").await;
                panic!("the page's script did not finish; console: {logs:#?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Runs `script` (a function body) in the page and returns its value.
    pub async fn eval(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// The entries of one of chromedriver's logs (`browser` or `performance`)
    /// since it was last read.
    pub async fn logs(&self, kind: &'static str) -> Vec<Value> {
        match self.client.issue_cmd(GetLog(kind)).await {
            Ok(Value::Array(entries)) => entries,
            other => panic!("reading the {kind} log: {other:?}"),
        }
    }

    /// Every request the browser made since the logs were last read, as
    /// (URL, URL of the document that made it), from the performance log.
    pub async fn requests(&self) -> Vec<(String, String)> {
        self.logs("performance")
            .await
            .iter()
            .filter_map(|e| serde_json::from_str::<Value>(e["message"].as_str()?).ok())
            .filter(|m| m["message"]["method"] == "Network.requestWillBeSent")
            .map(|m| {
                let p = &m["message"]["params"];
                let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
                (text(&p["request"]["url"]), text(&p["documentURL"]))
            })
            .collect()
    }

    /// Saves a screenshot of a `height`-pixel-high window as a PNG, scrolled
    /// to the element `scroll_to` selects when given.
    pub async fn screenshot(&self, path: &Path, height: u32, scroll_to: Option<&str>) {
        self.client
            .set_window_size(1360, height)
            .await
            .expect("window size");
        if let Some(selector) = scroll_to {
            self.client
                .execute(
                    "document.querySelector(arguments[0]).scrollIntoView(); return 0;",
                    vec![selector.into()],
                )
                .await
                .expect("scroll");
        }
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(path, png).expect("write screenshot");
    }

    /// Ends the session, then the driver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
