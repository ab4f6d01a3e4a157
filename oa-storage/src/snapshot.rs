//! Whole-store snapshots as bytes, so a web page can keep an office in IndexedDB or a file.
//!
//! Layout: the magic `OASNAP`, a format byte (1), the entry count (u64 BE), then for each entry
//! its key length (u32 BE), key, value length (u32 BE) and value, in key order.

use crate::{Key, StoreError, Value};

const MAGIC: &[u8; 6] = b"OASNAP";
const FORMAT: u8 = 1;

/// Encodes `entries` (in key order) as a snapshot.
pub fn encode_snapshot(entries: &[(Key, Value)]) -> Vec<u8> {
    let size: usize = entries.iter().map(|(k, v)| 8 + k.len() + v.len()).sum();
    let mut out = Vec::with_capacity(15 + size);
    out.extend_from_slice(MAGIC);
    out.push(FORMAT);
    out.extend_from_slice(&(entries.len() as u64).to_be_bytes());
    for (k, v) in entries {
        out.extend_from_slice(&(k.len() as u32).to_be_bytes());
        out.extend_from_slice(k);
        out.extend_from_slice(&(v.len() as u32).to_be_bytes());
        out.extend_from_slice(v);
    }
    out
}

/// Decodes a snapshot made by [`encode_snapshot`].
pub fn decode_snapshot(bytes: &[u8]) -> Result<Vec<(Key, Value)>, StoreError> {
    let bad = |reason: &str| StoreError::NotAStore { path: "snapshot".into(), reason: reason.into() };
    let rest = bytes.strip_prefix(MAGIC.as_slice()).ok_or_else(|| bad("the bytes are not an oa snapshot"))?;
    let (&format, mut rest) = rest.split_first().ok_or_else(|| bad("the snapshot is truncated"))?;
    if format != FORMAT {
        return Err(bad(&format!("snapshot format {format} is not supported (this release reads {FORMAT})")));
    }
    let mut take = |n: usize| -> Result<&[u8], StoreError> {
        if rest.len() < n {
            return Err(bad("the snapshot is truncated"));
        }
        let (head, tail) = rest.split_at(n);
        rest = tail;
        Ok(head)
    };
    let count = u64::from_be_bytes(take(8)?.try_into().map_err(|_| bad("the snapshot is truncated"))?);
    let mut entries = Vec::with_capacity(count.min(1 << 20) as usize);
    for _ in 0..count {
        let klen = u32::from_be_bytes(take(4)?.try_into().map_err(|_| bad("the snapshot is truncated"))?) as usize;
        let k = take(klen)?.to_vec();
        let vlen = u32::from_be_bytes(take(4)?.try_into().map_err(|_| bad("the snapshot is truncated"))?) as usize;
        let v = take(vlen)?.to_vec();
        entries.push((k, v));
    }
    if !rest.is_empty() {
        return Err(bad("the snapshot has trailing bytes"));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let entries = vec![(b"".to_vec(), b"".to_vec()), (b"a".to_vec(), vec![0u8; 300])];
        let bytes = encode_snapshot(&entries);
        assert_eq!(decode_snapshot(&bytes).expect("decode"), entries);
        assert!(decode_snapshot(b"hello").is_err());
        assert!(decode_snapshot(&bytes[..bytes.len() - 1]).is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode_snapshot(&longer).is_err());
    }
}
