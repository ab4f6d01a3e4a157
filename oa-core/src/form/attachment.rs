//! Attachments (附件): uploaded files kept as blobs addressed by the SHA-256 of their content.
//!
//! - The same content uploaded twice is stored once: the second upload finds the metadata
//!   record and adds only its uploader. The name and type are those of the first upload.
//! - The bytes are split into chunks of [`CHUNK_BYTES`] under `form.blob/<hash>/<n>`, so that no
//!   single stored value is large; the metadata is `form.blobm/<hash>`.
//! - A file is at most [`MAX_ATTACHMENT_BYTES`] (20 MiB) unless the caller passes another limit,
//!   and of a type in the allow-list, matched by declared MIME type and file-name extension; the
//!   first bytes are checked for PDF, PNG, JPEG, the zip-based formats (docx, xlsx, pptx, zip,
//!   ofd) and the OLE2 formats (doc, xls). A declared type of `application/octet-stream` or none
//!   takes the type of the extension (browsers send that for `.ofd`).
//! - Who uploaded a content is kept (`form.blobu/<hash>/<person>`); what it is linked to later
//!   (an instance, a contract) is kept both ways (`form.blobl/<hash>/<owner>` and
//!   `form.owned/<owner>/<hash>`), which is the content's reference list.

use chrono::{DateTime, Utc};
use oa_storage::{Direction, KeyRange, ReadTxn, WriteTxn};
use sha2::{Digest, Sha256};

use super::model::{keys, AttachmentInfo};
use crate::db;
use crate::error::Problems;
use crate::keys::KeyReader;
use crate::org::PersonId;
use crate::{OaError, OaResult};

/// The largest attachment, in bytes, when the caller gives no other limit: 20 MiB.
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;
/// The size of the chunks an attachment's bytes are stored in: 256 KiB.
pub const CHUNK_BYTES: usize = 256 * 1024;
/// The longest file name, in characters.
pub const MAX_FILE_NAME_LEN: usize = 255;
/// The longest owner reference of a link, in characters.
pub const MAX_OWNER_LEN: usize = 200;

/// How the first bytes of a type are recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Magic {
    /// Not checked (plain text has no signature).
    None,
    Pdf,
    Png,
    Jpeg,
    /// A zip container: docx, xlsx, pptx, zip, ofd.
    Zip,
    /// An OLE2 compound file: doc, xls.
    Ole,
}

/// A type of the allow-list.
#[derive(Debug)]
struct FileType {
    /// The type's name in messages.
    name: &'static str,
    /// The MIME types declared for it; the first is the one stored.
    mimes: &'static [&'static str],
    /// The file-name extensions, lowercase, without the dot.
    extensions: &'static [&'static str],
    magic: Magic,
}

const fn ft(
    name: &'static str,
    mimes: &'static [&'static str],
    extensions: &'static [&'static str],
    magic: Magic,
) -> FileType {
    FileType { name, mimes, extensions, magic }
}

/// The types an attachment may have.
const ALLOWED: &[FileType] = &[
    ft("Word", &["application/vnd.openxmlformats-officedocument.wordprocessingml.document"], &["docx"], Magic::Zip),
    ft("Excel", &["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"], &["xlsx"], Magic::Zip),
    ft(
        "PowerPoint",
        &["application/vnd.openxmlformats-officedocument.presentationml.presentation"],
        &["pptx"],
        Magic::Zip,
    ),
    ft("PDF", &["application/pdf"], &["pdf"], Magic::Pdf),
    ft("Word 97-2003", &["application/msword"], &["doc"], Magic::Ole),
    ft("Excel 97-2003", &["application/vnd.ms-excel"], &["xls"], Magic::Ole),
    ft("PNG", &["image/png"], &["png"], Magic::Png),
    ft("JPEG", &["image/jpeg", "image/jpg", "image/pjpeg"], &["jpg", "jpeg"], Magic::Jpeg),
    ft("text", &["text/plain"], &["txt"], Magic::None),
    ft("zip", &["application/zip", "application/x-zip-compressed"], &["zip"], Magic::Zip),
    ft("OFD", &["application/ofd", "application/x-ofd"], &["ofd"], Magic::Zip),
];

/// Declared types that say nothing: the extension decides.
const UNKNOWN_TYPES: &[&str] = &["", "application/octet-stream", "binary/octet-stream"];

fn allowed_extensions() -> String {
    ALLOWED.iter().flat_map(|t| t.extensions.iter()).map(|e| format!(".{e}")).collect::<Vec<_>>().join(", ")
}

fn magic_matches(magic: Magic, bytes: &[u8]) -> bool {
    match magic {
        Magic::None => true,
        Magic::Pdf => bytes.starts_with(b"%PDF-"),
        Magic::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        Magic::Jpeg => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        Magic::Zip => bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06"),
        Magic::Ole => bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
    }
}

/// The 64 lowercase hexadecimal digits of the SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

