//! sled seen from other processes: a commit that returned survives `SIGKILL`, and a folder is
//! held by one process at a time.
//!
//! Each test re-runs this test binary as a child process (`current_exe`, running just that test,
//! with an environment variable naming the child's role), so the child is real, separate and
//! can be killed without warning.

#![cfg(feature = "sled")]

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use oa_storage::{Direction, KeyRange, SledStore, StoreError, StoreExt};

/// The role a child plays: `writer` or `holder`.
const ROLE: &str = "OA_STORAGE_TEST_CHILD_ROLE";
/// The store folder the child opens.
const STORE: &str = "OA_STORAGE_TEST_CHILD_STORE";
/// Marks the child's lines among whatever the test harness prints.
const ACK: &str = "oa-ack:";
const READY: &str = "oa-ready";

/// A child process, killed and reaped when the test ends however it ends.
struct ChildProcess {
    child: Child,
    stderr: PathBuf,
}

impl ChildProcess {
    fn start(test: &str, role: &str, store: &Path, stderr: PathBuf) -> Self {
        let child = Command::new(std::env::current_exe().expect("the test binary"))
            .args([test, "--exact", "--nocapture", "--test-threads=1"])
            .env(ROLE, role)
            .env(STORE, store)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(File::create(&stderr).expect("child stderr file"))
            .spawn()
            .expect("start the child");
        ChildProcess { child, stderr }
    }

    fn stderr(&self) -> String {
        let mut s = String::new();
        let _ = File::open(&self.stderr).and_then(|mut f| f.read_to_string(&mut s));
        s
    }
}

impl Drop for ChildProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn role() -> Option<String> {
    std::env::var(ROLE).ok()
}

fn child_store() -> PathBuf {
    PathBuf::from(std::env::var_os(STORE).expect("the store folder"))
}

fn key(thread: usize, i: u64) -> String {
    format!("t{thread}/{i:08}")
}

fn count_key(thread: usize) -> String {
    format!("count/t{thread}")
}

/// The child of `acknowledged_commits_survive_sigkill`: commits from several threads until it
/// is killed, printing each key once its transaction has returned `Ok`.
fn writer() {
    let store = match SledStore::open(child_store()) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("cannot open the store: {e}");
            std::process::exit(2);
        }
    };
    std::thread::scope(|s| {
        for t in 0..4 {
            let store = &store;
            s.spawn(move || {
                for i in 0.. {
                    // The key and the thread's counter commit together, or not at all.
                    let committed = store.write(|tx| {
                        tx.put(key(t, i).as_bytes(), key(t, i).as_bytes())?;
                        tx.put(count_key(t).as_bytes(), &(i + 1).to_le_bytes())
                    });
                    if let Err(e) = committed {
                        eprintln!("commit failed: {e}");
                        std::process::exit(2);
                    }
                    let mut out = std::io::stdout().lock();
                    if writeln!(out, "{ACK}{}", key(t, i)).and_then(|()| out.flush()).is_err() {
                        // The parent is gone: stop rather than write forever.
                        std::process::exit(0);
                    }
                }
            });
        }
    });
}

#[test]
fn acknowledged_commits_survive_sigkill() {
    if role().as_deref() == Some("writer") {
        writer();
        return;
    }
    const WANTED: usize = 400;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("office");
    let mut child =
        ChildProcess::start("acknowledged_commits_survive_sigkill", "writer", &path, dir.path().join("stderr"));
    // The reader stays open until the child is dead, so that the child never sees a closed pipe
    // and exits by itself: it must die in the middle of its work.
    let mut lines = BufReader::new(child.child.stdout.take().expect("child stdout")).lines();
    let mut acked = Vec::new();
    while acked.len() < WANTED {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(at) = line.find(ACK) {
                    acked.push(line[at + ACK.len()..].to_string());
                }
            }
            Some(Err(e)) => panic!("reading the child: {e}"),
            None => panic!("the child stopped after {} commits: {}", acked.len(), child.stderr()),
        }
    }
    child.child.kill().expect("SIGKILL the child");
    let status = child.child.wait().expect("reap the child");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "the child died of SIGKILL: {status:?}");
    }
    #[cfg(not(unix))]
    assert!(!status.success());
    drop(lines);

    let store = SledStore::open(&path).expect("reopen after the crash");
    for key in &acked {
        assert_eq!(store.get(key.as_bytes()), Ok(Some(key.clone().into_bytes())), "acknowledged key `{key}` lost");
    }
    // Every transaction is whole: each thread's counter matches its keys exactly, and covers
    // every key it acknowledged.
    let mut highest: BTreeMap<usize, u64> = BTreeMap::new();
    for key in &acked {
        let (t, i) = key.trim_start_matches('t').split_once('/').expect("key shape");
        let (t, i): (usize, u64) = (t.parse().expect("thread"), i.parse().expect("index"));
        let h = highest.entry(t).or_default();
        *h = (*h).max(i + 1);
    }
    for t in 0..4 {
        let count = match store.get(count_key(t).as_bytes()).expect("read counter") {
            Some(raw) => u64::from_le_bytes(raw.as_slice().try_into().expect("8 bytes")),
            None => 0,
        };
        assert!(count >= highest.get(&t).copied().unwrap_or(0), "thread {t}: counter {count} behind its acks");
        let keys = store.scan(&KeyRange::prefix(format!("t{t}/").as_bytes()), Direction::Forward, usize::MAX);
        let keys: Vec<Vec<u8>> = keys.expect("scan").into_iter().map(|(k, _)| k).collect();
        let want: Vec<Vec<u8>> = (0..count).map(|i| key(t, i).into_bytes()).collect();
        assert_eq!(keys, want, "thread {t}: keys and counter were committed together");
    }
}

/// The child of `a_store_held_by_another_process_is_locked`: holds the store until its stdin
/// closes.
fn holder() {
    let store = SledStore::open(child_store()).expect("the holder opens the store");
    store.write(|tx| tx.put(b"held", b"yes")).expect("the holder writes");
    println!("{READY}");
    std::io::stdout().flush().expect("flush");
    let mut rest = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut rest);
}

#[test]
fn a_store_held_by_another_process_is_locked() {
    if role().as_deref() == Some("holder") {
        holder();
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("office");
    let mut child =
        ChildProcess::start("a_store_held_by_another_process_is_locked", "holder", &path, dir.path().join("stderr"));
    let mut lines = BufReader::new(child.child.stdout.take().expect("child stdout")).lines();
    loop {
        match lines.next() {
            Some(Ok(line)) if line.contains(READY) => break,
            Some(Ok(_)) => {}
            Some(Err(e)) => panic!("reading the child: {e}"),
            None => panic!("the holder ended before it was ready: {}", child.stderr()),
        }
    }

    let err = SledStore::open(&path).map(|_| ()).expect_err("the folder is held by the child");
    assert_eq!(err, StoreError::Locked { path: path.display().to_string() });
    let message = err.to_string();
    assert!(message.contains("in use by another process"), "{message}");
    assert!(message.contains("PostgreSQL"), "{message}");

    // Once the holder closes the store and ends, the folder opens with what it wrote.
    drop(child.child.stdin.take());
    let status = child.child.wait().expect("reap the holder");
    assert!(status.success(), "the holder ended cleanly: {status:?} {}", child.stderr());
    let store = SledStore::open(&path).expect("open after the holder ended");
    assert_eq!(store.get(b"held"), Ok(Some(b"yes".to_vec())));
}
