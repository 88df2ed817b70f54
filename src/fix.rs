//! Applying fixes. Rules attach a [`Fix`] (edits plus an applicability) to
//! the findings they can mend; this module decides which fixes to apply,
//! splices their edits into the chapter text, and writes files back.
//!
//! Safe by construction:
//!
//! - only fixes at or below the allowed [`Applicability`] are applied, and
//!   only in chapters that were reported on, never in a Word chapter;
//! - an edit must lie in prose (never front matter, code, HTML or
//!   comments), except the deletion of a whole heading or one-line
//!   paragraph, which [`delete_block`] builds and [`editable`] recognises;
//! - edits of different fixes never overlap: a fix that would overlap one
//!   already chosen waits for the next pass (the caller re-checks the
//!   mended text, up to [`MAX_PASSES`] times);
//! - a file is rewritten only when its bytes on disk still decode to the
//!   text that was checked, in the same encoding and byte-order mark, with
//!   every byte outside the edits unchanged; the new bytes go to a temporary
//!   file in the same folder, which is then renamed over the original with
//!   its permissions.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use encoding_rs::Encoding;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::load;
use crate::text::{Block, Chapter, Manuscript, SourceFormat, Span};

/// How often `--fix` re-checks and mends again before it stops (fixes that
/// conflict with each other are applied one pass at a time).
pub const MAX_PASSES: usize = 10;

/// The fixes chosen for one chapter in one pass.
#[derive(Debug, Default)]
pub struct ChapterFixes {
    /// Edits to apply, sorted by start, never overlapping.
    pub edits: Vec<Edit>,
    /// How many findings they mend.
    pub fixed: usize,
}

/// Chooses, for each chapter, the fixes to apply from `diagnostics` (sorted
/// as the engine sorts them): those with an applicability up to `allowed`,
/// in chapters `report` says yes to, whose edits are all [`editable`] and do
/// not overlap an edit already chosen. Returns one entry per chapter.
pub fn select(
    chapters: &[Chapter],
    diagnostics: &[Diagnostic],
    allowed: Applicability,
    report: impl Fn(usize) -> bool,
) -> Vec<ChapterFixes> {
    let mut chosen: Vec<ChapterFixes> = chapters.iter().map(|_| ChapterFixes::default()).collect();
    for diagnostic in diagnostics {
        let Some(fix) = &diagnostic.fix else {
            continue;
        };
        let index = diagnostic.primary.chapter;
        if fix.applicability > allowed || !report(index) || fix.edits.is_empty() {
            continue;
        }
        let Some(chapter) = chapters.get(index) else {
            continue;
        };
        if !can_apply(chapter, fix) {
            continue;
        }
        let target = &mut chosen[index];
        if fix
            .edits
            .iter()
            .any(|e| overlaps_any(&target.edits, e.span))
        {
            continue; // next pass
        }
        target.edits.extend(fix.edits.iter().cloned());
        target.edits.sort_by_key(|e| (e.span.start, e.span.end));
        target.fixed += 1;
    }
    chosen
}

/// What [`fix_manuscript`] did.
#[derive(Debug)]
pub struct Mended {
    /// The manuscript with every chosen fix applied (chapters re-parsed).
    pub manuscript: Manuscript,
    /// Findings mended, per chapter.
    pub fixed: Vec<usize>,
    /// Check-and-mend passes run (the last one found nothing more to do,
    /// unless [`MAX_PASSES`] was reached).
    pub passes: usize,
    /// Findings of the reported chapters left with a fix above `allowed`
    /// (unsafe ones, when only safe fixes were applied), as the last pass
    /// found them; 0 when [`MAX_PASSES`] was reached.
    pub left_above: usize,
}

