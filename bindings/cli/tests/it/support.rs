//! Running the binary over an office in a temporary folder.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The first administrator's password in every test office.
pub const ADMIN_PASSWORD: &str = "correct horse battery";

/// The demo files shipped with the repository.
pub fn demo(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/data").join(file)
}

/// An office folder inside a temporary directory removed at the end of the test.
pub struct Office {
    dir: TempDir,
    /// The data folder (`--data`).
    pub data: PathBuf,
}

impl Office {
    /// A data folder that does not exist yet.
    pub fn empty() -> Office {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let data = dir.path().join("office");
        Office { dir, data }
    }

    /// An office initialised with the administrator `admin`.
    pub fn init() -> Office {
        let office = Office::empty();
        office
            .bare()
            .args(["init", "Acme Ltd", "--admin", "admin", "--admin-name", "Ada Admin"])
            .env("OA_PASSWORD", ADMIN_PASSWORD)
            .assert()
            .success();
        office
    }

    /// An office with the demo departments and people imported.
    pub fn imported() -> Office {
        let office = Office::init();
        office.admin().arg("import-org").arg(demo("departments.csv")).arg(demo("people.csv")).assert().success();
        office
    }

    /// Writes `bytes` to the file `name` beside the data folder and returns its path.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("a file written");
        path
    }

    /// A path `name` beside the data folder, for a command to write.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The binary over this office, with no login or password from the caller's environment.
    pub fn bare(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_oa"));
        for var in ["OA_LOGIN", "OA_PASSWORD", "OA_NEW_PASSWORD", "OA_SECURITY_ADMIN_PASSWORD", "OA_AUDITOR_PASSWORD"] {
            cmd.env_remove(var);
        }
        // No test may wait for input: a hang is a failure.
        cmd.env("OA_DATA", &self.data).timeout(Duration::from_secs(120));
        cmd
    }

    /// The binary signed in as `login` with `password` from the environment.
    pub fn signed(&self, login: &str, password: &str) -> Command {
        let mut cmd = self.bare();
        cmd.env("OA_LOGIN", login).env("OA_PASSWORD", password);
        cmd
    }

    /// The binary signed in as the administrator.
    pub fn admin(&self) -> Command {
        self.signed("admin", ADMIN_PASSWORD)
    }

    /// Gives `login` a password through a reset and changes it, so they can work with
    /// `password`.
    pub fn give_password(&self, login: &str, password: &str) {
        let first = "a temporary one 1";
        self.admin().args(["people", "reset-password", login]).env("OA_NEW_PASSWORD", first).assert().success();
        self.signed(login, first).arg("passwd").env("OA_NEW_PASSWORD", password).assert().success();
    }
}

/// Runs `cmd` with `--json`, expects success and parses standard output.
pub fn json(cmd: &mut Command) -> Value {
    let out = cmd.arg("--json").output().expect("the binary runs");
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("standard output is JSON")
}

/// Runs `cmd`, expects exit `code`, and returns standard error.
pub fn fails(cmd: &mut Command, code: i32) -> String {
    let out = cmd.output().expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(code), "stderr: {stderr}\nstdout: {}", String::from_utf8_lossy(&out.stdout));
    stderr
}

/// Runs `cmd`, expects success and returns standard output.
pub fn text(cmd: &mut Command) -> String {
    let out = cmd.output().expect("the binary runs");
    assert!(out.status.success(), "exit {:?}\nstderr: {}", out.status.code(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The `id` of a JSON object.
pub fn id(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_string()
}
