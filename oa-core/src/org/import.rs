//! Importing departments and people from CSV, all or nothing.
//!
//! Two files, each with a header line naming its columns (any order, case-insensitive, a UTF-8
//! byte-order mark is ignored, unknown columns are ignored; an empty file imports nothing):
//!
//! - `departments.csv`: `code`, `name`, `parent_code` (required columns), `sort_order`
//!   (optional). `parent_code` names a department of the same file (in any order) or one
//!   already in the office. Left empty it means: under the office's root department when the
//!   office has exactly one root; a new root when the office has none; an error when it has
//!   several. An empty `sort_order` places the department after its siblings, in file order.
//! - `people.csv`: `login`, `name`, `dept_code` (required columns), `email`, `phone`,
//!   `position`, `superior_login`, `password` (optional). `superior_login` names a person of
//!   the same file (earlier or later) or one already in the office. A `password` becomes an
//!   initial password (checked against the password policy with the other rows) to change at
//!   the first sign-in; a person without one gets no credential and cannot sign in until an
//!   administrator sets a password. Hashing with argon2id costs tens of milliseconds per
//!   person (each with its own salt), so large imports usually leave passwords out.
//!
//! Every row is checked before anything is written; every problem is reported at once as a
//! `validation` error with paths `file:line.column` (`people.csv:12.email`), the line number
//! as in the file (the header is line 1). The import is one transaction: lookups are by index,
//! never a scan per row.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use oa_storage::WriteTxn;

use super::model::{Department, DeptId, DeptStatus, ImportReport, Person, PersonId, PersonStatus};
use super::store;
use super::validate;
use crate::engine::{Change, Oa, PendingPassword, Session};
use crate::error::Problems;
use crate::id::Id;
use crate::{auth, perm, OaError, OaResult};

/// The name the departments file is reported under.
pub const DEPARTMENTS_FILE: &str = "departments.csv";
/// The name the people file is reported under.
pub const PEOPLE_FILE: &str = "people.csv";

/// One data row of a CSV file: its line and its cells by column.
struct Row {
    line: u64,
    /// The cells by column; a cell that is not valid UTF-8 holds its lossy decoding.
    cells: HashMap<&'static str, String>,
    /// The columns whose cell is not valid UTF-8 (already reported).
    invalid: HashSet<&'static str>,
}

impl Row {
    fn get(&self, col: &str) -> &str {
        self.cells.get(col).map(|s| s.trim()).unwrap_or("")
    }
}

/// Reports a problem with the cell `col` of `row`, unless that cell was already reported as
/// invalid UTF-8 (one problem per cell is enough).
fn report(problems: &mut Problems, file: &str, row: &Row, col: &str, reason: impl Into<String>) {
    if !row.invalid.contains(col) {
        problems.add(format!("{file}:{}.{col}", row.line), reason);
    }
}

/// Reads `bytes` as CSV with the given columns, reporting every problem into `problems`.
fn read_csv(
    file: &str,
    bytes: &[u8],
    required: &[&'static str],
    optional: &[&'static str],
    problems: &mut Problems,
) -> Vec<Row> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Vec::new();
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(bytes);
    let header = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.add(format!("{file}:1"), format!("unreadable header: {e}"));
            return Vec::new();
        }
    };
    // Which known column each position holds.
    let mut columns: Vec<Option<&'static str>> = Vec::with_capacity(header.len());
    let mut header_ok = true;
    for (i, raw) in header.iter().enumerate() {
        match std::str::from_utf8(raw) {
            Ok(name) => {
                let name = name.trim().to_lowercase();
                let known = required.iter().chain(optional).find(|c| **c == name).copied();
                if let Some(c) = known {
                    if columns.contains(&Some(c)) {
                        problems.add(format!("{file}:1.{c}"), "the column appears twice in the header");
                        header_ok = false;
                    }
                }
                columns.push(known);
            }
            Err(_) => {
                problems.add(format!("{file}:1"), format!("column {} of the header is not valid UTF-8", i + 1));
                columns.push(None);
                header_ok = false;
            }
        }
    }
    for c in required {
        if !columns.contains(&Some(*c)) {
            problems.add(format!("{file}:1.{c}"), format!("the header has no `{c}` column"));
            header_ok = false;
        }
    }
    if !header_ok {
        return Vec::new();
    }
    let mut rows = Vec::new();
    for record in reader.byte_records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                problems.add(format!("{file}:{line}"), format!("unreadable row: {e}"));
                break;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.len() > columns.len() {
            problems.add(
                format!("{file}:{line}"),
                format!("the row has {} fields, the header has {}", record.len(), columns.len()),
            );
            continue;
        }
        let mut cells = HashMap::new();
        let mut invalid = HashSet::new();
        for (raw, column) in record.iter().zip(&columns) {
            let Some(column) = column else { continue };
            if std::str::from_utf8(raw).is_err() {
                problems.add(format!("{file}:{line}.{column}"), "is not valid UTF-8");
                invalid.insert(*column);
            }
            cells.insert(*column, String::from_utf8_lossy(raw).into_owned());
        }
        rows.push(Row { line, cells, invalid });
    }
    rows
}

