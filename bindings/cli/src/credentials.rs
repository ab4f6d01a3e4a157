//! Where logins and passwords come from: a flag or environment variable, standard input
//! (`--password-stdin`), or a prompt at a terminal. Without a terminal and without any of the
//! others, a command fails at once with a usage error: it never waits for input that cannot come.

use std::collections::VecDeque;
use std::io::{BufRead, IsTerminal, Read, Write};

use crate::failure::{CliResult, Failure};

/// The environment variable holding the sign-in password.
pub(crate) const ENV_PASSWORD: &str = "OA_PASSWORD";
/// The environment variable holding a new password (`oa passwd`, `oa people reset-password`).
pub(crate) const ENV_NEW_PASSWORD: &str = "OA_NEW_PASSWORD";
/// The environment variable holding the security administrator's first password (`oa init`).
pub(crate) const ENV_SECURITY_ADMIN_PASSWORD: &str = "OA_SECURITY_ADMIN_PASSWORD";
/// The environment variable holding the auditor's first password (`oa init`).
pub(crate) const ENV_AUDITOR_PASSWORD: &str = "OA_AUDITOR_PASSWORD";

/// One password a command needs.
pub(crate) struct Ask<'a> {
    /// The environment variable that may hold it.
    pub(crate) env: &'a str,
    /// The prompt at a terminal.
    pub(crate) prompt: &'a str,
    /// Whether a prompt asks twice (a password being chosen, not one being proved).
    pub(crate) confirm: bool,
}

/// The passwords and login of one command run.
pub(crate) struct Credentials {
    use_stdin: bool,
    stdin_lines: Option<VecDeque<String>>,
}

fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

impl Credentials {
    /// Credentials read from standard input when `use_stdin`, else from the environment or a
    /// prompt.
    pub(crate) fn new(use_stdin: bool) -> Self {
        Credentials { use_stdin, stdin_lines: None }
    }

    fn next_stdin_line(&mut self) -> CliResult<Option<String>> {
        if self.stdin_lines.is_none() {
            let mut all = String::new();
            std::io::stdin()
                .read_to_string(&mut all)
                .map_err(|e| Failure::Io(format!("cannot read standard input: {e}")))?;
            self.stdin_lines = Some(all.lines().map(|l| l.trim_end_matches('\r').to_string()).collect());
        }
        Ok(self.stdin_lines.as_mut().and_then(VecDeque::pop_front))
    }

    /// A password: the next line of standard input with `--password-stdin`, else the
    /// environment variable, else a prompt at a terminal.
    pub(crate) fn password(&mut self, ask: Ask<'_>) -> CliResult<String> {
        if self.use_stdin {
            return self.next_stdin_line()?.ok_or_else(|| {
                Failure::Usage(format!("standard input holds no line for the {}", ask.prompt.trim_end_matches(": ")))
            });
        }
        if let Ok(value) = std::env::var(ask.env) {
            return Ok(value);
        }
        if !interactive() {
            return Err(Failure::Usage(format!(
                "no {} given and no terminal to ask at: set {} or pass --password-stdin",
                ask.prompt.trim_end_matches(": "),
                ask.env
            )));
        }
        let first = prompt_password(ask.prompt)?;
        if ask.confirm {
            let again = prompt_password("repeat it: ")?;
            if again != first {
                return Err(Failure::Usage("the two passwords typed differ".into()));
            }
        }
        Ok(first)
    }

    /// The login to sign in as: `given` (from `--login` or `OA_LOGIN`), else a prompt.
    pub(crate) fn login(&mut self, given: Option<&str>) -> CliResult<String> {
        if let Some(login) = given {
            return Ok(login.to_string());
        }
        if !interactive() {
            return Err(Failure::Usage(
                "no login given and no terminal to ask at: pass --login or set OA_LOGIN".into(),
            ));
        }
        eprint!("login: ");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| Failure::Io(format!("cannot read the login: {e}")))?;
        Ok(line.trim().to_string())
    }
}

fn prompt_password(prompt: &str) -> CliResult<String> {
    rpassword::prompt_password(prompt).map_err(|e| Failure::Io(format!("cannot read the password: {e}")))
}
