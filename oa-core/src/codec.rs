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

/// The schema version of the records that hold their ids as 16 bytes and their instants as
/// nanoseconds ([`instant`]); version 1 held both as text. Every record type holding an id or
/// an instant writes at least this version, so that a release that knows only text refuses
/// these records instead of misreading them; this release reads both.
pub const COMPACT: u16 = 2;

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

/// An instant (`DateTime<Utc>`) of a stored record, for `#[serde(with = "codec::instant")]`.
///
/// A stored record carries it as an integer count of nanoseconds since the epoch: formatting
/// and parsing RFC 3339 text cost a noticeable share of every operation's time. Nanoseconds,
/// because the system clock gives them and a record must read back the instant it was written
/// with. An instant an `i64` of nanoseconds cannot hold (before 1677 or after 2262, or a leap
/// second) is written as text, as every instant was before; reading takes either form. Views
/// and inputs (JSON, JavaScript values) are human-readable and keep the RFC 3339 text.
///
/// Only for plain fields: serde reads flattened fields and the fields of untagged or internally
/// tagged enums through a buffer that says it is human-readable whatever the format, and would
/// then look for text where the record holds an integer (such instants stay plain chrono
/// fields, text in every form, as a form field's bounds do).
pub mod instant {
    use std::fmt;

    use chrono::{DateTime, FixedOffset, Utc};
    use serde::de::{Error, Visitor};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// The instant as nanoseconds since the epoch, if an `i64` holds it exactly.
    pub(crate) fn to_nanos(at: &DateTime<Utc>) -> Option<i64> {
        // A leap second's nanoseconds (1_000_000_000 and above) have no count of their own.
        if at.timestamp_subsec_nanos() >= 1_000_000_000 {
            return None;
        }
        at.timestamp_nanos_opt()
    }

    /// Writes `at`.
    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        match to_nanos(at) {
            Some(n) if !s.is_human_readable() => s.serialize_i64(n),
            _ => at.serialize(s),
        }
    }

    /// Reads an instant written by [`serialize`], or as text by an older release.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        if d.is_human_readable() {
            // Views and inputs: exactly as chrono reads them.
            DateTime::<Utc>::deserialize(d)
        } else {
            d.deserialize_any(InstantVisitor)
        }
    }

    /// Reads either form of a stored instant.
    pub(crate) struct InstantVisitor;

    impl Visitor<'_> for InstantVisitor {
        type Value = DateTime<Utc>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an instant: nanoseconds since the epoch, or RFC 3339 text")
        }

        fn visit_i64<E: Error>(self, n: i64) -> Result<DateTime<Utc>, E> {
            Ok(DateTime::from_timestamp_nanos(n))
        }

        fn visit_u64<E: Error>(self, n: u64) -> Result<DateTime<Utc>, E> {
            i64::try_from(n)
                .map(DateTime::from_timestamp_nanos)
                .map_err(|_| E::custom(format_args!("{n} nanoseconds since the epoch is out of range")))
        }

        fn visit_str<E: Error>(self, s: &str) -> Result<DateTime<Utc>, E> {
            // What chrono's own reading accepts.
            s.parse::<DateTime<FixedOffset>>().map(|t| t.with_timezone(&Utc)).map_err(E::custom)
        }

        fn visit_bytes<E: Error>(self, b: &[u8]) -> Result<DateTime<Utc>, E> {
            let s = std::str::from_utf8(b).map_err(|_| E::invalid_value(serde::de::Unexpected::Bytes(b), &self))?;
            self.visit_str(s)
        }
    }
}

/// An optional instant of a stored record, for `#[serde(with = "codec::opt_instant")]`: as
/// [`instant`], or nil. Add `#[serde(default)]` as well when the field may be absent.
pub mod opt_instant {
    use std::fmt;

    use chrono::{DateTime, Utc};
    use serde::de::Visitor;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `at`.
    pub fn serialize<S: Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => s.serialize_some(&Instant(at)),
            None => s.serialize_none(),
        }
    }

    /// Reads an optional instant written by [`serialize`], or as text by an older release.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        if d.is_human_readable() {
            Option::<DateTime<Utc>>::deserialize(d)
        } else {
            d.deserialize_option(OptVisitor)
        }
    }

    /// Borrows an instant to write it with [`super::instant`].
    struct Instant<'a>(&'a DateTime<Utc>);

    impl serde::Serialize for Instant<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            super::instant::serialize(self.0, s)
        }
    }

    struct OptVisitor;

    impl<'de> Visitor<'de> for OptVisitor {
        type Value = Option<DateTime<Utc>>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an instant or nothing")
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            super::instant::deserialize(d).map(Some)
        }
    }
}