/// Mends `manuscript` in memory: `check` it, apply the fixes [`select`]
/// chooses, re-parse the changed chapters, and repeat until nothing changes
/// or [`MAX_PASSES`] is reached (fixes that overlap wait for a later pass,
/// and a fix may reveal another finding). Nothing is written.
pub fn fix_manuscript(
    manuscript: Manuscript,
    check: impl Fn(&Manuscript) -> Vec<Diagnostic>,
    allowed: Applicability,
    report: impl Fn(usize) -> bool,
) -> Mended {
    let mut manuscript = manuscript;
    let mut fixed = vec![0; manuscript.chapters.len()];
    let mut passes = 0;
    let mut left_above = 0;
    while passes < MAX_PASSES {
        passes += 1;
        let diagnostics = check(&manuscript);
        let chosen = select(&manuscript.chapters, &diagnostics, allowed, &report);
        if chosen.iter().all(|c| c.edits.is_empty()) {
            left_above = diagnostics
                .iter()
                .filter(|d| report(d.primary.chapter))
                .filter(|d| {
                    d.fix.as_ref().is_some_and(|f| {
                        f.applicability > allowed
                            && manuscript
                                .chapters
                                .get(d.primary.chapter)
                                .is_some_and(|c| can_apply(c, f))
                    })
                })
                .count();
            break;
        }
        let chapters = manuscript
            .into_chapters()
            .into_iter()
            .zip(chosen)
            .map(|(chapter, fixes)| {
                if fixes.edits.is_empty() {
                    return chapter;
                }
                fixed[chapter.index] += fixes.fixed;
                let text = apply(&chapter.text, &fixes.edits);
                chapter.reparsed(Arc::from(text))
            })
            .collect();
        manuscript = Manuscript::new(chapters);
    }
    Mended {
        manuscript,
        fixed,
        passes,
        left_above,
    }
}

/// Whether `fix` can be made in `chapter` at all: a Word chapter's text is
/// a rendering of the document, never written back; every edit must be
/// editable, and the edits must not overlap one another.
fn can_apply(chapter: &Chapter, fix: &Fix) -> bool {
    chapter.format != SourceFormat::Docx
        && !fix.edits.is_empty()
        && fix.edits.iter().all(|e| editable(chapter, e))
        && !overlaps_itself(fix)
}

fn overlaps_itself(fix: &Fix) -> bool {
    let mut spans: Vec<Span> = fix.edits.iter().map(|e| e.span).collect();
    spans.sort();
    spans.windows(2).any(|w| touches(w[0], w[1]))
}

fn overlaps_any(edits: &[Edit], span: Span) -> bool {
    edits.iter().any(|e| touches(e.span, span))
}

/// Two spans conflict when they share a byte, or when both insert at the
/// same offset (their order would be arbitrary).
fn touches(a: Span, b: Span) -> bool {
    (a.start < b.end && b.start < a.end) || a == b
}

/// `text` with `edits` applied. Edits must be sorted by start and must not
/// overlap (as [`select`] returns them).
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        let range = edit.span.range();
        out.push_str(&text[at..range.start]);
        out.push_str(&edit.replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Whether a fix may change `edit.span` of the chapter: every byte of the
/// span is prose (the prose mask equals the text there, so no front matter,
/// code, HTML or comment is touched), or the edit deletes exactly the lines
/// of one heading or paragraph whose only non-prose bytes are Markdown
/// markup (see [`delete_block`]).
pub fn editable(chapter: &Chapter, edit: &Edit) -> bool {
    let range = edit.span.range();
    if range.end > chapter.text.len()
        || !chapter.text.is_char_boundary(range.start)
        || !chapter.text.is_char_boundary(range.end)
    {
        return false;
    }
    if chapter.text[range.clone()] == chapter.prose[range.clone()] {
        return !edit.span.is_empty() || range.start == 0 || in_prose(chapter, range.start);
    }
    // A whole wikilink, markup the text model knows (the `wikilink` rule
    // replaces it with its display text).
    if chapter.wikilinks.iter().any(|link| link.span == edit.span) {
        return true;
    }
    if is_bullet_made_a_dash(chapter, edit) {
        return true;
    }
    edit.replacement.is_empty()
        && chapter
            .blocks
            .iter()
            .filter(|b| b.is_heading() || b.is_paragraph())
            .any(|b| block_lines(chapter, b) == Some(edit.span) && only_markup(chapter, b))
}

/// A Markdown bullet's hyphen (`- ` at a line's start, after at most three
/// spaces) made an em dash: a dialogue dash typed as a hyphen had made a
/// one-item list, and the `dialogue-dash` rule turns its marker, markup,
/// back into the dash the line is spoken with.
fn is_bullet_made_a_dash(chapter: &Chapter, edit: &Edit) -> bool {
    let text: &str = &chapter.text;
    let (start, end) = (edit.span.start as usize, edit.span.end as usize);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    &text[start..end] == "-"
        && edit.replacement == "—"
        && start - line_start <= 3
        && text[line_start..start].bytes().all(|b| b == b' ')
        && text[end..].starts_with([' ', '\t'])
}

/// An insertion point inside prose (between two prose bytes).
fn in_prose(chapter: &Chapter, offset: usize) -> bool {
    let before = chapter.prose[..offset].chars().next_back();
    let after = chapter.prose[offset..].chars().next();
    let original_before = chapter.text[..offset].chars().next_back();
    let original_after = chapter.text[offset..].chars().next();
    before == original_before && after == original_after
}

/// The block's non-prose bytes are heading/emphasis/quote markup only.
fn only_markup(chapter: &Chapter, block: &Block) -> bool {
    let range = block.span.range();
    chapter.text[range.clone()]
        .char_indices()
        .zip(chapter.prose[range].chars())
        .all(|((_, original), masked)| original == masked || "#*_>=-\\ \t\r\n".contains(original))
}

/// The full lines a block occupies, with their line break, plus one blank
/// line after it when the block is preceded by a blank line or the start of
/// the file (so deleting it does not leave two blank lines in a row).
pub fn block_lines(chapter: &Chapter, block: &Block) -> Option<Span> {
    let text = &chapter.text;
    let start = text[..block.span.start as usize]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    if !text[start..block.span.start as usize].trim().is_empty() {
        return None; // something else shares the first line
    }
    let mut end = line_end(text, block.span.end as usize);
    if !text[block.span.end as usize..end].trim().is_empty() {
        return None; // something else shares the last line
    }
    let blank_before =
        start == 0 || text[..start].ends_with("\n\n") || text[..start].ends_with("\n\r\n");
    if blank_before {
        let next = line_end(text, end);
        if next > end && text[end..next].trim().is_empty() {
            end = next;
        }
    }
    Some(Span::new(start, end))
}

/// The offset just past the line break of the line holding `offset`.
fn line_end(text: &str, offset: usize) -> usize {
    match text[offset..].find(['\n', '\r']) {
        None => text.len(),
        Some(i) => {
            let at = offset + i;
            if text[at..].starts_with("\r\n") {
                at + 2
            } else {
                at + 1
            }
        }
    }
}

/// A fix that deletes a whole heading or one-line paragraph with its line
/// (see [`block_lines`]); `None` when other text shares its lines.
pub fn delete_block(
    chapter: &Chapter,
    block: &Block,
    applicability: Applicability,
    description: impl Into<String>,
) -> Option<Fix> {
    let span = block_lines(chapter, block)?;
    Some(Fix {
        edits: vec![Edit::delete(span)],
        applicability,
        description: description.into(),
    })
}

/// `replacement` in the case of `original`: all capitals, a capital first
/// letter, or as given (“colour” for “Color” → “Colour”).
pub fn match_case(original: &str, replacement: &str) -> String {
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return replacement.to_uppercase();
    }
    if original.chars().next().is_some_and(char::is_uppercase) {
        let mut chars = replacement.chars();
        return match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        };
    }
    replacement.to_string()
}

