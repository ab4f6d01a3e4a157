//! The commands and their arguments. Doc comments here are the help text people read.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc, Weekday};
use clap::{ArgGroup, Args, Parser, Subcommand};
use oa::perm::GrantId;
use oa::workflow::runtime::{DelegationId, InstanceId, TaskId};
use oa::{Id, WorkDuration, WorkHours, WorkUnit};

/// The administrator's command line of an oa office (办公自动化).
///
/// Sign in with --login (or OA_LOGIN) and a password from OA_PASSWORD, --password-stdin or a
/// prompt. Every command prints a readable table, or the core's data as JSON with --json.
#[derive(Debug, Parser)]
#[command(name = "oa", version, propagate_version = true, max_term_width = 100)]
pub(crate) struct Cli {
    /// The folder that holds the office.
    #[arg(long, global = true, env = "OA_DATA", default_value = "./oa-data", value_name = "DIR")]
    pub(crate) data: PathBuf,

    // No argument of a subcommand may share the id of a global one (`login`, `data`...): clap
    // would fill both from either. A test below checks it.
    /// Sign in as this login (else OA_LOGIN, else a prompt).
    #[arg(long, global = true, env = "OA_LOGIN", value_name = "LOGIN")]
    pub(crate) login: Option<String>,

    /// Read passwords from standard input, one a line, in the order the command needs them
    /// (the sign-in password first).
    #[arg(long, global = true)]
    pub(crate) password_stdin: bool,

    /// Print the result as JSON (the core's own data types).
    #[arg(long, global = true)]
    pub(crate) json: bool,

    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Every command.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create a new office in the data folder.
    Init(InitArgs),
    /// Import departments and people from two CSV files, all or nothing.
    ImportOrg(ImportArgs),
    /// People (人员).
    #[command(subcommand)]
    People(PeopleCmd),
    /// Departments (部门).
    #[command(subcommand)]
    Dept(DeptCmd),
    /// Roles (角色).
    #[command(subcommand)]
    Roles(RolesCmd),
    /// Grants of roles to people (授权).
    #[command(subcommand)]
    Grants(GrantsCmd),
    /// Permissions: the catalogue and who holds what.
    #[command(subcommand)]
    Perms(PermsCmd),
    /// Parameters (参数).
    #[command(subcommand)]
    Params(ParamsCmd),
    /// Sign-in sessions.
    #[command(subcommand)]
    Sessions(SessionsCmd),
    /// The audit log (审计日志).
    #[command(subcommand)]
    Audit(AuditCmd),
    /// The working calendar (工作日历): working days and hours, holidays, deadlines.
    #[command(subcommand)]
    Calendar(CalendarCmd),
    /// Document numbering (文号): numbering rules and numbers issued by hand.
    #[command(subcommand)]
    Numbering(NumberingCmd),
    /// Forms (表单): definitions, their versions, and checking data against them.
    #[command(subcommand)]
    Forms(FormsCmd),
    /// Attachments (附件): files stored once by the SHA-256 of their content.
    #[command(subcommand)]
    Attachments(AttachmentsCmd),
    /// Approval processes (流程): publishing definitions, their versions, checking them.
    #[command(subcommand)]
    Processes(ProcessesCmd),
    /// Process instances (流程实例): timelines, monitoring, terminating and moving them.
    #[command(subcommand)]
    Instances(InstancesCmd),
    /// Tasks (待办): starting instances, the signed-in person's lists and decisions, deadlines,
    /// reassigning.
    #[command(subcommand)]
    Tasks(TasksCmd),
    /// Process monitoring (流程监控): where instances wait and how long, overdue tasks, stuck
    /// instances, time per node.
    #[command(subcommand)]
    Monitor(MonitorCmd),
    /// Standing delegations (委托): someone's approval tasks going to a deputy while they are
    /// away.
    #[command(subcommand)]
    Delegations(DelegationsCmd),
    /// Business types (业务类型) and the feed of how their instances ended.
    #[command(subcommand)]
    BusinessTypes(BusinessTypesCmd),
    /// Show who is signed in, with their permissions.
    Whoami,
    /// Change your own password (the new one from OA_NEW_PASSWORD, standard input or a prompt).
    Passwd,
    /// List every operation of the core and the command that exposes it.
    Operations,
}

/// `oa init`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The office's name (also its root department's name).
    #[arg(value_name = "OFFICE_NAME")]
    pub(crate) office_name: String,
    /// The first administrator's login (else --login or OA_LOGIN).
    #[arg(long, value_name = "LOGIN")]
    pub(crate) admin: Option<String>,
    /// The first administrator's name.
    #[arg(long, value_name = "NAME")]
    pub(crate) admin_name: String,
    /// Separate duties (三员分立): the first administrator becomes the system administrator,
    /// beside a security administrator and an auditor.
    #[arg(long, requires_all = ["security_admin", "security_admin_name", "auditor", "auditor_name"])]
    pub(crate) separation_of_duties: bool,
    /// The security administrator's login (password from OA_SECURITY_ADMIN_PASSWORD).
    #[arg(long, value_name = "LOGIN", requires = "separation_of_duties")]
    pub(crate) security_admin: Option<String>,
    /// The security administrator's name.
    #[arg(long, value_name = "NAME", requires = "separation_of_duties")]
    pub(crate) security_admin_name: Option<String>,
    /// The auditor's login (password from OA_AUDITOR_PASSWORD).
    #[arg(long, value_name = "LOGIN", requires = "separation_of_duties")]
    pub(crate) auditor: Option<String>,
    /// The auditor's name.
    #[arg(long, value_name = "NAME", requires = "separation_of_duties")]
    pub(crate) auditor_name: Option<String>,
}

