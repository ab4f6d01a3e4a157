//! Fixtures shared by the unit tests of the domain modules.

#![allow(clippy::unwrap_used)] // a fixture that fails should stop the test right there

use oa_storage::MemoryStore;

use crate::org::NewPerson;
use crate::{InitOffice, ManualClock, Oa, Session};

/// The first administrator's password in [`office`].
pub(crate) const ADMIN_PW: &str = "correct horse battery";

/// A new office on the memory store with a clock standing on a Monday morning, and its first
/// administrator (`admin`) signed in.
pub(crate) fn office() -> (Oa, Session) {
    let oa = Oa::init(
        MemoryStore::new(),
        ManualClock::monday_morning(),
        InitOffice::new("宏远科技", "admin", "管理员", ADMIN_PW),
    )
    .unwrap();
    let admin = oa.sign_in("admin", ADMIN_PW).unwrap();
    (oa, admin)
}

/// A person with no role, `clerk` (办事员), in the root department, signed in after changing
/// the initial password the administrator gave.
pub(crate) fn clerk(oa: &Oa, admin: &Session) -> Session {
    let root = oa.list_departments(admin).unwrap()[0].id;
    let (first, pw) = ("clerk first Passw0rd!", "clerk second Passw0rd!");
    oa.create_person(
        admin,
        NewPerson { initial_password: Some(first.into()), ..NewPerson::new("clerk", "办事员", root) },
    )
    .unwrap();
    let s = oa.sign_in("clerk", first).unwrap();
    oa.change_password(&s, first, pw).unwrap();
    oa.sign_in("clerk", pw).unwrap()
}