/// Where a department of the file goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Parent {
    /// A new root.
    Root,
    /// A department already in the office.
    Store(DeptId),
    /// The department of this row of the file.
    File(usize),
}

/// Where a person of the file works, or whom they report to.
#[derive(Debug, Clone, Copy)]
enum Ref<T> {
    Store(T),
    File(usize),
}

struct DeptRow {
    line: u64,
    code: String,
    name: String,
    parent: Parent,
    sort_order: Option<i64>,
}

struct PersonRow {
    line: u64,
    login: String,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    position: Option<String>,
    dept: Option<Ref<DeptId>>,
    superior: Option<Ref<PersonId>>,
    password: Option<String>,
}

/// Checks and writes an import in `tx`. `new_id` makes ids; `authorise` is asked about every
/// department of the office that the import writes under (`None`: a new root); `hash` hashes
/// the password of a line of the people file (a caller may cache it across retries).
pub(crate) fn import_tx(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    new_id: &mut dyn FnMut() -> Id,
    authorise: &mut dyn FnMut(Option<DeptId>) -> OaResult<()>,
    hash: &mut dyn FnMut(u64, &str) -> OaResult<String>,
    departments_csv: &[u8],
    people_csv: &[u8],
) -> OaResult<ImportReport> {
    let mut problems = Problems::new();
    let dept_rows =
        read_csv(DEPARTMENTS_FILE, departments_csv, &["code", "name", "parent_code"], &["sort_order"], &mut problems);
    let people_rows = read_csv(
        PEOPLE_FILE,
        people_csv,
        &["login", "name", "dept_code"],
        &["email", "phone", "position", "superior_login", "password"],
        &mut problems,
    );
    let depts = check_departments(tx, &dept_rows, authorise, &mut problems)?;
    let codes: HashMap<String, usize> = depts.iter().enumerate().map(|(i, d)| (d.code.to_lowercase(), i)).collect();
    let people = check_people(tx, &people_rows, &codes, authorise, &mut problems)?;
    std::mem::take(&mut problems).finish()?;

    // Departments, parents first.
    let order = parents_first(&depts);
    let dept_ids: Vec<DeptId> = depts.iter().map(|_| DeptId(new_id())).collect();
    let mut next_order: HashMap<Option<DeptId>, i64> = HashMap::new();
    for i in order {
        let d = &depts[i];
        let parent = match d.parent {
            Parent::Root => None,
            Parent::Store(p) => Some(p),
            Parent::File(j) => Some(dept_ids[j]),
        };
        let sort_order = match d.sort_order {
            Some(n) => n,
            None => {
                let next = match next_order.get(&parent) {
                    Some(n) => *n,
                    None => next_sort_order(tx, parent)?,
                };
                next_order.insert(parent, next.saturating_add(1));
                next
            }
        };
        let dept = Department {
            id: dept_ids[i],
            name: d.name.clone(),
            code: Some(d.code.clone()),
            parent,
            sort_order,
            head: None,
            status: DeptStatus::Active,
            created_at: now,
            updated_at: now,
        };
        store::insert_department(tx, &dept)?;
    }

    // People: ids first, so that superiors may come later in the file.
    let person_ids: Vec<PersonId> = people.iter().map(|_| PersonId(new_id())).collect();
    let mut passwords_set = 0u32;
    for (i, p) in people.iter().enumerate() {
        let person = Person {
            id: person_ids[i],
            login: p.login.clone(),
            name: p.name.clone(),
            email: p.email.clone(),
            phone: p.phone.clone(),
            dept: match p.dept {
                Some(Ref::Store(d)) => d,
                Some(Ref::File(j)) => dept_ids[j],
                None => return Err(OaError::Internal("an import row without a department passed the checks".into())),
            },
            position: p.position.clone(),
            superior: p.superior.map(|s| match s {
                Ref::Store(id) => id,
                Ref::File(j) => person_ids[j],
            }),
            posts: Vec::new(),
            status: PersonStatus::Active,
            created_at: now,
            updated_at: now,
        };
        store::insert_person(tx, &person)?;
        if let Some(pw) = &p.password {
            let hashed = hash(p.line, pw)?;
            auth::set_password_hash_raw(tx, person.id, hashed, true, now)?;
            passwords_set += 1;
        }
    }
    perm::bump_version(tx)?;
    Ok(ImportReport {
        departments_created: depts.len() as u32,
        people_created: people.len() as u32,
        passwords_set,
        without_password: people.len() as u32 - passwords_set,
    })
}

