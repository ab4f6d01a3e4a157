//! Attachments (附件): files uploaded from disk, stored once by content hash, saved back.

use crate::support::{fails, json, text, Office};

/// A small but well-formed PDF.
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

#[test]
fn a_file_is_stored_once_by_hash_and_saved_back_byte_for_byte() {
    let office = Office::init();
    let report = office.file("报告.pdf", PDF);
    let first = json(office.admin().args(["attachments", "upload"]).arg(&report));
    let hash = first["hash"].as_str().expect("a hash").to_string();
    assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "{hash}");
    assert_eq!(first["file_name"], "报告.pdf");
    assert_eq!(first["content_type"], "application/pdf", "the type of the extension");
    assert_eq!(first["size"], PDF.len());

    // The same content again, under another name: stored once, under its first name.
    let copy = office.file("copy.pdf", PDF);
    let again = json(office.admin().args(["attachments", "upload", "--type", "application/pdf"]).arg(&copy));
    assert_eq!(again, first);
    let shown = text(office.admin().args(["attachments", "upload", "--name", "other.pdf"]).arg(&report));
    for part in [hash.as_str(), "application/pdf", &format!("{} bytes", PDF.len()), "报告.pdf", "admin"] {
        assert!(shown.contains(part), "{part}: {shown}");
    }

    assert_eq!(json(office.admin().args(["attachments", "show", &hash])), first);
    assert_eq!(json(office.admin().args(["attachments", "show", &hash.to_uppercase()])), first);

    let back = office.path("back.pdf");
    let got = json(office.admin().args(["attachments", "get", &hash, "--out"]).arg(&back));
    assert_eq!(got, first);
    assert_eq!(std::fs::read(&back).expect("the file saved"), PDF);
    let said = text(office.admin().args(["attachments", "get", &hash, "--out"]).arg(&back));
    assert!(said.contains("saved to") && said.contains(&back.display().to_string()), "{said}");
    assert_eq!(std::fs::read(&back).expect("the file saved again"), PDF);

    // Plain text takes its type from the extension too.
    let notes = json(office.admin().args(["attachments", "upload"]).arg(office.file("notes.txt", "会议纪要\n")));
    assert_eq!(notes["content_type"], "text/plain");
    assert_ne!(notes["hash"], first["hash"]);

    let audited = json(office.admin().args(["audit", "list", "--operation", "form.attachment.upload"]));
    assert_eq!(audited["items"].as_array().map(Vec::len), Some(4));
}

#[test]
fn a_type_outside_the_allow_list_or_a_mismatch_is_refused() {
    let office = Office::init();
    let exe = office.file("setup.exe", b"MZ\x90\x00");
    let err = fails(office.admin().args(["attachments", "upload"]).arg(&exe), 3);
    assert!(err.starts_with("error[validation]: "), "{err}");
    assert!(err.contains("  file_name: `.exe` files are not allowed"), "{err}");
    let err = fails(office.admin().args(["attachments", "upload", "--type", "application/x-msdownload"]).arg(&exe), 3);
    assert!(err.contains("  content_type: "), "{err}");

    // The declared type, the extension and the first bytes must agree.
    let pdf = office.file("report.pdf", PDF);
    let err = fails(office.admin().args(["attachments", "upload", "--type", "image/png"]).arg(&pdf), 3);
    assert!(err.contains("  file_name: ") && err.contains("  bytes: the content is not a PNG file"), "{err}");
    let err = fails(office.admin().args(["attachments", "upload", "--name", "report.png"]).arg(&pdf), 3);
    assert!(err.contains("  bytes: the content is not a PNG file"), "{err}");
    let err = fails(office.admin().args(["attachments", "upload"]).arg(office.file("empty.pdf", b"")), 3);
    assert!(err.contains("  bytes: the file is empty"), "{err}");

    let err = fails(office.admin().args(["attachments", "upload"]).arg(office.path("missing.pdf")), 1);
    assert!(err.starts_with("error[io]: cannot read "), "{err}");
    let err = fails(office.admin().args(["attachments", "show", "not-a-hash"]), 3);
    assert!(err.contains("  hash: "), "{err}");
    let err = fails(office.admin().args(["attachments", "show", &"0".repeat(64)]), 4);
    assert!(err.starts_with("error[not_found]: "), "{err}");

    let hash =
        json(office.admin().args(["attachments", "upload"]).arg(&pdf))["hash"].as_str().expect("a hash").to_string();
    let nowhere = office.path("no-such-folder").join("out.pdf");
    let err = fails(office.admin().args(["attachments", "get", &hash, "--out"]).arg(&nowhere), 1);
    assert!(err.starts_with("error[io]: cannot write "), "{err}");
    office.admin().args(["attachments", "get", &hash]).assert().code(2);
}

#[test]
fn uploading_and_reading_others_files_need_their_permissions() {
    let office = Office::init();
    let pdf = office.file("report.pdf", PDF);
    let hash =
        json(office.admin().args(["attachments", "upload"]).arg(&pdf))["hash"].as_str().expect("a hash").to_string();
    office.admin().args(["people", "add", "clerk", "Clerk", "--dept", "Acme Ltd"]).assert().success();
    office.give_password("clerk", "clerk password 1");
    let clerk = || office.signed("clerk", "clerk password 1");

    let err = fails(clerk().args(["attachments", "upload"]).arg(&pdf), 4);
    assert!(err.contains("form.attachment.upload"), "{err}");
    let err = fails(clerk().args(["attachments", "get", &hash, "--out"]).arg(office.path("taken.pdf")), 4);
    assert!(err.starts_with("error[permission_denied]: "), "{err}");
    assert!(!office.path("taken.pdf").exists(), "nothing is written when the core refuses");
    fails(clerk().args(["attachments", "show", &hash]), 4);
}
