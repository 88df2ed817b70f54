//! `manulint check --fix` and `--diff`: mend what the rules can mend, then
//! write the files back (`--fix`) or show what would change (`--diff`).
//! The mending itself is [`crate::fix`]; this module runs it over the
//! workspace, writes or diffs the chapters, and says what it did.

use std::io::{self, Write};
use std::sync::Arc;

use crate::diagnostic::{Applicability, Diagnostic};
use crate::fix;
use crate::text::{Chapter, Manuscript};
use crate::workspace::Workspace;

/// What a fix run did.
pub(crate) struct FixRun {
    /// The manuscript as it now stands on disk (`--fix`), or as checked
    /// (`--diff`: unchanged).
    pub manuscript: Manuscript,
    /// Findings mended (or, with `--diff`, that would be).
    pub fixed: usize,
    /// Files written (or, with `--diff`, that would change).
    pub files: usize,
    /// A file could not be written (named on stderr).
    pub failed: bool,
    /// Findings whose fix needs `--unsafe-fixes`, left because it was not
    /// given.
    pub unsafe_left: usize,
}

/// The highest applicability to apply.
pub(crate) fn allowed(unsafe_fixes: bool) -> Applicability {
    if unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    }
}

/// Mends `manuscript` and, unless `diff_only`, writes every changed chapter
/// back (each atomically, keeping its encoding). With `diff_only`, prints a
/// unified diff of each changed chapter to `out` and writes nothing.
pub(crate) fn run(
    workspace: &Workspace,
    manuscript: Manuscript,
    report_only: Option<&[bool]>,
    unsafe_fixes: bool,
    diff_only: bool,
    out: &mut dyn Write,
) -> io::Result<FixRun> {
    let originals: Vec<Arc<str>> = manuscript
        .chapters
        .iter()
        .map(|c| Arc::clone(&c.text))
        .collect();
    let reported = |i: usize| report_only.is_none_or(|r| r.get(i).copied().unwrap_or(false));
    let mended = fix::fix_manuscript(
        manuscript,
        |m| workspace.findings(m, report_only),
        allowed(unsafe_fixes),
        reported,
    );
    let fixed: usize = mended.fixed.iter().sum();
    let changed: Vec<usize> = mended
        .manuscript
        .chapters
        .iter()
        .filter(|c| *c.text != *originals[c.index])
        .map(|c| c.index)
        .collect();
    let fallback = workspace.load_options().fallback_encoding;
    if diff_only {
        // A file `--fix` could not write is said as `--fix` says it, and
        // left out of the count: the preview promises what `--fix` does.
        let mut unwritable = Vec::new();
        for &i in &changed {
            let chapter = &mended.manuscript.chapters[i];
            match write_diff(out, chapter, &originals[i], fallback)? {
                Ok(()) => {}
                Err(NoDiff::Binary(why)) => {
                    let _ = writeln!(
                        io::stderr(),
                        "note: no diff for {}: {why}",
                        chapter.path.display()
                    );
                }
                Err(NoDiff::Unwritable(why)) => {
                    let _ = writeln!(
                        io::stderr(),
                        "error: cannot fix {}: {why}",
                        chapter.path.display()
                    );
                    unwritable.push(i);
                }
            }
        }
        let manuscript = restore(mended.manuscript, &originals, &changed);
        let fixed = fixed - unwritable.iter().map(|&i| mended.fixed[i]).sum::<usize>();
        return Ok(FixRun {
            manuscript,
            fixed,
            files: changed.len() - unwritable.len(),
            failed: !unwritable.is_empty(),
            unsafe_left: mended.left_above,
        });
    }
    let mut failed = Vec::new();
    for &i in &changed {
        let chapter = &mended.manuscript.chapters[i];
        if let Err(err) = fix::write_chapter(&chapter.path, &originals[i], &chapter.text, fallback)
        {
            let _ = writeln!(
                io::stderr(),
                "error: cannot fix {}: {err}",
                chapter.path.display()
            );
            failed.push(i);
        }
    }
    let written = changed.len() - failed.len();
    let fixed_written: usize = changed
        .iter()
        .filter(|i| !failed.contains(i))
        .map(|&i| mended.fixed[i])
        .sum();
    let manuscript = restore(mended.manuscript, &originals, &failed);
    Ok(FixRun {
        manuscript,
        fixed: fixed_written,
        files: written,
        failed: !failed.is_empty(),
        unsafe_left: mended.left_above,
    })
}

