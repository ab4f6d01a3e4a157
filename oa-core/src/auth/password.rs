//! Password policies and password hashing.
//!
//! Hashes are argon2id PHC strings at the OWASP parameters (19 MiB of memory, 2 passes, one
//! lane). A hash carries its own parameters, so hashes written with weaker parameters still
//! verify and are rewritten at the next successful sign-in.

use argon2::password_hash::Error as HashError;
use argon2::{Algorithm, Argon2, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use serde::{Deserialize, Serialize};

use crate::admin::params::PasswordPolicyPreset;
use crate::error::Problems;
use crate::{OaError, OaResult};

/// Memory cost of argon2id in KiB (OWASP: 19 MiB).
pub const ARGON2_MEMORY_KIB: u32 = 19_456;
/// Passes of argon2id (OWASP: 2).
pub const ARGON2_PASSES: u32 = 2;
/// Lanes of argon2id (OWASP: 1).
pub const ARGON2_LANES: u32 = 1;

/// How many bytes of salt each hash gets.
const SALT_BYTES: usize = 16;

/// An argon2id hash, at the parameters above, of a password nobody has: verified against when
/// a login is unknown, so that an unknown login costs the same time as a wrong password.
pub(crate) const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$b2Euc2lnbl9pbi5kdW1teQ$mVhT4QoOgLcQcMMwGfB1rO2izD72I2nTVwG0Pz3gjp8";

/// The rules of a password policy, spelled out so a frontend can show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordRules {
    /// The preset these rules belong to.
    pub preset: PasswordPolicyPreset,
    /// The fewest characters a password may have.
    pub min_chars: u32,
    /// The most characters a password may have.
    pub max_chars: u32,
    /// How many of the four kinds of character (lower-case letters, upper-case letters, digits,
    /// symbols) a password must mix; 0 for no composition rule.
    pub min_kinds: u32,
    /// After how many days a password must be changed; `None` for no forced expiry.
    pub max_age_days: Option<u32>,
    /// How many of the latest passwords (the current one included) a new one must differ from.
    pub history: u32,
}

/// The rules of `preset`.
pub fn password_rules(preset: PasswordPolicyPreset) -> PasswordRules {
    match preset {
        PasswordPolicyPreset::Owasp => PasswordRules {
            preset,
            min_chars: 8,
            max_chars: 128,
            min_kinds: 0,
            max_age_days: None,
            // Not a reuse rule: a change to the same password is no change.
            history: 1,
        },
        PasswordPolicyPreset::Dengbao3 => {
            PasswordRules { preset, min_chars: 8, max_chars: 128, min_kinds: 3, max_age_days: Some(90), history: 5 }
        }
    }
}

/// How many earlier password hashes a credential keeps besides the current one: enough for the
/// strictest preset, whatever the preset in force, so that switching presets takes effect at once.
pub(crate) const PREVIOUS_KEPT: usize = 4;

/// Checks `password` against the policy `preset`, reporting every broken rule as a validation
/// error on `field` (`password`, `new_password`, `admin_password`).
///
/// This checks the password alone; the reuse rule needs the person's history and is checked
/// when a password is changed.
pub fn check_password_policy(preset: PasswordPolicyPreset, password: &str, field: &str) -> OaResult<()> {
    let mut problems = Problems::new();
    policy_problems(preset, password, field, &mut problems);
    problems.finish()
}

/// Adds the broken rules of `password` to `problems`.
pub(crate) fn policy_problems(preset: PasswordPolicyPreset, password: &str, field: &str, problems: &mut Problems) {
    let rules = password_rules(preset);
    let chars = password.chars().count();
    if chars < rules.min_chars as usize {
        problems.add(field, format!("must be at least {} characters long (it has {chars})", rules.min_chars));
    }
    if chars > rules.max_chars as usize {
        problems.add(field, format!("must be at most {} characters long (it has {chars})", rules.max_chars));
    }
    if rules.min_kinds > 0 {
        let kinds = character_kinds(password);
        if kinds < rules.min_kinds {
            problems.add(
                field,
                format!(
                    "must mix at least {} of these kinds of character: lower-case letters, upper-case letters, digits, symbols (it has {kinds})",
                    rules.min_kinds
                ),
            );
        }
    }
}

/// How many of the four kinds of character `password` uses. A symbol is any character that is
/// neither a cased letter nor a digit: punctuation, spaces, and letters without case (汉字).
pub(crate) fn character_kinds(password: &str) -> u32 {
    let (mut lower, mut upper, mut digit, mut symbol) = (false, false, false, false);
    for c in password.chars() {
        if c.is_lowercase() {
            lower = true;
        } else if c.is_uppercase() {
            upper = true;
        } else if c.is_numeric() {
            digit = true;
        } else {
            symbol = true;
        }
    }
    [lower, upper, digit, symbol].iter().filter(|&&k| k).count() as u32
}

