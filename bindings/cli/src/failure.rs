//! How a command fails: the core's error, or one of the few the command line adds, printed as
//! `error[code]: message` with one line per failing field, and an exit code per family.

use oa::OaError;

/// The command line was used wrongly: a bad argument, a missing password without a terminal.
pub(crate) const EXIT_USAGE: u8 = 2;
/// The input was refused (`validation`, `invalid_state`).
pub(crate) const EXIT_REFUSED: u8 = 3;
/// Not found, not allowed or not signed in (`not_found`, `permission_denied`,
/// `unauthenticated`, `account_locked`, `password_change_required`).
pub(crate) const EXIT_ACCESS: u8 = 4;
/// The data folder cannot be used (`storage`, `incompatible_store`, `conflict`).
pub(crate) const EXIT_STORE: u8 = 5;
/// `oa audit verify` found a record that does not match its chain.
pub(crate) const EXIT_CHAIN_BROKEN: u8 = 6;
/// Anything else (`internal`, `closed`, a file that cannot be read).
pub(crate) const EXIT_OTHER: u8 = 1;

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The core refused or failed.
    Oa(OaError),
    /// The command line was used wrongly (code `usage`).
    Usage(String),
    /// A file of the caller could not be read (code `io`).
    Io(String),
    /// The audit chain does not match (code `audit_chain_broken`).
    ChainBroken(String),
}

impl From<OaError> for Failure {
    fn from(e: OaError) -> Self {
        Failure::Oa(e)
    }
}

/// The result of a command.
pub(crate) type CliResult<T> = Result<T, Failure>;

/// The exit code of a core error code (one of `OaError::CODES`).
pub(crate) fn exit_code(code: &str) -> u8 {
    match code {
        "validation" | "invalid_state" => EXIT_REFUSED,
        "not_found" | "permission_denied" | "unauthenticated" | "account_locked" | "password_change_required" => {
            EXIT_ACCESS
        }
        "storage" | "incompatible_store" | "conflict" => EXIT_STORE,
        "usage" => EXIT_USAGE,
        "audit_chain_broken" => EXIT_CHAIN_BROKEN,
        _ => EXIT_OTHER,
    }
}

impl Failure {
    /// The stable code printed between the brackets.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Failure::Oa(e) => e.code(),
            Failure::Usage(_) => "usage",
            Failure::Io(_) => "io",
            Failure::ChainBroken(_) => "audit_chain_broken",
        }
    }

    /// The exit code of this failure's family.
    pub(crate) fn exit_code(&self) -> u8 {
        exit_code(self.code())
    }

    /// The lines printed on standard error.
    pub(crate) fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        match self {
            Failure::Oa(OaError::Validation(fields)) => {
                lines.push(format!(
                    "error[validation]: invalid input ({} field{})",
                    fields.len(),
                    plural(fields.len())
                ));
                lines.extend(fields.iter().map(|f| format!("  {}: {}", f.path, f.reason)));
            }
            Failure::Oa(e) => {
                lines.push(format!("error[{}]: {e}", e.code()));
                if let Some(hint) = hint(e) {
                    lines.push(format!("  hint: {hint}"));
                }
            }
            Failure::Usage(m) | Failure::Io(m) | Failure::ChainBroken(m) => {
                lines.push(format!("error[{}]: {m}", self.code()));
            }
        }
        lines
    }

    /// Prints the failure on standard error.
    pub(crate) fn report(&self) {
        for line in self.lines() {
            eprintln!("{line}");
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// What to do next, for the errors a person at a terminal meets most.
fn hint(e: &OaError) -> Option<&'static str> {
    match e {
        OaError::PasswordChangeRequired => Some("change it first with `oa passwd`"),
        OaError::IncompatibleStore(m) if m.contains("no office yet") => Some("create an office with `oa init`"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_code_has_an_exit_code_of_its_family() {
        for code in OaError::CODES {
            let exit = exit_code(code);
            assert!([EXIT_REFUSED, EXIT_ACCESS, EXIT_STORE, EXIT_OTHER].contains(&exit), "{code}");
        }
        assert_eq!(exit_code("validation"), 3);
        assert_eq!(exit_code("permission_denied"), 4);
        assert_eq!(exit_code("incompatible_store"), 5);
        assert_eq!(exit_code("internal"), 1);
    }

    #[test]
    fn validation_lists_each_field_on_its_own_line() {
        let e = Failure::Oa(OaError::Validation(vec![
            oa::FieldError::new("login", "must not be empty"),
            oa::FieldError::new("email", "`x` is not an email address"),
        ]));
        assert_eq!(
            e.lines(),
            vec![
                "error[validation]: invalid input (2 fields)",
                "  login: must not be empty",
                "  email: `x` is not an email address",
            ]
        );
        assert_eq!(e.exit_code(), 3);
    }
}
