//! Word manuscripts (`.docx`): reading them into the text model, and
//! writing a copy with the findings as Word comments.
//!
//! ```text
//! book.docx ──package──▶ XML parts ──walk──▶ paragraphs of visible text
//!           ──render──▶ chapters: Markdown-flavoured text + prose mask
//!                       + blocks + SourceMap (paragraph ¶, column)
//! ```
//!
//! The container is read with the `zip` crate and the XML with
//! `quick-xml`; every read is bounded (see [`Limits`]). Chapters come out
//! as ordinary [`Chapter`]s of format [`SourceFormat::Docx`], so every rule
//! runs on them unchanged; their [`crate::text::SourceMap`] turns offsets
//! into paragraph numbers and columns for reports. See
//! [`annotate::write_annotated`] for `--annotate`.

pub mod annotate;
mod package;
mod render;
mod styles;
mod walk;
mod xml;

use std::path::Path;
use std::sync::Arc;

pub use package::{DocxError, Limits};

use crate::load::LoadProblem;
use crate::text::{Chapter, SourceFormat};
use package::Package;
use render::{Document, RenderedChapter};
use styles::Styles;

/// True for a path ending in `.docx` (any case).
pub fn is_docx_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"))
}

/// What a file passed by name that manulint cannot read is, when a writer
/// may well try it (an old `.doc`, an `.odt`, `.rtf` or `.pages` file), and
/// what to do: `(what it is, help)`. `None` for other extensions.
pub fn other_document(path: &Path) -> Option<(&'static str, &'static str)> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    let what = match extension.as_str() {
        "doc" | "dot" => "an old Word 97–2003 document (.doc)",
        "odt" => "an OpenDocument text (.odt)",
        "rtf" => "an RTF document",
        "pages" => "a Pages document",
        _ => return None,
    };
    Some((
        what,
        "save it as .docx (File ▸ Save As ▸ Word Document) or export it as plain text, then check that file",
    ))
}

/// Reads a `.docx` into chapters (indices all 0: the caller numbers them),
/// reading at most `limits` (see [`Limits::within`]).
///
/// Errors: a [`LoadProblem`] naming the file, what is wrong (not a zip, an
/// old `.doc`, password-protected, damaged, too large) and what to do; a
/// warning when the document has no text at all.
pub fn load(path: &Path, limits: Limits) -> Result<Vec<Chapter>, LoadProblem> {
    // A file of no bytes is what “New ▸ Microsoft Word Document” creates
    // (a placeholder chapter): nothing to read, like a document with no
    // text, and no damaged archive.
    if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
        return Err(LoadProblem::warning(
            path,
            format!("{}: skipped, the file is empty (0 bytes)", path.display()),
            "Windows' New ▸ Microsoft Word Document makes such a file: open it in Word, write, and save",
        ));
    }
    let rendered = read(path, limits).map_err(|e| problem(path, &e))?;
    if rendered.is_empty() {
        return Err(LoadProblem::warning(
            path,
            format!("{}: skipped, the document has no text", path.display()),
            "check that this is the right file",
        ));
    }
    Ok(rendered
        .into_iter()
        .map(|chapter| {
            let mut parsed = Chapter::from_structure(
                0,
                path.to_path_buf(),
                SourceFormat::Docx,
                Arc::from(chapter.text),
                chapter.structure,
            );
            parsed.source_map = Some(Arc::new(chapter.map));
            parsed
        })
        .collect())
}

/// A load problem for a `.docx` error.
pub fn problem(path: &Path, error: &DocxError) -> LoadProblem {
    LoadProblem::error(
        path,
        format!("{}: {}", path.display(), error.message()),
        error.help(),
    )
}

/// Opens, walks and renders a document within `limits`.
pub(crate) fn read(path: &Path, limits: Limits) -> Result<Vec<RenderedChapter>, DocxError> {
    let mut package = Package::open(path, limits)?;
    let parts = Parts::find(&mut package)?;
    let document = parts.walk(&mut package)?;
    Ok(render::render(&document))
}

/// Where a document's parts are.
struct Parts {
    main: String,
    styles: Option<String>,
    footnotes: Option<String>,
    endnotes: Option<String>,
    comments: Option<String>,
}

impl Parts {
    fn find(package: &mut Package) -> Result<Parts, DocxError> {
        let main = package.main_document()?;
        let rels = package.relationships(&main)?;
        let target = |suffix: &str| {
            rels.iter()
                .find(|r| !r.external && r.kind.ends_with(suffix))
                .map(|r| r.target.clone())
        };
        Ok(Parts {
            styles: target("/styles"),
            footnotes: target("/footnotes"),
            endnotes: target("/endnotes"),
            comments: target("/comments"),
            main,
        })
    }

    fn styles(&self, package: &mut Package) -> Result<Styles, DocxError> {
        let Some(name) = &self.styles else {
            return Ok(Styles::default());
        };
        match package.read_text(name)? {
            Some(xml) => Styles::parse(name, &xml),
            None => Ok(Styles::default()),
        }
    }

    fn walk(&self, package: &mut Package) -> Result<Document, DocxError> {
        let styles = self.styles(package)?;
        let xml = package
            .read_text(&self.main)?
            .ok_or(DocxError::NoDocument)?;
        let body = walk::walk(&self.main, &xml, &styles)?;
        drop(xml);
        let mut optional = |name: &Option<String>| -> Result<Option<walk::Part>, DocxError> {
            let Some(name) = name else {
                return Ok(None);
            };
            match package.read_text(name)? {
                Some(xml) => walk::walk(name, &xml, &styles).map(Some),
                None => Ok(None),
            }
        };
        Ok(Document {
            body,
            footnotes: optional(&self.footnotes)?,
            endnotes: optional(&self.endnotes)?,
            comments: optional(&self.comments)?,
        })
    }
}
