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
        crate::workflow::definition::OPERATIONS,
        crate::workflow::runtime::OPERATIONS,
    ]
    .concat()
}

/// Operations that the core has and some frontend does not have yet. A new module's operations
/// wait here until every frontend exposes them, then move into [`all`]; docs/PARITY.md marks
/// them as pending meanwhile. Empty when every frontend is complete.
pub fn pending() -> Vec<&'static str> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    #[test]
    fn every_operation_is_listed_once() {
        let mut seen = HashSet::new();
        for name in super::all().into_iter().chain(super::pending()) {
            assert!(seen.insert(name), "`{name}` is listed twice");
        }
    }
}