/// Why a file was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    /// The file's bytes changed since they were read.
    Changed,
    /// The file could not be read, written or renamed.
    Io(String),
    /// The new text cannot be written back in the file's encoding
    /// byte for byte (a character it cannot hold, or a lossy decoding).
    Encoding(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Changed => f.write_str(
                "the file changed on disk since it was read; not fixed (run again to fix the new text)",
            ),
            WriteError::Io(message) | WriteError::Encoding(message) => f.write_str(message),
        }
    }
}

/// Writes `new_text` to `path`, whose bytes decoded (with `fallback` for
/// non-UTF-8 files) to `old_text` when the manuscript was loaded. The file
/// keeps its encoding, byte-order mark and permissions; the write is a
/// rename of a temporary file in the same folder, so a reader never sees a
/// half-written chapter.
///
/// Errors: [`WriteError::Changed`] when the bytes on disk no longer decode
/// to `old_text`; [`WriteError::Encoding`] when the file's encoding cannot
/// round-trip; [`WriteError::Io`] for I/O failures.
pub fn write_chapter(
    path: &Path,
    old_text: &str,
    new_text: &str,
    fallback: Option<&'static Encoding>,
) -> Result<(), WriteError> {
    let on_disk = on_disk(path, old_text, new_text, fallback)?;
    atomic_write(path, &on_disk.new)
}

/// A chapter's file as it is and as `new_text` would make it: its bytes
/// now, and the bytes written in its encoding, after its byte-order mark.
pub struct OnDisk {
    pub old: Vec<u8>,
    pub new: Vec<u8>,
    pub encoding: &'static Encoding,
}