/// The attachment id in `text` (64 hexadecimal digits, any case), in lowercase.
pub(crate) fn parse_hash(text: &str) -> Option<String> {
    let t = text.trim();
    (t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())).then(|| t.to_ascii_lowercase())
}

/// `text` as an attachment id, or a validation error naming `field`.
pub(crate) fn require_hash(field: &str, text: &str) -> OaResult<String> {
    parse_hash(text).ok_or_else(|| {
        let shown: String = text.chars().take(80).collect();
        OaError::invalid(field, format!("`{shown}` is not an attachment id (64 hexadecimal digits)"))
    })
}

/// A size as people read it, with the exact count: `20 MiB (20971520 bytes)`.
fn size(n: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    let (unit, name) = match n {
        n if n >= MIB => (MIB, "MiB"),
        n if n >= KIB => (KIB, "KiB"),
        1 => return "1 byte".to_string(),
        _ => return format!("{n} bytes"),
    };
    let (whole, tenths) = (n / unit, (n % unit) * 10 / unit);
    if tenths == 0 {
        format!("{whole} {name} ({n} bytes)")
    } else {
        format!("{whole}.{tenths} {name} ({n} bytes)")
    }
}

/// An upload checked and hashed, ready to store.
#[derive(Debug, Clone)]
pub(crate) struct Upload<'a> {
    pub(crate) hash: String,
    pub(crate) file_name: String,
    pub(crate) content_type: String,
    pub(crate) bytes: &'a [u8],
}

/// Checks an upload (name, type, size against `limit`, first bytes) and hashes it. Every
/// problem is reported: `file_name`, `content_type`, `bytes`.
pub(crate) fn prepare<'a>(file_name: &str, content_type: &str, bytes: &'a [u8], limit: usize) -> OaResult<Upload<'a>> {
    let mut problems = Problems::new();
    let name = file_name.trim();
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let mut name_ok = false;
    if name.is_empty() {
        problems.add("file_name", "must not be empty");
    } else if name.chars().count() > MAX_FILE_NAME_LEN {
        problems.add("file_name", format!("must be at most {MAX_FILE_NAME_LEN} characters"));
    } else if name.contains(['/', '\\']) {
        problems.add("file_name", "must be a file name, not a path");
    } else if name.chars().any(char::is_control) {
        problems.add("file_name", "must not contain control characters");
    } else {
        name_ok = true;
    }
    let by_extension = extension.as_deref().and_then(|e| ALLOWED.iter().find(|t| t.extensions.contains(&e)));
    if name_ok && by_extension.is_none() {
        let shown = extension
            .as_deref()
            .map(|e| format!("`.{e}` files are"))
            .unwrap_or_else(|| "a file without an extension is".into());
        problems.add("file_name", format!("{shown} not allowed; allowed: {}", allowed_extensions()));
    }
    let declared = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let file_type = if UNKNOWN_TYPES.contains(&declared.as_str()) {
        by_extension
    } else {
        match ALLOWED.iter().find(|t| t.mimes.contains(&declared.as_str())) {
            None => {
                problems.add(
                    "content_type",
                    format!("`{declared}` is not an allowed type; allowed: {}", allowed_extensions()),
                );
                None
            }
            Some(t) => {
                if let (Some(e), Some(_)) = (&extension, by_extension) {
                    if !t.extensions.contains(&e.as_str()) {
                        problems.add("file_name", format!("`.{e}` does not match the declared type `{declared}`"));
                    }
                }
                Some(t)
            }
        }
    };
    if bytes.is_empty() {
        problems.add("bytes", "the file is empty");
    } else if bytes.len() > limit {
        problems.add("bytes", format!("the file is {}; the limit is {}", size(bytes.len()), size(limit)));
    } else if let Some(t) = file_type {
        if !magic_matches(t.magic, bytes) {
            problems.add("bytes", format!("the content is not a {} file", t.name));
        }
    }
    problems.finish()?;
    let t = file_type.ok_or_else(|| OaError::Internal("an upload passed its checks without a type".into()))?;
    Ok(Upload {
        hash: sha256_hex(bytes),
        file_name: name.to_string(),
        content_type: t.mimes.first().copied().unwrap_or_default().to_string(),
        bytes,
    })
}

/// Stores `upload` unless its content is stored already, and records `by` as an uploader.
/// Returns the attachment and whether its content was new.
pub(crate) fn store(
    tx: &mut dyn WriteTxn,
    upload: &Upload<'_>,
    now: DateTime<Utc>,
    by: PersonId,
) -> OaResult<(AttachmentInfo, bool)> {
    let hash = upload.hash.as_str();
    tx.put(keys::uploader(hash, by).as_bytes(), &[])?;
    if let Some(existing) = load_info(tx.as_read(), hash)? {
        return Ok((existing, false));
    }
    for (n, chunk) in upload.bytes.chunks(CHUNK_BYTES).enumerate() {
        let n = u32::try_from(n).map_err(|_| OaError::Internal("an attachment has too many chunks".into()))?;
        tx.put(keys::chunk(hash, n).as_bytes(), chunk)?;
    }
    let info = AttachmentInfo {
        hash: hash.to_string(),
        file_name: upload.file_name.clone(),
        content_type: upload.content_type.clone(),
        size: upload.bytes.len() as u64,
        created_at: now,
        created_by: by,
    };
    db::put(tx, keys::meta(hash).as_bytes(), &info)?;
    Ok((info, true))
}

