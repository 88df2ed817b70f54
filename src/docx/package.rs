//! The `.docx` container: a zip archive of XML parts found through
//! relationship files (ECMA-376 Part 2, Open Packaging Conventions).
//!
//! Everything read here is bounded, because a manuscript folder may hold
//! anything: the file's size, the number of entries, each part's declared
//! and actual unpacked size, and the total unpacked. Files that are not zip
//! archives are told apart by their first bytes, so an old `.doc` renamed
//! `.docx` or a password-protected document (both OLE compound files) gets
//! a message saying what to do instead of "corrupt".

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use zip::ZipArchive;

/// How much of a `.docx` manulint reads, at most.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Size of the file on disk, in bytes (images make documents big).
    pub file: u64,
    /// Entries in the archive.
    pub entries: usize,
    /// Unpacked size of one XML part, in bytes.
    pub part: u64,
    /// Unpacked size of all parts read together, in bytes.
    pub total: u64,
}

impl Limits {
    /// The limits for `max_file_size` bytes, the size limit of every
    /// chapter file (`max-file-size-mb` in `[manuscript]`): the file on
    /// disk and all the XML read from it may each be that large, one part
    /// half of it; 20,000 entries.
    pub fn within(max_file_size: u64) -> Limits {
        Limits {
            file: max_file_size,
            entries: 20_000,
            part: max_file_size / 2,
            total: max_file_size,
        }
    }
}

impl Default for Limits {
    /// [`Limits::within`] the default file size limit (256 MiB on disk,
    /// 128 MiB per part). A 300,000-word novel's `document.xml` is about
    /// 20 MiB.
    fn default() -> Self {
        Limits::within(crate::load::DEFAULT_MAX_FILE_MB << 20)
    }
}

/// Why a `.docx` cannot be read. [`DocxError::message`] and
/// [`DocxError::help`] say it to the writer.
#[derive(Debug)]
pub enum DocxError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// The file on disk is larger than [`Limits::file`] (bytes).
    FileTooLarge { size: u64, limit: u64 },
    /// An OLE compound file with a `WordDocument` stream: Word 97–2003.
    OldWordFormat,
    /// An OLE compound file with an `EncryptedPackage` stream, or zip
    /// entries encrypted: the document has a password.
    Encrypted,
    /// Another OLE compound file (an old Excel or PowerPoint file …).
    OtherCompoundFile,
    /// Not a zip archive, with what it looks like instead.
    NotZip { looks_like: Option<&'static str> },
    /// A zip archive the zip reader rejects (truncated, bad central
    /// directory, bad checksum or compressed data).
    Damaged { detail: String },
    /// More entries than [`Limits::entries`].
    TooManyEntries { count: usize, limit: usize },
    /// No main document part: not a Word document.
    NoDocument,
    /// A part would unpack to more than the limit (bytes): a zip bomb, or
    /// a document too large to check.
    PartTooLarge { part: String, size: u64, limit: u64 },
    /// A part is not well-formed XML, or not UTF-8/UTF-16.
    BadXml { part: String, detail: String },
}

impl DocxError {
    /// One line naming what is wrong (the caller puts the path in front).
    pub fn message(&self) -> String {
        match self {
            DocxError::Io(e) => format!("cannot read the file: {e}"),
            DocxError::FileTooLarge { size, limit } => format!(
                "the file is {} MB, more than the {} MB manulint reads from a .docx",
                size >> 20,
                limit >> 20
            ),
            DocxError::OldWordFormat => {
                "this is an old Word 97–2003 document (.doc), not a .docx".to_string()
            }
            DocxError::Encrypted => {
                "the document is password-protected (encrypted), so its text cannot be read"
                    .to_string()
            }
            DocxError::OtherCompoundFile => {
                "this is an old Office file (not a Word .docx document)".to_string()
            }
            DocxError::NotZip {
                looks_like: Some(kind),
            } => format!("this is {kind}, not a .docx (a .docx is a zip archive)"),
            DocxError::NotZip { looks_like: None } => {
                "not a Word document: a .docx is a zip archive, and this file is not one"
                    .to_string()
            }
            DocxError::Damaged { detail } => {
                format!("the document is damaged (its zip archive cannot be read: {detail})")
            }
            DocxError::TooManyEntries { count, limit } => {
                format!("the archive holds {count} entries, more than the {limit} manulint reads")
            }
            DocxError::NoDocument => {
                "not a Word document: the archive has no main document part (word/document.xml)"
                    .to_string()
            }
            DocxError::PartTooLarge { part, size, limit } => format!(
                "{part} would unpack to {} MB, more than the {} MB manulint reads (a damaged file or a zip bomb)",
                size.div_ceil(1 << 20),
                limit >> 20
            ),
            DocxError::BadXml { part, detail } => {
                format!("the document is damaged: {part} is not valid XML ({detail})")
            }
        }
    }