/// Encodes `record` as a release writing schema `version` of it did: for a version before
/// [`COMPACT`], with ids and instants as text (human-readable MessagePack gives exactly that,
/// since ids and instants write text whenever the format is human-readable). For checking
/// that stored bytes are as written ([`crate::audit`]); new records are written by [`encode`].
pub(crate) fn encode_as<T: Record>(record: &T, version: u16) -> OaResult<Vec<u8>> {
    if version >= COMPACT || T::VERSION < COMPACT {
        return encode(record);
    }
    let mut out = Vec::with_capacity(192);
    out.push(FORMAT_MSGPACK_NAMED);
    out.extend_from_slice(&version.to_be_bytes());
    let mut ser = rmp_serde::Serializer::new(&mut out).with_struct_map().with_human_readable();
    record.serialize(&mut ser).map_err(|e| OaError::Internal(format!("cannot encode {}: {e}", T::KIND)))?;
    Ok(out)
}

/// The version-1 form of `record`, as releases before [`COMPACT`] wrote it.
#[cfg(test)]
pub(crate) fn encode_v1<T: Record>(record: &T) -> Vec<u8> {
    #[allow(clippy::unwrap_used)]
    encode_as(record, 1).unwrap()
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

    use chrono::{DateTime, TimeZone, Timelike, Utc};
    use proptest::prelude::*;

    use crate::id::Id;

    /// A record with an id and instants, in the shape stored records have.
    #[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
    struct Stamp {
        id: Id,
        #[serde(default)]
        by: Option<Id>,
        #[serde(with = "crate::codec::instant")]
        at: DateTime<Utc>,
        #[serde(default, with = "crate::codec::opt_instant")]
        due: Option<DateTime<Utc>>,
        #[serde(default, with = "crate::codec::opt_instant")]
        done: Option<DateTime<Utc>>,
    }
    impl Record for Stamp {
        const KIND: &'static str = "stamp";
        const VERSION: u16 = COMPACT;
    }

    /// [`Stamp`] as releases before [`COMPACT`] declared it: plain ids and chrono instants.
    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct PlainStamp {
        id: Id,
        by: Option<Id>,
        at: DateTime<Utc>,
        due: Option<DateTime<Utc>>,
        done: Option<DateTime<Utc>>,
    }

    /// [`Stamp`] with every id and instant spelt out as the text version 1 stored.
    #[derive(Serialize, Deserialize, Debug)]
    struct TextStamp {
        id: String,
        by: Option<String>,
        at: String,
        due: Option<String>,
        done: Option<String>,
    }
    impl Record for TextStamp {
        const KIND: &'static str = "stamp";
    }

    fn at(nanos: i64) -> DateTime<Utc> {
        DateTime::from_timestamp_nanos(nanos)
    }

    fn stamp() -> Stamp {
        Stamp {
            id: Id(0x0193_5e1c_9a4b_7c2d_11aa_22bb_33cc_44dd),
            by: Some(Id(42)),
            // A clock reading, nanoseconds and all.
            at: at(1_772_355_600_123_456_789),
            due: Some(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()),
            done: None,
        }
    }

    #[test]
    fn a_version_1_record_reads_as_the_same_value() {
        let s = stamp();
        let text = TextStamp {
            id: s.id.to_string(),
            by: s.by.map(|b| b.to_string()),
            at: "2026-03-01T09:00:00.123456789Z".into(),
            due: Some("2026-03-02T09:00:00Z".into()),
            done: None,
        };
        let old = encode(&text).unwrap();
        assert_eq!(&old[..3], &[FORMAT_MSGPACK_NAMED, 0, 1]);
        assert_eq!(decode::<Stamp>(&old).unwrap(), s);
        // The test helper writes exactly those bytes.
        assert_eq!(encode_v1(&s), old);
        // Text the way another writer may have put it (an offset, lower case) reads too.
        let other =
            TextStamp { id: s.id.to_string().to_lowercase(), at: "2026-03-01T17:00:00.123456789+08:00".into(), ..text };
        assert_eq!(decode::<Stamp>(&encode(&other).unwrap()).unwrap(), s);
    }

    #[test]
    fn the_compact_form_round_trips_and_is_smaller() {
        let s = stamp();
        let new = encode(&s).unwrap();
        assert_eq!(&new[..3], &[FORMAT_MSGPACK_NAMED, 0, 2]);
        assert_eq!(decode::<Stamp>(&new).unwrap(), s);
        // The id as 16 bytes (bin 8), the instant as a 64-bit integer (MessagePack writes a
        // positive one unsigned).
        let id_at = new.windows(2).position(|w| w == [0xc4, 16]).unwrap();
        assert_eq!(&new[id_at + 2..id_at + 18], &s.id.to_bytes());
        let nanos = 1_772_355_600_123_456_789_i64.to_be_bytes();
        assert!(new.windows(9).any(|w| w[0] == 0xcf && w[1..] == nanos));
        assert!(new.len() + 40 < encode_v1(&s).len(), "{} vs {}", new.len(), encode_v1(&s).len());
    }

    #[test]
    fn views_keep_their_text() {
        let s = stamp();
        let plain = PlainStamp { id: s.id, by: s.by, at: s.at, due: s.due, done: s.done };
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, serde_json::to_string(&plain).unwrap());
        assert!(json.contains(&format!("\"{}\"", s.id)), "{json}");
        assert!(json.contains("\"2026-03-01T09:00:00.123456789Z\""), "{json}");
        assert_eq!(serde_json::from_str::<Stamp>(&json).unwrap(), s);
        // Inputs take text only, as before.
        let numeric = json.replace("\"2026-03-01T09:00:00.123456789Z\"", "1772355600123456789");
        assert!(serde_json::from_str::<Stamp>(&numeric).is_err());
        let bytes = json.replace(&format!("\"{}\"", s.id), &format!("{:?}", s.id.to_bytes()));
        assert!(serde_json::from_str::<Stamp>(&bytes).is_err());
    }

    #[test]
    fn instants_an_i64_of_nanoseconds_cannot_hold_are_kept_as_text() {
        let far = [
            Utc.with_ymd_and_hms(2263, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(1600, 1, 1, 0, 0, 0).unwrap(),
            DateTime::<Utc>::MAX_UTC,
            DateTime::<Utc>::MIN_UTC,
            // A leap second.
            Utc.with_ymd_and_hms(2016, 12, 31, 23, 59, 59).unwrap().with_nanosecond(1_500_000_000).unwrap(),
            at(i64::MIN),
            at(i64::MAX),
        ];
        for t in far {
            let s = Stamp { at: t, due: Some(t), ..stamp() };
            assert_eq!(decode::<Stamp>(&encode(&s).unwrap()).unwrap(), s, "{t:?}");
        }
    }

    /// Writes `body` (MessagePack) as a [`Stamp`] record.
    fn stamp_with(at: impl Serialize, id: impl Serialize) -> Vec<u8> {
        #[derive(Serialize)]
        struct Raw<A, I> {
            id: I,
            at: A,
        }
        let mut out = vec![FORMAT_MSGPACK_NAMED, 0, 2];
        rmp_serde::encode::write_named(&mut out, &Raw { id, at }).unwrap();
        out
    }

    #[test]
    fn damaged_ids_and_instants_are_incompatible_store_errors() {
        let id = serde_bytes_of(&stamp().id.to_bytes());
        let cases = [
            stamp_with(u64::MAX, &id),
            stamp_with(i64::MAX as u64 + 1, &id),
            stamp_with("2026-13-01T00:00:00Z", &id),
            stamp_with("yesterday", &id),
            stamp_with(1.5_f64, &id),
            stamp_with(serde_bytes_of(&[0xff, 0xfe]), &id),
            stamp_with(0_i64, serde_bytes_of(&[1, 2, 3])),
            stamp_with(0_i64, serde_bytes_of(&[0xff; 26])),
            stamp_with(0_i64, serde_bytes_of(&[0; 17])),
            stamp_with(0_i64, "not an id"),
            stamp_with(0_i64, 7_u8),
        ];
        for (i, bytes) in cases.iter().enumerate() {
            let err = decode::<Stamp>(bytes).unwrap_err();
            assert_eq!(err.code(), "incompatible_store", "case {i}: {err}");
        }
        // The edges of the integer form are instants.
        assert_eq!(decode::<Stamp>(&stamp_with(i64::MIN, &id)).unwrap().at, at(i64::MIN));
        assert_eq!(decode::<Stamp>(&stamp_with(i64::MAX as u64, &id)).unwrap().at, at(i64::MAX));
    }

    /// `b` written as MessagePack bin rather than an array of numbers.
    fn serde_bytes_of(b: &[u8]) -> Bin {
        Bin(b.to_vec())
    }

    struct Bin(Vec<u8>);
    impl Serialize for Bin {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(&self.0)
        }
    }

    /// Ids inside an internally tagged enum and a flattened field: serde reads those through a
    /// buffer that says it is human-readable whatever the format, while holding the bytes.
    #[test]
    fn ids_round_trip_through_tagged_and_flattened_fields() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        enum Scope {
            All,
            Depts { depts: Vec<Id>, head: Option<Id> },
        }
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Inner {
            owner: Id,
            scope: Scope,
        }
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Outer {
            id: Id,
            #[serde(flatten)]
            inner: Inner,
        }
        impl Record for Outer {
            const KIND: &'static str = "outer";
            const VERSION: u16 = COMPACT;
        }
        for scope in [Scope::All, Scope::Depts { depts: vec![Id(1), Id(u128::MAX)], head: Some(Id(7)) }] {
            let o = Outer { id: Id(3), inner: Inner { owner: Id(9), scope } };
            assert_eq!(decode::<Outer>(&encode(&o).unwrap()).unwrap(), o);
            assert_eq!(decode::<Outer>(&encode_v1(&o)).unwrap(), o);
            let json = serde_json::to_string(&o).unwrap();
            assert_eq!(serde_json::from_str::<Outer>(&json).unwrap(), o);
        }
    }

    /// The stored records that go through serde's buffering: a role's tagged data scope holds
    /// department ids; a form's fields flatten their tagged kind, whose bounds are instants
    /// kept as text.
    #[test]
    fn roles_and_forms_round_trip_in_both_forms() {
        use crate::form::{FieldDef, FieldKind, Form};
        use crate::org::{DeptId, PersonId};
        use crate::perm::{DataScope, Role};

        let t = stamp().at;
        let role = Role {
            code: "auditors_east".into(),
            name: "东区审计".into(),
            description: String::new(),
            permissions: vec!["audit.read".into()],
            inherits: vec![],
            data_scope: DataScope::Depts { depts: vec![DeptId(Id(5)), DeptId(Id(u128::MAX))] },
            builtin: false,
            created_at: t,
            updated_at: t,
        };
        let fields = vec![FieldDef {
            key: "when".into(),
            label: "出发时间".into(),
            required: true,
            help: String::new(),
            kind: serde_json::from_value::<FieldKind>(serde_json::json!({
                "type": "date_time", "min": "2026-01-01T00:00:00.5Z", "max": "2030-01-01T00:00:00Z"
            }))
            .unwrap(),
        }];
        let form = Form {
            key: "trip".into(),
            version: 3,
            name: "出差申请".into(),
            description: String::new(),
            fields,
            created_at: t,
            created_by: PersonId(Id(77)),
        };
        assert_eq!(decode::<Role>(&encode(&role).unwrap()).unwrap(), role);
        assert_eq!(decode::<Role>(&encode_v1(&role)).unwrap(), role);
        assert_eq!(decode::<Form>(&encode(&form).unwrap()).unwrap(), form);
        assert_eq!(decode::<Form>(&encode_v1(&form)).unwrap(), form);
    }

    proptest! {
        #[test]
        fn every_instant_round_trips_exactly(secs in DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp(), nanos in 0u32..1_000_000_000, near in any::<i64>(), id: u128) {
            let wide = DateTime::from_timestamp(secs, nanos).unwrap_or_default();
            let s = Stamp { id: Id(id), by: None, at: wide, due: Some(at(near)), done: None };
            let bytes = encode(&s).unwrap();
            prop_assert_eq!(decode::<Stamp>(&bytes).unwrap(), s.clone());
            prop_assert_eq!(decode::<Stamp>(&encode_v1(&s)).unwrap(), s.clone());
            let json = serde_json::to_string(&s).unwrap();
            prop_assert_eq!(serde_json::from_str::<Stamp>(&json).unwrap(), s);
        }
    }
}
