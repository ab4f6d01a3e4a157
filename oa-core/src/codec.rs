//! Self-describing, versioned record encoding.
//!
//! A stored value is one format byte, the record's schema version (two bytes, big-endian) and
//! the record as MessagePack with named fields. Named fields let a newer release read what an
//! older one wrote (added fields take their serde defaults); the version lets a migration step
//! know what it is reading, and lets an older release refuse a record from a newer one instead
//! of misreading it.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{OaError, OaResult};

/// The first byte of every encoded record.
const FORMAT_MSGPACK_NAMED: u8 = 1;

/// A type stored as a record.
pub trait Record: Serialize + DeserializeOwned {
    /// What the record is, in error messages (`person`, `department`).
    const KIND: &'static str;
    /// The schema version this release writes.
    const VERSION: u16 = 1;
}

/// Encodes `record` with its schema version.
pub fn encode<T: Record>(record: &T) -> OaResult<Vec<u8>> {
    let mut out = Vec::with_capacity(128);
    out.push(FORMAT_MSGPACK_NAMED);
    out.extend_from_slice(&T::VERSION.to_be_bytes());
    rmp_serde::encode::write_named(&mut out, record)
        .map_err(|e| OaError::Internal(format!("cannot encode {}: {e}", T::KIND)))?;
    Ok(out)
}

/// Decodes a record written by [`encode`], refusing one written by a newer schema.
pub fn decode<T: Record>(bytes: &[u8]) -> OaResult<T> {
    let (version, body) = header(bytes, T::KIND)?;
    if version > T::VERSION {
        return Err(OaError::IncompatibleStore(format!(
            "a {} record has schema version {version}, newer than this release reads ({}); upgrade oa",
            T::KIND,
            T::VERSION
        )));
    }
    rmp_serde::from_slice(body).map_err(|e| OaError::IncompatibleStore(format!("unreadable {} record: {e}", T::KIND)))
}

/// The schema version and body of an encoded record.
pub fn header<'a>(bytes: &'a [u8], kind: &str) -> OaResult<(u16, &'a [u8])> {
    match bytes {
        [FORMAT_MSGPACK_NAMED, hi, lo, body @ ..] => Ok((u16::from_be_bytes([*hi, *lo]), body)),
        _ => Err(OaError::IncompatibleStore(format!("unreadable {kind} record: unknown encoding"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct V1 {
        name: String,
    }
    impl Record for V1 {
        const KIND: &'static str = "thing";
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct V2 {
        name: String,
        #[serde(default)]
        email: Option<String>,
    }
    impl Record for V2 {
        const KIND: &'static str = "thing";
        const VERSION: u16 = 2;
    }

    #[test]
    fn an_older_record_reads_with_defaults() {
        let bytes = encode(&V1 { name: "张伟".into() }).unwrap();
        assert_eq!(decode::<V2>(&bytes).unwrap(), V2 { name: "张伟".into(), email: None });
    }

    #[test]
    fn a_newer_record_is_refused() {
        let bytes = encode(&V2 { name: "Zoë".into(), email: None }).unwrap();
        let err = decode::<V1>(&bytes).unwrap_err();
        assert_eq!(err.code(), "incompatible_store");
    }
}
