//! The office on disk: it survives a reopen, and folders that are not offices are refused.

use oa::{InitOffice, MemoryStore, NewPerson, Oa, SledStore, StoreExt, SystemClock};

#[test]
fn an_office_survives_closing_and_reopening_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("office");
    {
        let oa = Oa::init(
            SledStore::open(&path).unwrap(),
            SystemClock,
            InitOffice::new("Acme", "admin", "Admin", "admin-pass-1"),
        )
        .unwrap();
        let s = oa.sign_in("admin", "admin-pass-1").unwrap();
        let root = oa.list_departments(&s).unwrap()[0].id;
        oa.create_person(&s, NewPerson::new("zhangwei", "张伟", root)).unwrap();
    }
    let oa = oa::open_folder(&path).unwrap();
    let s = oa.sign_in("admin", "admin-pass-1").unwrap();
    assert_eq!(oa.find_person_by_login(&s, "zhangwei").unwrap().name, "张伟");
    assert!(oa.verify_audit_chain(&s).unwrap().is_intact());
}

#[test]
fn a_folder_that_is_not_an_office_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("report.docx"), b"not a database").unwrap();
    assert_eq!(oa::open_folder(dir.path()).unwrap_err().code(), "incompatible_store");
    // A folder that does not exist is refused and stays absent.
    let missing = dir.path().join("missing");
    assert_eq!(oa::open_folder(&missing).unwrap_err().code(), "incompatible_store");
    assert!(!missing.exists());
    // An empty store holds no office yet.
    assert_eq!(Oa::open(MemoryStore::new(), SystemClock).unwrap_err().code(), "incompatible_store");
    // A store with foreign data is not an office.
    let foreign = MemoryStore::new();
    foreign.write(|tx| tx.put(b"something", b"else")).unwrap();
    assert_eq!(Oa::open(foreign, SystemClock).unwrap_err().code(), "incompatible_store");
}

#[test]
fn an_office_written_by_a_newer_version_is_refused() {
    let store = MemoryStore::new();
    Oa::init(store.clone(), SystemClock, InitOffice::new("Acme", "admin", "Admin", "admin-pass-1")).unwrap();
    // Rewrite the store's meta record as a future release would: a higher format number.
    let meta_key = store
        .scan(&oa::storage::KeyRange::prefix(b"meta"), oa::storage::Direction::Forward, 10)
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .next()
        .expect("a meta record");
    let meta = oa::StoreMeta { format: oa::STORE_FORMAT + 1, created_at: chrono::Utc::now() };
    store.write(|tx| tx.put(&meta_key, &oa::codec::encode(&meta).unwrap())).unwrap();
    let e = Oa::open(store, SystemClock).unwrap_err();
    assert_eq!(e.code(), "incompatible_store");
    assert!(e.to_string().contains("newer version"), "{e}");
}

/// The key of the store's meta record.
fn meta_key(store: &MemoryStore) -> Vec<u8> {
    store
        .scan(&oa::storage::KeyRange::prefix(b"meta"), oa::storage::Direction::Forward, 10)
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .next()
        .expect("a meta record")
}

#[test]
fn an_office_written_by_an_older_version_is_marked_with_this_format_once_and_audited() {
    let store = MemoryStore::new();
    let oa = Oa::init(store.clone(), SystemClock, InitOffice::new("Acme", "admin", "Admin", "admin-pass-1")).unwrap();
    let admin = oa.sign_in("admin", "admin-pass-1").unwrap();
    // Mark the store as format 1 had written it.
    let created_at = chrono::Utc::now();
    let old = oa::StoreMeta { format: 1, created_at };
    store.write(|tx| tx.put(&meta_key(&store), &oa::codec::encode(&old).unwrap())).unwrap();
    let upgrades = |oa: &Oa| {
        let q = oa::AuditQuery { operation: Some("office.upgrade".into()), ..Default::default() };
        oa.list_audit(&admin, q, oa::PageRequest::first(10)).unwrap().items
    };
    let before = upgrades(&oa).len();
    let reopened = Oa::open(store.clone(), SystemClock).unwrap();
    let meta: oa::StoreMeta = oa::codec::decode(&store.get(&meta_key(&store)).unwrap().unwrap()).unwrap();
    assert_eq!((meta.format, meta.created_at), (oa::STORE_FORMAT, created_at), "marked, its creation kept");
    let audited = upgrades(&reopened);
    assert_eq!(audited.len(), before + 1);
    assert!(audited[0].summary.contains("store format 1"), "{}", audited[0].summary);
    // Opening it again changes nothing.
    let len = store.len();
    Oa::open(store.clone(), SystemClock).unwrap();
    assert_eq!(store.len(), len);
    assert_eq!(reopened.verify_audit_chain(&admin).unwrap().first_mismatch, None);
}

#[test]
fn initialising_refuses_a_store_that_holds_an_office() {
    let store = MemoryStore::new();
    Oa::init(store.clone(), SystemClock, InitOffice::new("Acme", "admin", "Admin", "admin-pass-1")).unwrap();
    let before = store.len();
    assert!(Oa::init(store.clone(), SystemClock, InitOffice::new("Other", "root", "Root", "admin-pass-2")).is_err());
    assert_eq!(store.len(), before, "nothing written");
}
