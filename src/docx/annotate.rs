//! `manulint check book.docx --annotate reviewed.docx`: a copy of the
//! document with one Word comment per finding, anchored on the finding's
//! exact text.
//!
//! The copy is the original archive with every entry copied byte for byte
//! (compressed data included), except:
//!
//! - the main document: `w:commentRangeStart`/`w:commentRangeEnd` and a
//!   `w:commentReference` run inserted at the finding's first and last
//!   character. Where that falls inside a run, the run is split in two,
//!   both halves keeping the run's properties (`w:rPr`) and the text its
//!   spaces (`xml:space="preserve"`). A finding in a footnote or endnote is
//!   anchored on the note's reference mark in the text: comments inside
//!   `footnotes.xml` are valid, but LibreOffice cannot open such a file;
//! - the comments part: the new `w:comment`s appended (author "manulint",
//!   ids above every id already used), or a new `comments.xml` with its
//!   relationship and content type.
//!
//! Positions come from the same walk the reader uses ([`super::walk`]), so
//! a column here is the column the reader reported. The XML around the
//! insertions is left exactly as it was. The copy is written to a
//! temporary file beside the target and renamed over it, so a failed run
//! leaves no half-written document; the original is only read.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use zip::write::SimpleFileOptions;

use super::package::{DocxError, Package};
use super::walk::{self, MarkKind, Paragraph, Part};
use super::xml::escape;
use super::{Limits, Parts};
use crate::text::source_map::{NoteKind, Place};

/// Where a comment starts or ends: a paragraph (or note paragraph) and a
/// 1-based character column, as [`crate::text::SourceMap`] reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub place: Place,
    pub column: usize,
}

/// One comment to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewComment {
    pub start: Anchor,
    /// Just past the last character (equal to `start` for a point).
    pub end: Anchor,
    /// The comment's paragraphs; the first is written as `label` in bold
    /// followed by the text.
    pub label: String,
    pub paragraphs: Vec<String>,
}

/// Why the annotated copy could not be written.
#[derive(Debug)]
pub enum AnnotateError {
    /// The source document cannot be read (see [`DocxError`]).
    Source(DocxError),
    /// The target is the source itself.
    SameFile,
    /// Writing the target failed.
    Write { path: PathBuf, detail: String },
}

impl AnnotateError {
    /// What went wrong, for the writer (`source` and `target` named).
    pub fn message(&self, source: &Path, target: &Path) -> String {
        match self {
            AnnotateError::Source(e) => {
                format!("cannot annotate {}: {}", source.display(), e.message())
            }
            AnnotateError::SameFile => format!(
                "--annotate {} is the document being checked; manulint never changes the original",
                target.display()
            ),
            AnnotateError::Write { path, detail } => {
                format!("cannot write {}: {detail}", path.display())
            }
        }
    }

    pub fn help(&self) -> &'static str {
        match self {
            AnnotateError::Source(e) => e.help(),
            AnnotateError::SameFile => "name another file, e.g. --annotate reviewed.docx",
            AnnotateError::Write { .. } => {
                "check that the folder exists and is writable, and that the file is not open in Word"
            }
        }
    }
}

impl From<DocxError> for AnnotateError {
    fn from(error: DocxError) -> Self {
        AnnotateError::Source(error)
    }
}

const COMMENTS_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";
const TRANSITIONAL_WML: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const STRICT_WML: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const TRANSITIONAL_RELS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const STRICT_RELS: &str = "http://purl.oclc.org/ooxml/officeDocument/relationships";

