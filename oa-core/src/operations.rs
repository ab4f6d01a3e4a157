//! The names of every public operation of the core, as methods of [`crate::Oa`].
//!
//! Each frontend exposes every one of them; the test command compares each frontend's exported
//! names against this list and fails on a gap.

/// Every public operation, grouped by module, in the order the modules are listed.
pub fn all() -> Vec<&'static str> {
    [
        crate::engine::OPERATIONS,
        crate::auth::OPERATIONS,
        crate::org::OPERATIONS,
        crate::perm::OPERATIONS,
        crate::admin::params::OPERATIONS,
        crate::admin::calendar::OPERATIONS,
        crate::admin::numbering::OPERATIONS,
        crate::audit::OPERATIONS,
        crate::form::OPERATIONS,
    ]
    .concat()
}
