//! `oa dept ...`: the core's operations on departments.

use std::collections::{HashMap, HashSet};

use oa::org::{Department, DeptStatus, NewDepartment};
use oa::DeptId;

use crate::cli::DeptCmd;
use crate::failure::CliResult;
use crate::output::{self, Out};
use crate::session::Signed;

/// Runs `oa dept ...`.
pub(crate) fn run(signed: &Signed, cmd: &DeptCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        DeptCmd::Tree { root } => {
            let depts = match root {
                Some(r) => office.department_subtree(session, signed.dept_id(r)?)?,
                None => office.list_departments(session)?,
            };
            out.emit(&depts, || tree(&depts))
        }
        DeptCmd::List => {
            let depts = office.list_departments(session)?;
            out.emit(&depts, || table(signed, &depts))
        }
        DeptCmd::Children { dept } => {
            let depts = office.department_children(session, signed.dept_id(dept)?)?;
            out.emit(&depts, || table(signed, &depts))
        }
        DeptCmd::Show { dept } => show(signed, &office.get_department(session, signed.dept_id(dept)?)?, out),
        DeptCmd::Add { name, parent, code, sort_order, head } => {
            let input = NewDepartment {
                name: name.clone(),
                code: code.clone(),
                parent: parent.as_deref().map(|p| signed.dept_id(p)).transpose()?,
                sort_order: *sort_order,
                head: head.as_deref().map(|h| signed.person_id(h)).transpose()?,
            };
            show(signed, &office.create_department(session, input)?, out)
        }
        DeptCmd::Rename { dept, name } => {
            show(signed, &office.rename_department(session, signed.dept_id(dept)?, name)?, out)
        }
        DeptCmd::Move { dept, parent, root: _, sort_order } => {
            let id = signed.dept_id(dept)?;
            let parent = parent.as_deref().map(|p| signed.dept_id(p)).transpose()?;
            show(signed, &office.move_department(session, id, parent, *sort_order)?, out)
        }
        DeptCmd::Reorder { dept, sort_order } => {
            show(signed, &office.reorder_department(session, signed.dept_id(dept)?, *sort_order)?, out)
        }
        DeptCmd::Head { dept, head, clear: _ } => {
            let head = head.as_deref().map(|l| signed.person_id(l)).transpose()?;
            show(signed, &office.set_department_head(session, signed.dept_id(dept)?, head)?, out)
        }
        DeptCmd::Disable { dept } => show(signed, &office.disable_department(session, signed.dept_id(dept)?)?, out),
        DeptCmd::Enable { dept } => show(signed, &office.enable_department(session, signed.dept_id(dept)?)?, out),
    }
}

fn label(d: &Department) -> String {
    let mut s = d.name.clone();
    if let Some(code) = &d.code {
        s.push_str(&format!(" [{code}]"));
    }
    if d.status == DeptStatus::Disabled {
        s.push_str(" (disabled)");
    }
    s
}

/// Departments in tree order drawn as a tree; a department whose parent is not in the list
/// starts a tree of its own.
fn tree(depts: &[Department]) -> String {
    let present: HashSet<DeptId> = depts.iter().map(|d| d.id).collect();
    let mut children: HashMap<DeptId, Vec<&Department>> = HashMap::new();
    let mut roots = Vec::new();
    for d in depts {
        match d.parent.filter(|p| present.contains(p)) {
            Some(p) => children.entry(p).or_default().push(d),
            None => roots.push(d),
        }
    }
    fn draw(
        d: &Department,
        prefix: &str,
        last: bool,
        top: bool,
        children: &HashMap<DeptId, Vec<&Department>>,
        out: &mut String,
    ) {
        let (branch, next) = match (top, last) {
            (true, _) => ("", String::new()),
            (false, true) => ("└── ", format!("{prefix}    ")),
            (false, false) => ("├── ", format!("{prefix}│   ")),
        };
        out.push_str(&format!("{prefix}{branch}{}  {}\n", label(d), d.id));
        let kids = children.get(&d.id).map(Vec::as_slice).unwrap_or_default();
        for (i, k) in kids.iter().enumerate() {
            draw(k, &next, i + 1 == kids.len(), false, children, out);
        }
    }
    let mut out = String::new();
    for r in roots {
        draw(r, "", true, true, &children, &mut out);
    }
    out
}

fn table(signed: &Signed, depts: &[Department]) -> String {
    let mut t = output::table(&["id", "name", "code", "parent", "order", "head", "status"]);
    for d in depts {
        t.add_row(vec![
            d.id.to_string(),
            d.name.clone(),
            output::opt(&d.code),
            d.parent.map(|p| signed.dept_label(p)).unwrap_or_default(),
            d.sort_order.to_string(),
            d.head.map(|h| signed.login_label(h)).unwrap_or_default(),
            output::word(&d.status),
        ]);
    }
    t.to_string()
}

fn show(signed: &Signed, d: &Department, out: Out) -> CliResult<()> {
    out.emit(d, || {
        output::record(vec![
            ("name", d.name.clone()),
            ("id", d.id.to_string()),
            ("code", output::opt(&d.code)),
            ("parent", d.parent.map(|p| signed.dept_label(p)).unwrap_or_default()),
            ("sort order", d.sort_order.to_string()),
            ("head", d.head.map(|h| signed.login_label(h)).unwrap_or_default()),
            ("status", output::word(&d.status)),
            ("created", output::instant(&d.created_at)),
            ("updated", output::instant(&d.updated_at)),
        ])
    })
}
