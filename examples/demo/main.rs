//! The main job of oa, end to end: open an office in a local folder on sled, build a realistic
//! organisation of a few hundred people from CSV, sign people in and show what each role may do
//! and see, then a working day: official documents through review, countersign, sign-off with
//! a document number and distribution; leave requests through one or two levels of approval;
//! a standing delegation while the head of HR is away; todo lists printed along the way;
//! process monitoring; the audit chain checked at the end.
//!
//! ```text
//! cargo run --release --example demo -- [FOLDER]      # FOLDER defaults to ./demo-office
//! ```
//!
//! The folder is created anew on each run (an existing oa office there is replaced; any other
//! non-empty folder is refused).

mod documents;
mod monitoring;

use std::path::{Path, PathBuf};
use std::time::Instant;

use oa::{
    AuditQuery, DataScope, InitOffice, NewGrant, NewRole, Oa, OaError, PageRequest, PeopleQuery, Person, Session,
    SledStore, SystemClock,
};

const ADMIN_PASSWORD: &str = "demo-admin-passphrase";

fn main() {
    if let Err(e) = run() {
        eprintln!("error[{}]: {e}", e.code());
        for f in e.field_errors() {
            eprintln!("  {}: {}", f.path, f.reason);
        }
        std::process::exit(1);
    }
}

