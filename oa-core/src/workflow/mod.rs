//! Approval workflows (审批流程) over administrator-defined forms.
//!
//! [`expr`] is the condition language of branches: a small, safe expression language over form
//! fields and the initiator's attributes, parsed and type-checked when a process is published.

pub mod definition;
pub mod expr;
pub mod runtime;
