//! `manulint check book.docx --annotate reviewed.docx`: the findings of a
//! Word manuscript written back as Word comments in a copy of it; with
//! `--annotate FOLDER/`, a copy of each `.docx` checked, under its own name
//! (see [`crate::docx::annotate`] for how a copy is made).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::cli::ErrorPrinter;
use crate::diagnostic::{Diagnostic, Facts};
use crate::docx::Limits;
use crate::docx::annotate::{self, Anchor, NewComment};
use crate::load::LoadProblem;
use crate::report::{Location, plural};
use crate::text::{Manuscript, SourceFormat};

/// Writes the annotated copies; returns false (after saying why on stderr)
/// when one could not be written: no `.docx` was checked, several were and
/// `target` is no folder, two have the same name, a document cannot be read
/// again, or a copy cannot be written. The other copies are still written.
pub(crate) fn run(
    target: &Path,
    manuscript: &Manuscript,
    diagnostics: &[Diagnostic],
    limits: Limits,
    errors: &ErrorPrinter,
) -> bool {
    let sources = docx_sources(manuscript);
    let folder = names_a_folder(target);
    let targets: Vec<(&PathBuf, PathBuf)> = match (sources.as_slice(), folder) {
        ([], _) => {
            errors.diagnostic(&LoadProblem::error(
                target,
                "--annotate needs a Word document (.docx) among the chapters checked, and there is none",
                "run it on a .docx: manulint check book.docx --annotate reviewed.docx",
            ));
            return false;
        }
        ([one], false) => vec![(*one, target.to_path_buf())],
        (many, false) => {
            errors.diagnostic(&LoadProblem::error(
                target,
                format!(
                    "--annotate {} names one document, but {} .docx files were checked",
                    target.display(),
                    many.len()
                ),
                "name a folder for the copies (--annotate reviewed/), or check one .docx",
            ));
            return false;
        }
        (many, true) => {
            if let Err(e) = std::fs::create_dir_all(target) {
                errors.diagnostic(&LoadProblem::error(
                    target,
                    format!("cannot create the folder {}: {e}", target.display()),
                    "check the path and its permissions",
                ));
                return false;
            }
            many.iter()
                .map(|source| (*source, copy_in(target, source)))
                .collect()
        }
    };
    let mut ok = true;
    let mut written_to: Vec<&Path> = Vec::new();
    for (source, copy) in &targets {
        if written_to.contains(&copy.as_path()) {
            errors.diagnostic(&LoadProblem::error(
                copy,
                format!(
                    "{} is not written: another document checked has the same name",
                    copy.display()
                ),
                "annotate the documents one at a time",
            ));
            ok = false;
            continue;
        }
        written_to.push(copy);
        ok &= write_one(source, copy, manuscript, diagnostics, limits, errors);
    }
    ok
}

/// The Word documents among the chapters, each once, in order.
pub(crate) fn docx_sources(manuscript: &Manuscript) -> Vec<&PathBuf> {
    let mut sources: Vec<&PathBuf> = manuscript
        .chapters
        .iter()
        .filter(|c| c.format == SourceFormat::Docx)
        .map(|c| &c.path)
        .collect();
    // The chapters of one file are neighbours.
    sources.dedup();
    sources
}

/// Whether `--annotate target` names a folder for the copies: an existing
/// folder, or a path ending in a slash.
fn names_a_folder(target: &Path) -> bool {
    target.is_dir() || target.as_os_str().to_string_lossy().ends_with(['/', '\\'])
}

/// The copy of `source` in the folder `target`, under its own name.
fn copy_in(target: &Path, source: &Path) -> PathBuf {
    target.join(source.file_name().unwrap_or(source.as_os_str()))
}

/// Why `--annotate target` cannot name the copy, or `None`: a file target
/// must end in `.docx` (a copy written to `reviewed.txt` is a zip archive
/// that the next check of its folder cannot read).
pub(crate) fn bad_target_name(target: &Path) -> Option<String> {
    let docx = target
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    (!names_a_folder(target) && !docx).then(|| {
        format!(
            "--annotate {} would write a Word document without the .docx extension: name the copy like reviewed.docx, or a folder for the copies with a slash at the end (reviewed/)",
            target.display()
        )
    })
}