fn run() -> Result<(), OaError> {
    let folder = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("demo-office"));
    prepare_folder(&folder)?;
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");

    heading(&format!("Opening a new office in `{}` (sled)", folder.display()));
    let store = SledStore::open(&folder)?;
    let office = Oa::init(
        store,
        SystemClock,
        InitOffice::new("Acme Holdings 艾克米集团", "admin", "System Administrator", ADMIN_PASSWORD),
    )?;
    let admin = office.sign_in("admin", ADMIN_PASSWORD)?;
    println!("initialised; the administrator is signed in");

    heading("Importing the organisation from CSV");
    let started = Instant::now();
    let depts_csv = read(&data.join("departments.csv"))?;
    let people_csv = read(&data.join("people.csv"))?;
    let report = office.import_org_csv(&admin, &depts_csv, &people_csv)?;
    println!(
        "{} departments and {} people imported in {:.0?} (every row validated first, one transaction)",
        report.departments_created,
        report.people_created,
        started.elapsed()
    );
    appoint_heads(&office, &admin)?;
    print_tree(&office, &admin)?;

    heading("Roles and grants");
    let person = |login: &str| office.find_person_by_login(&admin, login);
    let dept_of = |code: &str| -> Result<oa::Department, OaError> {
        office
            .list_departments(&admin)?
            .into_iter()
            .find(|d| d.code.as_deref() == Some(code))
            .ok_or_else(|| OaError::not_found("department", code))
    };
    let role = |code: &str, name: &str, permissions: &[&str], scope: DataScope| NewRole {
        code: code.into(),
        name: name.into(),
        description: String::new(),
        permissions: permissions.iter().map(|p| p.to_string()).collect(),
        inherits: vec![],
        data_scope: scope,
    };
    office
        .create_role(&admin, role("staff", "Staff 员工", &["org.dept.read", "org.person.read"], DataScope::OwnDept))?;
    office.create_role(
        &admin,
        NewRole {
            inherits: vec!["staff".into()],
            ..role("manager", "Department manager 部门经理", &["org.person.update"], DataScope::OwnDeptAndBelow)
        },
    )?;
    office.create_role(
        &admin,
        role(
            "hr",
            "Human resources 人事",
            &[
                "org.dept.read",
                "org.person.read",
                "org.person.create",
                "org.person.update",
                "org.person.transfer",
                "org.person.disable",
            ],
            DataScope::All,
        ),
    )?;
    office.create_role(
        &admin,
        role(
            "regional_director",
            "Regional director 区域总监",
            &["org.person.read", "org.person.update"],
            DataScope::All,
        ),
    )?;

    let sales = dept_of("SALES")?;
    let sales_east = dept_of("SALES-E")?;
    let hr = dept_of("HR")?;
    let rd_plat = dept_of("RD-PLAT")?;
    let mut cast: Vec<(String, &str)> = Vec::new();
    // The head of HR, a head of a sales region, a platform engineer and the sales director.
    let hr_head = head_of(&office, &admin, &hr)?;
    let east_head = head_of(&office, &admin, &sales_east)?;
    let engineer = first_member(&office, &admin, &rd_plat, Some(&head_of(&office, &admin, &rd_plat)?))?;
    let director = head_of(&office, &admin, &sales)?;
    for (p, roles, limit) in [
        (&hr_head, vec!["staff", "hr"], None),
        (&east_head, vec!["manager"], None),
        (&engineer, vec!["staff"], None),
        // The director may update people of Sales and below only: a grant limited to a subtree.
        (&director, vec!["staff", "regional_director"], Some(sales.id)),
    ] {
        for r in roles {
            let limit_to_dept = if r == "regional_director" { limit } else { None };
            office.grant_role(&admin, NewGrant { person: p.id, role: r.into(), limit_to_dept })?;
        }
        cast.push((p.login.clone(), if limit.is_some() { "director of Sales (grant limited to Sales)" } else { "" }));
    }
    println!("roles: staff (own department), manager (own department and below), hr (all), regional_director");
    for (login, note) in &cast {
        let p = person(login)?;
        let grants = office.list_grants(&admin, Some(p.id))?;
        let roles: Vec<String> = grants.iter().map(|g| g.role.clone()).collect();
        println!("  {:<8} {:<10} {:<24} {}", p.login, p.name, roles.join(", "), note);
    }

    heading("Signing people in");
    let mut sessions: Vec<(Person, Session)> = Vec::new();
    for (login, _) in &cast {
        let p = person(login)?;
        let first = format!("first-{login}-password");
        office.reset_password(&admin, p.id, &first)?;
        let s = office.sign_in(login, &first)?;
        let blocked = office.list_people(&s, PeopleQuery::default(), PageRequest::first(1));
        assert!(matches!(blocked, Err(OaError::PasswordChangeRequired)));
        let own = format!("{login}'s own passphrase");
        office.change_password(&s, &first, &own)?;
        let s = office.sign_in(login, &own)?;
        println!("  {login}: reset by the administrator, had to change the password first, signed in again");
        sessions.push((p, s));
    }

    heading("What each may see and do");
    let some_engineer = first_member(&office, &admin, &rd_plat, Some(&engineer))?;
    let some_seller = first_member(&office, &admin, &dept_of("SALES-E-SH")?, None)?;
    for (p, s) in &sessions {
        let visible = count_visible(&office, s)?;
        let may = |perm: &str, target: &Person| office.check_permission(s, perm, Some(target.dept), Some(target.id));
        println!(
            "  {:<8} sees {:>3} people | may update {} (R&D): {:<5} | may update {} (Shanghai sales): {:<5} | may create people: {}",
            p.login,
            visible,
            some_engineer.login,
            may("org.person.update", &some_engineer)?,
            some_seller.login,
            may("org.person.update", &some_seller)?,
            office.check_permission(s, "org.person.create", None, None)?,
        );
    }

    heading("Denied attempts are refused and audited");
    let (engineer_p, engineer_s) = &sessions[2];
    match office.create_person(engineer_s, oa::NewPerson::new("intruder", "Intruder", engineer_p.dept)) {
        Err(e) => println!("  {} tried to create a person: error[{}] {e}", engineer_p.login, e.code()),
        Ok(_) => println!("  unexpected: the engineer created a person"),
    }
    for _ in 0..5 {
        let _ = office.sign_in("nobody-by-this-name", "guess");
    }
    match office.sign_in("nobody-by-this-name", "guess") {
        Err(e) => {
            println!("  six wrong sign-ins later: error[{}] {e} (the same whether or not the login exists)", e.code())
        }
        Ok(_) => println!("  unexpected: signed in"),
    }

    heading("A working morning: official documents (公文) through review, countersign and sign-off");
    let legal_head = head_of(&office, &admin, &dept_of("LEGAL")?)?;
    let office_head = head_of(&office, &admin, &dept_of("HQ-OFFICE")?)?;
    let platform_head = head_of(&office, &admin, &rd_plat)?;
    let hr_session = sessions.iter().find(|(p, _)| p.id == hr_head.id).map(|(_, s)| s.clone());
    let cast = documents::Cast {
        drafter: &sessions[2],
        reviewer: signed_in(&office, &admin, platform_head)?,
        countersigners: vec![
            (hr_head.clone(), hr_session.ok_or_else(|| OaError::not_found("session", &hr_head.login))?),
            signed_in(&office, &admin, legal_head)?,
        ],
        signer: signed_in(&office, &admin, office_head)?,
        recipients: vec![&sessions[1], &sessions[3]],
    };
    documents::publish(&office, &admin, &cast)?;
    documents::run(&office, &admin, &cast)?;

    heading("Leave requests through one or two levels of approval");
    let approvers = [cast.reviewer.clone(), cast.countersigners[1].clone(), cast.signer.clone()];
    leave_requests(&office, &admin, &sessions, &approvers, &hr_head)?;

    heading("Process monitoring (过程监控)");
    monitoring::report(&office, &admin, &sessions[2])?;

    heading("The audit log");
    let page = office.list_audit(&admin, AuditQuery::default(), PageRequest::first(6))?;
    for r in &page.items {
        println!(
            "  #{:<4} {} {:<18} {:<24} {:?} {}",
            r.seq,
            r.at.format("%H:%M:%S"),
            r.actor_login.as_deref().unwrap_or("-"),
            r.operation,
            r.outcome,
            r.summary
        );
    }
    let chain = office.verify_audit_chain(&admin)?;
    println!("  hash chain: {} records checked, intact: {}", chain.checked, chain.is_intact());
    println!("\nThe office is kept in `{}`; run the demo again to start afresh.", folder.display());
    Ok(())
}