    /// What the writer can do about it.
    pub fn help(&self) -> &'static str {
        match self {
            DocxError::Io(_) => "check that the file exists and that you may read it",
            DocxError::OldWordFormat => {
                "open it in Word or LibreOffice and save it as .docx (File ▸ Save As ▸ Word Document), then check the .docx"
            }
            DocxError::Encrypted => {
                "check a copy without the password: in Word, File ▸ Info ▸ Protect Document ▸ Encrypt with Password, clear the password and save under another name"
            }
            DocxError::OtherCompoundFile | DocxError::NotZip { .. } | DocxError::NoDocument => {
                "save the manuscript from Word or LibreOffice as a Word Document (.docx), or rename the file if it is not a .docx"
            }
            DocxError::Damaged { .. } | DocxError::BadXml { .. } => {
                "open it in Word (which offers to repair it) and save it as .docx again, or check a backup copy"
            }
            DocxError::FileTooLarge { .. } | DocxError::TooManyEntries { .. } => {
                "if this is really your manuscript, save a copy without images (or split it) and check that, or raise `max-file-size-mb` in [manuscript] of manulint.toml; otherwise remove the file from the manuscript folder"
            }
            // The text itself is large: images are other parts.
            DocxError::PartTooLarge { .. } => {
                "if this is really your manuscript, raise `max-file-size-mb` in [manuscript] of manulint.toml (the text may unpack to half of it) or split the document; otherwise remove the file from the manuscript folder"
            }
        }
    }
}

impl From<std::io::Error> for DocxError {
    fn from(error: std::io::Error) -> Self {
        DocxError::Io(error)
    }
}

/// An open `.docx` archive.
pub struct Package {
    archive: ZipArchive<BufReader<File>>,
    limits: Limits,
    /// Bytes unpacked so far, for [`Limits::total`].
    read: u64,
}

/// A relationship from a part to another (`Type` → resolved target name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relationship {
    pub id: String,
    pub kind: String,
    /// The target as a part name inside the archive (`word/styles.xml`),
    /// or the raw target for external relationships.
    pub target: String,
    pub external: bool,
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

impl Package {
    /// Opens `path` as a zip archive after checking its size and kind.
    ///
    /// Errors: I/O, a file over [`Limits::file`], an OLE file (old `.doc`,
    /// encrypted document), something else that is not a zip, a damaged
    /// archive, too many entries.
    pub fn open(path: &Path, limits: Limits) -> Result<Package, DocxError> {
        // Never a blocking open of a pipe that was put where a file was.
        let mut file = crate::load::open_for_reading(path)?;
        let metadata = file.metadata()?;
        if !metadata.is_file() {
            return Err(DocxError::Io(std::io::Error::other("not a regular file")));
        }
        let size = metadata.len();
        if size > limits.file {
            return Err(DocxError::FileTooLarge {
                size,
                limit: limits.file,
            });
        }
        let mut head = [0u8; 8];
        let got = read_up_to(&mut file, &mut head)?;
        let head = &head[..got];
        if head == OLE_MAGIC {
            return Err(compound_file_kind(&mut file)?);
        }
        if !head.starts_with(b"PK") {
            return Err(DocxError::NotZip {
                looks_like: sniff(head),
            });
        }
        file.rewind()?;
        let archive = ZipArchive::new(BufReader::new(file)).map_err(|e| DocxError::Damaged {
            detail: e.to_string(),
        })?;
        if archive.len() > limits.entries {
            return Err(DocxError::TooManyEntries {
                count: archive.len(),
                limit: limits.entries,
            });
        }
        Ok(Package {
            archive,
            limits,
            read: 0,
        })
    }