/// Writes `source` to `target` with `comments` added, reading at most
/// `limits` of the source; returns how many were written (comments whose
/// anchor is not in the document are left out). Atomic: a temporary file in
/// the target's folder, renamed.
///
/// Errors: the source cannot be read ([`AnnotateError::Source`]), the
/// target is the source, or the target cannot be written.
pub fn write_annotated(
    source: &Path,
    target: &Path,
    comments: &[NewComment],
    limits: Limits,
) -> Result<usize, AnnotateError> {
    if same_file(source, target) {
        return Err(AnnotateError::SameFile);
    }
    let mut package = Package::open(source, limits)?;
    let parts = Parts::find(&mut package)?;
    let styles = parts.styles(&mut package)?;
    let mut edited = Edited::default();

    // The main document, walked as the reader walks it, and the notes
    // (only for the comment ids they use).
    let main_xml = package
        .read_text(&parts.main)?
        .ok_or(DocxError::NoDocument)?;
    let main = walk::walk(&parts.main, &main_xml, &styles)?;
    let mut notes = Vec::new();
    for name in [&parts.footnotes, &parts.endnotes].into_iter().flatten() {
        if let Some(xml) = package.read_text(name)? {
            notes.push(walk::walk(name, &xml, &styles)?);
        }
    }
    let existing = match &parts.comments {
        Some(name) => package.read_text(name)?.map(|xml| (name.clone(), xml)),
        None => None,
    };
    let existing_part = match &existing {
        Some((name, xml)) => Some(walk::walk(name, xml, &styles)?),
        None => None,
    };
    let mut next_id = next_comment_id(
        std::iter::once(&main)
            .chain(&notes)
            .chain(existing_part.as_ref()),
    );

    // Anchor each comment.
    let prefix = element_prefix(&main);
    let mut splices: Vec<Splice> = Vec::new();
    let mut written: Vec<(i64, &NewComment)> = Vec::new();
    for comment in comments {
        let Some(target) = locate(&main, comment) else {
            continue;
        };
        let id = next_id;
        next_id += 1;
        let start = Marker::start(
            id,
            format!(r#"<{prefix}commentRangeStart {prefix}id="{id}"/>"#),
        );
        let end = Marker::end(
            id,
            format!(
                r#"<{prefix}commentRangeEnd {prefix}id="{id}"/><{prefix}r><{prefix}commentReference {prefix}id="{id}"/></{prefix}r>"#
            ),
        );
        match target {
            Target::Text {
                start: from,
                end: to,
            } => {
                splices.extend(splice_at(&main_xml, &main, from.0, from.1, start));
                splices.extend(splice_at(&main_xml, &main, to.0, to.1, end));
            }
            Target::Run { paragraph, run } => {
                splices.extend(around_run(&main, paragraph, run, start, end));
            }
        }
        written.push((id, comment));
    }
    if !splices.is_empty() {
        edited
            .parts
            .insert(parts.main.clone(), apply(&main_xml, &main, splices));
    }

    // The comments part, its relationship and content type.
    let strict = main_xml.contains(STRICT_WML);
    let date = utc_now();
    let new_comments: String = written
        .iter()
        .map(|(id, c)| {
            let prefix = existing_part.as_ref().map_or("w:", element_prefix_str);
            comment_xml(*id, c, prefix, &date)
        })
        .collect();
    match &existing {
        Some((name, xml)) => {
            let updated = insert_before_root_end(name, xml, &new_comments)?;
            edited.parts.insert(name.clone(), updated);
        }
        None if !written.is_empty() => {
            add_comments_part(
                &mut package,
                &parts.main,
                strict,
                &new_comments,
                &mut edited,
            )?;
        }
        None => {}
    }
    let permissions = std::fs::metadata(source).map(|m| m.permissions()).ok();
    write_zip(&mut package, target, &edited, permissions)?;
    Ok(written.len())
}

/// Parts replaced or added in the copy, by name.
#[derive(Default)]
struct Edited {
    parts: BTreeMap<String, String>,
    /// Names of parts that are new (not in the source archive).
    added: Vec<String>,
}

/// Whether `target` is `source` itself on disk, also when `target` does
/// not exist yet (its folder is resolved) or neither resolves (the paths
/// as given are compared).
pub fn same_file(source: &Path, target: &Path) -> bool {
    let canonical = |p: &Path| {
        std::fs::canonicalize(p).ok().or_else(|| {
            let parent = p.parent().filter(|p| !p.as_os_str().is_empty())?;
            Some(std::fs::canonicalize(parent).ok()?.join(p.file_name()?))
        })
    };
    match (canonical(source), canonical(target)) {
        (Some(a), Some(b)) => a == b,
        _ => source == target,
    }
}

/// The first comment id above every id used in the parts.
fn next_comment_id<'a>(parts: impl Iterator<Item = &'a Part>) -> i64 {
    let mut max = -1;
    for part in parts {
        for container in &part.containers {
            max = max.max(container.id);
        }
        for mark in part.paragraphs.iter().flat_map(|p| &p.marks) {
            if let MarkKind::CommentStart(id)
            | MarkKind::CommentEnd(id)
            | MarkKind::CommentReference(id) = mark.kind
            {
                max = max.max(id);
            }
        }
    }
    max + 1
}

