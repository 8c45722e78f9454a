//! A moto server (`tests/moto/server.py`) for the live AWS tests: started on
//! a free 127.0.0.1 port from the venv `./scripts/test.sh` makes, seeded with
//! one scenario, and stopped when the test process exits (its stdin closes).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::common::{nhiscan, venv_python, Nhiscan};

/// A running, seeded moto server.
pub struct Moto {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// When the scenario was seeded; its dates are relative to this, so scans pass it as `--now`.
    pub now: String,
    /// What the scenario created (key ids, account ids, ...).
    pub facts: Value,
    /// moto's request log: every request after seeding, one JSON object a line.
    pub recording: PathBuf,
    _child: Child,
    _dir: tempfile::TempDir,
}

impl Moto {
    /// Starts moto and seeds `scenario` (`account` or `org`).
    pub fn start(scenario: &str) -> Moto {
        let dir = tempfile::tempdir().expect("temp dir");
        let recording = dir.path().join("requests.jsonl");
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/moto/server.py");
        let mut child = Command::new(venv_python("moto, boto3"))
            .arg(&script)
            .arg(scenario)
            .arg(&recording)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the moto server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the moto server's READY line");
        let mut parts = line.trim_end().splitn(4, ' ');
        assert_eq!(
            parts.next(),
            Some("READY"),
            "moto server for {scenario} did not start: {line:?}"
        );
        let url = parts.next().expect("url").to_string();
        let now = parts.next().expect("now").to_string();
        let facts = serde_json::from_str(parts.next().expect("facts")).expect("facts JSON");
        Moto {
            url,
            now,
            facts,
            recording,
            _child: child,
            _dir: dir,
        }
    }

    /// `nhiscan` for this server; see [`aws_nhiscan`]. One attempt per request:
    /// moto answers what it does not implement with HTTP 500, which would
    /// otherwise be retried with backoff.
    pub fn nhiscan(&self, access_key: &str, secret: &str) -> Nhiscan {
        aws_nhiscan(access_key, secret, Some(1))
    }

    /// The operations in moto's request log (`Action=` of query requests, the
    /// operation of `X-Amz-Target` JSON requests). A last line still being
    /// written by a concurrent test is skipped.
    pub fn recorded_operations(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.recording).unwrap_or_default();
        let mut ops = Vec::new();
        for line in text.lines() {
            let Ok(entry) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            if let Some(target) = entry["headers"]["X-Amz-Target"].as_str() {
                ops.push(target.rsplit('.').next().unwrap_or(target).to_string());
                continue;
            }
            let body = entry["body"].as_str().unwrap_or_default();
            let body = if entry["body_encoded"] == true {
                use base64::Engine as _;
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(body)
                    .expect("base64 body");
                String::from_utf8(bytes).expect("UTF-8 body")
            } else {
                body.to_string()
            };
            let action = body
                .split('&')
                .find_map(|kv| kv.strip_prefix("Action="))
                .unwrap_or_else(|| panic!("request without an Action: {line}"));
            ops.push(action.to_string());
        }
        ops
    }
}

/// `nhiscan` with explicit test credentials and region, no instance metadata,
/// no config files, and `max_attempts` per request when given.
pub fn aws_nhiscan(access_key: &str, secret: &str, max_attempts: Option<u32>) -> Nhiscan {
    let mut n = nhiscan();
    n.cmd
        .env("AWS_ACCESS_KEY_ID", access_key)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/nhiscan-test/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/nhiscan-test/credentials",
        );
    if let Some(n_attempts) = max_attempts {
        n.cmd.env("AWS_MAX_ATTEMPTS", n_attempts.to_string());
    }
    n
}