/// `oa import-org`.
#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The departments file (columns code, name, parent_code, sort_order).
    #[arg(value_name = "DEPARTMENTS.csv")]
    pub(crate) departments: PathBuf,
    /// The people file (columns login, name, dept_code, email, phone, position,
    /// superior_login, password).
    #[arg(value_name = "PEOPLE.csv")]
    pub(crate) people: PathBuf,
}

/// A page of a list.
#[derive(Debug, Args)]
pub(crate) struct PageArgs {
    /// At most this many rows (the core's default page when 0).
    #[arg(long, default_value_t = 50)]
    pub(crate) limit: u32,
    /// Start after this cursor (printed after the previous page).
    #[arg(long)]
    pub(crate) cursor: Option<String>,
    /// Read every page.
    #[arg(long, conflicts_with = "cursor")]
    pub(crate) all: bool,
}

/// A person's status, as a filter.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum StatusArg {
    /// Works here.
    Active,
    /// Suspended.
    Disabled,
    /// Has left (离职).
    Left,
}

/// `oa people ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum PeopleCmd {
    /// List people, a page at a time.
    List {
        /// Only the people of this department (id, code or name).
        #[arg(long, value_name = "DEPT")]
        dept: Option<String>,
        /// With --dept: also the departments below it.
        #[arg(long, requires = "dept")]
        subtree: bool,
        /// With --dept: leave out people who hold only a part-time post there.
        #[arg(long, requires = "dept")]
        main_post_only: bool,
        /// Only people in this status.
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// Only people whose name or login contains this text.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// Which page.
        #[command(flatten)]
        page: PageArgs,
    },
    /// Show one person.
    Show {
        /// The person's login (or id with --id).
        person: String,
        /// Take PERSON as a person id.
        #[arg(long)]
        id: bool,
    },
    /// Create a person.
    Add {
        /// The sign-in name.
        #[arg(value_name = "LOGIN")]
        account: String,
        /// The name, in any script.
        name: String,
        /// The main department (id, code or name).
        #[arg(long, value_name = "DEPT")]
        dept: String,
        /// E-mail address.
        #[arg(long)]
        email: Option<String>,
        /// Phone number.
        #[arg(long)]
        phone: Option<String>,
        /// Position (职务).
        #[arg(long)]
        position: Option<String>,
        /// The direct superior's login.
        #[arg(long, value_name = "LOGIN")]
        superior: Option<String>,
        /// Give an initial password, to change at first sign-in (from OA_NEW_PASSWORD,
        /// standard input or a prompt).
        #[arg(long)]
        set_password: bool,
    },
    /// Change a person's details (an empty text clears an optional field).
    Update {
        /// The person's login.
        person: String,
        /// A new login.
        #[arg(long = "new-login", value_name = "LOGIN")]
        new_login: Option<String>,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new e-mail address.
        #[arg(long)]
        email: Option<String>,
        /// A new phone number.
        #[arg(long)]
        phone: Option<String>,
        /// A new position.
        #[arg(long)]
        position: Option<String>,
        /// A new direct superior (login).
        #[arg(long, value_name = "LOGIN", conflicts_with = "clear_superior")]
        superior: Option<String>,
        /// Remove the direct superior.
        #[arg(long)]
        clear_superior: bool,
    },
    /// Move a person to another department.
    Transfer {
        /// The person's login.
        person: String,
        /// The new main department (id, code or name).
        dept: String,
        /// A new position there (kept when not given; an empty text clears it).
        #[arg(long)]
        position: Option<String>,
    },
    /// Disable a person: they may not sign in.
    Disable {
        /// The person's login.
        person: String,
    },
    /// Make a disabled person, or one who left, active again.
    Enable {
        /// The person's login.
        person: String,
    },
    /// Mark a person as having left (离职).
    Left {
        /// The person's login.
        person: String,
    },
    /// Give a person a part-time post (兼职) in another department.
    AddPost {
        /// The person's login.
        person: String,
        /// The post's department (id, code or name).
        dept: String,
        /// The position held there.
        #[arg(long)]
        position: Option<String>,
    },
    /// Remove a person's part-time post.
    RemovePost {
        /// The person's login.
        person: String,
        /// The post's department (id, code or name).
        dept: String,
    },
    /// Set a person's password, to change at their next sign-in (from OA_NEW_PASSWORD,
    /// standard input or a prompt).
    ResetPassword {
        /// The person's login.
        person: String,
    },
    /// A person's chain of superiors, nearest first.
    Superiors {
        /// The person's login.
        person: String,
    },
    /// The head of the department LEVELS above a person's main department.
    HeadAbove {
        /// The person's login.
        person: String,
        /// 0: their own department's head, 1: the parent department's head...
        #[arg(long, default_value_t = 0)]
        levels: u32,
    },
}