/// The bytes of the file at `path` (which must decode to `old_text`) and
/// those `new_text` would be, in the file's encoding, byte-order mark and
/// line endings. Errors as [`write_chapter`]'s, except I/O on writing.
pub fn on_disk(
    path: &Path,
    old_text: &str,
    new_text: &str,
    fallback: Option<&'static Encoding>,
) -> Result<OnDisk, WriteError> {
    let bytes = fs::read(path).map_err(|e| WriteError::Io(format!("cannot read it again: {e}")))?;
    let decoded = load::decode_with_encoding(path, &bytes, fallback)
        .map_err(|problem| WriteError::Io(problem.message))?;
    if decoded.text != old_text {
        return Err(WriteError::Changed);
    }
    // A classic-Mac file was read with `\n` for its lone `\r` line ends
    // (same length, same offsets): they go back as they were.
    let on_disk = |text: &str| match decoded.classic_mac {
        true => text.replace('\n', "\r"),
        false => text.to_string(),
    };
    let body = &bytes[decoded.bom_len..];
    if encode(&on_disk(old_text), decoded.encoding)? != body {
        return Err(WriteError::Encoding(format!(
            "its {} text does not convert back to the same bytes (mixed line endings?); not fixed",
            decoded.encoding.name()
        )));
    }
    let mut new_bytes = bytes[..decoded.bom_len].to_vec();
    new_bytes.extend(encode(&on_disk(new_text), decoded.encoding)?);
    Ok(OnDisk {
        old: bytes,
        new: new_bytes,
        encoding: decoded.encoding,
    })
}

/// `text` in `encoding`, failing on characters the encoding cannot hold.
/// encoding_rs encodes UTF-16 as UTF-8 (per the WHATWG standard), so
/// UTF-16 is encoded here.
fn encode(text: &str, encoding: &'static Encoding) -> Result<Vec<u8>, WriteError> {
    if encoding == encoding_rs::UTF_16LE {
        return Ok(text.encode_utf16().flat_map(u16::to_le_bytes).collect());
    }
    if encoding == encoding_rs::UTF_16BE {
        return Ok(text.encode_utf16().flat_map(u16::to_be_bytes).collect());
    }
    let (bytes, _, unmappable) = encoding.encode(text);
    if unmappable {
        return Err(WriteError::Encoding(format!(
            "a fix needs a character {} cannot hold; not fixed",
            encoding.name()
        )));
    }
    Ok(bytes.into_owned())
}

/// Replaces `path` with `bytes` through a temporary file in the same folder,
/// keeping the original's permissions and (on Unix) its owner and group.
///
/// A symbolic link is followed: the chapter is the file it points to, and
/// renaming over the link would turn it into a copy and leave that file
/// unfixed. A read-only file, or one with other hard links (which the
/// rename would leave holding the old text), is not written: the error
/// says why.
fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let io = |what: &str, e: std::io::Error| WriteError::Io(format!("cannot {what}: {e}"));
    let (target, metadata) = writable_target(path)?;
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".manulint-fix-")
        .tempfile_in(folder)
        .map_err(|e| io("create a temporary file beside it", e))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| io("write the temporary file", e))?;
    fs::set_permissions(temp.path(), metadata.permissions())
        .map_err(|e| io("copy its permissions", e))?;
    #[cfg(unix)]
    keep_owner(temp.as_file(), &metadata);
    temp.persist(&target)
        .map_err(|e| io("replace it with the fixed text", e.error))?;
    Ok(())
}

