//! `oa sessions ...`: the core's sign-in sessions.

use crate::cli::SessionsCmd;
use crate::failure::CliResult;
use crate::output::{self, Out};
use crate::session::Signed;

/// Runs `oa sessions ...`.
pub(crate) fn run(signed: &Signed, cmd: &SessionsCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        SessionsCmd::List { person } => {
            let person = match person {
                Some(p) => signed.person_id(p)?,
                None => office.whoami(session)?.person,
            };
            let sessions = office.list_sessions(session, person)?;
            out.emit(&sessions, || {
                let mut t = output::table(&[
                    "id",
                    "signed in",
                    "last seen",
                    "idle expiry",
                    "expires",
                    "current",
                    "password change",
                ]);
                for s in &sessions {
                    t.add_row(vec![
                        s.id.to_string(),
                        output::instant(&s.created_at),
                        output::instant(&s.last_seen),
                        output::instant(&s.idle_expires_at),
                        output::instant(&s.expires_at),
                        output::yes_no(s.current),
                        output::yes_no(s.must_change_password),
                    ]);
                }
                t.to_string()
            })
        }
        SessionsCmd::Revoke { id } => {
            office.revoke_session(session, *id)?;
            out.emit(&(), || format!("revoked session `{id}`"))
        }
        SessionsCmd::RevokeAll { person } => {
            let n = office.revoke_sessions_of(session, signed.person_id(person)?)?;
            out.emit(&n, || format!("revoked {n} session(s) of `{person}`"))
        }
    }
}