/// `oa dept ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum DeptCmd {
    /// The department tree (or the subtree under --root).
    Tree {
        /// Only this department and those below it.
        #[arg(long, value_name = "DEPT")]
        root: Option<String>,
    },
    /// Every department, as a table in tree order.
    List,
    /// One department.
    Show {
        /// The department (id, code or name).
        dept: String,
    },
    /// The direct children of a department.
    Children {
        /// The department (id, code or name).
        dept: String,
    },
    /// Create a department.
    Add {
        /// Its name.
        name: String,
        /// The parent (id, code or name); without it a new root.
        #[arg(long, value_name = "DEPT")]
        parent: Option<String>,
        /// An external code, unique in the office.
        #[arg(long)]
        code: Option<String>,
        /// Position among its siblings.
        #[arg(long, allow_hyphen_values = true)]
        sort_order: Option<i64>,
        /// The head's login.
        #[arg(long, value_name = "LOGIN")]
        head: Option<String>,
    },
    /// Rename a department.
    Rename {
        /// The department (id, code or name).
        dept: String,
        /// The new name.
        name: String,
    },
    /// Move a department under another parent (or make it a root with --root).
    Move {
        /// The department (id, code or name).
        dept: String,
        /// The new parent (id, code or name).
        #[arg(long, value_name = "DEPT", required_unless_present = "root", conflicts_with = "root")]
        parent: Option<String>,
        /// Make it a root.
        #[arg(long)]
        root: bool,
        /// Position among its new siblings (after the last when not given).
        #[arg(long, allow_hyphen_values = true)]
        sort_order: Option<i64>,
    },
    /// Set a department's position among its siblings.
    Reorder {
        /// The department (id, code or name).
        dept: String,
        /// The new position.
        #[arg(allow_hyphen_values = true)]
        sort_order: i64,
    },
    /// Set (or with --clear remove) the head (负责人) of a department.
    Head {
        /// The department (id, code or name).
        dept: String,
        /// The head's login.
        #[arg(value_name = "LOGIN", required_unless_present = "clear", conflicts_with = "clear")]
        head: Option<String>,
        /// Remove the head.
        #[arg(long)]
        clear: bool,
    },
    /// Disable a department.
    Disable {
        /// The department (id, code or name).
        dept: String,
    },
    /// Enable a disabled department.
    Enable {
        /// The department (id, code or name).
        dept: String,
    },
}

/// `oa roles ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum RolesCmd {
    /// Every role.
    List,
    /// One role.
    Show {
        /// The role's code.
        code: String,
    },
    /// Create a role.
    Create {
        /// The code: a-z, 0-9 and `_`.
        code: String,
        /// Its name.
        #[arg(long)]
        name: String,
        /// What it is for.
        #[arg(long, default_value = "")]
        description: String,
        /// Permissions it holds (comma-separated or repeated).
        #[arg(long = "permission", value_delimiter = ',', value_name = "PERMISSION")]
        permissions: Vec<String>,
        /// Roles whose permissions it inherits (comma-separated or repeated).
        #[arg(long, value_delimiter = ',', value_name = "ROLE")]
        inherits: Vec<String>,
        /// Which records it reaches (数据权限): all, own_dept, own_dept_and_below, self_only,
        /// or depts:DEPT,DEPT.
        #[arg(long, value_name = "SCOPE")]
        scope: String,
    },
    /// Change a role (only what is given changes).
    Update {
        /// The role's code.
        code: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new description.
        #[arg(long)]
        description: Option<String>,
        /// The new set of permissions (comma-separated; given without values: none).
        #[arg(long, value_delimiter = ',', num_args = 0.., value_name = "PERMISSION")]
        permissions: Option<Vec<String>>,
        /// The new set of inherited roles (comma-separated; given without values: none).
        #[arg(long, value_delimiter = ',', num_args = 0.., value_name = "ROLE")]
        inherits: Option<Vec<String>>,
        /// A new data scope (see `oa roles create --help`).
        #[arg(long, value_name = "SCOPE")]
        scope: Option<String>,
    },
    /// Delete a role.
    Delete {
        /// The role's code.
        code: String,
    },
}

/// `oa grants ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum GrantsCmd {
    /// The grants of a person, or every grant you may see.
    List {
        /// The person's login.
        person: Option<String>,
    },
    /// Grant a role to a person.
    Add {
        /// The person's login.
        person: String,
        /// The role's code.
        role: String,
        /// Reach only this department and those below it (id, code or name).
        #[arg(long, value_name = "DEPT")]
        limit_to: Option<String>,
    },
    /// Revoke a grant.
    Revoke {
        /// The grant's id.
        #[arg(value_parser = parse_grant_id)]
        id: GrantId,
    },
}

/// `oa perms ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum PermsCmd {
    /// The catalogue of permissions.
    List,
    /// Every permission a person holds now.
    Of {
        /// The person's login.
        person: String,
    },
    /// Whether a person holds a permission. With --dept or --owner the check is on a record of
    /// that department or owner.
    Check {
        /// The person's login.
        person: String,
        /// The permission (`module.resource.action`).
        permission: String,
        /// On a record of this department (id, code or name).
        #[arg(long, value_name = "DEPT")]
        dept: Option<String>,
        /// On a record owned by this person (login).
        #[arg(long, value_name = "LOGIN")]
        owner: Option<String>,
    },
    /// The reach of a permission for the signed-in person (departments and people).
    Scope {
        /// The permission (`module.resource.action`).
        permission: String,
    },
}

/// `oa params ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum ParamsCmd {
    /// Every parameter with its value.
    List,
    /// One parameter.
    Get {
        /// The parameter's key (`auth.lockout.threshold`).
        key: String,
    },
    /// Set a parameter (the text is read as the parameter's type).
    Set {
        /// The parameter's key.
        key: String,
        /// The value.
        #[arg(allow_hyphen_values = true)]
        value: String,
    },
    /// Put a parameter back to its default.
    Reset {
        /// The parameter's key.
        key: String,
    },
}