fn next_sort_order(tx: &mut dyn WriteTxn, parent: Option<DeptId>) -> OaResult<i64> {
    let mut max: Option<i64> = None;
    for id in store::child_ids(tx.as_read(), parent)? {
        if let Some(d) = store::load_department(tx.as_read(), id)? {
            max = Some(max.map_or(d.sort_order, |m| m.max(d.sort_order)));
        }
    }
    Ok(max.map_or(0, |m| m.saturating_add(1)))
}

/// The rows of the departments file in an order where each parent comes before its children
/// (the file has no cycle by then), keeping file order otherwise.
fn parents_first(depts: &[DeptRow]) -> Vec<usize> {
    let mut done = vec![false; depts.len()];
    let mut order = Vec::with_capacity(depts.len());
    for start in 0..depts.len() {
        // Climb to the highest ancestor not yet written, then write down the chain.
        let mut chain = Vec::new();
        let mut at = start;
        while !done[at] && !chain.contains(&at) {
            chain.push(at);
            match depts[at].parent {
                Parent::File(j) => at = j,
                _ => break,
            }
        }
        for i in chain.into_iter().rev() {
            if !done[i] {
                done[i] = true;
                order.push(i);
            }
        }
    }
    order
}

fn check_departments(
    tx: &mut dyn WriteTxn,
    rows: &[Row],
    authorise: &mut dyn FnMut(Option<DeptId>) -> OaResult<()>,
    problems: &mut Problems,
) -> OaResult<Vec<DeptRow>> {
    let file = DEPARTMENTS_FILE;
    // First pass: the codes of the file, so that a parent may come after its children.
    let mut codes: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        match validate::code(row.get("code")) {
            Ok(code) => {
                let key = code.to_lowercase();
                if let Some(first) = codes.get(&key) {
                    report(
                        problems,
                        file,
                        row,
                        "code",
                        format!("the code `{code}` is already used on line {}", rows[*first].line),
                    );
                } else {
                    if store::find_dept_id_by_code(tx.as_read(), &code)?.is_some() {
                        report(problems, file, row, "code", format!("the code `{code}` is already used in the office"));
                    }
                    codes.insert(key, i);
                }
            }
            Err(r) => report(problems, file, row, "code", r),
        }
    }
    let roots = store::child_ids(tx.as_read(), None)?;
    let mut out = Vec::with_capacity(rows.len());
    let mut authorised: HashSet<Option<DeptId>> = HashSet::new();
    for row in rows {
        let name =
            validate::name(row.get("name")).map_err(|r| report(problems, file, row, "name", r)).unwrap_or_default();
        let parent_code = row.get("parent_code");
        let parent = if parent_code.is_empty() {
            match roots.as_slice() {
                [] => Parent::Root,
                [root] => Parent::Store(*root),
                many => {
                    report(
                        problems,
                        file,
                        row,
                        "parent_code",
                        format!("required: the office has {} root departments", many.len()),
                    );
                    Parent::Root
                }
            }
        } else if let Some(j) = codes.get(&parent_code.to_lowercase()) {
            Parent::File(*j)
        } else {
            match store::find_dept_id_by_code(tx.as_read(), parent_code)? {
                Some(id) => {
                    if store::department(tx.as_read(), id)?.status != DeptStatus::Active {
                        report(
                            problems,
                            file,
                            row,
                            "parent_code",
                            format!("the department `{parent_code}` is disabled"),
                        );
                    }
                    Parent::Store(id)
                }
                None => {
                    report(problems, file, row, "parent_code", format!("unknown department code `{parent_code}`"));
                    Parent::Root
                }
            }
        };
        let sort_order = match row.get("sort_order") {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    report(problems, file, row, "sort_order", format!("`{s}` is not a whole number"));
                    None
                }
            },
        };
        let store_parent = match parent {
            Parent::Root => Some(None),
            Parent::Store(p) => Some(Some(p)),
            Parent::File(_) => None,
        };
        if let Some(p) = store_parent {
            if authorised.insert(p) {
                authorise(p)?;
            }
            if !name.is_empty() && store::find_sibling_by_name(tx.as_read(), p, &name)?.is_some() {
                report(problems, file, row, "name", format!("a department named `{name}` already exists there"));
            }
        }
        out.push(DeptRow { line: row.line, code: row.get("code").to_string(), name, parent, sort_order });
    }
    // Cycles among the file's own parents.
    for (i, d) in out.iter().enumerate() {
        let mut at = d.parent;
        let mut steps = 0;
        while let Parent::File(j) = at {
            if j == i {
                problems.add(
                    format!("{file}:{}.parent_code", d.line),
                    "the parents form a cycle (a department would lie inside itself)",
                );
                break;
            }
            steps += 1;
            if steps > out.len() {
                break;
            }
            at = out[j].parent;
        }
    }
    // Sibling names within the file.
    let mut siblings: HashMap<(Parent, String), u64> = HashMap::new();
    for d in &out {
        if d.name.is_empty() {
            continue;
        }
        if let Some(first) = siblings.insert((d.parent, d.name.to_lowercase()), d.line) {
            problems.add(
                format!("{file}:{}.name", d.line),
                format!("a department named `{}` is already on line {first} under the same parent", d.name),
            );
        }
    }
    Ok(out)
}

