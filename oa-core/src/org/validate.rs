//! Field rules of the organisation, shared by the operations and the CSV import. Each checker
//! returns the cleaned value (trimmed) or the reason the value is refused.

/// The longest department or person name, in characters.
pub(crate) const MAX_NAME: usize = 100;
/// The longest position, in characters.
pub(crate) const MAX_POSITION: usize = 100;

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// A name in any script: trimmed, 1 to 100 characters, no control characters.
pub(crate) fn name(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    let n = s.chars().count();
    if n == 0 {
        return Err("must not be empty".into());
    }
    if n > MAX_NAME {
        return Err(format!("must be at most {MAX_NAME} characters, got {n}"));
    }
    if has_control(s) {
        return Err("must not contain control characters".into());
    }
    Ok(s.to_string())
}

/// A department code: trimmed, 1 to 64 characters of `A-Z a-z 0-9 _ -`.
pub(crate) fn code(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.chars().count() > 64 {
        return Err(format!("`{s}` is longer than 64 characters"));
    }
    if !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(format!("`{s}` may hold only letters a-z, digits, `_` and `-`"));
    }
    Ok(s.to_string())
}

/// A login: trimmed, 2 to 64 characters of `A-Z a-z 0-9 . _ @ -`.
pub(crate) fn login(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    let n = s.chars().count();
    if !(2..=64).contains(&n) {
        return Err(format!("must be 2 to 64 characters, got {n}"));
    }
    if !s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-')) {
        return Err(format!("`{s}` may hold only letters a-z, digits, `.`, `_`, `@` and `-`"));
    }
    Ok(s.to_string())
}

/// An e-mail address, checked loosely but really: one `@` with something before it, a domain
/// of dot-separated labels (at least two), no spaces or control characters, at most 254
/// characters. Letters outside ASCII are accepted (internationalised addresses).
pub(crate) fn email(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    let bad = || format!("`{s}` is not an e-mail address");
    if s.chars().count() > 254 {
        return Err("must be at most 254 characters".into());
    }
    if s.chars().any(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '<' | '>' | '(' | ')' | ',' | ';' | ':' | '"' | '[' | ']' | '\\')
    }) {
        return Err(bad());
    }
    let mut parts = s.split('@');
    let (local, domain) = match (parts.next(), parts.next(), parts.next()) {
        (Some(l), Some(d), None) => (l, d),
        _ => return Err(bad()),
    };
    if local.is_empty() || local.len() > 64 || local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(bad());
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err(bad());
    }
    for label in &labels {
        if label.is_empty()
            || label.starts_with('-')
            || label.ends_with('-')
            || !label.chars().all(|c| c.is_alphanumeric() || c == '-')
        {
            return Err(bad());
        }
    }
    Ok(s.to_string())
}

/// A phone number: digits, spaces, `+`, `-` and parentheses, 3 to 32 characters, at least one
/// digit.
pub(crate) fn phone(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    let n = s.chars().count();
    if !(3..=32).contains(&n) {
        return Err(format!("must be 3 to 32 characters, got {n}"));
    }
    if !s.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'))
        || !s.chars().any(|c| c.is_ascii_digit())
    {
        return Err(format!("`{s}` is not a phone number: use digits, spaces, `+`, `-` and parentheses"));
    }
    Ok(s.to_string())
}

/// A position (职务): trimmed, at most 100 characters, no control characters; empty is none.
pub(crate) fn position(raw: &str) -> Result<Option<String>, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let n = s.chars().count();
    if n > MAX_POSITION {
        return Err(format!("must be at most {MAX_POSITION} characters, got {n}"));
    }
    if has_control(s) {
        return Err("must not contain control characters".into());
    }
    Ok(Some(s.to_string()))
}

/// An optional text field checked with `check`: `None` and blank text are none.
pub(crate) fn optional(raw: Option<&str>, check: fn(&str) -> Result<String, String>) -> Result<Option<String>, String> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => check(s).map(Some),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_in_any_script() {
        assert_eq!(name("  张伟 ").unwrap(), "张伟");
        assert_eq!(name("Zoë Ångström").unwrap(), "Zoë Ångström");
        assert!(name("   ").is_err());
        assert!(name("a\u{7}b").is_err());
        assert!(name(&"字".repeat(100)).is_ok());
        assert!(name(&"字".repeat(101)).is_err());
    }

    #[test]
    fn emails() {
        for ok in ["a@b.cn", "zhang.wei+oa@mail.example.com", "zoë@exämple.de"] {
            assert!(email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "a", "a@b", "a@@b.cn", "a@b@c.cn", "@b.cn", "a@.cn", "a@b..cn", "a b@c.cn", "a@-b.cn", "a.@b.cn",
            "a@b.cn.",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert!(email(&format!("{}@{}.cn", "a".repeat(64), "b".repeat(190))).is_err());
    }

    #[test]
    fn phones_logins_codes() {
        assert!(phone("+86 (10) 1234-5678").is_ok());
        assert!(phone("12").is_err());
        assert!(phone("---").is_err());
        assert!(phone("12a45").is_err());
        assert!(login("zhang.wei@hq").is_ok());
        assert!(login("z").is_err());
        assert!(login("张伟").is_err());
        assert!(code("HR-01_a").is_ok());
        assert!(code("HR 01").is_err());
    }

    proptest! {
        #[test]
        fn accepted_logins_are_ascii_words(s in "\\PC{0,80}") {
            if let Ok(l) = login(&s) {
                prop_assert!(l.len() >= 2 && l.len() <= 64);
                prop_assert!(l.bytes().all(|b| b.is_ascii_alphanumeric() || b"._@-".contains(&b)));
            }
        }

        #[test]
        fn accepted_emails_have_one_at_and_a_dotted_domain(s in "[a-z.@-]{0,20}") {
            if let Ok(e) = email(&s) {
                prop_assert_eq!(e.matches('@').count(), 1);
                let domain = e.split('@').nth(1).unwrap_or("");
                prop_assert!(domain.contains('.'));
            }
        }

        #[test]
        fn names_never_panic_and_stay_trimmed(s in "\\PC{0,120}") {
            if let Ok(n) = name(&s) {
                prop_assert_eq!(n.trim(), n.as_str());
                prop_assert!(!n.is_empty());
            }
        }
    }
}