/// `oa sessions ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum SessionsCmd {
    /// The live sessions of a person (yours without a login).
    List {
        /// The person's login.
        person: Option<String>,
    },
    /// End one session.
    Revoke {
        /// The session's id.
        #[arg(value_parser = parse_id)]
        id: Id,
    },
    /// End every session of a person.
    RevokeAll {
        /// The person's login.
        person: String,
    },
}

/// `oa audit ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum AuditCmd {
    /// Walk the hash chain; exits with 6 when a record does not match.
    Verify,
    /// Audit records, newest first.
    List {
        /// From this instant (RFC 3339, or a date: midnight UTC), included.
        #[arg(long, value_parser = parse_instant)]
        from: Option<DateTime<Utc>>,
        /// Until this instant (RFC 3339, or a date: midnight UTC), excluded.
        #[arg(long, value_parser = parse_instant)]
        to: Option<DateTime<Utc>>,
        /// Only records of this actor (login or person id).
        #[arg(long, value_name = "LOGIN")]
        actor: Option<String>,
        /// Only records of this operation (`org.person.create`).
        #[arg(long)]
        operation: Option<String>,
        /// Only records about this target (`person:01J…`).
        #[arg(long)]
        target: Option<String>,
        /// Which page.
        #[command(flatten)]
        page: PageArgs,
    },
    /// One audit record.
    Show {
        /// The record's number.
        seq: u64,
    },
}

/// `oa calendar ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum CalendarCmd {
    /// The working weekdays, working hours and time zone.
    Show,
    /// Change the working weekdays, working hours or time zone (only what is given changes).
    #[command(group(ArgGroup::new("change").required(true).multiple(true).args(["weekdays", "hours", "utc_offset"])))]
    Set {
        /// The working weekdays (comma-separated: mon,tue,wed,thu,fri).
        #[arg(long, value_delimiter = ',', value_parser = parse_weekday, value_name = "DAY")]
        weekdays: Option<Vec<Weekday>>,
        /// The working hours of every working day, in order (comma-separated
        /// HH:MM-HH:MM intervals: 09:00-12:00,13:30-18:00; an end of 24:00 is midnight).
        #[arg(long, value_delimiter = ',', value_parser = parse_hours, value_name = "FROM-TO")]
        hours: Option<Vec<WorkHours>>,
        /// The office's time zone as a fixed UTC offset (+08:00).
        #[arg(long, allow_hyphen_values = true, value_name = "±HH:MM")]
        utc_offset: Option<String>,
    },
    /// Today's date in the office's time zone.
    Today,
    /// One year's public holidays (法定节假日) and make-up working days (调休).
    Holidays {
        /// The year.
        year: i32,
    },
    /// Set one year's public holidays and make-up working days (a list not given is kept; a
    /// list given without dates is emptied).
    #[command(group(ArgGroup::new("lists").required(true).multiple(true).args(["holidays", "makeup", "clear"])))]
    SetHolidays {
        /// The year.
        year: i32,
        /// Days off although the weekly pattern says work (comma-separated dates: 2026-02-16,2026-02-17).
        #[arg(long, value_delimiter = ',', num_args = 0.., value_parser = parse_date, value_name = "DATE")]
        holidays: Option<Vec<NaiveDate>>,
        /// Days of work although the weekly pattern says rest (comma-separated dates).
        #[arg(long, value_delimiter = ',', num_args = 0.., value_parser = parse_date, value_name = "DATE")]
        makeup: Option<Vec<NaiveDate>>,
        /// Remove every holiday and make-up day of the year.
        #[arg(long, conflicts_with_all = ["holidays", "makeup"])]
        clear: bool,
    },
    /// The deadline DURATION of working time after START, by the office's calendar.
    Add {
        /// When the time starts (RFC 3339: 2026-02-13T10:00:00+08:00); the deadline is printed
        /// in the same offset.
        #[arg(value_parser = parse_rfc3339, allow_hyphen_values = true)]
        start: DateTime<FixedOffset>,
        /// Working time: 2d (working days, the same clock time), 4h (working hours) or 90m
        /// (working minutes).
        #[arg(value_parser = parse_duration)]
        duration: WorkDuration,
    },
}

/// When a numbering rule's sequence starts again from 1.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum ResetArg {
    /// Every 1 January (the pattern must hold {year}).
    Yearly,
    /// Every first of the month (the pattern must hold {year} and {month}).
    Monthly,
    /// Never: one sequence for ever.
    Never,
}

/// `oa numbering ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum NumberingCmd {
    /// Every numbering rule.
    List,
    /// One numbering rule.
    Show {
        /// The rule's key.
        key: String,
    },
    /// Create a numbering rule.
    Create {
        /// The key: a-z, 0-9 and `_` (office_doc).
        key: String,
        /// Its name, as people know it (发文字号).
        #[arg(long)]
        name: String,
        /// The pattern: text with {year}, {month}, {seq} (exactly once) or {seq:N}; {{ and }}
        /// for braces (办〔{year}〕{seq}号).
        #[arg(long)]
        pattern: String,
        /// Zero-pad {seq} to this many digits (0: no padding).
        #[arg(long, default_value_t = 0, value_name = "N")]
        width: u8,
        /// When the sequence starts again from 1.
        #[arg(long, value_enum, default_value = "yearly")]
        reset: ResetArg,
    },
    /// Change a numbering rule (only what is given changes; the sequence goes on).
    Update {
        /// The rule's key.
        key: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new pattern (see `oa numbering create --help`).
        #[arg(long)]
        pattern: Option<String>,
        /// A new padding width for {seq}.
        #[arg(long, value_name = "N")]
        width: Option<u8>,
        /// A new reset period.
        #[arg(long, value_enum)]
        reset: Option<ResetArg>,
    },
    /// The number a rule would issue now, without issuing it.
    Preview {
        /// The rule's key.
        key: String,
    },
    /// Issue the next number of a rule by hand, and print it.
    Issue {
        /// The rule's key.
        key: String,
        /// What the number is for (a document's title or reference).
        #[arg(long, value_name = "TEXT")]
        owner: String,
    },
    /// Who a number was issued to, when and by whom.
    Issued {
        /// The rule's key.
        key: String,
        /// The number as written (办〔2026〕15号).
        number: String,
    },
}