/// `w:` (or `` for a document in the default namespace).
fn element_prefix(part: &Part) -> &str {
    element_prefix_str(part)
}

fn element_prefix_str(part: &Part) -> &'static str {
    match part.prefix.as_deref() {
        Some("") => "",
        _ => "w:",
    }
}

/// Where a comment goes in the main document.
enum Target {
    /// From (paragraph index, 0-based column) to (paragraph, column).
    Text {
        start: (usize, u32),
        end: (usize, u32),
    },
    /// Around a whole run: the reference mark of the footnote or endnote a
    /// finding is in. (Comments inside notes are valid WordprocessingML,
    /// but LibreOffice cannot open a document that has them.)
    Run { paragraph: usize, run: u32 },
}

/// Where `comment` goes in `main` (the main document, walked).
fn locate(main: &Part, comment: &NewComment) -> Option<Target> {
    let paragraph_at = |anchor: &Anchor| -> Option<usize> {
        let index = anchor.place.paragraph.checked_sub(1)? as usize;
        main.paragraphs
            .get(index)
            .filter(|p| !p.empty_element && p.container.is_none())
            .map(|_| index)
    };
    let start_paragraph = paragraph_at(&comment.start)?;
    if let Some(note) = comment.start.place.note {
        let paragraph = &main.paragraphs[start_paragraph];
        let mark = paragraph.marks.iter().find(|m| match (m.kind, note.kind) {
            (MarkKind::Footnote(id), NoteKind::Footnote)
            | (MarkKind::Endnote(id), NoteKind::Endnote) => id == note.xml_id,
            _ => false,
        })?;
        return Some(Target::Run {
            paragraph: start_paragraph,
            run: mark.run,
        });
    }
    let start_column = comment.start.column.saturating_sub(1) as u32;
    let end = match (comment.end.place.note, paragraph_at(&comment.end)) {
        (None, Some(p)) if p == start_paragraph => (
            p,
            (comment.end.column.saturating_sub(1) as u32).max(start_column),
        ),
        (None, Some(p)) if p > start_paragraph => (p, comment.end.column.saturating_sub(1) as u32),
        // An end in a note (or out of order) closes the start's paragraph.
        _ => (start_paragraph, main.paragraphs[start_paragraph].len),
    };
    Some(Target::Text {
        start: (start_paragraph, start_column),
        end,
    })
}

/// Insertions around run `run` of paragraph `index`.
fn around_run(part: &Part, index: usize, run: u32, start: Marker, end: Marker) -> Vec<Splice> {
    let paragraph = &part.paragraphs[index];
    let (from, to) = paragraph
        .runs
        .get(run as usize)
        .map_or((paragraph.end, paragraph.end), |r| {
            (r.bytes.start, r.bytes.end)
        });
    let between = |at: usize, marker: Marker| Splice {
        at: at..at,
        form: Form::Between,
        markers: vec![marker],
        replacement: None,
    };
    vec![between(from, start), between(to, end)]
}

/// A comment mark to insert.
#[derive(Clone, Debug)]
struct Marker {
    id: i64,
    is_start: bool,
    xml: String,
}

impl Marker {
    fn start(id: i64, xml: String) -> Self {
        Marker {
            id,
            is_start: true,
            xml,
        }
    }

    fn end(id: i64, xml: String) -> Self {
        Marker {
            id,
            is_start: false,
            xml,
        }
    }
}