fn hasher() -> OaResult<Argon2<'static>> {
    let params = argon2::Params::new(ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES, None)
        .map_err(|e| OaError::Internal(format!("invalid password hashing parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes `password` with argon2id and a fresh random salt, as a PHC string.
pub(crate) fn hash_password(password: &str) -> OaResult<String> {
    let mut salt = [0u8; SALT_BYTES];
    getrandom::fill(&mut salt).map_err(|e| OaError::Internal(format!("no secure random source: {e}")))?;
    let hash = hasher()?
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map_err(|e| OaError::Internal(format!("cannot hash a password: {e}")))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `phc`. An unreadable hash is an internal error,
/// never a match.
pub(crate) fn verify_password(password: &str, phc: &str) -> OaResult<bool> {
    let parsed = PasswordHash::new(phc).map_err(|e| OaError::Internal(format!("unreadable password hash: {e}")))?;
    match hasher()?.verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Ok(true),
        Err(HashError::PasswordInvalid) => Ok(false),
        Err(e) => Err(OaError::Internal(format!("cannot verify a password: {e}"))),
    }
}

/// Whether the hash `phc` was made with other parameters than today's, so that a successful
/// sign-in should hash the password again.
pub(crate) fn needs_rehash(phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else { return true };
    if parsed.algorithm != argon2::ARGON2ID_IDENT {
        return true;
    }
    match argon2::Params::try_from(&parsed) {
        Ok(p) => p.m_cost() != ARGON2_MEMORY_KIB || p.t_cost() != ARGON2_PASSES || p.p_cost() != ARGON2_LANES,
        Err(_) => true,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const OWASP: PasswordPolicyPreset = PasswordPolicyPreset::Owasp;
    const DENGBAO3: PasswordPolicyPreset = PasswordPolicyPreset::Dengbao3;

    proptest! {
        #[test]
        fn anything_shorter_than_eight_characters_is_refused(p in "\\PC{0,7}") {
            for preset in [OWASP, DENGBAO3] {
                let err = check_password_policy(preset, &p, "password").unwrap_err();
                prop_assert_eq!(err.code(), "validation");
                prop_assert!(err.field_errors().iter().all(|f| f.path == "password"));
                prop_assert!(err.field_errors()[0].reason.contains("at least 8 characters"));
            }
        }

        #[test]
        fn any_string_of_8_to_128_characters_passes_owasp(p in "\\PC{8,128}") {
            prop_assert!(check_password_policy(OWASP, &p, "password").is_ok());
        }

        #[test]
        fn anything_longer_than_128_characters_is_refused(p in "\\PC{129,200}") {
            prop_assert!(check_password_policy(OWASP, &p, "password").is_err());
        }

        #[test]
        fn dengbao3_wants_three_kinds(
            lower in "[a-z]{4,10}", upper in "[A-Z]{4,10}", digits in "[0-9]{4,10}", symbols in "[!-/:-@]{4,10}",
        ) {
            for (p, ok) in [
                (format!("{lower}{upper}{digits}"), true),
                (format!("{symbols}{lower}{digits}"), true),
                (format!("{upper}{symbols}{lower}{digits}"), true),
                (format!("{lower}{digits}"), false),
                (format!("{upper}{symbols}"), false),
                (format!("{lower}{lower}{lower}"), false),
            ] {
                prop_assert_eq!(check_password_policy(DENGBAO3, &p, "p").is_ok(), ok, "{}", p);
                // Whatever the composition, OWASP accepts any long-enough password.
                prop_assert!(check_password_policy(OWASP, &p, "p").is_ok());
            }
        }
    }

    #[test]
    fn every_broken_rule_is_reported_in_plain_words() {
        let err = check_password_policy(DENGBAO3, "abc", "new_password").unwrap_err();
        let fields = err.field_errors();
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].path, "new_password");
        assert_eq!(fields[0].reason, "must be at least 8 characters long (it has 3)");
        assert!(fields[1].reason.starts_with("must mix at least 3 of these kinds of character"));
        assert!(!err.to_string().contains("abc"), "the message never quotes the password");
    }

    #[test]
    fn characters_are_counted_not_bytes() {
        // Eight Chinese characters are 24 bytes but 8 characters: long enough.
        assert!(check_password_policy(OWASP, "我的密码真的很长", "p").is_ok());
        assert!(check_password_policy(OWASP, "我的密码很短", "p").is_err());
        assert_eq!(character_kinds("密码Pass"), 3);
    }

    #[test]
    fn hashing_round_trips_with_argon2id_at_owasp_parameters() {
        let h = hash_password("correct horse battery staple").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(!h.contains("correct horse"));
        assert!(verify_password("correct horse battery staple", &h).unwrap());
        assert!(!verify_password("correct horse battery stapl", &h).unwrap());
        assert!(!needs_rehash(&h));
        // A fresh salt each time.
        assert_ne!(h, hash_password("correct horse battery staple").unwrap());
    }

    #[test]
    fn the_dummy_hash_is_a_hash_like_any_other() {
        assert!(!needs_rehash(DUMMY_HASH), "the dummy costs what a real verification costs");
        assert!(!verify_password("", DUMMY_HASH).unwrap());
        assert!(!verify_password("password", DUMMY_HASH).unwrap());
    }

    #[test]
    fn weaker_hashes_verify_and_ask_for_a_rehash() {
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon2::Params::new(8, 1, 1, None).unwrap())
            .hash_password_with_salt(b"hunter2hunter2", b"saltsaltsaltsalt")
            .unwrap()
            .to_string();
        assert!(verify_password("hunter2hunter2", &weak).unwrap());
        assert!(needs_rehash(&weak));
        assert!(verify_password("x", "not a hash").is_err());
    }
}