/// The files `--annotate target` would write for `manuscript`, each with
/// the document it copies: checked before any work, so that no copy
/// replaces a chapter (see `check::outputs_spare_the_book`). Empty when
/// there is no `.docx` to copy (the run then says so).
pub(crate) fn planned_copies<'m>(
    target: &Path,
    manuscript: &'m Manuscript,
) -> Vec<(&'m PathBuf, PathBuf)> {
    let sources = docx_sources(manuscript);
    if names_a_folder(target) {
        sources
            .into_iter()
            .map(|source| (source, copy_in(target, source)))
            .collect()
    } else {
        sources
            .into_iter()
            .map(|source| (source, target.to_path_buf()))
            .collect()
    }
}

/// Writes one annotated copy; false (after saying why) when it cannot.
fn write_one(
    source: &Path,
    target: &Path,
    manuscript: &Manuscript,
    diagnostics: &[Diagnostic],
    limits: Limits,
    errors: &ErrorPrinter,
) -> bool {
    let comments = comments_for(manuscript, diagnostics, source);
    match annotate::write_annotated(source, target, &comments, limits) {
        Ok(written) => {
            let _ = writeln!(
                io::stderr(),
                "Wrote {} to {} (a copy of {})",
                plural(written, "comment"),
                target.display(),
                source.display()
            );
            true
        }
        Err(err) => {
            errors.diagnostic(&LoadProblem::error(
                target,
                err.message(source, target),
                err.help(),
            ));
            false
        }
    }
}

/// One comment per finding whose primary label is in `source`: anchored on
/// the flagged text; the rule and severity in bold, then the message, the
/// help and the related places. A duplicated paragraph's earlier copies in
/// `source` get a note each that points at the finding, as the editor's
/// do: an editor reading the first copy in Word saw nothing.
pub(crate) fn comments_for(
    manuscript: &Manuscript,
    diagnostics: &[Diagnostic],
    source: &Path,
) -> Vec<NewComment> {
    let mut comments = Vec::new();
    for d in diagnostics {
        let Some(chapter) = manuscript.chapters.get(d.primary.chapter) else {
            continue;
        };
        // In the same document, a place alone ("¶3:1 (Chapter 1)").
        let place_of = |label: &crate::diagnostic::Label| {
            let at = Location::of(manuscript, label);
            match at.display.strip_prefix(&format!("{}:", at.file)) {
                Some(place) if manuscript.chapter(label.chapter).path == source => {
                    place.to_string()
                }
                _ => at.display.clone(),
            }
        };
        if chapter.path == source
            && let Some(comment) = finding_comment(manuscript, d, &place_of)
        {
            comments.push(comment);
        }
        if matches!(d.facts.as_deref(), Some(Facts::Copies { .. })) {
            for label in &d.related {
                let other = manuscript.chapter(label.chapter);
                if other.path != source {
                    continue;
                }
                let Some((start, end)) = anchors(other, label.span) else {
                    continue;
                };
                comments.push(NewComment {
                    start,
                    end,
                    label: format!("note[{}]", d.rule),
                    paragraphs: vec![format!(
                        "this paragraph is copied at {} (the finding is there)",
                        place_of(&d.primary)
                    )],
                });
            }
        }
    }
    comments
}

/// Where a comment on `span` of `chapter` starts and ends, when the
/// chapter is a Word document's.
fn anchors(chapter: &crate::text::Chapter, span: crate::text::Span) -> Option<(Anchor, Anchor)> {
    let map = chapter.source_map.as_ref()?;
    let anchor = |offset: u32| {
        map.position_of(offset as usize).map(|p| Anchor {
            place: p.place,
            column: p.column,
        })
    };
    let start = anchor(span.start)?;
    Some((start, anchor(span.end).unwrap_or(start)))
}

/// The comment for finding `d`, on its flagged text.
fn finding_comment(
    manuscript: &Manuscript,
    d: &Diagnostic,
    place_of: &dyn Fn(&crate::diagnostic::Label) -> String,
) -> Option<NewComment> {
    let chapter = manuscript.chapters.get(d.primary.chapter)?;
    let (start, end) = anchors(chapter, d.primary.span)?;
    let mut paragraphs = vec![d.message.clone()];
    // A finding in a note is anchored on the note's mark: say where.
    if let Some(note) = start.place.note {
        paragraphs.push(format!(
            "in {} {}: “{}”",
            note.kind.as_str(),
            note.number,
            chapter.slice(d.primary.span).trim()
        ));
    }
    if let Some(help) = &d.help {
        paragraphs.push(format!("help: {help}"));
    }
    for label in &d.related {
        let what = label.message.as_deref().unwrap_or("related");
        paragraphs.push(format!("{what}: {}", place_of(label)));
    }
    Some(NewComment {
        start,
        end,
        label: format!("{}[{}]", d.severity, d.rule),
        paragraphs,
    })
}