/// The file `path` leads to (a symbolic link followed) and its metadata,
/// when `--fix` may replace it; `--diff` asks too, so that its preview
/// promises only what `--fix` will write.
///
/// Errors (each message ends "not fixed" and says what to do): the path
/// cannot be resolved or read, the file is read-only, or (on Unix) it has
/// other hard links, which a rename would leave holding the old text.
pub fn writable_target(path: &Path) -> Result<(std::path::PathBuf, fs::Metadata), WriteError> {
    let io = |what: &str, e: std::io::Error| WriteError::Io(format!("cannot {what}: {e}"));
    let target = fs::canonicalize(path).map_err(|e| io("resolve its path", e))?;
    let metadata = fs::metadata(&target).map_err(|e| io("read its permissions", e))?;
    if metadata.permissions().readonly() {
        return Err(WriteError::Io(
            "it is read-only; not fixed (make it writable to let --fix change it)".to_string(),
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if metadata.nlink() > 1 {
            return Err(WriteError::Io(format!(
                "it has {} hard links, and replacing it would leave the others with the old text; not fixed (apply the fix by hand, or use --diff)",
                metadata.nlink()
            )));
        }
    }
    Ok((target, metadata))
}

/// Gives the fixed file the original's owner and group: run as root (a CI
/// container on a mounted checkout), the new file would otherwise belong
/// to root. Others can only give a file away to themselves, so a failure
/// leaves it as created (owned by whoever runs the fix, as any edit by
/// them would).
#[cfg(unix)]
fn keep_owner(file: &fs::File, original: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let Ok(created) = file.metadata() else {
        return;
    };
    if (created.uid(), created.gid()) != (original.uid(), original.gid()) {
        let _ = std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid()));
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn chapter(format: SourceFormat, text: &str) -> Chapter {
        Chapter::parse(0, PathBuf::from("c"), format, Arc::from(text))
    }

    fn fix(start: usize, end: usize, with: &str) -> Fix {
        Fix::safe("test", vec![Edit::replace(Span::new(start, end), with)])
    }

    #[test]
    fn apply_splices_sorted_edits() {
        let edits = vec![
            Edit::replace(Span::new(0, 1), "“"),
            Edit::delete(Span::new(4, 8)),
            Edit::replace(Span::new(15, 15), "!"),
        ];
        assert_eq!(apply("\"Go the the end", &edits), "“Go the end!");
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let text = "She said it was late, late, late.\n";
        let ch = chapter(SourceFormat::PlainText, text);
        let mut diagnostics = Vec::new();
        for (start, end) in [(16, 21), (18, 26), (28, 32)] {
            let mut f = crate::diagnostic::Finding::new(0, Span::new(start, end), "m");
            f = f.fix(fix(start, end, "x"));
            let mut ctx = crate::rule::RuleContext::new("r", crate::diagnostic::Severity::Warning);
            ctx.report(f);
            diagnostics.extend(ctx.into_output().diagnostics);
        }
        let chosen = select(
            std::slice::from_ref(&ch),
            &diagnostics,
            Applicability::Safe,
            |_| true,
        );
        assert_eq!(chosen[0].fixed, 2);
        let spans: Vec<Span> = chosen[0].edits.iter().map(|e| e.span).collect();
        assert_eq!(spans, vec![Span::new(16, 21), Span::new(28, 32)]);
    }

    #[test]
    fn unsafe_fixes_need_permission() {
        let ch = chapter(SourceFormat::PlainText, "Colour and color.\n");
        let mut ctx = crate::rule::RuleContext::new("r", crate::diagnostic::Severity::Warning);
        ctx.report(
            crate::diagnostic::Finding::new(0, Span::new(11, 16), "m").fix(Fix::unsafe_(
                "use colour",
                vec![Edit::replace(Span::new(11, 16), "colour")],
            )),
        );
        let diagnostics = ctx.into_output().diagnostics;
        let safe = select(
            std::slice::from_ref(&ch),
            &diagnostics,
            Applicability::Safe,
            |_| true,
        );
        assert_eq!(safe[0].fixed, 0);
        let all = select(
            std::slice::from_ref(&ch),
            &diagnostics,
            Applicability::Unsafe,
            |_| true,
        );
        assert_eq!(all[0].fixed, 1);
        let elsewhere = select(
            std::slice::from_ref(&ch),
            &diagnostics,
            Applicability::Unsafe,
            |_| false,
        );
        assert_eq!(elsewhere[0].fixed, 0);
    }

    #[test]
    fn code_html_and_front_matter_are_never_edited() {
        let text = "+++\nyear = \"1996\"\n+++\n\nShe said \"hi\" and `\"code\"` <b title=\"x\">.\n";
        let ch = chapter(SourceFormat::Markdown, text);
        let at =
            |needle: &str, nth: usize| text.match_indices(needle).nth(nth).map(|(i, _)| i).unwrap();
        let prose_quote = at("\"hi", 0);
        assert!(editable(
            &ch,
            &Edit::replace(Span::new(prose_quote, prose_quote + 1), "“")
        ));
        for offset in [at("\"1996", 0), at("\"code", 0), at("\"x", 0)] {
            assert!(
                !editable(&ch, &Edit::replace(Span::new(offset, offset + 1), "“")),
                "offset {offset} is not prose"
            );
        }
    }

    #[test]
    fn deleting_a_heading_takes_its_line_and_one_blank_line() {
        let text = "# Chapter 3\n\n## The Setting:\n\nRain fell.\n";
        let ch = chapter(SourceFormat::Markdown, text);
        let heading = &ch.blocks[1];
        let fix = delete_block(&ch, heading, Applicability::Unsafe, "delete").unwrap();
        assert!(editable(&ch, &fix.edits[0]));
        assert_eq!(apply(text, &fix.edits), "# Chapter 3\n\nRain fell.\n");
        // A partial deletion of markup is refused.
        assert!(!editable(&ch, &Edit::delete(Span::new(13, 16))));
    }

    #[test]
    fn case_is_kept() {
        assert_eq!(match_case("Color", "colour"), "Colour");
        assert_eq!(match_case("COLOR", "colour"), "COLOUR");
        assert_eq!(match_case("color", "colour"), "colour");
    }
}
