//! [`Details`]: a provider's own typed facts about an item (an AWS
//! principal's policies, a GitHub grant's repository selection). The core
//! never looks inside; the owning provider downcasts with
//! [`Item::details`](super::Item::details), and the JSON v1 wire format
//! writes them as the fields they serialize to.

use std::any::Any;
use std::fmt::Debug;

/// A provider's typed details. Implement with [`impl_details!`](crate::impl_details).
pub trait Details: Any + Debug + Send + Sync {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn clone_box(&self) -> Box<dyn Details>;
    fn dyn_eq(&self, other: &dyn Details) -> bool;
    /// The fields these details add to the item in JSON v1.
    fn wire(&self) -> serde_json::Map<String, serde_json::Value>;
    /// Fills what `self` lacks from `other`, details of the same item from another source.
    fn merge(&mut self, other: Box<dyn Details>);
}

impl PartialEq for Box<dyn Details> {
    fn eq(&self, other: &Self) -> bool {
        self.dyn_eq(other.as_ref())
    }
}

impl Clone for Box<dyn Details> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// Implements [`Details`] for a `Clone + PartialEq + Serialize` type. With
/// `merge = path`, `path(&mut Self, Self)` merges details of the same item;
/// otherwise the first source's details win.
#[macro_export]
macro_rules! impl_details {
    ($t:ty) => {
        $crate::impl_details!($t, merge = |_: &mut $t, _: $t| {});
    };
    ($t:ty, merge = $merge:expr) => {
        impl $crate::model::Details for $t {
            fn as_any(&self) -> &dyn ::std::any::Any {
                self
            }
            fn as_any_mut(&mut self) -> &mut dyn ::std::any::Any {
                self
            }
            fn clone_box(&self) -> Box<dyn $crate::model::Details> {
                Box::new(self.clone())
            }
            fn dyn_eq(&self, other: &dyn $crate::model::Details) -> bool {
                other.as_any().downcast_ref::<$t>() == Some(self)
            }
            fn wire(&self) -> ::serde_json::Map<String, ::serde_json::Value> {
                match ::serde_json::to_value(self) {
                    Ok(::serde_json::Value::Object(map)) => map,
                    _ => ::serde_json::Map::new(),
                }
            }
            fn merge(&mut self, other: Box<dyn $crate::model::Details>) {
                if let Ok(other) = (other as Box<dyn ::std::any::Any>).downcast::<$t>() {
                    let merge: fn(&mut $t, $t) = $merge;
                    merge(self, *other);
                }
            }
        }
    };
}
