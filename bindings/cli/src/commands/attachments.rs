//! `oa attachments ...`: the core's attachments (附件): files uploaded from and saved to the
//! local disk, addressed by the SHA-256 of their content.

use oa::AttachmentInfo;

use crate::cli::AttachmentsCmd;
use crate::failure::{CliResult, Failure};
use crate::output::{self, Out};
use crate::session::Signed;

use super::read_file;

/// A declared type that says nothing, so that the core takes the type of the name's extension
/// from its allow-list.
const UNKNOWN_TYPE: &str = "application/octet-stream";

/// Runs `oa attachments ...`.
pub(crate) fn run(signed: &Signed, cmd: &AttachmentsCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        AttachmentsCmd::Upload { file, content_type, name } => {
            let bytes = read_file(file)?;
            let file_name = match name {
                Some(name) => name.clone(),
                None => file.file_name().map(|n| n.to_string_lossy().into_owned()).ok_or_else(|| {
                    Failure::Usage(format!("`{}` does not end in a file name; give one with --name", file.display()))
                })?,
            };
            let content_type = content_type.as_deref().unwrap_or(UNKNOWN_TYPE);
            show(signed, &office.upload_attachment(session, &file_name, content_type, &bytes)?, None, out)
        }
        AttachmentsCmd::Show { hash } => show(signed, &office.attachment_info(session, hash)?, None, out),
        AttachmentsCmd::Get { hash, out: path } => {
            let (info, bytes) = office.get_attachment(session, hash)?;
            std::fs::write(path, &bytes).map_err(|e| Failure::Io(format!("cannot write `{}`: {e}", path.display())))?;
            show(signed, &info, Some(path.display().to_string()), out)
        }
    }
}

/// An attachment, every field, and where its content was saved.
fn show(signed: &Signed, a: &AttachmentInfo, saved_to: Option<String>, out: Out) -> CliResult<()> {
    out.emit(a, || {
        let mut rows = vec![
            ("hash", a.hash.clone()),
            ("name", a.file_name.clone()),
            ("type", a.content_type.clone()),
            ("size", format!("{} bytes", a.size)),
            ("uploaded", output::instant(&a.created_at)),
            ("by", signed.login_label(a.created_by)),
        ];
        rows.extend(saved_to.map(|path| ("saved to", path)));
        output::record(rows)
    })
}