    /// The entry index of a part name; part names are case-insensitive.
    fn index_of(&self, name: &str) -> Option<usize> {
        let name = name.trim_start_matches('/');
        self.archive.index_for_name(name).or_else(|| {
            self.archive.file_names().position(|n| {
                n.as_deref()
                    .is_ok_and(|n| n.trim_start_matches('/').eq_ignore_ascii_case(name))
            })
        })
    }

    /// True when the archive holds the part.
    pub fn has_part(&self, name: &str) -> bool {
        self.index_of(name).is_some()
    }

    /// The raw bytes of a part, unpacked, or `None` when there is no such
    /// part. Bounded by [`Limits::part`] (checked against the declared size
    /// first, then while reading, since a declared size may lie) and by
    /// [`Limits::total`].
    pub fn read_bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>, DocxError> {
        let Some(index) = self.index_of(name) else {
            return Ok(None);
        };
        let limit = self
            .limits
            .part
            .min(self.limits.total - self.read.min(self.limits.total));
        let entry = self
            .archive
            .by_index(index)
            .map_err(|e| damaged(name, &e))?;
        if entry.encrypted() {
            return Err(DocxError::Encrypted);
        }
        let declared = entry.size();
        if declared > limit {
            return Err(too_large(name, declared, limit));
        }
        let mut bytes = Vec::with_capacity(declared as usize);
        let mut capped = entry.take(limit + 1);
        capped
            .read_to_end(&mut bytes)
            .map_err(|e| DocxError::Damaged {
                detail: format!("{name}: {e}"),
            })?;
        if bytes.len() as u64 > limit {
            return Err(too_large(name, bytes.len() as u64, limit));
        }
        self.read += bytes.len() as u64;
        Ok(Some(bytes))
    }

    /// A part as text (UTF-8, or UTF-16 with a byte-order mark), or `None`
    /// when there is no such part.
    pub fn read_text(&mut self, name: &str) -> Result<Option<String>, DocxError> {
        let Some(bytes) = self.read_bytes(name)? else {
            return Ok(None);
        };
        decode_xml(name, bytes).map(Some)
    }

    /// The relationships of `part` (`""` for the package itself), from its
    /// `_rels/NAME.rels` file; empty when there is none.
    pub fn relationships(&mut self, part: &str) -> Result<Vec<Relationship>, DocxError> {
        let rels_name = rels_name_of(part);
        let Some(xml) = self.read_text(&rels_name)? else {
            return Ok(Vec::new());
        };
        parse_relationships(&rels_name, &xml, part)
    }

    /// The name of the main document part (`word/document.xml`), found
    /// through the package relationships.
    ///
    /// Errors: [`DocxError::NoDocument`] when there is none.
    pub fn main_document(&mut self) -> Result<String, DocxError> {
        let rels = self.relationships("")?;
        let target = rels
            .iter()
            .find(|r| !r.external && r.kind.ends_with("/officeDocument"))
            .map(|r| r.target.clone())
            .unwrap_or_else(|| "word/document.xml".to_string());
        if self.has_part(&target) {
            Ok(target)
        } else {
            Err(DocxError::NoDocument)
        }
    }

    /// The underlying archive, for copying entries unchanged.
    pub fn archive_mut(&mut self) -> &mut ZipArchive<BufReader<File>> {
        &mut self.archive
    }
}

fn damaged(name: &str, error: &zip::result::ZipError) -> DocxError {
    DocxError::Damaged {
        detail: format!("{name}: {error}"),
    }
}

