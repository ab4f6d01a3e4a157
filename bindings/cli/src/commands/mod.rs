//! Running a command: each module maps one group of commands to the core's operations.

mod attachments;
mod audit;
mod business;
mod calendar;
mod delegations;
mod dept;
mod forms;
mod monitor;
mod numbering;
mod office;
mod params;
mod people;
mod perm;
mod processes;
mod sessions;
mod tasks;

use crate::cli::{Cli, Command};
use crate::credentials::Credentials;
use crate::failure::CliResult;
use crate::output::Out;
use crate::session::Signed;

/// Runs the command `cli` names.
pub(crate) fn run(cli: &Cli) -> CliResult<()> {
    let out = Out { json: cli.json };
    let mut credentials = Credentials::new(cli.password_stdin);
    // The commands that need no signed-in session.
    match &cli.command {
        Command::Init(args) => return office::init(cli, args, &mut credentials, out),
        Command::Operations => return office::operations(out),
        _ => {}
    }
    let signed = Signed::sign_in(&cli.data, cli.login.as_deref(), &mut credentials)?;
    match &cli.command {
        Command::Init(_) | Command::Operations => Ok(()),
        Command::ImportOrg(args) => office::import(&signed, args, out),
        Command::Whoami => office::whoami(&signed, out),
        Command::Passwd => office::passwd(&signed, &mut credentials, out),
        Command::People(cmd) => people::run(&signed, cmd, &mut credentials, out),
        Command::Dept(cmd) => dept::run(&signed, cmd, out),
        Command::Roles(cmd) => perm::roles(&signed, cmd, out),
        Command::Grants(cmd) => perm::grants(&signed, cmd, out),
        Command::Perms(cmd) => perm::perms(&signed, cmd, out),
        Command::Params(cmd) => params::run(&signed, cmd, out),
        Command::Sessions(cmd) => sessions::run(&signed, cmd, out),
        Command::Audit(cmd) => audit::run(&signed, cmd, out),
        Command::Calendar(cmd) => calendar::run(&signed, cmd, out),
        Command::Numbering(cmd) => numbering::run(&signed, cmd, out),
        Command::Forms(cmd) => forms::run(&signed, cmd, out),
        Command::Attachments(cmd) => attachments::run(&signed, cmd, out),
        Command::Processes(cmd) => processes::run(&signed, cmd, out),
        Command::Instances(cmd) => tasks::instances(&signed, cmd, out),
        Command::Tasks(cmd) => tasks::tasks(&signed, cmd, out),
        Command::Monitor(cmd) => monitor::run(&signed, cmd, out),
        Command::Delegations(cmd) => delegations::run(&signed, cmd, out),
        Command::BusinessTypes(cmd) => business::run(&signed, cmd, out),
    }
}

use std::path::Path;

use oa::{OaResult, Page, PageRequest};

use crate::cli::PageArgs;
use crate::failure::Failure;

/// The bytes of a file the caller names (code `io` when it cannot be read).
fn read_file(path: &Path) -> CliResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| Failure::Io(format!("cannot read `{}`: {e}", path.display())))
}

/// One page, or with `--all` every page joined (then without a next cursor).
fn pages<T>(page: &PageArgs, mut fetch: impl FnMut(PageRequest) -> OaResult<Page<T>>) -> CliResult<Page<T>> {
    let mut request = PageRequest { cursor: page.cursor.clone(), limit: page.limit };
    if !page.all {
        return Ok(fetch(request)?);
    }
    let mut items = Vec::new();
    loop {
        let next = fetch(request.clone())?;
        items.extend(next.items);
        match next.next_cursor {
            Some(cursor) => request.cursor = Some(cursor),
            None => return Ok(Page { items, next_cursor: None }),
        }
    }
}
