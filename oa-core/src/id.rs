//! Opaque ids, sortable by creation: 48 bits of milliseconds since the epoch then 80 random
//! bits, shown as 26 characters of Crockford base32 (the ULID layout).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Not a digit of [`ALPHABET`] in [`DIGITS`].
const NOT_A_DIGIT: u8 = 0xff;

/// The value of each byte as a digit of an id, [`NOT_A_DIGIT`] for the bytes that are none:
/// either case, with `O` read as 0 and `I` and `L` as 1 (Crockford's decoding). Ids are parsed
/// every time a record holding one is read, so this is a table rather than a search.
const DIGITS: [u8; 256] = {
    let mut t = [NOT_A_DIGIT; 256];
    let mut i = 0;
    while i < 32 {
        t[ALPHABET[i] as usize] = i as u8;
        t[ALPHABET[i].to_ascii_lowercase() as usize] = i as u8;
        i += 1;
    }
    t[b'O' as usize] = 0;
    t[b'o' as usize] = 0;
    t[b'I' as usize] = 1;
    t[b'i' as usize] = 1;
    t[b'L' as usize] = 1;
    t[b'l' as usize] = 1;
    t
};

/// An opaque id, ordered by creation time.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Id(pub(crate) u128);

impl Id {
    /// The id's 16 bytes, big-endian, so byte order is creation order.
    pub fn to_bytes(self) -> [u8; 16] {
        self.0.to_be_bytes()
    }

    /// The id written as [`Id::to_bytes`].
    pub fn from_bytes(b: [u8; 16]) -> Self {
        Id(u128::from_be_bytes(b))
    }

    /// The id from a slice of exactly 16 bytes.
    pub fn from_slice(b: &[u8]) -> Option<Self> {
        <[u8; 16]>::try_from(b).ok().map(Self::from_bytes)
    }
}

impl Id {
    /// The id's 26 characters, written into `out`.
    fn encode(self, out: &mut [u8; 26]) -> &str {
        let mut v = self.0;
        for slot in out.iter_mut().rev() {
            *slot = ALPHABET[(v & 31) as usize];
            v >>= 5;
        }
        // Every byte comes from ALPHABET, which is ASCII.
        std::str::from_utf8(out).unwrap_or_default()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.encode(&mut [0u8; 26]))
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why a text is not an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadId;

impl fmt::Display for BadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not an id: expected 26 characters of Crockford base32")
    }
}

impl FromStr for Id {
    type Err = BadId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != 26 {
            return Err(BadId);
        }
        let mut v: u128 = 0;
        for (i, c) in s.bytes().enumerate() {
            let d = DIGITS[c as usize];
            // The first character carries only 3 bits (26 × 5 = 130 > 128).
            if d == NOT_A_DIGIT || (i == 0 && d > 7) {
                return Err(BadId);
            }
            v = (v << 5) | u128::from(d);
        }
        Ok(Id(v))
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            // Written from the stack: `collect_str` would build a `String` for every id of
            // every view written.
            s.serialize_str(self.encode(&mut [0u8; 26]))
        } else {
            // Stored records carry the 16 bytes themselves: encoding and parsing the text cost
            // a noticeable share of every operation's time.
            s.serialize_bytes(&self.to_bytes())
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor rather than `Cow<str>`: serde reads a `Cow<str>` as an owned `String`, which
        // cost an allocation for every id of every record read.
        struct IdVisitor;
        impl<'de> serde::de::Visitor<'de> for IdVisitor {
            type Value = Id;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id of 26 characters of Crockford base32")
            }

            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Id, E> {
                s.parse().map_err(E::custom)
            }

            /// 16 bytes are the id itself (records written since ids are stored as bytes);
            /// anything else is its text (older records).
            fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<Id, E> {
                if let Some(id) = Id::from_slice(b) {
                    return Ok(id);
                }
                let s = std::str::from_utf8(b).map_err(|_| E::custom(BadId))?;
                self.visit_str(s)
            }

            /// The bytes as a sequence, for formats without a bytes type.
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Id, A::Error> {
                let mut b = [0u8; 16];
                for (i, slot) in b.iter_mut().enumerate() {
                    *slot = seq.next_element()?.ok_or_else(|| serde::de::Error::invalid_length(i, &self))?;
                }
                if seq.next_element::<u8>()?.is_some() {
                    return Err(serde::de::Error::invalid_length(17, &self));
                }
                Ok(Id::from_bytes(b))
            }
        }
        if d.is_human_readable() {
            // Views and inputs (JSON, JavaScript values) hold ids as text only. A record read
            // through serde's buffering (a flattened field, a tagged enum) also says it is
            // human-readable while holding bytes: `deserialize_str` hands those to
            // `visit_bytes`.
            d.deserialize_str(IdVisitor)
        } else {
            // A stored record holds its ids as bytes, or as text if it was written before.
            d.deserialize_any(IdVisitor)
        }
    }
}

