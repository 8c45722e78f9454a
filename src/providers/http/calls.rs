//! Counts API calls by operation, for the `api_calls` of a live source and
//! for `-v`. Cheap to clone and safe to share between concurrent requests.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

/// A shared counter of API calls by operation name.
#[derive(Debug, Clone, Default)]
pub struct Calls(Arc<Mutex<BTreeMap<String, u64>>>);

impl Calls {
    /// Records one call of `operation`.
    pub fn record(&self, operation: &str) {
        let mut counts = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *counts.entry(operation.to_string()).or_default() += 1;
    }

    /// The counts so far, sorted by operation.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// All calls so far.
    pub fn total(&self) -> u64 {
        self.snapshot().values().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_operation_across_clones() {
        let calls = Calls::default();
        let other = calls.clone();
        calls.record("ListUsers");
        other.record("ListUsers");
        other.record("GetUser");
        assert_eq!(
            calls.snapshot(),
            BTreeMap::from([("GetUser".into(), 1), ("ListUsers".into(), 2)])
        );
        assert_eq!(calls.total(), 3);
    }
}