/// How markers go in at a byte position.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Form {
    /// Between runs (or before `</w:p>`): as they are.
    Between,
    /// Inside a run, between its children: the run is closed and reopened
    /// with these properties.
    SplitRun { properties: String },
    /// Inside a `w:t`: the text and the run are closed and reopened.
    SplitText { properties: String },
}

#[derive(Clone, Debug)]
struct Splice {
    /// Byte range replaced (empty for an insertion).
    at: std::ops::Range<usize>,
    form: Form,
    markers: Vec<Marker>,
    /// Replacement text for a non-empty range (a `w:t` start tag made to
    /// preserve spaces).
    replacement: Option<String>,
}

/// The splices that put `marker` before character `column` of paragraph
/// `index` (a start) or just after character `column - 1` (an end).
fn splice_at(xml: &str, part: &Part, index: usize, column: u32, marker: Marker) -> Vec<Splice> {
    let paragraph = &part.paragraphs[index];
    let properties = |run: u32| {
        paragraph
            .runs
            .get(run as usize)
            .and_then(|r| r.properties.clone())
            .and_then(|range| xml.get(range))
            .unwrap_or("")
            .to_string()
    };
    let is_start = marker.is_start;
    let between = |at: usize, marker: Marker| {
        vec![Splice {
            at: at..at,
            form: Form::Between,
            markers: vec![marker],
            replacement: None,
        }]
    };
    // The item holding the character at `column` (start) or before it (end).
    let found = paragraph.items.iter().enumerate().find(|(_, item)| {
        let (from, to) = (item.column, item.column + item.len());
        if is_start {
            from <= column && column < to
        } else {
            from < column && column <= to
        }
    });
    let Some((k, item)) = found else {
        // Past the last character (or an empty paragraph): before `</w:p>`.
        let at = if is_start && column == 0 {
            paragraph
                .items
                .first()
                .and_then(|i| paragraph.runs.get(i.run as usize))
                .map_or(paragraph.end, |r| r.bytes.start)
        } else {
            paragraph.end
        };
        return between(at, marker);
    };
    let offset = (column - item.column) as usize;
    // (A run cut short by a paragraph nested in it was never closed: the
    // marker then goes before the paragraph's end.)
    let Some(run) = paragraph.runs.get(item.run as usize) else {
        return between(paragraph.end, marker);
    };
    let same_run = |j: usize| paragraph.items.get(j).is_some_and(|i| i.run == item.run);
    if is_start && offset == 0 && (k == 0 || !same_run(k - 1)) {
        return between(run.bytes.start, marker);
    }
    if !is_start && offset == item.text.chars().count() && !same_run(k + 1) {
        return between(run.bytes.end, marker);
    }
    let properties = properties(item.run);
    let Some(text_index) = item.text_element else {
        // A tab or break: split the run before or after the element.
        let at = if offset == 0 {
            item.bytes.start
        } else {
            item.bytes.end
        };
        return vec![Splice {
            at: at..at,
            form: Form::SplitRun { properties },
            markers: vec![marker],
            replacement: None,
        }];
    };
    let raw = xml.get(item.bytes.clone()).unwrap_or("");
    let byte = raw
        .char_indices()
        .nth(offset)
        .map_or(item.bytes.end, |(b, _)| item.bytes.start + b);
    // For a character reference (`&amp;`) the offset is 0 or 1.
    let byte = if raw.starts_with('&') && offset > 0 {
        item.bytes.end
    } else {
        byte
    };
    let mut out = vec![Splice {
        at: byte..byte,
        form: Form::SplitText { properties },
        markers: vec![marker],
        replacement: None,
    }];
    if let Some(text) = paragraph.texts.get(text_index as usize)
        && !text.preserve
    {
        let prefix = element_prefix(part);
        out.push(Splice {
            at: text.start_tag.clone(),
            form: Form::Between,
            markers: Vec::new(),
            replacement: Some(format!(r#"<{prefix}t xml:space="preserve">"#)),
        });
    }
    out
}

/// Applies the splices of one part.
fn apply(xml: &str, part: &Part, splices: Vec<Splice>) -> String {
    let prefix = element_prefix(part);
    // Merge insertions at the same byte; a start-tag replacement once.
    let mut inserts: BTreeMap<usize, (Form, Vec<Marker>)> = BTreeMap::new();
    let mut replacements: BTreeMap<usize, (usize, String)> = BTreeMap::new();
    for splice in splices {
        match splice.replacement {
            Some(text) => {
                replacements.insert(splice.at.start, (splice.at.end, text));
            }
            None => {
                let entry = inserts
                    .entry(splice.at.start)
                    .or_insert_with(|| (splice.form.clone(), Vec::new()));
                entry.1.extend(splice.markers);
            }
        }
    }
    let mut out = String::with_capacity(xml.len() + inserts.len() * 200);
    let mut copied = 0;
    let mut edits: Vec<(usize, usize, String)> = replacements
        .into_iter()
        .map(|(start, (end, text))| (start, end, text))
        .collect();
    for (at, (form, markers)) in inserts {
        edits.push((at, at, insertion(prefix, &form, markers)));
    }
    // Insertions never fall inside a replaced start tag, so sorting by
    // position is enough; at one position the insertion comes first.
    edits.sort_by_key(|(start, end, _)| (*start, *end));
    for (start, end, text) in edits {
        if start < copied {
            continue;
        }
        out.push_str(&xml[copied..start]);
        out.push_str(&text);
        copied = end;
    }
    out.push_str(&xml[copied..]);
    out
}

/// The XML for markers at one position: ends of comments that started
/// earlier, then starts, then ends of comments that start here too.
fn insertion(prefix: &str, form: &Form, mut markers: Vec<Marker>) -> String {
    let starts_here: Vec<i64> = markers
        .iter()
        .filter(|m| m.is_start)
        .map(|m| m.id)
        .collect();
    markers.sort_by_key(|m| {
        let group = match (m.is_start, starts_here.contains(&m.id)) {
            (false, false) => 0,
            (true, _) => 1,
            (false, true) => 2,
        };
        (group, m.id)
    });
    let marks: String = markers.iter().map(|m| m.xml.as_str()).collect();
    match form {
        Form::Between => marks,
        Form::SplitRun { properties } => {
            format!("</{prefix}r>{marks}<{prefix}r>{properties}")
        }
        Form::SplitText { properties } => format!(
            r#"</{prefix}t></{prefix}r>{marks}<{prefix}r>{properties}<{prefix}t xml:space="preserve">"#
        ),
    }
}

/// A `w:comment` element.
fn comment_xml(id: i64, comment: &NewComment, prefix: &str, date: &str) -> String {
    let p = prefix;
    let run = |text: &str, bold: bool, italic: bool| {
        let properties = match (bold, italic) {
            (true, _) => format!("<{p}rPr><{p}b/></{p}rPr>"),
            (false, true) => format!("<{p}rPr><{p}i/></{p}rPr>"),
            (false, false) => String::new(),
        };
        // A line break in the text (a help's diff, sentence by sentence)
        // is a `w:br`: in a `w:t`, Word and LibreOffice show it as a space.
        let texts: Vec<String> = text
            .split('\n')
            .map(|line| format!(r#"<{p}t xml:space="preserve">{}</{p}t>"#, escape(line)))
            .collect();
        format!(
            "<{p}r>{properties}{}</{p}r>",
            texts.join(&format!("<{p}br/>"))
        )
    };
    let mut out = format!(
        r#"<{p}comment {p}id="{id}" {p}author="manulint" {p}initials="ML" {p}date="{date}">"#
    );
    for (i, paragraph) in comment.paragraphs.iter().enumerate() {
        out.push_str(&format!("<{p}p>"));
        if i == 0 {
            out.push_str(&format!("<{p}r><{p}annotationRef/></{p}r>"));
            out.push_str(&run(&format!("{} ", comment.label), true, false));
        }
        // A title in stars (`*Emma*`) is set in italics, as Word shows
        // titles, not with its stars.
        for (text, italic) in crate::report::emphasis::runs(paragraph) {
            out.push_str(&run(text, false, italic));
        }
        out.push_str(&format!("</{p}p>"));
    }
    out.push_str(&format!("</{p}comment>"));
    out
}

/// The current time in UTC as `2024-05-17T09:30:00Z`, for `w:date`.
fn utc_now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian
/// calendar (the era arithmetic of H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `xml` with `insert` placed just before the root element's end tag
/// (an empty root element is opened and closed around it).
fn insert_before_root_end(name: &str, xml: &str, insert: &str) -> Result<String, DocxError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| DocxError::BadXml {
            part: name.to_string(),
            detail: e.to_string(),
        })?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(_) => depth += 1,
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let _ = e;
                    return Ok(format!("{}{insert}{}", &xml[..before], &xml[before..]));
                }
            }
            Event::Empty(e) if depth == 0 => {
                let tag = xml[before..after].trim_end_matches("/>").trim_end();
                let name = e.name().as_ref().to_string();
                return Ok(format!(
                    "{}{tag}>{insert}</{name}>{}",
                    &xml[..before],
                    &xml[after..]
                ));
            }
            Event::Eof => {
                return Err(DocxError::BadXml {
                    part: name.to_string(),
                    detail: "no root element".to_string(),
                });
            }
            _ => {}
        }
    }
}

