//! The hook through which another module moves its own object when an instance linked to it
//! by a business key ends, in the transaction that ends the instance.
//!
//! The runtime knows nothing of contracts or projects: a module registers a
//! [`BusinessHandler`] for the prefix of its business keys (`contract` for `contract:01J…`),
//! once per process, before any instance of its objects starts or ends. Applications on a
//! frontend declare a business type instead and follow its feed (see `business.rs`). Starting
//! an instance with a business key that neither covers is refused, and so is ending one, so an
//! object is never left behind by an instance that ended without telling it.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use oa_storage::WriteTxn;
use parking_lot::RwLock;
use serde_json::Value;

use super::model::{InstanceId, InstanceStatus};
use crate::OaResult;

/// How an instance linked to a business object ended.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceEnd {
    /// The instance.
    pub instance: InstanceId,
    /// The process's key.
    pub process_key: String,
    /// The business key (`contract:01J…`).
    pub business_key: String,
    /// How it ended: approved, rejected, withdrawn or terminated.
    pub outcome: InstanceStatus,
    /// The instance's final form data.
    pub data: Value,
    /// The document number assigned, if any.
    pub number: Option<String>,
    /// When it ended.
    pub at: DateTime<Utc>,
}

/// A module's reaction to the end of an instance linked to one of its objects.
pub trait BusinessHandler: Send + Sync {
    /// Moves the object `end.business_key` names to its next state, in `tx`, the transaction
    /// that ends the instance. An error rolls the whole ending back.
    fn on_end(&self, tx: &mut dyn WriteTxn, end: &InstanceEnd) -> OaResult<()>;
}

type Registry = RwLock<HashMap<String, Arc<dyn BusinessHandler>>>;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| RwLock::new(HashMap::new()))
}

/// Registers `handler` for the business keys starting with `prefix` and a colon, replacing
/// any handler registered for it before. Process-wide.
pub fn register_business_handler(prefix: &str, handler: Arc<dyn BusinessHandler>) {
    registry().write().insert(prefix.to_string(), handler);
}

/// The longest business key, in characters.
pub const MAX_BUSINESS_KEY_LEN: usize = 200;

/// The prefix of a well-formed business key (`contract` of `contract:01J…`).
pub(crate) fn prefix_of(key: &str) -> Option<&str> {
    let (prefix, rest) = key.split_once(':')?;
    let ok = !prefix.is_empty()
        && !rest.is_empty()
        && key.chars().count() <= MAX_BUSINESS_KEY_LEN
        && prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
    ok.then_some(prefix)
}

/// Whether a Rust module registered a handler for `prefix`.
pub(crate) fn has_handler(prefix: &str) -> bool {
    registry().read().contains_key(prefix)
}

/// The handler registered for the prefix of business key `key`, if any. A key no handler
/// covers may still belong to a declared business type (see `business.rs`).
pub(crate) fn handler_for(key: &str) -> Option<Arc<dyn BusinessHandler>> {
    registry().read().get(prefix_of(key)?).cloned()
}
