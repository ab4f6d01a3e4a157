//! Typed reads and writes of records over a transaction.

use oa_storage::{ReadTxn, WriteTxn};

use crate::codec::{self, Record};
use crate::OaResult;

/// The record under `key`, if any.
pub(crate) fn get<R: Record>(tx: &mut dyn ReadTxn, key: &[u8]) -> OaResult<Option<R>> {
    match tx.get(key)? {
        Some(raw) => codec::decode(&raw).map(Some),
        None => Ok(None),
    }
}

/// Writes `record` under `key`.
pub(crate) fn put<R: Record>(tx: &mut dyn WriteTxn, key: &[u8], record: &R) -> OaResult<()> {
    let raw = codec::encode(record)?;
    tx.put(key, &raw)?;
    Ok(())
}

/// Whether anything is stored under `key`.
pub(crate) fn exists(tx: &mut dyn ReadTxn, key: &[u8]) -> OaResult<bool> {
    Ok(tx.get(key)?.is_some())
}