/// Adds `comments.xml` beside the main document, its relationship and its
/// content type.
fn add_comments_part(
    package: &mut Package,
    main: &str,
    strict: bool,
    comments: &str,
    edited: &mut Edited,
) -> Result<(), DocxError> {
    let (folder, file) = main.rsplit_once('/').unwrap_or(("", main));
    let name = if folder.is_empty() {
        "comments.xml".to_string()
    } else {
        format!("{folder}/comments.xml")
    };
    let wml = if strict { STRICT_WML } else { TRANSITIONAL_WML };
    edited.parts.insert(
        name.clone(),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<w:comments xmlns:w=\"{wml}\">{comments}</w:comments>"
        ),
    );
    edited.added.push(name.clone());

    // The relationship from the main document.
    let rels_name = if folder.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{folder}/_rels/{file}.rels")
    };
    let rels_kind = if strict {
        STRICT_RELS
    } else {
        TRANSITIONAL_RELS
    };
    let existing = package.read_text(&rels_name)?;
    let id = unused_relationship_id(existing.as_deref().unwrap_or(""));
    let relationship =
        format!(r#"<Relationship Id="{id}" Type="{rels_kind}/comments" Target="comments.xml"/>"#);
    let rels = match existing {
        Some(xml) => insert_before_root_end(&rels_name, &xml, &relationship)?,
        None => {
            edited.added.push(rels_name.clone());
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{relationship}</Relationships>"
            )
        }
    };
    edited.parts.insert(rels_name, rels);

    // The content type, unless the package already has an override.
    let types_name = "[Content_Types].xml";
    let types = package
        .read_text(types_name)?
        .ok_or(DocxError::NoDocument)?;
    let part_name = format!("/{name}");
    if !types
        .to_ascii_lowercase()
        .contains(&format!("\"{}\"", part_name.to_ascii_lowercase()))
    {
        let entry = format!(r#"<Override PartName="{part_name}" ContentType="{COMMENTS_TYPE}"/>"#);
        let updated = insert_before_root_end(types_name, &types, &entry)?;
        edited.parts.insert(types_name.to_string(), updated);
    }
    Ok(())
}

