//! oa: an office-automation engine (办公自动化) as a library.
//!
//! This crate is what embedders depend on. It re-exports the domain core ([`oa_core`]) and the
//! storage backends ([`oa_storage`]), and on native targets opens offices on sled by default.
//!
//! ```
//! use oa::{Oa, InitOffice, MemoryStore, SystemClock};
//! # fn main() -> Result<(), oa::OaError> {
//! let office = Oa::init(MemoryStore::new(), SystemClock, InitOffice::new("Acme", "admin", "Admin", "correct horse battery"))?;
//! let session = office.sign_in("admin", "correct horse battery")?;
//! assert_eq!(office.whoami(&session)?.login, "admin");
//! # Ok(()) }
//! ```

pub use oa_core::*;
pub use oa_storage::{self as storage, MemoryStore, Store, StoreError, StoreExt};

#[cfg(feature = "sled")]
pub use oa_storage::{SledOptions, SledStore};

/// Opens the office kept in `folder` on the embedded sled backend, with the system clock.
#[cfg(feature = "sled")]
pub fn open_folder(folder: impl AsRef<std::path::Path>) -> Result<Oa, OaError> {
    let folder = folder.as_ref();
    // Opening must not leave an empty database behind where there was no office.
    if !folder.exists() {
        return Err(OaError::IncompatibleStore(format!(
            "`{}` does not exist; initialise an office there first",
            folder.display()
        )));
    }
    let store = SledStore::open(folder).map_err(OaError::from)?;
    Oa::open(store, SystemClock)
}
