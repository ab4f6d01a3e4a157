//! Ordered key encoding: a key is a sequence of typed parts whose byte order is the order of
//! the parts, so range scans give useful orders (by time, by name, by status).
//!
//! - strings: bytes with `0x00` escaped as `0x00 0xff`, closed by `0x00 0x01`, so no string's
//!   encoding is a prefix of a longer string's and `"a" < "ab" < "b"` holds for the bytes;
//! - unsigned numbers: big-endian; signed numbers: big-endian with the sign bit flipped;
//! - ids: their 16 bytes (creation order); instants: signed microseconds.

use chrono::{DateTime, Utc};

use crate::id::Id;

/// A key under construction.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyBuf(Vec<u8>);

impl KeyBuf {
    /// A key in the key space `space` (a short fixed name such as `org.p`).
    pub fn new(space: &str) -> Self {
        KeyBuf(Vec::with_capacity(48)).str(space)
    }

    /// Appends a string part.
    pub fn str(mut self, s: &str) -> Self {
        // Each zero byte is escaped as `0 0xff`: split at them, copying the runs between whole.
        let mut parts = s.as_bytes().split(|&b| b == 0);
        if let Some(first) = parts.next() {
            self.0.extend_from_slice(first);
        }
        for part in parts {
            self.0.extend_from_slice(&[0, 0xff]);
            self.0.extend_from_slice(part);
        }
        self.0.extend_from_slice(&[0, 1]);
        self
    }

    /// Appends an unsigned number.
    pub fn u64(mut self, n: u64) -> Self {
        self.0.extend_from_slice(&n.to_be_bytes());
        self
    }

    /// Appends a small unsigned number.
    pub fn u32(mut self, n: u32) -> Self {
        self.0.extend_from_slice(&n.to_be_bytes());
        self
    }

    /// Appends a signed number.
    pub fn i64(mut self, n: i64) -> Self {
        self.0.extend_from_slice(&((n as u64) ^ (1 << 63)).to_be_bytes());
        self
    }

    /// Appends an id.
    pub fn id(mut self, id: Id) -> Self {
        self.0.extend_from_slice(&id.to_bytes());
        self
    }

    /// Appends an instant (microseconds since the epoch).
    pub fn time(self, t: DateTime<Utc>) -> Self {
        self.i64(t.timestamp_micros())
    }

    /// Appends raw bytes; use only as the last part.
    pub fn raw(mut self, b: &[u8]) -> Self {
        self.0.extend_from_slice(b);
        self
    }

    /// The encoded bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The encoded bytes, owned.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

impl AsRef<[u8]> for KeyBuf {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// The id stored in the last 16 bytes of `key`, as index keys ending in an id carry it.
pub fn trailing_id(key: &[u8]) -> Option<Id> {
    key.len().checked_sub(16).and_then(|at| Id::from_slice(&key[at..]))
}

/// Reads the parts of a key back, in the order they were written.
#[derive(Debug)]
pub struct KeyReader<'a> {
    rest: &'a [u8],
}

impl<'a> KeyReader<'a> {
    /// A reader over `key`, positioned after its key space.
    pub fn new(key: &'a [u8]) -> Option<Self> {
        let mut r = KeyReader { rest: key };
        r.str()?;
        Some(r)
    }

    /// The next string part.
    pub fn str(&mut self) -> Option<String> {
        let mut out = Vec::new();
        let mut i = 0;
        loop {
            let b = *self.rest.get(i)?;
            if b == 0 {
                match *self.rest.get(i + 1)? {
                    0xff => out.push(0),
                    1 => {
                        self.rest = &self.rest[i + 2..];
                        return String::from_utf8(out).ok();
                    }
                    _ => return None,
                }
                i += 2;
            } else {
                out.push(b);
                i += 1;
            }
        }
    }

    /// The next unsigned number.
    pub fn u64(&mut self) -> Option<u64> {
        let (head, rest) = self.rest.split_first_chunk::<8>()?;
        self.rest = rest;
        Some(u64::from_be_bytes(*head))
    }

    /// The next signed number.
    pub fn i64(&mut self) -> Option<i64> {
        self.u64().map(|n| (n ^ (1 << 63)) as i64)
    }

    /// The next id.
    pub fn id(&mut self) -> Option<Id> {
        let (head, rest) = self.rest.split_first_chunk::<16>()?;
        self.rest = rest;
        Some(Id::from_bytes(*head))
    }

    /// Whatever is left.
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn string_order_is_byte_order(a in ".*", b in ".*") {
            let ka = KeyBuf::new("t").str(&a).u64(1);
            let kb = KeyBuf::new("t").str(&b).u64(0);
            prop_assert_eq!(a.as_bytes().cmp(b.as_bytes()).then(std::cmp::Ordering::Greater), ka.as_bytes().cmp(kb.as_bytes()).then(std::cmp::Ordering::Greater));
            if a != b {
                prop_assert_eq!(a.as_bytes().cmp(b.as_bytes()), ka.as_bytes().cmp(kb.as_bytes()));
            }
        }

        #[test]
        fn a_string_part_escapes_each_zero_byte_and_ends_with_zero_one(with_nul in proptest::collection::vec(any::<u8>(), 0..16)) {
            let s = String::from_utf8_lossy(&with_nul).replace('\u{fffd}', "\0");
            let mut expected = b"t\0\x01".to_vec();
            for &b in s.as_bytes() {
                expected.push(b);
                if b == 0 {
                    expected.push(0xff);
                }
            }
            expected.extend_from_slice(&[0, 1]);
            let key = KeyBuf::new("t").str(&s);
            prop_assert_eq!(key.as_bytes(), &expected[..]);
        }

        #[test]
        fn signed_order_is_numeric_order(a: i64, b: i64) {
            prop_assert_eq!(a.cmp(&b), KeyBuf::new("t").i64(a).as_bytes().cmp(KeyBuf::new("t").i64(b).as_bytes()));
        }

        #[test]
        fn parts_read_back(s in "\\PC*", with_nul in proptest::collection::vec(any::<u8>(), 0..8), n: u64, i: i64, id: u128) {
            let nul = String::from_utf8_lossy(&with_nul).replace('\u{fffd}', "\0");
            let k = KeyBuf::new("space").str(&s).str(&nul).u64(n).i64(i).id(Id(id));
            let mut r = KeyReader::new(k.as_bytes()).unwrap();
            prop_assert_eq!(r.str().unwrap(), s);
            prop_assert_eq!(r.str().unwrap(), nul);
            prop_assert_eq!(r.u64().unwrap(), n);
            prop_assert_eq!(r.i64().unwrap(), i);
            prop_assert_eq!(r.id().unwrap(), Id(id));
            prop_assert!(r.rest().is_empty());
            prop_assert_eq!(trailing_id(k.as_bytes()), Some(Id(id)));
        }
    }
}
