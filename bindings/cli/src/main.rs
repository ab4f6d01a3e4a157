//! `oa`: the administrator's command line of an oa office (办公自动化).
//!
//! Every command opens the office kept in a data folder (`--data`, `OA_DATA`, default
//! `./oa-data`) with `oa::open_folder`, signs in (`--login`/`OA_LOGIN`, a password from
//! `OA_PASSWORD`, standard input or a prompt), calls the core, signs out and prints the result as
//! a table or, with `--json`, as the core's own types in JSON. Errors go to standard error as
//! `error[code]: message`, one line per failing field after it, and end the process with an exit
//! code per error family (listed in `failure.rs` and the README).
//!
//! The command line is a thin frontend: it maps arguments to the core's inputs and the core's
//! outputs to text. Every rule lives in the core. The table in `operations.rs` says which command
//! exposes each operation of the core.

mod cli;
mod commands;
mod credentials;
mod failure;
mod operations;
mod output;
mod session;

use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;
use crate::failure::Failure;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version requests are not errors; clap prints them and says which.
            let code = if e.use_stderr() { failure::EXIT_USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // A panic is a bug of oa; it must still end as one error line and a known exit code.
    panic::set_hook(Box::new(|_| {}));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| commands::run(&cli)));
    let result = match outcome {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into());
            Err(Failure::Oa(oa::OaError::Internal(what)))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.report();
            ExitCode::from(failure.exit_code())
        }
    }
}