/// Publishes a leave form and its process, then lets two people ask for leave: the head of
/// their department approves, and a leave of more than three days also goes to HR.
fn leave_requests(
    office: &Oa,
    admin: &Session,
    sessions: &[(Person, Session)],
    other_approvers: &[(Person, Session)],
    hr_head: &Person,
) -> Result<(), OaError> {
    use oa::workflow::runtime::{StartProcess, TaskQuery};
    let bad_json = |e: serde_json::Error| OaError::Internal(e.to_string());
    let form: oa::NewForm = serde_json::from_value(serde_json::json!({
        "key": "leave", "name": "请假 Leave",
        "fields": [
            {"key": "days", "label": "天数 Days", "type": "number", "required": true, "min": "0.5", "max": "30"},
            {"key": "reason", "label": "事由 Reason", "type": "long_text", "required": true}
        ]
    }))
    .map_err(bad_json)?;
    office.define_form(admin, form)?;
    office.create_role(
        admin,
        NewRole {
            code: "leave_hr".into(),
            name: "Leave desk 考勤".into(),
            description: String::new(),
            permissions: vec![],
            inherits: vec![],
            data_scope: DataScope::All,
        },
    )?;
    office.grant_role(admin, NewGrant { person: hr_head.id, role: "leave_hr".into(), limit_to_dept: None })?;
    let process = serde_json::json!({
        "key": "leave", "name": "请假审批 Leave approval", "formKey": "leave",
        "process": {"nodeId": "start", "type": "start", "childNode": {
            "nodeId": "head", "type": "approval", "name": "部门负责人 Head of department",
            "props": {"approvers": {"strategy": "dept_head"}, "method": "single",
                      "when_empty": {"action": "assign_person", "person": "admin"}},
            "childNode": {"nodeId": "length", "type": "route", "conditionNodes": [
                {"nodeId": "long", "condition": "days > 3", "childNode": {
                    "nodeId": "hr", "type": "approval", "name": "人事 HR",
                    "props": {"approvers": {"strategy": "role", "role": "leave_hr"}, "method": "any"}}},
                {"nodeId": "short", "default": true}
            ]}
        }}
    });
    let published = office.publish_process_json(admin, &process.to_string())?;
    println!("published `{}` version {}", published.name, published.version);
    for (p, _) in sessions {
        office.create_role(
            admin,
            NewRole {
                code: format!("leave_{}", p.login),
                name: format!("May ask for leave ({})", p.login),
                description: String::new(),
                permissions: vec!["workflow.instance.start".into()],
                inherits: vec![],
                data_scope: DataScope::SelfOnly,
            },
        )?;
        office.grant_role(admin, NewGrant { person: p.id, role: format!("leave_{}", p.login), limit_to_dept: None })?;
    }
    // The head of HR is away this week: her leave approvals go to the head of Legal (委托).
    let hr_session = &sessions
        .iter()
        .find(|(p, _)| p.id == hr_head.id)
        .ok_or_else(|| OaError::not_found("session", &hr_head.login))?
        .1;
    let stand_in = &other_approvers[1].0;
    let today = chrono::Utc::now().date_naive();
    let away = office.create_delegation(
        hr_session,
        oa::workflow::runtime::NewDelegation {
            owner: None,
            delegate: stand_in.id,
            process_key: Some("leave".into()),
            first_day: today,
            last_day: today + chrono::Days::new(4),
            reason: "出差 on a business trip".into(),
        },
    )?;
    println!("  {} is away until {}: leave approvals go to {} meanwhile", hr_head.login, away.last_day, stand_in.login);
    let requests = [(&sessions[2], "2"), (&sessions[1], "5")];
    for ((p, s), days) in requests {
        let start = StartProcess {
            process_key: "leave".into(),
            version: None,
            title: format!("{} asks for {days} days", p.login),
            data: serde_json::json!({"days": days, "reason": "family matters 家事"}),
            business_key: None,
        };
        let inst = office.start_process(s, start)?;
        println!("  {} started `{}`", p.login, inst.title);
    }
    // Everyone with something to do approves it, until nothing is left.
    let everyone: Vec<(String, Session)> = sessions
        .iter()
        .chain(other_approvers)
        .map(|(p, s)| (p.login.clone(), s.clone()))
        .chain(std::iter::once(("admin".to_string(), admin.clone())))
        .collect();
    loop {
        let mut acted = false;
        for (login, s) in &everyone {
            let todo = office.todo(s, TaskQuery::default(), PageRequest::first(20))?;
            if !todo.items.is_empty() {
                let titles: Vec<String> = todo
                    .items
                    .iter()
                    .map(|t| match t.on_behalf_of {
                        Some(owner) => {
                            office.get_person(admin, owner).map(|o| format!("{} (for {})", t.title, o.login))
                        }
                        None => Ok(t.title.clone()),
                    })
                    .collect::<Result<_, _>>()?;
                println!("  {login}'s todo list: {titles:?}");
            }
            for task in todo.items {
                office.approve(s, task.id, "同意 approved", None)?;
                acted = true;
            }
        }
        if !acted {
            break;
        }
    }
    for ((p, s), _) in requests {
        let leave_only = TaskQuery { process: Some("leave".into()), ..TaskQuery::default() };
        for inst in office.started_by_me(s, leave_only, PageRequest::first(5))?.items {
            let detail = office.instance(s, inst.id)?;
            let waiting: Vec<String> = detail
                .tasks
                .iter()
                .filter(|t| t.status == oa::workflow::runtime::TaskStatus::Pending)
                .map(|t| {
                    office.get_person(admin, t.assignee).map(|a| format!("{} ({}, {})", a.name, a.login, t.node_name))
                })
                .collect::<Result<_, _>>()?;
            let note = if waiting.is_empty() { String::new() } else { format!(", waiting for {}", waiting.join(", ")) };
            println!("  {}: `{}` is {:?} after {} steps{note}", p.login, inst.title, inst.status, detail.history.len());
        }
    }
    Ok(())
}

