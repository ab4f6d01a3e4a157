//! Session tokens: 256 random bits shown as 43 characters of unpadded base64url. The store
//! keeps only their SHA-256, so a copy of the store signs nobody in.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::{OaError, OaResult};

/// How many random bytes a token carries.
pub(crate) const TOKEN_BYTES: usize = 32;
/// How many characters a token has (32 bytes in unpadded base64url).
pub(crate) const TOKEN_CHARS: usize = 43;

/// A new random token.
pub(crate) fn new_token() -> OaResult<String> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| OaError::Internal(format!("no secure random source: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// Whether `token` has the shape of a token (cheap; a forged token of the right shape is caught
/// by the lookup of its hash).
pub(crate) fn well_formed(token: &str) -> bool {
    token.len() == TOKEN_CHARS && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The SHA-256 of `token`, under which its session is stored.
pub(crate) fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_random_bits_in_base64url() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        assert!(well_formed(&a) && well_formed(&b));
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), 32);
        assert_ne!(token_hash(&a), token_hash(&b));
        assert_ne!(token_hash(&a).as_slice(), a.as_bytes());
    }

    #[test]
    fn malformed_tokens_are_recognised() {
        assert!(!well_formed(""));
        assert!(!well_formed("short"));
        assert!(!well_formed(&"a".repeat(44)));
        assert!(!well_formed(&format!("{}=", "a".repeat(42))));
        assert!(!well_formed(&format!("{}+", "a".repeat(42))));
        assert!(well_formed(&"a".repeat(43)));
    }
}
