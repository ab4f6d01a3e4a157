//! Initialising a new office: the store's meta record, default parameters, built-in roles, a
//! root department and the first administrator(s).

use serde::{Deserialize, Serialize};

use oa_storage::Store;

use crate::clock::Clock;
use crate::engine::Oa;
use crate::OaResult;

/// What a new office starts with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitOffice {
    /// The office's name, also the name of its root department.
    pub office_name: String,
    /// The first administrator's login.
    pub admin_login: String,
    /// The first administrator's name.
    pub admin_name: String,
    /// The first administrator's password (checked against the password policy).
    pub admin_password: String,
}

impl InitOffice {
    /// An office named `office_name` whose first administrator signs in as `login`.
    pub fn new(office_name: &str, login: &str, name: &str, password: &str) -> Self {
        InitOffice {
            office_name: office_name.into(),
            admin_login: login.into(),
            admin_name: name.into(),
            admin_password: password.into(),
        }
    }
}

impl Oa {
    /// Initialises a new office in an empty `store` and opens it.
    pub fn init(store: impl Store, clock: impl Clock, input: InitOffice) -> OaResult<Oa> {
        let _ = (store, clock, input);
        todo!("Oa::init")
    }
}