/// Signs `person` in with a password the administrator sets and the person then changes, as a
/// new colleague's first day goes.
fn signed_in(office: &Oa, admin: &Session, person: Person) -> Result<(Person, Session), OaError> {
    let first = format!("first-{}-password", person.login);
    office.reset_password(admin, person.id, &first)?;
    let s = office.sign_in(&person.login, &first)?;
    let own = format!("{}'s own passphrase", person.login);
    office.change_password(&s, &first, &own)?;
    let s = office.sign_in(&person.login, &own)?;
    Ok((person, s))
}

fn heading(text: &str) {
    println!("\n== {text}");
}

fn read(path: &Path) -> Result<Vec<u8>, OaError> {
    std::fs::read(path).map_err(|e| OaError::invalid("file", format!("cannot read `{}`: {e}", path.display())))
}

/// Empties `folder` when it holds an earlier demo office; refuses any other non-empty folder.
fn prepare_folder(folder: &Path) -> Result<(), OaError> {
    if folder.exists() {
        let holds_office =
            SledStore::open(folder).map_err(OaError::from).and_then(|s| Oa::open(s, SystemClock)).is_ok();
        if !holds_office && std::fs::read_dir(folder).map(|mut d| d.next().is_some()).unwrap_or(true) {
            return Err(OaError::invalid(
                "folder",
                format!("`{}` is not empty and holds no office; choose another folder", folder.display()),
            ));
        }
        std::fs::remove_dir_all(folder).map_err(|e| OaError::Storage(e.to_string()))?;
    }
    Ok(())
}