/// `rIdN` with N above every `rId` number in the relationships XML.
fn unused_relationship_id(xml: &str) -> String {
    let max = xml
        .match_indices("Id=\"rId")
        .filter_map(|(i, m)| {
            let digits: String = xml[i + m.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<u64>().ok()
        })
        .max()
        .unwrap_or(0);
    format!("rId{}", max + 1)
}

/// Writes the copy: every entry of the source, raw, unless edited; then
/// the added parts. Atomic (temporary file, then rename).
fn write_zip(
    package: &mut Package,
    target: &Path,
    edited: &Edited,
    permissions: Option<std::fs::Permissions>,
) -> Result<(), AnnotateError> {
    let write_error = |detail: String| AnnotateError::Write {
        path: target.to_path_buf(),
        detail,
    };
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // tempfile's error names the temporary file, which means nothing to
    // the writer: say what is wrong with the folder instead.
    let temp = tempfile::NamedTempFile::new_in(&folder).map_err(|e| {
        write_error(match e.kind() {
            std::io::ErrorKind::NotFound => {
                format!("the folder {} does not exist", folder.display())
            }
            std::io::ErrorKind::PermissionDenied => {
                format!("the folder {} is not writable", folder.display())
            }
            kind => std::io::Error::from(kind).to_string(),
        })
    })?;
    let mut zip = zip::ZipWriter::new(temp);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let archive = package.archive_mut();
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| write_error(e.to_string()))?;
        let name = entry
            .name()
            .map_err(|e| write_error(e.to_string()))?
            .into_owned();
        let replacement = edited
            .parts
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim_start_matches('/')));
        match replacement {
            Some((_, text)) => {
                drop(entry);
                zip.start_file(name, options)
                    .map_err(|e| write_error(e.to_string()))?;
                zip.write_all(text.as_bytes())
                    .map_err(|e| write_error(e.to_string()))?;
            }
            None => zip
                .raw_copy_file(entry)
                .map_err(|e| write_error(e.to_string()))?,
        }
    }
    for name in &edited.added {
        if let Some(text) = edited.parts.get(name) {
            zip.start_file(name.as_str(), options)
                .map_err(|e| write_error(e.to_string()))?;
            zip.write_all(text.as_bytes())
                .map_err(|e| write_error(e.to_string()))?;
        }
    }
    let temp = zip.finish().map_err(|e| write_error(e.to_string()))?;
    temp.as_file()
        .sync_all()
        .map_err(|e| write_error(e.to_string()))?;
    // The copy gets the original's permissions, not the temporary file's.
    if let Some(permissions) = permissions {
        std::fs::set_permissions(temp.path(), permissions)
            .map_err(|e| write_error(e.to_string()))?;
    }
    temp.persist(target)
        .map_err(|e| write_error(e.error.to_string()))?;
    Ok(())
}