/// Makes ids that increase strictly within one process, even within one millisecond.
#[derive(Debug, Default)]
pub struct IdGen {
    last: Mutex<u128>,
}

impl IdGen {
    /// A new id for an entity created at `now`.
    pub fn next(&self, now: DateTime<Utc>) -> Id {
        let ms = now.timestamp_millis().max(0) as u128 & ((1u128 << 48) - 1);
        let mut random = [0u8; 16];
        // Without entropy the ids stay unique through the monotonic counter below.
        let _ = getrandom::fill(&mut random[6..]);
        let candidate = (ms << 80) | (u128::from_be_bytes(random) & ((1u128 << 80) - 1));
        let mut last = self.last.lock();
        let id = if candidate > *last { candidate } else { *last + 1 };
        *last = id;
        Id(id)
    }
}

/// Declares a typed id: a newtype over [`Id`] that cannot be mixed up with another kind's.
macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $crate::id::Id);

        impl $name {
            /// What this id names, as error messages say it.
            pub const KIND: &'static str = $kind;

            /// Parses an id, naming `field` in the error when the text is not one.
            pub fn parse(field: &str, text: &str) -> $crate::OaResult<Self> {
                text.trim().parse::<$crate::id::Id>().map($name).map_err(|_| {
                    $crate::OaError::invalid(field, format!("`{}` is not a {} id", text, $kind))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::id::BadId;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}
pub(crate) use typed_id;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn text_round_trips_and_keeps_order(a: u128, b: u128) {
            let (ia, ib) = (Id(a), Id(b));
            let (sa, sb) = (ia.to_string(), ib.to_string());
            prop_assert_eq!(sa.parse::<Id>().unwrap(), ia);
            prop_assert_eq!(sa.cmp(&sb), a.cmp(&b));
        }
    }

    #[test]
    fn ids_increase_within_one_millisecond() {
        let g = IdGen::default();
        let now = Utc::now();
        let ids: Vec<Id> = (0..1000).map(|_| g.next(now)).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn crockford_look_alikes_and_either_case_parse() {
        let id = Id(0x0123_4567_89ab_cdef_0011_2233_4455_6677);
        let text = id.to_string();
        assert_eq!(text.to_lowercase().parse::<Id>(), Ok(id));
        let zero_as_o = text.replace('0', "O");
        assert_eq!(zero_as_o.parse::<Id>(), Ok(id));
        assert_eq!("0000000000000000000000000I".parse::<Id>(), Ok(Id(1)));
        assert_eq!("0000000000000000000000000l".parse::<Id>(), Ok(Id(1)));
        assert_eq!("7ZZZZZZZZZZZZZZZZZZZZZZZZZ".parse::<Id>(), Ok(Id(u128::MAX)));
        // Serialising writes the same text as Display, and reads back.
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<Id>(&format!("\"{text}\"")).unwrap(), id);
        let packed = rmp_serde::to_vec(&id).unwrap();
        assert_eq!(rmp_serde::from_slice::<Id>(&packed).unwrap(), id);
        assert!(serde_json::from_str::<Id>("\"hello\"").is_err());
        assert!(serde_json::from_str::<Id>("42").is_err());
    }

    #[test]
    fn garbage_is_not_an_id() {
        assert!("hello".parse::<Id>().is_err());
        assert!("000000000000000000000000é".parse::<Id>().is_err());
        assert!("0000000000000000000000000-".parse::<Id>().is_err());
        assert!("80000000000000000000000000".parse::<Id>().is_err());
        assert!("ZZZZZZZZZZZZZZZZZZZZZZZZZZ".parse::<Id>().is_err());
        assert!("0000000000000000000000000U".parse::<Id>().is_err());
    }
}
