//! `oa init`, `oa import-org`, `oa whoami`, `oa passwd` and `oa operations`.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use oa::{InitAccount, InitOffice, Oa, OaError, SledStore, SystemClock};
use serde::Serialize;

use crate::cli::{Cli, ImportArgs, InitArgs};
use crate::credentials::{
    Ask, Credentials, ENV_AUDITOR_PASSWORD, ENV_NEW_PASSWORD, ENV_PASSWORD, ENV_SECURITY_ADMIN_PASSWORD,
};
use crate::failure::{CliResult, Failure};
use crate::operations::{self, Exposure};
use crate::output::{self, Out};
use crate::session::Signed;

use super::read_file;

/// A spinner on standard error while the core works; hidden when standard error is not a
/// terminal, so scripts and logs see only the result.
fn spinner(message: String) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// What `oa init` created, for `--json`.
#[derive(Debug, Serialize)]
struct Initialised<'a> {
    data: String,
    office_name: &'a str,
    separation_of_duties: bool,
    accounts: Vec<&'a str>,
}

/// `oa init`: the core's `init` over a new folder.
pub(crate) fn init(cli: &Cli, args: &InitArgs, credentials: &mut Credentials, out: Out) -> CliResult<()> {
    let admin =
        args.admin.as_deref().or(cli.login.as_deref()).ok_or_else(|| {
            Failure::Usage("name the first administrator with --admin (or --login, or OA_LOGIN)".into())
        })?;
    let prompt = format!("password for {admin}: ");
    let password = credentials.password(Ask { env: ENV_PASSWORD, prompt: &prompt, confirm: true })?;
    let mut input = InitOffice::new(&args.office_name, admin, &args.admin_name, &password);
    if args.separation_of_duties {
        let account = |credentials: &mut Credentials, login: &Option<String>, name: &Option<String>, env, role| {
            let login = login.clone().unwrap_or_default();
            let prompt = format!("password for the {role} {login}: ");
            let password = credentials.password(Ask { env, prompt: &prompt, confirm: true })?;
            Ok::<_, Failure>(InitAccount::new(&login, name.as_deref().unwrap_or_default(), &password))
        };
        let security = account(
            credentials,
            &args.security_admin,
            &args.security_admin_name,
            ENV_SECURITY_ADMIN_PASSWORD,
            "security administrator",
        )?;
        let auditor = account(credentials, &args.auditor, &args.auditor_name, ENV_AUDITOR_PASSWORD, "auditor")?;
        input = input.with_separation_of_duties(security, auditor);
    }
    // Every field is checked before the folder is created, so bad input leaves nothing behind.
    input.validate()?;
    let bar = spinner(format!("initialising `{}` (hashing passwords)", args.office_name));
    let result =
        SledStore::open(&cli.data).map_err(OaError::from).and_then(|store| Oa::init(store, SystemClock, input.clone()));
    bar.finish_and_clear();
    let office = result?;
    office.close();
    let mut accounts = vec![input.admin_login.as_str()];
    accounts.extend(input.security_admin.as_ref().map(|a| a.login.as_str()));
    accounts.extend(input.auditor.as_ref().map(|a| a.login.as_str()));
    let done = Initialised {
        data: cli.data.display().to_string(),
        office_name: &input.office_name,
        separation_of_duties: input.separation_of_duties,
        accounts,
    };
    out.emit(&done, || {
        format!(
            "initialised office `{}` in `{}`{}\naccounts: {}",
            done.office_name.trim(),
            done.data,
            if done.separation_of_duties { " with separation of duties" } else { "" },
            done.accounts.join(", ")
        )
    })
}

/// `oa import-org`: the core's `import_org_csv`.
pub(crate) fn import(signed: &Signed, args: &ImportArgs, out: Out) -> CliResult<()> {
    let departments = read_file(&args.departments)?;
    let people = read_file(&args.people)?;
    let bar = spinner(format!(
        "importing `{}` and `{}`: checking every row, hashing passwords",
        args.departments.display(),
        args.people.display()
    ));
    let result = signed.office.import_org_csv(&signed.session, &departments, &people);
    bar.finish_and_clear();
    let report = result?;
    out.emit(&report, || {
        output::record(vec![
            ("departments created", report.departments_created.to_string()),
            ("people created", report.people_created.to_string()),
            ("with an initial password", report.passwords_set.to_string()),
            ("without a password", report.without_password.to_string()),
        ])
    })
}

/// `oa whoami`: the core's `whoami`.
pub(crate) fn whoami(signed: &Signed, out: Out) -> CliResult<()> {
    let me = signed.office.whoami(&signed.session)?;
    out.emit(&me, || {
        output::record(vec![
            ("login", me.login.clone()),
            ("name", me.name.clone()),
            ("person", me.person.to_string()),
            ("department", signed.dept_label(me.dept)),
            ("must change password", output::yes_no(me.must_change_password)),
            ("session", me.session_id.to_string()),
            ("session expires", output::instant(&me.session_expires_at)),
            ("password changed", me.password_changed_at.as_ref().map(output::instant).unwrap_or_default()),
            ("password expires", me.password_expires_at.as_ref().map(output::instant).unwrap_or_default()),
            ("permissions", me.permissions.join("\n")),
        ])
    })
}

/// `oa passwd`: the core's `change_password`, proving the old password with the one signed in
/// with.
pub(crate) fn passwd(signed: &Signed, credentials: &mut Credentials, out: Out) -> CliResult<()> {
    let new = credentials.password(Ask { env: ENV_NEW_PASSWORD, prompt: "new password: ", confirm: true })?;
    signed.office.change_password(&signed.session, signed.password(), &new)?;
    out.emit(&(), || "password changed; your other sessions were ended".into())
}

/// `oa operations`: the parity table; the core's pending operations are marked.
pub(crate) fn operations(out: Out) -> CliResult<()> {
    let rows = operations::rows();
    out.emit(&rows, || {
        let mut t = output::table(&["operation", "exposed by"]);
        for row in &rows {
            let how = match row.exposure {
                Exposure::Command(c) => c.to_string(),
                Exposure::EveryCommand(c) => c.to_string(),
                Exposure::NotInCli(why) => format!("not in the CLI: {why}"),
            };
            let name = if row.pending { format!("{} (pending)", row.operation) } else { row.operation.to_string() };
            t.add_row(vec![name, how]);
        }
        t.to_string()
    })
}