/// The attachment `hash` (normalised), if stored.
pub(crate) fn load_info(tx: &mut dyn ReadTxn, hash: &str) -> OaResult<Option<AttachmentInfo>> {
    db::get(tx, keys::meta(hash).as_bytes())
}

/// Whether the attachment `hash` (normalised) is stored.
pub(crate) fn exists(tx: &mut dyn ReadTxn, hash: &str) -> OaResult<bool> {
    db::exists(tx, keys::meta(hash).as_bytes())
}

/// Whether `person` uploaded the content `hash` (normalised), first or again.
pub(crate) fn is_uploader(tx: &mut dyn ReadTxn, hash: &str, person: PersonId) -> OaResult<bool> {
    db::exists(tx, keys::uploader(hash, person).as_bytes())
}

/// The bytes of attachment `info`, joined from its chunks and checked against its hash.
pub(crate) fn read_bytes(tx: &mut dyn ReadTxn, info: &AttachmentInfo) -> OaResult<Vec<u8>> {
    let all = KeyRange::prefix(keys::chunks(&info.hash).as_bytes());
    let chunks = tx.scan(&all, Direction::Forward, usize::MAX)?;
    let mut out = Vec::with_capacity(usize::try_from(info.size).unwrap_or(0));
    for (_, chunk) in chunks {
        out.extend_from_slice(&chunk);
    }
    if out.len() as u64 != info.size || sha256_hex(&out) != info.hash {
        return Err(OaError::Storage(format!(
            "attachment `{}` is damaged: its stored content no longer matches its hash",
            info.hash
        )));
    }
    Ok(out)
}

fn check_owner(owner: &str) -> OaResult<()> {
    let n = owner.chars().count();
    if n == 0 || n > MAX_OWNER_LEN {
        return Err(OaError::Internal(format!("an attachment owner must be 1 to {MAX_OWNER_LEN} characters")));
    }
    Ok(())
}

/// Links the stored attachment `hash` to `owner` (an instance, `wf:<id>`; a contract). Linking
/// twice is harmless. Fails with `not_found` when no such attachment is stored.
pub(crate) fn link_attachment(tx: &mut dyn WriteTxn, hash: &str, owner: &str) -> OaResult<()> {
    let hash = require_hash("attachment", hash)?;
    check_owner(owner)?;
    if !exists(tx.as_read(), &hash)? {
        return Err(OaError::not_found("attachment", hash));
    }
    tx.put(keys::link(&hash, owner).as_bytes(), &[])?;
    tx.put(keys::owned(owner, &hash).as_bytes(), &[])?;
    Ok(())
}

/// Removes the link of attachment `hash` to `owner`, if any. The content stays stored.
#[allow(dead_code, reason = "tested; for views of an attachment's references, not called yet")]
pub(crate) fn unlink_attachment(tx: &mut dyn WriteTxn, hash: &str, owner: &str) -> OaResult<()> {
    let hash = require_hash("attachment", hash)?;
    tx.delete(keys::link(&hash, owner).as_bytes())?;
    tx.delete(keys::owned(owner, &hash).as_bytes())?;
    Ok(())
}

/// What the attachment `hash` is linked to, in order.
#[allow(dead_code, reason = "tested; for views of an attachment's references, not called yet")]
pub(crate) fn owners_of(tx: &mut dyn ReadTxn, hash: &str) -> OaResult<Vec<String>> {
    let entries = tx.scan(&KeyRange::prefix(keys::links(hash).as_bytes()), Direction::Forward, usize::MAX)?;
    Ok(entries
        .iter()
        .filter_map(|(k, _)| {
            let mut r = KeyReader::new(k)?;
            r.str()?;
            r.str()
        })
        .collect())
}

/// The attachments linked to `owner`, by hash.
#[allow(dead_code, reason = "tested; for views of an attachment's references, not called yet")]
pub(crate) fn attachments_of(tx: &mut dyn ReadTxn, owner: &str) -> OaResult<Vec<String>> {
    let entries = tx.scan(&KeyRange::prefix(keys::owned_by(owner).as_bytes()), Direction::Forward, usize::MAX)?;
    Ok(entries
        .iter()
        .filter_map(|(k, _)| {
            let mut r = KeyReader::new(k)?;
            r.str()?;
            r.str()
        })
        .collect())
}
