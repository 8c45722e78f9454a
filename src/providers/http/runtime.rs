//! The one async runtime every live provider runs on (GitHub, the AI admin
//! APIs, live AWS), so callers stay synchronous and no provider builds its
//! own. Started on first use; never shut down before the process exits.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::{Builder, Handle, Runtime};

/// Worker threads: the providers wait on the network, not the CPU.
const WORKER_THREADS: usize = 2;

/// Why a future could not be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuntimeError {
    #[error("cannot start the async runtime: {0}")]
    Start(String),
    #[error("cannot run a blocking provider read from inside an async task")]
    Nested,
}

static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();

/// The shared multi-thread runtime, started on first use.
pub fn runtime() -> Result<&'static Runtime, RuntimeError> {
    RUNTIME
        .get_or_init(|| {
            Builder::new_multi_thread()
                .worker_threads(WORKER_THREADS)
                .thread_name("nhiscan-io")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| RuntimeError::Start(e.clone()))
}

/// Runs `future` to completion on the shared runtime, blocking this thread.
/// Several threads may do so at once. Called from inside an async task it
/// returns [`RuntimeError::Nested`] instead of panicking.
pub fn block_on<F: Future>(future: F) -> Result<F::Output, RuntimeError> {
    if Handle::try_current().is_ok() {
        return Err(RuntimeError::Nested);
    }
    Ok(runtime()?.block_on(future))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_runtime_serves_every_caller() {
        let a = block_on(async { tokio::spawn(async { 1 + 1 }).await.unwrap() }).unwrap();
        assert_eq!(a, 2);
        let threads: Vec<_> = (0..3)
            .map(|i| std::thread::spawn(move || block_on(async move { i * 2 }).unwrap()))
            .collect();
        let sums: Vec<i32> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(sums, [0, 2, 4]);
        assert!(std::ptr::eq(runtime().unwrap(), runtime().unwrap()));
    }

    #[test]
    fn nested_use_is_an_error_not_a_panic() {
        let inner = block_on(async { block_on(async {}) }).unwrap();
        assert_eq!(inner, Err(RuntimeError::Nested));
    }
}
