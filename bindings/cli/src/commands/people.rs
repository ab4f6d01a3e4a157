//! `oa people ...`: the core's operations on people.

use oa::org::{NewPerson, PeopleQuery, Person, PersonPatch, PersonStatus, Post};

use super::pages;
use crate::cli::{PeopleCmd, StatusArg};
use crate::credentials::{Ask, Credentials, ENV_NEW_PASSWORD};
use crate::failure::CliResult;
use crate::output::{self, Out};
use crate::session::Signed;

/// Runs `oa people ...`.
pub(crate) fn run(signed: &Signed, cmd: &PeopleCmd, credentials: &mut Credentials, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        PeopleCmd::List { dept, subtree, main_post_only, status, search, page } => {
            let query = PeopleQuery {
                dept: dept.as_deref().map(|d| signed.dept_id(d)).transpose()?,
                include_subtree: *subtree,
                main_post_only: *main_post_only,
                status: status.map(|s| match s {
                    StatusArg::Active => PersonStatus::Active,
                    StatusArg::Disabled => PersonStatus::Disabled,
                    StatusArg::Left => PersonStatus::Left,
                }),
                text: search.clone(),
            };
            let page = pages(page, |request| office.list_people(session, query.clone(), request))?;
            out.emit(&page, || people_table(signed, &page.items))?;
            out.more(page.next_cursor.as_deref());
            Ok(())
        }
        PeopleCmd::Show { person, id } => {
            let p = if *id {
                let id = oa::PersonId::parse("person", person)?;
                office.get_person(session, id)?
            } else {
                office.find_person_by_login(session, person)?
            };
            show(signed, &p, out)
        }
        PeopleCmd::Add { account, name, dept, email, phone, position, superior, set_password } => {
            let mut input = NewPerson::new(account, name, signed.dept_id(dept)?);
            input.email = email.clone();
            input.phone = phone.clone();
            input.position = position.clone();
            input.superior = superior.as_deref().map(|s| signed.person_id(s)).transpose()?;
            if *set_password {
                let prompt = format!("initial password for {account}: ");
                input.initial_password =
                    Some(credentials.password(Ask { env: ENV_NEW_PASSWORD, prompt: &prompt, confirm: true })?);
            }
            show(signed, &office.create_person(session, input)?, out)
        }
        PeopleCmd::Update { person, new_login, name, email, phone, position, superior, clear_superior } => {
            let id = signed.person_id(person)?;
            let patch = PersonPatch {
                login: new_login.clone(),
                name: name.clone(),
                email: email.clone(),
                phone: phone.clone(),
                position: position.clone(),
                superior: superior.as_deref().map(|s| signed.person_id(s)).transpose()?,
                clear_superior: *clear_superior,
            };
            show(signed, &office.update_person(session, id, patch)?, out)
        }
        PeopleCmd::Transfer { person, dept, position } => {
            let id = signed.person_id(person)?;
            show(signed, &office.transfer_person(session, id, signed.dept_id(dept)?, position.clone())?, out)
        }
        PeopleCmd::Disable { person } => show(signed, &office.disable_person(session, signed.person_id(person)?)?, out),
        PeopleCmd::Enable { person } => show(signed, &office.enable_person(session, signed.person_id(person)?)?, out),
        PeopleCmd::Left { person } => show(signed, &office.mark_person_left(session, signed.person_id(person)?)?, out),
        PeopleCmd::AddPost { person, dept, position } => {
            let post = Post { dept: signed.dept_id(dept)?, position: position.clone() };
            show(signed, &office.add_post(session, signed.person_id(person)?, post)?, out)
        }
        PeopleCmd::RemovePost { person, dept } => {
            show(signed, &office.remove_post(session, signed.person_id(person)?, signed.dept_id(dept)?)?, out)
        }
        PeopleCmd::ResetPassword { person } => {
            let id = signed.person_id(person)?;
            let prompt = format!("new password for {person}: ");
            let password = credentials.password(Ask { env: ENV_NEW_PASSWORD, prompt: &prompt, confirm: true })?;
            office.reset_password(session, id, &password)?;
            out.emit(&(), || format!("password of `{person}` reset: it must be changed at the next sign-in"))
        }
        PeopleCmd::Superiors { person } => {
            let chain = office.superiors_of(session, signed.person_id(person)?)?;
            out.emit(&chain, || people_table(signed, &chain))
        }
        PeopleCmd::HeadAbove { person, levels } => {
            match office.head_above(session, signed.person_id(person)?, *levels)? {
                Some(head) => show(signed, &head, out),
                None => out.emit(&None::<Person>, || format!("no head {levels} level(s) above `{person}`")),
            }
        }
    }
}

/// A person's status as a word.
fn status(p: &Person) -> String {
    output::word(&p.status)
}

/// People as a table.
pub(crate) fn people_table(signed: &Signed, people: &[Person]) -> String {
    let mut t = output::table(&["login", "name", "department", "position", "status", "email"]);
    for p in people {
        t.add_row(vec![
            p.login.clone(),
            p.name.clone(),
            signed.dept_label(p.dept),
            output::opt(&p.position),
            status(p),
            output::opt(&p.email),
        ]);
    }
    t.to_string()
}

/// One person, every field.
fn show(signed: &Signed, p: &Person, out: Out) -> CliResult<()> {
    out.emit(p, || {
        let posts = p
            .posts
            .iter()
            .map(|post| match &post.position {
                Some(pos) => format!("{} ({pos})", signed.dept_label(post.dept)),
                None => signed.dept_label(post.dept),
            })
            .collect::<Vec<_>>()
            .join("\n");
        output::record(vec![
            ("login", p.login.clone()),
            ("name", p.name.clone()),
            ("id", p.id.to_string()),
            ("department", signed.dept_label(p.dept)),
            ("position", output::opt(&p.position)),
            ("superior", p.superior.map(|s| signed.login_label(s)).unwrap_or_default()),
            ("part-time posts", posts),
            ("email", output::opt(&p.email)),
            ("phone", output::opt(&p.phone)),
            ("status", status(p)),
            ("created", output::instant(&p.created_at)),
            ("updated", output::instant(&p.updated_at)),
        ])
    })
}