/// The manuscript with the chapters `which` put back to their original text.
fn restore(manuscript: Manuscript, originals: &[Arc<str>], which: &[usize]) -> Manuscript {
    if which.is_empty() {
        return manuscript;
    }
    let chapters = manuscript
        .into_chapters()
        .into_iter()
        .map(|chapter| {
            if which.contains(&chapter.index) {
                let text = Arc::clone(&originals[chapter.index]);
                chapter.reparsed(text)
            } else {
                chapter
            }
        })
        .collect();
    Manuscript::new(chapters)
}

/// Why a changed chapter has no diff.
enum NoDiff {
    /// Git reads the file as binary; `--fix` writes it all the same.
    Binary(&'static str),
    /// `--fix` could not write it either (it changed on disk, or its
    /// encoding cannot hold the fix).
    Unwritable(String),
}

/// A unified diff (three lines of context) of one chapter, with `a/` and
/// `b/` paths as `git diff` writes them, of the file's bytes as `--fix`
/// would write them: in its encoding, with its byte-order mark and line
/// endings, so that `git apply` takes it (a diff of the decoded text did
/// not apply to a Windows-1252 file or one with a byte-order mark, and a
/// patch that fails in one file is refused whole). `Err` says why a file
/// has none: UTF-16, which git reads as binary, or a file that changed or
/// cannot hold the fix. A Word chapter is diffed as its text.
fn write_diff(
    out: &mut dyn Write,
    chapter: &Chapter,
    original: &str,
    fallback: Option<&'static encoding_rs::Encoding>,
) -> io::Result<Result<(), NoDiff>> {
    let path = chapter.path.display().to_string().replace('\\', "/");
    let (a, b) = (format!("a/{path}"), format!("b/{path}"));
    if chapter.source_map.is_some() {
        let diff = similar::TextDiff::from_lines(original, &*chapter.text);
        write!(
            out,
            "{}",
            diff.unified_diff().context_radius(3).header(&a, &b)
        )?;
        return Ok(Ok(()));
    }
    // A file `--fix` would refuse (read-only, hard-linked) is said as
    // `--fix` says it, not previewed as if it would be written.
    if let Err(err) = fix::writable_target(&chapter.path) {
        return Ok(Err(NoDiff::Unwritable(err.to_string())));
    }
    let on_disk = match fix::on_disk(&chapter.path, original, &chapter.text, fallback) {
        Ok(on_disk) => on_disk,
        Err(err) => return Ok(Err(NoDiff::Unwritable(err.to_string()))),
    };
    if matches!(on_disk.encoding.name(), "UTF-16LE" | "UTF-16BE") {
        return Ok(Err(NoDiff::Binary(
            "it is UTF-16, which git applies no text patch to; --fix writes it",
        )));
    }
    // Hunk by hunk: the whole diff's writer formats its hunks as text,
    // which turned a Windows-1252 quote into U+FFFD.
    let diff = similar::TextDiff::from_lines(&on_disk.old[..], &on_disk.new[..]);
    writeln!(out, "--- {a}\n+++ {b}")?;
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        hunk.to_writer(&mut *out)?;
    }
    Ok(Ok(()))
}