/// `oa forms ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum FormsCmd {
    /// Define a form from a JSON file: version 1 of a new key, the next version when the
    /// definition differs from the latest, the latest unchanged otherwise.
    Define {
        /// The definition: {"key", "name", "description", "fields": [{"key", "label",
        /// "type", "required", ...}]} (see the README for an example).
        #[arg(value_name = "FILE.json")]
        file: PathBuf,
    },
    /// Forms at their latest version, by key, a page at a time.
    List {
        /// Which page.
        #[command(flatten)]
        page: PageArgs,
    },
    /// A form and its fields (the latest version, or --version).
    // `--version N` is the form's version; `oa --version` still prints the program's.
    #[command(disable_version_flag = true)]
    Show {
        /// The form's key.
        key: String,
        /// This version instead of the latest.
        #[arg(long, value_name = "N")]
        version: Option<u32>,
    },
    /// Every version of a form, oldest first.
    Versions {
        /// The form's key.
        key: String,
    },
    /// Check data against a form and print it normalised, as it would be stored (totals
    /// computed); every failing field is named with its path (exit 3). Nothing is written.
    #[command(disable_version_flag = true)]
    Validate {
        /// The form's key.
        key: String,
        /// The data: a JSON object of field values ({"title": "...", "items": [...]}).
        #[arg(value_name = "DATA.json")]
        values: PathBuf,
        /// Check against this version instead of the latest.
        #[arg(long, value_name = "N")]
        version: Option<u32>,
    },
}

/// `oa attachments ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum AttachmentsCmd {
    /// Upload a file (the same content uploaded again is stored once) and print its hash, size
    /// and type.
    Upload {
        /// The file to upload.
        file: PathBuf,
        /// Its MIME type (application/pdf); without it the core takes the type of the name's
        /// extension.
        #[arg(long = "type", value_name = "MIME")]
        content_type: Option<String>,
        /// The name to store it under (else the file's own name).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
    },
    /// An attachment's name, type, size and first upload.
    Show {
        /// The attachment's id: the SHA-256 of its content (64 hexadecimal digits).
        hash: String,
    },
    /// Save an attachment's content to a file.
    Get {
        /// The attachment's id: the SHA-256 of its content (64 hexadecimal digits).
        hash: String,
        /// The file to write (replaced if it exists).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// `oa processes ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum ProcessesCmd {
    /// Publish a process from a JSON file: version 1 of a new key, the next version when the
    /// definition differs from the latest, the latest unchanged otherwise.
    Publish {
        /// The process as a DingTalk-style node tree: {"key", "name", "formKey", "process":
        /// {"nodeId": "start", "type": "start", "childNode": ...}} (see the README); with
        /// --graph the core's graph: {"key", "name", "form_key", "definition": {"nodes": [...]}}.
        #[arg(value_name = "FILE.json")]
        file: PathBuf,
        /// The file is the core's graph, not a DingTalk node tree.
        #[arg(long)]
        graph: bool,
    },
    /// Import a process from BPMN 2.0 XML and publish it over a form (its key and name are the
    /// BPMN process's id and name).
    ImportBpmn {
        /// The BPMN 2.0 document (Flowable, Camunda and Activiti attributes are read).
        #[arg(value_name = "FILE.bpmn")]
        file: PathBuf,
        /// The form the process fills.
        #[arg(long, value_name = "KEY")]
        form: String,
        /// Pin this version of the form instead of its latest.
        #[arg(long, value_name = "N")]
        form_version: Option<u32>,
    },
    /// Every process at its latest version.
    List,
    /// A process and its nodes (the latest version, or --version).
    #[command(disable_version_flag = true)]
    Show {
        /// The process's key.
        key: String,
        /// This version instead of the latest.
        #[arg(long, value_name = "N")]
        version: Option<u32>,
    },
    /// Every version of a process, oldest first.
    Versions {
        /// The process's key.
        key: String,
    },
    /// Check a process file as publishing would, without publishing it: every problem is
    /// named with its path (exit 3).
    Validate {
        /// The process (see `oa processes publish --help`).
        #[arg(value_name = "FILE.json")]
        file: PathBuf,
        /// The file is the core's graph, not a DingTalk node tree.
        #[arg(long)]
        graph: bool,
    },
}