/// A comment read back from a document, for tests and tools.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadComment {
    pub id: i64,
    pub author: Option<String>,
    /// The comment's text, paragraphs joined with `\n`.
    pub text: String,
    /// The visible text between its range marks (in one paragraph; across
    /// paragraphs, joined with `\n`).
    pub anchored: String,
    /// The body paragraph (1-based) where the range starts; 0 in a note.
    pub paragraph: u32,
}

/// Reads every comment of a document with the text it is anchored on.
///
/// Errors: the document cannot be read.
pub fn read_comments(path: &Path) -> Result<Vec<ReadComment>, DocxError> {
    let mut package = Package::open(path, Limits::default())?;
    let parts = Parts::find(&mut package)?;
    let document = parts.walk(&mut package)?;
    let Some(comments) = &document.comments else {
        return Ok(Vec::new());
    };
    let mut out: Vec<ReadComment> = comments
        .containers
        .iter()
        .map(|c| ReadComment {
            id: c.id,
            author: c.author.clone(),
            text: comments
                .paragraphs
                .iter()
                .filter(|p| p.container == Some(c.id))
                .map(Paragraph::text)
                .collect::<Vec<_>>()
                .join("\n"),
            anchored: String::new(),
            paragraph: 0,
        })
        .collect();
    let body = document
        .body
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| (i as u32 + 1, p));
    let notes = [&document.footnotes, &document.endnotes]
        .into_iter()
        .flatten()
        .flat_map(|part| part.paragraphs.iter().map(|p| (0, p)));
    let mut open: Vec<(i64, u32, String)> = Vec::new();
    for (number, paragraph) in body.chain(notes) {
        let text: Vec<char> = paragraph.text().chars().collect();
        let mut starts: Vec<(i64, u32)> = Vec::new();
        for mark in &paragraph.marks {
            match mark.kind {
                MarkKind::CommentStart(id) => starts.push((id, mark.column)),
                MarkKind::CommentEnd(id) => {
                    let from = starts
                        .iter()
                        .find(|(s, _)| *s == id)
                        .map(|&(_, c)| c as usize);
                    let anchored = match from {
                        Some(from) => text
                            [from.min(text.len())..(mark.column as usize).min(text.len())]
                            .iter()
                            .collect(),
                        None => {
                            let earlier = open
                                .iter()
                                .find(|(o, _, _)| *o == id)
                                .map(|(_, _, t)| t.clone())
                                .unwrap_or_default();
                            let head: String = text[..(mark.column as usize).min(text.len())]
                                .iter()
                                .collect();
                            format!("{earlier}\n{head}")
                        }
                    };
                    if let Some(c) = out.iter_mut().find(|c| c.id == id) {
                        c.anchored = anchored;
                        if c.paragraph == 0 {
                            c.paragraph = number;
                        }
                    }
                }
                _ => {}
            }
        }
        for (id, column) in starts {
            let tail: String = text[(column as usize).min(text.len())..].iter().collect();
            open.push((id, number, tail));
            if let Some(c) = out.iter_mut().find(|c| c.id == id) {
                c.paragraph = number;
            }
        }
    }
    out.sort_by_key(|c| c.id);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    /// A help of several lines (a near-duplicate's diff, sentence by
    /// sentence) keeps its lines: each break a `w:br`, never a newline
    /// inside a `w:t`, which Word shows as a space.
    /// A comment at the start of body paragraph `paragraph`.
    fn point_comment(paragraph: u32, label: &str, paragraphs: &[&str]) -> NewComment {
        let anchor = Anchor {
            place: Place {
                paragraph,
                note: None,
            },
            column: 0,
        };
        NewComment {
            start: anchor,
            end: anchor,
            label: label.to_string(),
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn comment_lines_are_breaks() {
        let comment = point_comment(
            3,
            "error[duplicate-paragraph]",
            &[
                "76% of this paragraph repeats ¶1",
                "help: keep one version:\n  ~ [-When-] {+At+} this & that",
            ],
        );
        let xml = comment_xml(7, &comment, "w:", "2026-12-05T00:00:00Z");
        assert_eq!(
            xml,
            "<w:comment w:id=\"7\" w:author=\"manulint\" w:initials=\"ML\" w:date=\"2026-12-05T00:00:00Z\">\
             <w:p><w:r><w:annotationRef/></w:r>\
             <w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">error[duplicate-paragraph] </w:t></w:r>\
             <w:r><w:t xml:space=\"preserve\">76% of this paragraph repeats ¶1</w:t></w:r></w:p>\
             <w:p><w:r><w:t xml:space=\"preserve\">help: keep one version:</w:t><w:br/>\
             <w:t xml:space=\"preserve\">  ~ [-When-] {+At+} this &amp; that</w:t></w:r></w:p></w:comment>"
        );
    }

    #[test]
    fn titles_in_stars_are_italic_runs() {
        let comment = point_comment(
            1,
            "error[anachronism]",
            &["*The Great Gatsby* (novel, 1925) is later than 1923"],
        );
        let xml = comment_xml(1, &comment, "w:", "2026-12-05T00:00:00Z");
        assert!(
            xml.contains(
                "<w:r><w:rPr><w:i/></w:rPr><w:t xml:space=\"preserve\">The Great Gatsby</w:t></w:r>\
                 <w:r><w:t xml:space=\"preserve\"> (novel, 1925) is later than 1923</w:t></w:r>"
            ),
            "{xml}"
        );
        assert!(!xml.contains('*'), "{xml}");
    }

    #[test]
    fn root_end_insertion_and_relationship_ids() {
        let xml = r#"<?xml version="1.0"?><Types xmlns="x"><Default Extension="xml"/></Types>"#;
        assert_eq!(
            insert_before_root_end("t", xml, "<A/>").unwrap(),
            r#"<?xml version="1.0"?><Types xmlns="x"><Default Extension="xml"/><A/></Types>"#
        );
        assert_eq!(
            insert_before_root_end("t", r#"<R a="1"/>"#, "<A/>").unwrap(),
            r#"<R a="1"><A/></R>"#
        );
        assert_eq!(
            unused_relationship_id(r#"<Relationship Id="rId3"/><Relationship Id="rId12"/>"#),
            "rId13"
        );
    }
}