/// After `--fix` (`unsafe_fixes` for `--unsafe-fixes`; `failed` when a
/// file could not be written): why findings with a fix are still there,
/// and the unsafe fixes `--unsafe-fixes` would add; `None` when no
/// finding left has a fix.
pub(crate) fn unfixed_note(
    diagnostics: &[Diagnostic],
    unsafe_fixes: bool,
    failed: bool,
) -> Option<String> {
    let count = |unsafe_: bool| {
        diagnostics
            .iter()
            .filter(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| (f.applicability == Applicability::Unsafe) == unsafe_)
            })
            .count()
    };
    let (safe, unsafe_) = (count(false), count(true));
    // Fixes this run applied where it could.
    let (applied_kind, offered) = match unsafe_fixes {
        true => (safe + unsafe_, 0),
        false => (safe, unsafe_),
    };
    let plural = |n: usize| if n == 1 { "finding" } else { "findings" };
    let left = match (applied_kind, failed) {
        (0, _) => None,
        (n, true) => Some(format!(
            "{n} {} with a fix not fixed: {} could not be written (see above)",
            plural(n),
            if n == 1 { "its file" } else { "their files" }
        )),
        (n, false) => Some(format!(
            "{n} {} with a fix still there after --fix (fixes that overlap or undo each \
             other): mend {} by hand",
            plural(n),
            if n == 1 { "it" } else { "them" }
        )),
    };
    let more = (offered > 0).then(|| {
        format!(
            "{offered} more {} can be fixed with `--fix --unsafe-fixes` (check each one)",
            plural(offered)
        )
    });
    match (left, more) {
        (Some(left), Some(more)) => Some(format!("{left}; {more}")),
        (left, more) => left.or(more),
    }
}

/// "12 findings can be fixed with --fix (3 more with --unsafe-fixes)", or
/// `None` when nothing can.
pub(crate) fn fixable_note(diagnostics: &[Diagnostic], unsafe_fixes: bool) -> Option<String> {
    let count = |a: Applicability| {
        diagnostics
            .iter()
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == a))
            .count()
    };
    let (safe, unsafe_) = (count(Applicability::Safe), count(Applicability::Unsafe));
    let plural = |n: usize| if n == 1 { "finding" } else { "findings" };
    match (safe, unsafe_, unsafe_fixes) {
        (0, 0, _) => None,
        (s, u, true) => Some(format!(
            "{} {} can be fixed with `--fix --unsafe-fixes`",
            s + u,
            plural(s + u)
        )),
        (0, u, false) => Some(format!(
            "{u} {} can be fixed with `--fix --unsafe-fixes` (check each one)",
            plural(u)
        )),
        (s, 0, false) => Some(format!("{s} {} can be fixed with `--fix`", plural(s))),
        (s, u, false) => Some(format!(
            "{s} {} can be fixed with `--fix` ({u} more with `--unsafe-fixes`)",
            plural(s)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Edit, Fix, Label, Severity};
    use crate::text::Span;

    /// Findings with `safe` safe fixes, `unsafe_` unsafe ones and one
    /// without a fix.
    fn findings(safe: usize, unsafe_: usize) -> Vec<Diagnostic> {
        let with = |fix: Option<Fix>| Diagnostic {
            rule: "r".to_string(),
            severity: Severity::Warning,
            message: "m".to_string(),
            primary: Label::new(0, Span::new(0, 1)),
            related: Vec::new(),
            help: None,
            fix,
            facts: None,
        };
        let edit = || vec![Edit::replace(Span::new(0, 1), "x")];
        let mut all = vec![with(None)];
        all.extend((0..safe).map(|_| with(Some(Fix::safe("s", edit())))));
        all.extend((0..unsafe_).map(|_| with(Some(Fix::unsafe_("u", edit())))));
        all
    }

    #[test]
    fn after_fix_the_note_says_why_fixes_are_left() {
        assert_eq!(unfixed_note(&findings(0, 0), false, false), None);
        assert_eq!(unfixed_note(&findings(0, 3), true, false), Some(
            "3 findings with a fix still there after --fix (fixes that overlap or undo each other): mend them by hand".to_string()
        ));
        assert_eq!(
            unfixed_note(&findings(2, 1), false, true).as_deref(),
            Some(
                "2 findings with a fix not fixed: their files could not be written (see above); \
                 1 more finding can be fixed with `--fix --unsafe-fixes` (check each one)"
            )
        );
        assert_eq!(
            unfixed_note(&findings(0, 2), false, true).as_deref(),
            Some("2 more findings can be fixed with `--fix --unsafe-fixes` (check each one)")
        );
    }
}
