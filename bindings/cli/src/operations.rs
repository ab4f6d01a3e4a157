//! Parity with the core: every operation of `oa::operations::all()` and of
//! `oa::operations::pending()` (operations the core has that not every frontend exposes yet),
//! and the command that exposes it. A test fails when the core lists an operation this table
//! does not, so a new operation forces a decision: a command, or an entry saying why it is not
//! in the command line. An operation moving from `pending()` to `all()` changes nothing here.

use serde::Serialize;

/// How the command line exposes one operation of the core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub(crate) enum Exposure {
    /// A command (`oa people add`); the test checks that the command exists.
    Command(&'static str),
    /// Done by every command as part of its run (opening the folder, signing in and out).
    EveryCommand(&'static str),
    /// Not in the command line, for the reason given.
    NotInCli(&'static str),
}

/// Each operation of the core, by its name in `oa::operations::all()`, and how it is exposed.
pub(crate) const TABLE: &[(&str, Exposure)] = &[
    // The office itself.
    ("init", Exposure::Command("oa init")),
    ("open", Exposure::EveryCommand("every command opens the office in --data")),
    ("close", Exposure::EveryCommand("every command closes the office when done")),
    // Sign-in and sessions.
    ("sign_in", Exposure::EveryCommand("every command signs in with --login / OA_LOGIN and a password")),
    ("sign_out", Exposure::EveryCommand("every command signs out when done")),
    ("whoami", Exposure::Command("oa whoami")),
    ("change_password", Exposure::Command("oa passwd")),
    ("reset_password", Exposure::Command("oa people reset-password")),
    ("list_sessions", Exposure::Command("oa sessions list")),
    ("revoke_session", Exposure::Command("oa sessions revoke")),
    ("revoke_sessions_of", Exposure::Command("oa sessions revoke-all")),
    // Departments.
    ("create_department", Exposure::Command("oa dept add")),
    ("rename_department", Exposure::Command("oa dept rename")),
    ("move_department", Exposure::Command("oa dept move")),
    ("reorder_department", Exposure::Command("oa dept reorder")),
    ("set_department_head", Exposure::Command("oa dept head")),
    ("disable_department", Exposure::Command("oa dept disable")),
    ("enable_department", Exposure::Command("oa dept enable")),
    ("get_department", Exposure::Command("oa dept show")),
    ("find_department_by_code", Exposure::Command("oa dept show")),
    ("list_departments", Exposure::Command("oa dept list")),
    ("department_children", Exposure::Command("oa dept children")),
    ("department_subtree", Exposure::Command("oa dept tree")),
    // People.
    ("create_person", Exposure::Command("oa people add")),
    ("update_person", Exposure::Command("oa people update")),
    ("transfer_person", Exposure::Command("oa people transfer")),
    ("disable_person", Exposure::Command("oa people disable")),
    ("enable_person", Exposure::Command("oa people enable")),
    ("mark_person_left", Exposure::Command("oa people left")),
    ("add_post", Exposure::Command("oa people add-post")),
    ("remove_post", Exposure::Command("oa people remove-post")),
    ("get_person", Exposure::Command("oa people show")),
    ("find_person_by_login", Exposure::Command("oa people show")),
    ("list_people", Exposure::Command("oa people list")),
    ("superiors_of", Exposure::Command("oa people superiors")),
    ("head_above", Exposure::Command("oa people head-above")),
    ("import_org_csv", Exposure::Command("oa import-org")),
    // Permissions, roles and grants.
    ("list_permissions", Exposure::Command("oa perms list")),
    ("create_role", Exposure::Command("oa roles create")),
    ("update_role", Exposure::Command("oa roles update")),
    ("delete_role", Exposure::Command("oa roles delete")),
    ("get_role", Exposure::Command("oa roles show")),
    ("list_roles", Exposure::Command("oa roles list")),
    ("grant_role", Exposure::Command("oa grants add")),
    ("revoke_grant", Exposure::Command("oa grants revoke")),
    ("list_grants", Exposure::Command("oa grants list")),
    ("check_permission", Exposure::Command("oa perms check")),
    ("check_permission_of", Exposure::Command("oa perms check")),
    ("permission_scope", Exposure::Command("oa perms scope")),
    ("effective_permissions", Exposure::Command("oa perms of")),
    (
        "principal",
        Exposure::NotInCli(
            "a compiled snapshot for in-process UIs; `oa perms check` and `oa perms scope` answer the same questions",
        ),
    ),
    // Parameters.
    ("list_params", Exposure::Command("oa params list")),
    ("get_param", Exposure::Command("oa params get")),
    ("set_param", Exposure::Command("oa params set")),
    ("reset_param", Exposure::Command("oa params reset")),
    // The working calendar.
    ("get_work_calendar", Exposure::Command("oa calendar show")),
    ("set_work_calendar", Exposure::Command("oa calendar set")),
    ("set_holidays", Exposure::Command("oa calendar set-holidays")),
    ("list_holidays", Exposure::Command("oa calendar holidays")),
    ("add_working_time", Exposure::Command("oa calendar add")),
    ("today", Exposure::Command("oa calendar today")),
    // Document numbering.
    ("create_numbering_rule", Exposure::Command("oa numbering create")),
    ("update_numbering_rule", Exposure::Command("oa numbering update")),
    ("list_numbering_rules", Exposure::Command("oa numbering list")),
    ("get_numbering_rule", Exposure::Command("oa numbering show")),
    ("preview_next_number", Exposure::Command("oa numbering preview")),
    ("issue_number", Exposure::Command("oa numbering issue")),
    ("get_issued_number", Exposure::Command("oa numbering issued")),
    // Audit.
    ("list_audit", Exposure::Command("oa audit list")),
    ("get_audit_record", Exposure::Command("oa audit show")),
    ("verify_audit_chain", Exposure::Command("oa audit verify")),
    // Forms and attachments.
    ("define_form", Exposure::Command("oa forms define")),
    ("get_form", Exposure::Command("oa forms show")),
    ("list_forms", Exposure::Command("oa forms list")),
    ("form_versions", Exposure::Command("oa forms versions")),
    ("validate_form_data", Exposure::Command("oa forms validate")),
    ("upload_attachment", Exposure::Command("oa attachments upload")),
    ("get_attachment", Exposure::Command("oa attachments get")),
    ("attachment_info", Exposure::Command("oa attachments show")),
    // Process definitions (流程定义).
    ("publish_process", Exposure::Command("oa processes publish")),
    ("publish_process_json", Exposure::Command("oa processes publish")),
    ("import_bpmn", Exposure::Command("oa processes import-bpmn")),
    ("get_process", Exposure::Command("oa processes show")),
    ("list_processes", Exposure::Command("oa processes list")),
    ("process_versions", Exposure::Command("oa processes versions")),
    ("validate_process", Exposure::Command("oa processes validate")),
    // Process instances and tasks (流程运行).
    ("start_process", Exposure::Command("oa tasks start")),
    (
        "save_draft",
        Exposure::NotInCli("drafts (草稿) hold a form a person fills over time in a UI; a script starts at once with `oa tasks start`"),
    ),
    ("submit_draft", Exposure::NotInCli("drafts are a UI's; `oa tasks start` submits at once")),
    ("delete_draft", Exposure::NotInCli("drafts are a UI's, and only their author may delete them")),
    ("approve", Exposure::Command("oa tasks approve")),
    ("reject", Exposure::Command("oa tasks reject")),
    (
        "return_task",
        Exposure::NotInCli("returning (退回) starts a conversation with the initiator, who changes the data in a UI; from the command line a task is approved, rejected or handed on"),
    ),
    (
        "resubmit",
        Exposure::NotInCli("the initiator's own change of data returned to them, made in a UI; an administrator does not resubmit for them"),
    ),
    (
        "withdraw",
        Exposure::NotInCli("an initiator's or approver's taking back (撤回) of their own step, in a UI; an administrator stops an instance with `oa instances terminate`"),
    ),
    ("transfer", Exposure::Command("oa tasks transfer")),
    (
        "add_signer",
        Exposure::NotInCli("an approver's choice (加签) while reviewing in a UI; an administrator moves an instance with `oa instances jump`"),
    ),
    ("remove_signer", Exposure::NotInCli("only the approver who added a signer (减签) may remove them, in a UI")),
    ("comment", Exposure::Command("oa instances comment")),
    (
        "urge",
        Exposure::NotInCli("only the initiator may urge (催办), from their UI; deadlines and reminders run with `oa tasks due`"),
    ),
    ("mark_cc_read", Exposure::NotInCli("a recipient reads a copy (已阅) in a UI; `oa tasks cc --unread` lists them")),
    ("terminate", Exposure::Command("oa instances terminate")),
    ("jump", Exposure::Command("oa instances jump")),
    ("process_due", Exposure::Command("oa tasks due")),
    ("todo", Exposure::Command("oa tasks todo")),
    ("done", Exposure::Command("oa tasks done")),
    ("cc_to_me", Exposure::Command("oa tasks cc")),
    ("started_by_me", Exposure::Command("oa tasks started")),
    ("badge_counts", Exposure::Command("oa tasks badges")),
    ("instance", Exposure::Command("oa instances show")),
    ("instances_of", Exposure::Command("oa instances of")),
    ("instances_at_node", Exposure::Command("oa instances at")),
    // Business types (业务类型) and their feed of endings.
    ("declare_business_type", Exposure::Command("oa business-types declare")),
    ("business_types", Exposure::Command("oa business-types list")),
    ("business_events", Exposure::Command("oa business-types events")),
    // Process monitoring (流程监控) and an administrator's hand on running instances.
    ("node_counts", Exposure::Command("oa monitor nodes")),
    ("waiting_at_node", Exposure::Command("oa monitor waiting")),
    ("overdue_tasks", Exposure::Command("oa monitor overdue")),
    ("stuck_instances", Exposure::Command("oa monitor stuck")),
    ("node_times", Exposure::Command("oa monitor times")),
    ("reassign_task", Exposure::Command("oa tasks reassign")),
    ("reassign_turn", Exposure::Command("oa instances reassign-turn")),
    ("migrate_instance", Exposure::Command("oa instances migrate")),
    ("migrate_instances", Exposure::Command("oa instances migrate-all")),
    // Standing delegations (委托) and delegating a task (委派).
    ("create_delegation", Exposure::Command("oa delegations add")),
    ("cancel_delegation", Exposure::Command("oa delegations cancel")),
    (
        "my_delegations",
        Exposure::NotInCli("a person's own list (我的委托), read in their UI; `oa delegations list` shows every delegation of the people an administrator reaches"),
    ),
    (
        "delegations_to_me",
        Exposure::NotInCli("a delegate's own list (委托给我的), read in their UI; `oa delegations list` shows every delegation with its delegate"),
    ),
    ("all_delegations", Exposure::Command("oa delegations list")),
    (
        "tasks_on_my_behalf",
        Exposure::NotInCli("a person's record of what their delegates did for them (代办记录), read in their UI; `oa instances show` names whom each task was on behalf of"),
    ),
    (
        "delegate_task",
        Exposure::NotInCli("an approver's choice (委派) while reviewing in a UI, to get the task back; an administrator moves a task with `oa tasks reassign`"),
    ),
    (
        "take_back_task",
        Exposure::NotInCli("only the approver who delegated a task takes it back (收回), in a UI"),
    ),
];

/// One row of `oa operations`.
#[derive(Debug, Serialize)]
pub(crate) struct Row {
    /// The operation's name in the core.
    pub(crate) operation: &'static str,
    /// How the command line exposes it.
    pub(crate) exposure: Exposure,
    /// Whether the core lists it in `pending()` (not every frontend has it yet); written only
    /// when true, so the rows of `all()` keep their fields.
    #[serde(skip_serializing_if = "is_false")]
    pub(crate) pending: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Every operation of the core: `all()`, then `pending()`.
fn core_operations() -> Vec<(&'static str, bool)> {
    let all = oa::operations::all().into_iter().map(|name| (name, false));
    all.chain(oa::operations::pending().into_iter().map(|name| (name, true))).collect()
}

/// The rows of `oa operations`, in the core's order (`all()`, then `pending()`); an operation
/// missing from [`TABLE`] shows as not decided (and fails the parity test).
pub(crate) fn rows() -> Vec<Row> {
    core_operations()
        .into_iter()
        .map(|(name, pending)| Row {
            operation: name,
            exposure: TABLE
                .iter()
                .find(|(op, _)| *op == name)
                .map(|(_, e)| *e)
                .unwrap_or(Exposure::NotInCli("not decided yet: add it to the table in operations.rs")),
            pending,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_core_operation_is_in_the_table() {
        let missing: Vec<&str> = core_operations()
            .into_iter()
            .map(|(name, _)| name)
            .filter(|name| !TABLE.iter().any(|(op, _)| op == name))
            .collect();
        assert!(missing.is_empty(), "core operations with no decision in operations.rs: {missing:?}");
    }

    #[test]
    fn the_table_names_only_core_operations_once_each() {
        let all: Vec<&str> = core_operations().into_iter().map(|(name, _)| name).collect();
        for (i, (op, _)) in TABLE.iter().enumerate() {
            assert!(all.contains(op), "`{op}` is not an operation of the core (in neither all() nor pending())");
            assert!(!TABLE[..i].iter().any(|(o, _)| o == op), "`{op}` is listed twice");
        }
    }

    #[test]
    fn rows_mark_only_pending_operations() {
        let rows = rows();
        assert_eq!(rows.len(), oa::operations::all().len() + oa::operations::pending().len());
        for row in &rows {
            assert_eq!(row.pending, oa::operations::pending().contains(&row.operation), "{}", row.operation);
            let json = serde_json::to_value(row).expect("JSON");
            assert_eq!(json.get("pending").is_some(), row.pending, "{json}");
        }
    }

    #[test]
    fn every_command_named_exists() {
        let root = crate::cli::Cli::command();
        for (op, exposure) in TABLE {
            if let Exposure::Command(path) = exposure {
                let mut words = path.split_whitespace();
                assert_eq!(words.next(), Some("oa"), "{op}");
                let mut at = &root;
                for word in words {
                    at = at
                        .find_subcommand(word)
                        .unwrap_or_else(|| panic!("`{path}` (for `{op}`) is not a command: no `{word}`"));
                }
            }
        }
    }
}
