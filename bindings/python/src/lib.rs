//! The Python binding of oa: the native module `oa._oa`, re-exported by the package `oa`.
//!
//! This crate maps types and nothing else (no business rule lives here): each operation of the
//! core is a method of [`office::Office`] that converts its Python arguments, releases the
//! interpreter while the core works, and converts the result or the error back. The Python
//! signatures are written out in `python/oa/__init__.pyi`, which `mypy.stubtest` checks against
//! this module.

use pyo3::prelude::*;

/// The allocator of the engine's work inside the extension (Python's own objects keep Python's):
/// with glibc's malloc the engine's workflow benchmark completed 21 – 34 % fewer claims per
/// second, lost in malloc's bookkeeping and in its arena locks when threads free what others
/// allocated (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod convert;
mod errors;
mod office;
mod records;
mod records_delegation;
mod records_monitor;
mod workflow_args;

/// The name of every operation of the core (methods of `Oa` plus `init`, `open` and `close`),
/// for the parity check of the Python tests.
#[pyfunction]
fn operations() -> Vec<&'static str> {
    oa::operations::all()
}

/// The name of every operation the core has but does not list in `operations()` yet (its
/// workflow engine); the parity check covers both lists.
#[pyfunction]
fn pending_operations() -> Vec<&'static str> {
    oa::operations::pending()
}

/// Every stable error code an `OaError` can carry.
#[pyfunction]
fn error_codes() -> Vec<&'static str> {
    oa::OaError::CODES.to_vec()
}

/// The native module. Python code imports the package `oa`, which re-exports all of this.
#[pymodule]
fn _oa(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(operations, m)?)?;
    m.add_function(wrap_pyfunction!(pending_operations, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    errors::register(m)?;
    records::register(m)?;
    records_monitor::register(m)?;
    records_delegation::register(m)?;
    office::register(m)?;
    Ok(())
}