/// Makes the person whose position says `负责人 Head` the head of their department (the CSV
/// names positions, not heads).
fn appoint_heads(office: &Oa, admin: &Session) -> Result<(), OaError> {
    let mut page = PageRequest::first(500);
    let mut appointed = 0;
    loop {
        let people = office.list_people(admin, PeopleQuery::default(), page.clone())?;
        for p in &people.items {
            if p.position.as_deref().is_some_and(|pos| pos.starts_with("负责人")) {
                office.set_department_head(admin, p.dept, Some(p.id))?;
                appointed += 1;
            }
        }
        match people.next_cursor {
            Some(c) => page = PageRequest::after(c, 500),
            None => break,
        }
    }
    println!("{appointed} heads of department appointed from the positions in the CSV");
    Ok(())
}

fn print_tree(office: &Oa, admin: &Session) -> Result<(), OaError> {
    let depts = office.list_departments(admin)?;
    let tree = oa::org::OrgTree::build(&depts);
    for d in &depts {
        let depth = tree.depth(d.id).unwrap_or(0) as usize;
        let members = office
            .list_people(
                admin,
                PeopleQuery { dept: Some(d.id), main_post_only: true, ..PeopleQuery::default() },
                PageRequest::first(1000),
            )?
            .items
            .len();
        println!("  {}{} ({members})", "  ".repeat(depth), d.name);
    }
    Ok(())
}

fn head_of(office: &Oa, admin: &Session, dept: &oa::Department) -> Result<Person, OaError> {
    // The CSV lists each department's head first; the head is whoever the department names, or
    // failing that its first member.
    match dept.head {
        Some(id) => office.get_person(admin, id),
        None => first_member(office, admin, dept, None),
    }
}

fn first_member(
    office: &Oa,
    admin: &Session,
    dept: &oa::Department,
    except: Option<&Person>,
) -> Result<Person, OaError> {
    let page = office.list_people(
        admin,
        PeopleQuery { dept: Some(dept.id), main_post_only: true, ..PeopleQuery::default() },
        PageRequest::first(10),
    )?;
    page.items
        .into_iter()
        .find(|p| Some(p.id) != except.map(|e| e.id))
        .ok_or_else(|| OaError::not_found("person in department", &dept.name))
}

fn count_visible(office: &Oa, session: &Session) -> Result<usize, OaError> {
    let mut count = 0;
    let mut page = PageRequest::first(200);
    loop {
        let p = office.list_people(session, PeopleQuery::default(), page.clone())?;
        count += p.items.len();
        match p.next_cursor {
            Some(c) => page = PageRequest::after(c, 200),
            None => return Ok(count),
        }
    }
}
