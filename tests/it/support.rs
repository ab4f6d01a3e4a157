//! Offices on every backend, with a clock the test can move.

use std::sync::Arc;

use oa::{InitOffice, ManualClock, MemoryStore, Oa, Session, SledStore, Store};

pub const ADMIN_PASSWORD: &str = "admin-passphrase-1";

/// An office under test, with its clock and whatever keeps its folder alive.
pub struct Office {
    pub oa: Oa,
    pub clock: ManualClock,
    pub admin: Session,
    pub _dir: Option<tempfile::TempDir>,
}

/// A fresh store of the named backend, with the folder that holds it (sled).
pub fn fresh_store(backend: &str) -> (Arc<dyn Store>, Option<tempfile::TempDir>) {
    match backend {
        "memory" => (Arc::new(MemoryStore::new()), None),
        "sled" => {
            let dir = tempfile::tempdir().expect("temp dir");
            let store = SledStore::open(dir.path().join("office")).expect("open sled");
            (Arc::new(store), Some(dir))
        }
        other => panic!("unknown backend {other}"),
    }
}

/// A new office named Acme on `backend`, its administrator signed in.
pub fn office(backend: &str) -> Office {
    office_with(backend, InitOffice::new("Acme", "admin", "Administrator", ADMIN_PASSWORD))
}

/// A new office initialised with `init` on `backend`, its first administrator signed in.
pub fn office_with(backend: &str, init: InitOffice) -> Office {
    let (store, dir) = fresh_store(backend);
    let clock = ManualClock::monday_morning();
    let password = init.admin_password.clone();
    let login = init.admin_login.clone();
    let oa = Oa::init_shared(store, Arc::new(clock.clone()), init).expect("init");
    let admin = oa.sign_in(&login, &password).expect("admin signs in");
    Office { oa, clock, admin, _dir: dir }
}

/// Runs each named scenario `fn(&str)` once per backend, as separate tests.
macro_rules! on_every_backend {
    ($($scenario:ident),* $(,)?) => {
        mod memory {
            $( #[test] fn $scenario() { super::$scenario("memory") } )*
        }
        mod sled {
            $( #[test] fn $scenario() { super::$scenario("sled") } )*
        }
    };
}
pub(crate) use on_every_backend;