fn check_people(
    tx: &mut dyn WriteTxn,
    rows: &[Row],
    codes: &HashMap<String, usize>,
    authorise: &mut dyn FnMut(Option<DeptId>) -> OaResult<()>,
    problems: &mut Problems,
) -> OaResult<Vec<PersonRow>> {
    let file = PEOPLE_FILE;
    let mut logins: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        match validate::login(row.get("login")) {
            Ok(login) => {
                let key = login.to_lowercase();
                if let Some(first) = logins.get(&key) {
                    report(
                        problems,
                        file,
                        row,
                        "login",
                        format!("the login `{login}` is already used on line {}", rows[*first].line),
                    );
                } else {
                    if store::find_person_id_by_login(tx.as_read(), &login)?.is_some() {
                        report(problems, file, row, "login", format!("the login `{login}` is already taken"));
                    }
                    logins.insert(key, i);
                }
            }
            Err(r) => report(problems, file, row, "login", r),
        }
    }
    let policy = crate::admin::params::load(tx.as_read())?.password_policy;
    let mut store_depts: HashMap<String, Option<DeptId>> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let name =
            validate::name(row.get("name")).map_err(|r| report(problems, file, row, "name", r)).unwrap_or_default();
        let email = validate::optional(Some(row.get("email")), validate::email)
            .map_err(|r| report(problems, file, row, "email", r))
            .ok()
            .flatten();
        let phone = validate::optional(Some(row.get("phone")), validate::phone)
            .map_err(|r| report(problems, file, row, "phone", r))
            .ok()
            .flatten();
        let position = validate::position(row.get("position"))
            .map_err(|r| report(problems, file, row, "position", r))
            .ok()
            .flatten();
        let code = row.get("dept_code");
        let dept = if code.is_empty() {
            report(problems, file, row, "dept_code", "must not be empty");
            None
        } else if let Some(j) = codes.get(&code.to_lowercase()) {
            Some(Ref::File(*j))
        } else {
            let key = code.to_lowercase();
            let found = match store_depts.get(&key) {
                Some(found) => *found,
                None => {
                    let found = match store::find_dept_id_by_code(tx.as_read(), code)? {
                        Some(id) if store::department(tx.as_read(), id)?.status == DeptStatus::Active => {
                            authorise(Some(id))?;
                            Some(id)
                        }
                        _ => None,
                    };
                    store_depts.insert(key, found);
                    found
                }
            };
            match found {
                Some(id) => Some(Ref::Store(id)),
                None => {
                    match store::find_dept_id_by_code(tx.as_read(), code)? {
                        Some(_) => {
                            report(problems, file, row, "dept_code", format!("the department `{code}` is disabled"))
                        }
                        None => report(problems, file, row, "dept_code", format!("unknown department code `{code}`")),
                    }
                    None
                }
            }
        };
        let sup_login = row.get("superior_login");
        let superior = if sup_login.is_empty() {
            None
        } else if let Some(j) = logins.get(&sup_login.to_lowercase()) {
            if *j == i {
                report(problems, file, row, "superior_login", "a person cannot be their own superior");
                None
            } else {
                Some(Ref::File(*j))
            }
        } else {
            match store::find_person_id_by_login(tx.as_read(), sup_login)? {
                Some(id) => {
                    if store::person(tx.as_read(), id)?.status == PersonStatus::Left {
                        report(problems, file, row, "superior_login", format!("`{sup_login}` has left"));
                    }
                    Some(Ref::Store(id))
                }
                None => {
                    report(problems, file, row, "superior_login", format!("unknown login `{sup_login}`"));
                    None
                }
            }
        };
        // Passwords are taken as written (not trimmed): spaces may be part of one.
        let password = row.cells.get("password").filter(|p| !p.is_empty()).cloned();
        if let Some(pw) = password.as_ref().filter(|_| !row.invalid.contains("password")) {
            let path = format!("{file}:{}.password", row.line);
            if let Err(e) = auth::check_password_policy(policy, pw, &path) {
                problems.absorb("", e)?;
            }
        }
        out.push(PersonRow {
            line: row.line,
            login: row.get("login").to_string(),
            name,
            email,
            phone,
            position,
            dept,
            superior,
            password,
        });
    }
    // Cycles of superiors within the file.
    for (i, p) in out.iter().enumerate() {
        let mut at = p.superior;
        let mut steps = 0;
        while let Some(Ref::File(j)) = at {
            if j == i {
                problems.add(format!("{file}:{}.superior_login", p.line), "the superiors form a cycle");
                break;
            }
            steps += 1;
            if steps > out.len() {
                break;
            }
            at = out[j].superior;
        }
    }
    Ok(out)
}