fn too_large(part: &str, size: u64, limit: u64) -> DocxError {
    DocxError::PartTooLarge {
        part: part.to_string(),
        size,
        limit,
    }
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// What an OLE compound file holds, told by the UTF-16 names of its
/// streams: `EncryptedPackage` (a password-protected OOXML document) or
/// `WordDocument` (Word 97–2003). The file is scanned in bounded chunks.
fn compound_file_kind(file: &mut File) -> Result<DocxError, DocxError> {
    let encrypted = utf16le("EncryptedPackage");
    let word = utf16le("WordDocument");
    let overlap = encrypted.len().max(word.len());
    file.rewind()?;
    let mut reader = BufReader::new(file);
    let mut window: Vec<u8> = Vec::with_capacity(64 * 1024 + overlap);
    let mut chunk = vec![0u8; 64 * 1024];
    let mut found_word = false;
    loop {
        let n = reader.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        window.extend_from_slice(&chunk[..n]);
        if contains(&window, &encrypted) {
            return Ok(DocxError::Encrypted);
        }
        found_word |= contains(&window, &word);
        let keep = window.len().saturating_sub(overlap);
        window.drain(..keep);
    }
    Ok(if found_word {
        DocxError::OldWordFormat
    } else {
        DocxError::OtherCompoundFile
    })
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// What a file that is not a zip looks like, from its first bytes.
fn sniff(head: &[u8]) -> Option<&'static str> {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with("{\\rtf") {
        Some("an RTF document")
    } else if text.starts_with("<?xml") || text.starts_with("<html") || text.starts_with("<!doc") {
        Some("an XML or HTML file")
    } else if head.starts_with(b"%PDF") {
        Some("a PDF")
    } else {
        None
    }
}

/// `word/document.xml` → `word/_rels/document.xml.rels`; `""` → `_rels/.rels`.
fn rels_name_of(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((folder, file)) => format!("{folder}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// Decodes an XML part: UTF-8 (a byte-order mark is dropped) or UTF-16
/// with a byte-order mark.
pub fn decode_xml(name: &str, bytes: Vec<u8>) -> Result<String, DocxError> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(&bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(DocxError::BadXml {
                part: name.to_string(),
                detail: format!("not valid {}", encoding.name()),
            });
        }
        return Ok(text.into_owned());
    }
    String::from_utf8(bytes).map_err(|e| DocxError::BadXml {
        part: name.to_string(),
        detail: format!("not UTF-8 at byte {}", e.utf8_error().valid_up_to()),
    })
}

/// Resolves a relationship target against the folder of its source part.
fn resolve_target(source_part: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if let Some(absolute) = target.strip_prefix('/') {
        return normalise(absolute.split('/').collect());
    } else {
        source_part
            .rsplit_once('/')
            .map_or_else(Vec::new, |(folder, _)| folder.split('/').collect())
    };
    parts.extend(target.split('/'));
    normalise(parts)
}

fn normalise(parts: Vec<&str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in parts {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            p => out.push(p),
        }
    }
    out.join("/")
}

fn parse_relationships(
    rels_name: &str,
    xml: &str,
    source_part: &str,
) -> Result<Vec<Relationship>, DocxError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        let event = reader.read_event().map_err(|e| DocxError::BadXml {
            part: rels_name.to_string(),
            detail: e.to_string(),
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let get = |key: &str| super::xml::attribute(&e, key);
                let external = get("TargetMode").is_some_and(|m| m == "External");
                let target = get("Target").unwrap_or_default();
                out.push(Relationship {
                    id: get("Id").unwrap_or_default(),
                    kind: get("Type").unwrap_or_default(),
                    target: if external {
                        target
                    } else {
                        resolve_target(source_part, &target)
                    },
                    external,
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_source_folder() {
        assert_eq!(resolve_target("", "word/document.xml"), "word/document.xml");
        assert_eq!(
            resolve_target("", "/word/document.xml"),
            "word/document.xml"
        );
        assert_eq!(
            resolve_target("word/document.xml", "styles.xml"),
            "word/styles.xml"
        );
        assert_eq!(
            resolve_target("word/document.xml", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(rels_name_of(""), "_rels/.rels");
        assert_eq!(
            rels_name_of("word/document.xml"),
            "word/_rels/document.xml.rels"
        );
    }

    #[test]
    fn sniffs_what_is_not_a_zip() {
        assert_eq!(sniff(b"{\\rtf1\\ansi"), Some("an RTF document"));
        assert_eq!(sniff(b"%PDF-1.7"), Some("a PDF"));
        assert_eq!(sniff(b"hello"), None);
    }
}
