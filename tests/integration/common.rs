//! Shared helpers: a `nhiscan` command with a clean environment, fixture paths.

use std::path::PathBuf;
use std::process::Stdio;

use assert_cmd::Command;

/// Environment variables that change nhiscan's behaviour or reach real
/// accounts; every `*_ADMIN_KEY` (an AI platform's admin key) is cleared too.
const CLEARED: &[&str] = &[
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "CI",
];

/// A fixed clock for fixture tests.
pub const NOW: &str = "2026-06-01T00:00:00Z";

/// `nhiscan` with the behaviour-changing environment cleared.
pub struct Nhiscan {
    pub cmd: Command,
    /// The working directory, when [`nhiscan`] made it; dropped (deleted) with the runner.
    _dir: Option<tempfile::TempDir>,
}

/// `nhiscan` run from a fresh empty directory, so no `./nhiscan.toml` is picked up.
pub fn nhiscan() -> Nhiscan {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut runner = nhiscan_in(dir.path());
    runner._dir = Some(dir);
    runner
}

/// `nhiscan` run from `dir`, which the test keeps alive to put inputs in or read outputs from.
pub fn nhiscan_in(dir: &std::path::Path) -> Nhiscan {
    let mut cmd = Command::cargo_bin("nhiscan").expect("binary built");
    for var in CLEARED {
        cmd.env_remove(var);
    }
    for (var, _) in std::env::vars_os() {
        if var.to_string_lossy().ends_with("_ADMIN_KEY") {
            cmd.env_remove(var);
        }
    }
    cmd.current_dir(dir);
    Nhiscan { cmd, _dir: None }
}

impl Nhiscan {
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.cmd.env(key, value);
        self
    }

    /// Adds a path argument.
    pub fn arg_path(mut self, path: &std::path::Path) -> Self {
        self.cmd.arg(path);
        self
    }

    /// Runs and returns (exit code, stdout, stderr).
    pub fn run(mut self) -> (i32, String, String) {
        let out = self.cmd.output().expect("nhiscan runs");
        (
            out.status.code().expect("exit code"),
            String::from_utf8(out.stdout).expect("utf-8 stdout"),
            String::from_utf8(out.stderr).expect("utf-8 stderr"),
        )
    }
}

/// A fresh directory holding `files` (name, contents), to run nhiscan from or scan.
pub fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, contents) in files {
        std::fs::write(dir.path().join(name), contents).expect("write test file");
    }
    dir
}

/// Absolute path of something under `fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Absolute path of a fixture as a string, for command lines.
pub fn fixture_arg(rel: &str) -> String {
    fixture(rel).display().to_string()
}

/// The test venv's Python (`./venv`, which `./scripts/test.sh` fills from
/// `scripts/requirements-test.txt`); it must `import modules` (for example
/// `"moto, boto3"`), or the test fails saying how to install them.
pub fn venv_python(modules: &str) -> PathBuf {
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("venv/bin/python");
    let ok = std::process::Command::new(&venv)
        .args(["-c", &format!("import {modules}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "{modules} not installed for the tests ({} cannot import it): run ./scripts/test.sh, \
         which installs scripts/requirements-test.txt into ./venv",
        venv.display()
    );
    venv
}