impl Oa {
    /// Imports departments and people from two CSV files (see the module documentation of
    /// `org::import` for the columns), all or nothing. Every bad row is reported at once as a
    /// `validation` error with paths such as `people.csv:12.email`. People without a password
    /// get no credential and cannot sign in until an administrator sets one. Needs `org.import`
    /// on every department of the office the import writes under.
    pub fn import_org_csv(
        &self,
        session: &Session,
        departments_csv: &[u8],
        people_csv: &[u8],
    ) -> OaResult<ImportReport> {
        let mut hashes: HashMap<u64, (String, String)> = HashMap::new();
        self.mutate(session, "org.import", PendingPassword::Refuse, |cx| {
            cx.require("org.import")?;
            let principal = cx.actor.principal.clone();
            let ids = &cx.oa.ids;
            let now = cx.now;
            let mut new_id = || ids.next(now);
            let mut authorise = |dept: Option<DeptId>| match dept {
                Some(d) => principal.require_on("org.import", Some(d), None),
                None => principal.require_on("org.import", None, None),
            };
            // Hashes survive a retry of the transaction: argon2id is slow by design.
            let mut hash = |line: u64, pw: &str| -> OaResult<String> {
                if let Some((known, hashed)) = hashes.get(&line) {
                    if known == pw {
                        return Ok(hashed.clone());
                    }
                }
                let hashed = auth::hash_password(pw)?;
                hashes.insert(line, (pw.to_string(), hashed.clone()));
                Ok(hashed)
            };
            let report = import_tx(cx.tx, now, &mut new_id, &mut authorise, &mut hash, departments_csv, people_csv)?;
            let summary = format!(
                "imported {} departments and {} people ({} with an initial password)",
                report.departments_created, report.people_created, report.passwords_set
            );
            Ok((report, Change::new("org", summary)))
        })
    }
}