/// `oa instances ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum InstancesCmd {
    /// An instance with its tasks and history (时间线).
    Show {
        /// The instance's id.
        #[arg(value_parser = parse_instance_id)]
        id: InstanceId,
    },
    /// The instances linked to a business key (contract:01J...), oldest first.
    Of {
        /// The business key.
        business_key: String,
    },
    /// The running instances waiting at a node of a process (流程监控).
    At {
        /// The process's key.
        process: String,
        /// The node's id.
        node: String,
        /// Which page.
        #[command(flatten)]
        page: PageArgs,
    },
    /// Add a comment (评论) to an instance's history.
    Comment {
        /// The instance's id.
        #[arg(value_parser = parse_instance_id)]
        id: InstanceId,
        /// The comment.
        text: String,
    },
    /// Stop a running instance (终止).
    Terminate {
        /// The instance's id.
        #[arg(value_parser = parse_instance_id)]
        id: InstanceId,
        /// Why, kept in its history.
        #[arg(long)]
        reason: String,
    },
    /// Move a running instance to a node of its process (跳转).
    Jump {
        /// The instance's id.
        #[arg(value_parser = parse_instance_id)]
        id: InstanceId,
        /// The node's id.
        node: String,
    },
    /// Put someone in the place of an approver who waits for their turn at an in-turn node
    /// (依次) of a running instance, as an administrator: one whose turn has not come holds
    /// no task for `tasks reassign` to move. Print the instance.
    ReassignTurn {
        /// The instance's id.
        #[arg(value_parser = parse_instance_id)]
        id: InstanceId,
        /// Who waits for their turn (login or person id).
        #[arg(value_name = "FROM")]
        from: String,
        /// Who takes their place (login or person id).
        #[arg(value_name = "TO")]
        to: String,
        /// Why, kept in the instance's history.
        #[arg(long)]
        reason: String,
    },
    /// Move a running instance to another published version of its process (版本迁移); refused,
    /// naming each node and field, when a node it waits at or its data does not fit there.
    Migrate {
        /// The instance's id.
        #[arg(value_parser = parse_instance_id)]
        id: InstanceId,
        /// The version to move it to.
        #[arg(long, value_name = "N")]
        to_version: u32,
    },
    /// Move every running instance of one version of a process to another, each on its own,
    /// and print which moved and which were refused, with why.
    MigrateAll {
        /// The process's key.
        process: String,
        /// The version the instances run now.
        #[arg(long, value_name = "N")]
        from_version: u32,
        /// The version to move them to.
        #[arg(long, value_name = "N")]
        to_version: u32,
    },
}

/// What a list of tasks or instances is narrowed to.
#[derive(Debug, Args)]
pub(crate) struct QueryArgs {
    /// Only this process (its key).
    #[arg(long, value_name = "KEY")]
    pub(crate) process: Option<String>,
    /// From this instant (RFC 3339, or a date: midnight UTC), included.
    #[arg(long, value_parser = parse_instant)]
    pub(crate) from: Option<DateTime<Utc>>,
    /// Up to this instant (RFC 3339, or a date: midnight UTC), included.
    #[arg(long, value_parser = parse_instant)]
    pub(crate) to: Option<DateTime<Utc>>,
    /// Only titles containing this text, ignoring case.
    #[arg(long, value_name = "TEXT")]
    pub(crate) search: Option<String>,
}

