//! Attachments: types, sizes, storing once, chunks and links.

use oa_storage::{Direction, KeyRange};
use serde_json::json;

use super::*;
use crate::form::model::keys;
use crate::form::{sha256_hex, CHUNK_BYTES, MAX_ATTACHMENT_BYTES};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
const ZIP: &[u8] = b"PK\x03\x04\x14\0\0\0\x08\0";
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];

fn prepare_errors(name: &str, content_type: &str, bytes: &[u8], limit: usize) -> Vec<(String, String)> {
    fields(attachment::prepare(name, content_type, bytes, limit).unwrap_err())
}

fn count(w: &World, prefix: crate::keys::KeyBuf) -> usize {
    w.oa.store().read(|tx| tx.scan(&KeyRange::prefix(prefix.as_bytes()), Direction::Forward, usize::MAX)).unwrap().len()
}

#[test]
fn allowed_types_by_declared_type_extension_and_first_bytes() {
    let ok = |name: &str, ct: &str, bytes: &[u8]| attachment::prepare(name, ct, bytes, 1024).map(|u| u.content_type);
    assert_eq!(ok("报告.pdf", "application/pdf", PDF).unwrap(), "application/pdf");
    assert_eq!(ok("scan.JPG", "image/jpeg", b"\xFF\xD8\xFF\xE0").unwrap(), "image/jpeg");
    assert_eq!(ok("chart.png", "image/png", PNG).unwrap(), "image/png");
    assert_eq!(
        ok("合同.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP).unwrap(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert!(ok("budget.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP).is_ok());
    assert!(ok("deck.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP).is_ok());
    assert_eq!(ok("old.doc", "application/msword", OLE).unwrap(), "application/msword");
    assert_eq!(ok("old.xls", "application/vnd.ms-excel", OLE).unwrap(), "application/vnd.ms-excel");
    assert_eq!(ok("notes.txt", "text/plain; charset=utf-8", "会议纪要".as_bytes()).unwrap(), "text/plain");
    assert_eq!(ok("all.zip", "application/x-zip-compressed", ZIP).unwrap(), "application/zip");
    // Browsers send no type, or a generic one, for `.ofd`: the extension decides.
    assert_eq!(ok("公文.ofd", "", ZIP).unwrap(), "application/ofd");
    assert_eq!(ok("公文.ofd", "application/octet-stream", ZIP).unwrap(), "application/ofd");
}

#[test]
fn wrong_types_are_refused() {
    assert_eq!(
        prepare_errors("virus.exe", "application/x-msdownload", b"MZ", 1024),
        vec![
            (
                "file_name".to_string(),
                "`.exe` files are not allowed; allowed: .docx, .xlsx, .pptx, .pdf, .doc, .xls, .png, .jpg, .jpeg, .txt, .zip, .ofd"
                    .to_string()
            ),
            (
                "content_type".to_string(),
                "`application/x-msdownload` is not an allowed type; allowed: .docx, .xlsx, .pptx, .pdf, .doc, .xls, .png, .jpg, .jpeg, .txt, .zip, .ofd"
                    .to_string()
            ),
        ]
    );
    assert_eq!(
        prepare_errors("report.pdf", "image/png", PNG, 1024),
        vec![("file_name".to_string(), "`.pdf` does not match the declared type `image/png`".to_string())]
    );
    assert_eq!(
        prepare_errors("report.pdf", "application/pdf", b"<html>", 1024),
        vec![("bytes".to_string(), "the content is not a PDF file".to_string())]
    );
    assert_eq!(
        prepare_errors(
            "合同.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            PDF,
            1024
        ),
        vec![("bytes".to_string(), "the content is not a Word file".to_string())]
    );
    assert_eq!(prepare_errors("README", "", b"hi", 1024)[0].1, "a file without an extension is not allowed; allowed: .docx, .xlsx, .pptx, .pdf, .doc, .xls, .png, .jpg, .jpeg, .txt, .zip, .ofd");
    assert_eq!(
        prepare_errors("../etc/passwd.txt", "text/plain", b"x", 1024),
        vec![("file_name".to_string(), "must be a file name, not a path".to_string())]
    );
    assert_eq!(
        prepare_errors(" ", "text/plain", b"", 1024),
        vec![
            ("file_name".to_string(), "must not be empty".to_string()),
            ("bytes".to_string(), "the file is empty".to_string())
        ]
    );
}

#[test]
fn over_the_limit_is_refused_on_bytes_naming_the_limit() {
    assert_eq!(
        prepare_errors("a.txt", "text/plain", &[b'x'; 2049], 2048),
        vec![("bytes".to_string(), "the file is 2 KiB (2049 bytes); the limit is 2 KiB (2048 bytes)".to_string())]
    );
    let big = vec![b'x'; MAX_ATTACHMENT_BYTES + 1];
    assert_eq!(
        prepare_errors("big.txt", "text/plain", &big, MAX_ATTACHMENT_BYTES),
        vec![(
            "bytes".to_string(),
            "the file is 20 MiB (20971521 bytes); the limit is 20 MiB (20971520 bytes)".to_string()
        )]
    );
    let bigger = vec![b'x'; MAX_ATTACHMENT_BYTES + 3 * 1024 * 1024 / 2];
    assert_eq!(
        prepare_errors("big.txt", "text/plain", &bigger, MAX_ATTACHMENT_BYTES)[0].1,
        "the file is 21.5 MiB (22544384 bytes); the limit is 20 MiB (20971520 bytes)"
    );
    assert!(attachment::prepare("ok.txt", "text/plain", &[b'x'; 2048], 2048).is_ok());
    assert_eq!(prepare_errors("a.txt", "text/plain", b"xx", 1)[0].1, "the file is 2 bytes; the limit is 1 byte");
}

#[test]
fn the_same_content_is_stored_once() {
    let w = World::new();
    let first = w.upload_as(w.admin_id, "a.pdf", "application/pdf", PDF).unwrap();
    assert_eq!(first.hash, w.pdf, "the world uploaded it already");
    let again = w.upload_as(w.alice, "b.pdf", "application/pdf", PDF).unwrap();
    assert_eq!(again, first, "the second upload finds the first, with its name");
    assert_eq!(first.file_name, "报告.pdf");
    assert_eq!(first.hash, sha256_hex(PDF));
    assert_eq!(first.size, PDF.len() as u64);
    assert_eq!(count(&w, crate::keys::KeyBuf::new("form.blobm")), 1);
    assert_eq!(count(&w, keys::chunks(&first.hash)), 1);
    let uploaders = w.oa.store().read(|tx| {
        Ok::<_, OaError>((
            attachment::is_uploader(tx, &first.hash, w.admin_id)?,
            attachment::is_uploader(tx, &first.hash, w.alice)?,
            attachment::is_uploader(tx, &first.hash, w.bob)?,
        ))
    });
    assert_eq!(uploaders.unwrap(), (true, true, false));
}

#[test]
fn a_large_file_round_trips_through_chunks() {
    let w = World::new();
    let mut bytes: Vec<u8> = (0..1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    bytes[..5].copy_from_slice(b"%PDF-");
    let info = w.upload_as(w.admin_id, "big.pdf", "application/pdf", &bytes).unwrap();
    assert_eq!(info.size, 1024 * 1024);
    assert_eq!(count(&w, keys::chunks(&info.hash)), 1024 * 1024 / CHUNK_BYTES);
    let back = w.oa.store().read(|tx| attachment::read_bytes(tx, &info)).unwrap();
    assert!(back == bytes, "the bytes read back are the bytes uploaded");
    // One byte more makes one chunk more.
    bytes.push(7);
    let odd = w.upload_as(w.admin_id, "big2.pdf", "application/pdf", &bytes).unwrap();
    assert_eq!(count(&w, keys::chunks(&odd.hash)), 1024 * 1024 / CHUNK_BYTES + 1);
    assert!(w.oa.store().read(|tx| attachment::read_bytes(tx, &odd)).unwrap() == bytes);
}

#[test]
fn damaged_content_is_detected() {
    let w = World::new();
    let info = w.oa.store().read(|tx| attachment::load_info(tx, &w.pdf)).unwrap().unwrap();
    w.oa.store().write(|tx| tx.put(keys::chunk(&info.hash, 0).as_bytes(), b"%PDF-tampered")).unwrap();
    let err = w.oa.store().read(|tx| attachment::read_bytes(tx, &info)).unwrap_err();
    assert_eq!(err.code(), "storage");
    assert!(err.to_string().contains("is damaged"), "{err}");
}

#[test]
fn links_are_kept_both_ways() {
    let w = World::new();
    let pdf = w.pdf.clone();
    w.oa.store()
        .write(|tx| {
            super::super::link_attachment(tx, &pdf, "wf:01")?;
            super::super::link_attachment(tx, &pdf.to_uppercase(), "wf:02")?;
            super::super::link_attachment(tx, &pdf, "wf:01")
        })
        .unwrap();
    let (owners, of_one) = w
        .oa
        .store()
        .read(|tx| {
            Ok::<_, OaError>((super::super::attachment_owners(tx, &pdf)?, super::super::attachments_of(tx, "wf:01")?))
        })
        .unwrap();
    assert_eq!(owners, vec!["wf:01".to_string(), "wf:02".to_string()]);
    assert_eq!(of_one, vec![pdf.clone()]);
    w.oa.store().write(|tx| super::super::unlink_attachment(tx, &pdf, "wf:01")).unwrap();
    let owners = w.oa.store().read(|tx| super::super::attachment_owners(tx, &pdf)).unwrap();
    assert_eq!(owners, vec!["wf:02".to_string()]);
    let missing = w.oa.store().write(|tx| super::super::link_attachment(tx, &"a".repeat(64), "wf:01")).unwrap_err();
    assert_eq!(missing.code(), "not_found");
    let malformed = w.oa.store().write(|tx| super::super::link_attachment(tx, "abc", "wf:01")).unwrap_err();
    assert_eq!(malformed.code(), "validation");
}

#[test]
fn the_attachments_data_refers_to_are_listed_for_linking() {
    let w = World::new();
    let txt = w.upload_as(w.admin_id, "a.txt", "text/plain", b"a").unwrap().hash;
    let form = form_of(json!([
        {"key": "files", "label": "Files", "type": "attachment"},
        {"key": "items", "label": "Items", "type": "table", "fields": [
            {"key": "scan", "label": "Scan", "type": "attachment"}]}
    ]));
    let data = w.check(&form, json!({"files": [w.pdf], "items": [{"scan": txt}, {"scan": [w.pdf]}]})).unwrap();
    let mut expected = vec![w.pdf.clone(), txt];
    expected.sort();
    assert_eq!(super::super::attachment_refs(&form, &data), expected);
}