/// `oa tasks ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum TasksCmd {
    /// Start an instance of a process (发起) as the signed-in person, and print it.
    #[command(disable_version_flag = true)]
    Start {
        /// The process's key.
        process: String,
        /// The form data: a JSON object of field values ({"days": "2", "reason": "..."}).
        #[arg(value_name = "DATA.json")]
        values: PathBuf,
        /// The title people see in lists.
        #[arg(long)]
        title: String,
        /// Run this version of the process instead of its latest.
        #[arg(long, value_name = "N")]
        version: Option<u32>,
        /// The object of another module the instance approves (contract:01J...).
        #[arg(long, value_name = "KEY")]
        business_key: Option<String>,
    },
    /// The signed-in person's pending tasks (待办), newest first.
    Todo {
        /// What to list.
        #[command(flatten)]
        query: QueryArgs,
        /// Only instances this person started (login).
        #[arg(long, value_name = "LOGIN")]
        initiator: Option<String>,
        /// Which page.
        #[command(flatten)]
        page: PageArgs,
    },
    /// The tasks the signed-in person acted on (已办), most recent first.
    Done {
        /// What to list (--from and --to bound when they acted).
        #[command(flatten)]
        query: QueryArgs,
        /// Only instances this person started (login).
        #[arg(long, value_name = "LOGIN")]
        initiator: Option<String>,
        /// Which page.
        #[command(flatten)]
        page: PageArgs,
    },
    /// The instances the signed-in person started (我发起的), drafts included, newest first.
    Started {
        /// What to list.
        #[command(flatten)]
        query: QueryArgs,
        /// Which page.
        #[command(flatten)]
        page: PageArgs,
    },
    /// The copies sent to the signed-in person (抄送我的), newest first.
    Cc {
        /// What to list.
        #[command(flatten)]
        query: QueryArgs,
        /// Only instances this person started (login).
        #[arg(long, value_name = "LOGIN")]
        initiator: Option<String>,
        /// Only copies not read yet.
        #[arg(long)]
        unread: bool,
        /// Which page.
        #[command(flatten)]
        page: PageArgs,
    },
    /// The signed-in person's counts: pending tasks and unread copies.
    Badges,
    /// Approve a task of the signed-in person (同意).
    Approve {
        /// The task's id.
        #[arg(value_parser = parse_task_id)]
        task: TaskId,
        /// A comment kept in the history.
        #[arg(long, default_value = "")]
        comment: String,
        /// Changes to the fields the node lets approvers edit: a JSON object of field values
        /// (fields left out keep their values).
        #[arg(long, value_name = "EDITS.json")]
        edits: Option<PathBuf>,
    },
    /// Reject a task of the signed-in person (驳回): the instance ends rejected.
    Reject {
        /// The task's id.
        #[arg(value_parser = parse_task_id)]
        task: TaskId,
        /// A comment kept in the history.
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Hand a task of the signed-in person to someone else (转交), and print the new task.
    Transfer {
        /// The task's id.
        #[arg(value_parser = parse_task_id)]
        task: TaskId,
        /// Who takes it over (login).
        #[arg(value_name = "LOGIN")]
        to: String,
        /// A comment kept in the history.
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Handle the deadlines due up to an instant: reminders, escalations, automatic approvals
    /// and rejections; running it again does nothing twice (for cron).
    Due {
        /// Up to this instant (RFC 3339, or a date: midnight UTC); now when not given.
        #[arg(long, value_parser = parse_instant)]
        until: Option<DateTime<Utc>>,
    },
    /// Move someone's approval task, pending or waiting behind a signer (前加签), to another
    /// person (改派), as an administrator, when its assignee cannot act; print the new task.
    Reassign {
        /// The task's id.
        #[arg(value_parser = parse_task_id)]
        task: TaskId,
        /// Who takes it over (login or person id).
        #[arg(value_name = "PERSON")]
        to: String,
        /// Why, kept in the instance's history.
        #[arg(long)]
        reason: String,
    },
}

/// `oa monitor ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum MonitorCmd {
    /// How many running instances of a process wait at each node, and since when the oldest.
    Nodes {
        /// The process's key.
        process: String,
    },
    /// The running instances waiting at a node, longest waiting first, with how long they
    /// waited (elapsed and working time) and for whom.
    Waiting {
        /// The process's key.
        process: String,
        /// The node's id.
        node: String,
        /// Which page.
        #[command(flatten)]
        page: PageArgs,
    },
    /// The pending tasks past their deadline (超时), most overdue first.
    Overdue {
        /// Only this process (its key).
        #[arg(long, value_name = "KEY")]
        process: Option<String>,
        /// Overdue at this instant (RFC 3339, or a date: midnight UTC); now when not given.
        #[arg(long, value_parser = parse_instant)]
        at: Option<DateTime<Utc>>,
        /// Which page.
        #[command(flatten)]
        page: PageArgs,
    },
    /// The running instances waiting where no active person can act (卡住的流程). A page may
    /// come back short with a cursor: each call reads a bounded part of the index.
    Stuck {
        /// Only this process (its key).
        #[arg(long, value_name = "KEY")]
        process: Option<String>,
        /// Which page.
        #[command(flatten)]
        page: PageArgs,
    },
    /// How long the tasks acted on in a period took at each node: mean and 90th percentile,
    /// elapsed and in working time, slowest first.
    Times {
        /// The process's key.
        process: String,
        /// From this instant (RFC 3339, or a date: midnight UTC), included.
        #[arg(long, value_parser = parse_instant)]
        from: DateTime<Utc>,
        /// Up to this instant (RFC 3339, or a date: midnight UTC), excluded.
        #[arg(long, value_parser = parse_instant)]
        to: DateTime<Utc>,
    },
}

/// `oa delegations ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum DelegationsCmd {
    /// Set a standing delegation for someone away: from the first day to the last (both
    /// included, in the office's time zone) their new approval tasks go to the delegate.
    Add {
        /// Whose tasks to send on: the person away (login or person id).
        #[arg(long, value_name = "PERSON")]
        owner: String,
        /// Who gets them (login or person id).
        #[arg(long, value_name = "PERSON")]
        to: String,
        /// The first day (2026-03-02).
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        from: NaiveDate,
        /// The last day, included (2026-03-06).
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        until: NaiveDate,
        /// Only the tasks of this process (its key); every process when not given.
        #[arg(long, value_name = "KEY")]
        process: Option<String>,
        /// Why (出差, 休假).
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Cancel a delegation: tasks already sent stay with the delegate, new ones go to the owner.
    Cancel {
        /// The delegation's id.
        #[arg(value_parser = parse_delegation_id)]
        id: DelegationId,
    },
    /// Every delegation of the people you administer, newest first, cancelled and past ones
    /// included.
    List {
        /// Which page.
        #[command(flatten)]
        page: PageArgs,
    },
}

/// `oa business-types ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum BusinessTypesCmd {
    /// Declare a business type, so that instances may carry business keys PREFIX:… and their
    /// endings go to its feed; declaring it again changes its description.
    Declare {
        /// The prefix of its business keys (`purchase` for purchase:PO-2026-001).
        prefix: String,
        /// What its objects are.
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Every business type, with the sequence number of its latest event.
    List,
    /// How the instances with business keys of a type ended, oldest first, after a sequence
    /// number: remember the last one handled and ask again from there.
    Events {
        /// The type's prefix.
        prefix: String,
        /// After this sequence number (0: from the first).
        #[arg(long, default_value_t = 0, value_name = "SEQ")]
        after: u64,
        /// At most this many events (0: the core's default of 100).
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
}

fn parse_id(text: &str) -> Result<Id, String> {
    text.trim().parse::<Id>().map_err(|e| format!("`{text}`: {e}"))
}

fn parse_grant_id(text: &str) -> Result<GrantId, String> {
    parse_id(text).map(GrantId)
}

fn parse_instance_id(text: &str) -> Result<InstanceId, String> {
    parse_id(text).map(InstanceId)
}

fn parse_task_id(text: &str) -> Result<TaskId, String> {
    parse_id(text).map(TaskId)
}

fn parse_delegation_id(text: &str) -> Result<DelegationId, String> {
    parse_id(text).map(DelegationId)
}

/// An instant as RFC 3339 (`2026-03-01T08:00:00Z`) or a date (`2026-03-01`, midnight UTC).
fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Ok(at.with_timezone(&Utc));
    }
    match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        Ok(d) => Ok(d.and_time(chrono::NaiveTime::MIN).and_utc()),
        Err(_) => Err(format!("`{text}` is neither an RFC 3339 instant nor a date like 2026-03-01")),
    }
}

/// A weekday by its English name or abbreviation (`mon`, `Tuesday`).
fn parse_weekday(text: &str) -> Result<Weekday, String> {
    text.trim()
        .parse::<Weekday>()
        .map_err(|_| format!("`{text}` is not a weekday: use mon, tue, wed, thu, fri, sat or sun"))
}

/// A time of day `HH:MM`; `24:00` is midnight at the end of the day, which the core writes
/// `00:00`.
fn parse_time(text: &str) -> Option<NaiveTime> {
    if text == "24:00" {
        return Some(NaiveTime::MIN);
    }
    NaiveTime::parse_from_str(text, "%H:%M").ok()
}

/// An interval of working hours, `09:00-12:00` (an en dash, as the core prints it, also does).
fn parse_hours(text: &str) -> Result<WorkHours, String> {
    let t = text.trim();
    let refuse = || format!("`{text}` is not an interval of working hours like 09:00-12:00");
    let (start, end) = t.split_once('-').or_else(|| t.split_once('–')).ok_or_else(refuse)?;
    match (parse_time(start.trim()), parse_time(end.trim())) {
        (Some(start), Some(end)) => Ok(WorkHours { start, end }),
        _ => Err(refuse()),
    }
}

/// A date, `2026-02-16`.
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| format!("`{text}` is not a date like 2026-02-16"))
}

/// An instant as RFC 3339 with its offset (`2026-02-13T10:00:00+08:00`).
fn parse_rfc3339(text: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map_err(|_| format!("`{text}` is not an RFC 3339 instant like 2026-02-13T10:00:00+08:00"))
}

/// An amount of working time: a whole number and a unit, `2d`, `4h` or `90m`.
fn parse_duration(text: &str) -> Result<WorkDuration, String> {
    let t = text.trim();
    let refuse = || format!("`{text}` is not an amount of working time: write 2d (days), 4h (hours) or 90m (minutes)");
    let split = t.find(|c: char| !c.is_ascii_digit()).ok_or_else(refuse)?;
    let (digits, unit) = t.split_at(split);
    let amount = digits.parse::<u32>().map_err(|_| refuse())?;
    let unit = match unit.trim() {
        "d" | "day" | "days" => WorkUnit::Days,
        "h" | "hour" | "hours" => WorkUnit::Hours,
        "m" | "min" | "minute" | "minutes" => WorkUnit::Minutes,
        _ => return Err(refuse()),
    };
    Ok(WorkDuration { amount, unit })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_argument_shadows_a_global_one() {
        fn walk(cmd: &clap::Command, globals: &[String]) {
            for arg in cmd.get_arguments() {
                if !arg.is_global_set() {
                    assert!(!globals.contains(&arg.get_id().to_string()), "`{}` of `{}`", arg.get_id(), cmd.get_name());
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, globals);
            }
        }
        let root = Cli::command();
        let globals: Vec<String> =
            root.get_arguments().filter(|a| a.is_global_set()).map(|a| a.get_id().to_string()).collect();
        assert!(globals.contains(&"login".to_string()));
        walk(&root, &globals);
    }

    #[test]
    fn instants_take_rfc3339_or_a_date() {
        assert_eq!(parse_instant("2026-03-01").map(|d| d.to_rfc3339()), Ok("2026-03-01T00:00:00+00:00".into()));
        assert_eq!(
            parse_instant("2026-03-01T08:00:00+08:00").map(|d| d.to_rfc3339()),
            Ok("2026-03-01T00:00:00+00:00".into())
        );
        assert!(parse_instant("yesterday").is_err());
    }

    #[test]
    fn calendar_arguments_parse() {
        assert_eq!(parse_weekday("Mon"), Ok(Weekday::Mon));
        assert_eq!(parse_weekday("tuesday"), Ok(Weekday::Tue));
        assert!(parse_weekday("funday").is_err());
        assert_eq!(parse_hours("09:00-12:00"), Ok(WorkHours::hm((9, 0), (12, 0)).expect("a time")));
        assert_eq!(parse_hours("13:30–18:00"), Ok(WorkHours::hm((13, 30), (18, 0)).expect("a time")));
        assert_eq!(parse_hours("00:00-24:00"), Ok(WorkHours::hm((0, 0), (0, 0)).expect("a time")));
        for bad in ["9-12", "09:00", "09:00-25:00", "noon-18:00", ""] {
            assert!(parse_hours(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_duration("2d"), Ok(WorkDuration::days(2)));
        assert_eq!(parse_duration("4h"), Ok(WorkDuration::hours(4)));
        assert_eq!(parse_duration("90m"), Ok(WorkDuration::minutes(90)));
        assert_eq!(parse_duration("3 days"), Ok(WorkDuration::days(3)));
        for bad in ["d", "2", "2w", "-1d", "1.5h", "99999999999m"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert!(parse_rfc3339("2026-02-13T10:00:00+08:00").is_ok());
        assert!(parse_rfc3339("2026-02-13").is_err());
        assert_eq!(parse_date("2026-02-16").map(|d| d.to_string()), Ok("2026-02-16".into()));
        assert!(parse_date("16/02/2026").is_err());
    }
}
