//! Baselines: findings recorded once (`--write-baseline FILE`) and hidden on
//! later runs (`--baseline FILE`), so CI fails only on new findings.
//!
//! A finding's fingerprint does not depend on line numbers, file names or
//! the message (which may name other chapters). It hashes the rule id, the
//! flagged text and three words of context on each side, taken from the
//! prose of the same paragraph, all lower-cased with whitespace collapsed.
//! So it survives edits elsewhere, re-wrapped lines, and a paragraph moved to
//! another place or chapter. Identical findings are counted: a baseline that
//! holds two identical findings hides two, and a third is new.
//!
//! A finding about copies or repetitions (a duplicated paragraph, a
//! repeated sentence or phrase) also records how many places hold it
//! (`copies`): the same finding with more places is new (a third copy
//! pasted beside a recorded pair), with as many or fewer it is hidden.
//! Entries written before `copies` was recorded hide any count.
//!
//! A baseline written by a run of some rules only (`--select`) keeps the
//! entries of the rules that did not run.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
use crate::text::Manuscript;

/// The baseline file format version this build reads and writes.
pub const VERSION: u32 = 1;

/// Words of context taken on each side of the flagged text.
const CONTEXT_WORDS: usize = 3;

/// The chapter-independent fingerprint of a finding (32 hex digits).
pub fn fingerprint(manuscript: &Manuscript, diagnostic: &Diagnostic) -> String {
    let chapter = manuscript.chapter(diagnostic.primary.chapter);
    let span = diagnostic.primary.span;
    let flagged = normalise(chapter.text.get(span.range()).unwrap_or(""));
    // Blocks are sorted and disjoint: the first one ending after the start.
    let i = chapter.blocks.partition_point(|b| b.span.end <= span.start);
    let block = chapter.blocks.get(i).filter(|b| b.span.start <= span.start);
    let (before, after) = match block {
        Some(block) => {
            let start = span.start as usize;
            let end = (span.end as usize).clamp(start, (block.span.end as usize).max(start));
            let before = chapter
                .prose
                .get(block.span.start as usize..start)
                .unwrap_or("");
            let after = chapter
                .prose
                .get(end..block.span.end as usize)
                .unwrap_or("");
            let mut before: Vec<&str> = before
                .split_whitespace()
                .rev()
                .take(CONTEXT_WORDS)
                .collect();
            before.reverse();
            let after: Vec<&str> = after.split_whitespace().take(CONTEXT_WORDS).collect();
            (normalise(&before.join(" ")), normalise(&after.join(" ")))
        }
        None => (String::new(), String::new()),
    };
    let mut hasher = Sha256::new();
    for part in [diagnostic.rule.as_str(), &flagged, &before, &after] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let digest = hasher.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Lower case, whitespace runs collapsed to one space, trimmed.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The file on disk.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

/// One recorded finding. `rule`, `fingerprint` and `copies` are matched;
/// `file` and `message` are there for people reading the file.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
struct Entry {
    file: String,
    rule: String,
    fingerprint: String,
    message: String,
    /// How many places held it, for a finding about copies or repetitions
    /// (see [`Diagnostic::copies`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    copies: Option<usize>,
}

/// A problem reading or writing a baseline file (exit code 2).
#[derive(Clone, Debug)]
pub struct BaselineError {
    pub path: PathBuf,
    pub message: String,
    pub help: String,
}

impl fmt::Display for BaselineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BaselineError {}

impl miette::Diagnostic for BaselineError {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }
}

/// A loaded baseline: for each (rule, fingerprint), the findings to hide,
/// each with the places it held (`None`: any number).
#[derive(Debug, Default)]
pub struct Baseline {
    counts: HashMap<(String, String), Vec<Option<usize>>>,
}

impl Baseline {
    /// Reads the baseline file at `path`.
    ///
    /// Errors: the path is missing, a folder or not a regular file, cannot
    /// be read, or does not hold a baseline of this version (see
    /// [`Baseline::parse`]).
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let error = |message: String, help: &str| BaselineError {
            path: path.to_path_buf(),
            message,
            help: help.to_string(),
        };
        let create = "create it with `manulint check --write-baseline FILE`, or fix the path";
        // Checked before opening, so a pipe or device is never read.
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                return Err(error(
                    format!("baseline {} is a folder, not a file", path.display()),
                    "name the baseline file itself, e.g. --baseline manulint-baseline.json",
                ));
            }
            Ok(m) if !m.is_file() => {
                return Err(error(
                    format!("baseline {} is not a regular file", path.display()),
                    create,
                ));
            }
            _ => {}
        }
        let text = std::fs::read_to_string(path).map_err(|e| {
            let reason = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                std::io::ErrorKind::InvalidData => "it is not valid UTF-8".to_string(),
                _ => e.to_string(),
            };
            error(
                format!("cannot read baseline {}: {reason}", path.display()),
                create,
            )
        })?;
        Baseline::parse(path, &text)
    }

    /// Parses the text of a baseline file; `path` names it in errors.
    ///
    /// Errors: not JSON, no `version` number, another version than
    /// [`VERSION`], or keys that a baseline does not have.
    pub fn parse(path: &Path, text: &str) -> Result<Baseline, BaselineError> {
        let error = |message: String| BaselineError {
            path: path.to_path_buf(),
            message,
            help: "regenerate it with `manulint check --write-baseline FILE`".to_string(),
        };
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            error(format!(
                "baseline {} is not valid JSON: {e}",
                path.display()
            ))
        })?;
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(VERSION) => {}
            Some(v) => {
                return Err(error(format!(
                    "baseline {} has version {v}; this manulint reads version {VERSION}",
                    path.display()
                )));
            }
            None => {
                return Err(error(format!(
                    "baseline {} has no \"version\" number; is it a manulint baseline?",
                    path.display()
                )));
            }
        }
        let file: BaselineFile = serde_json::from_value(value).map_err(|e| {
            error(format!(
                "baseline {} is not a manulint baseline: {e}",
                path.display()
            ))
        })?;
        let mut baseline = Baseline::default();
        for entry in file.findings {
            baseline
                .counts
                .entry((entry.rule, entry.fingerprint))
                .or_default()
                .push(entry.copies);
        }
        Ok(baseline)
    }

    /// Writes the findings as a baseline, replacing the file (so findings
    /// that are gone are pruned), but for the entries of rules that did
    /// not run (not in `ran`): those of a baseline file already at `path`
    /// are kept, so `--select doubled-word` does not drop the others.
    /// Returns how many were written.
    ///
    /// The write is atomic: the text goes to a temporary file in the same
    /// folder, which then replaces `path`; a failed write leaves the old
    /// baseline as it was. Errors: `path` is a folder, its folder is
    /// missing or not writable, or the disk is full.
    pub fn write(
        path: &Path,
        manuscript: &Manuscript,
        diagnostics: &[Diagnostic],
        ran: &[String],
    ) -> Result<usize, BaselineError> {
        let mut findings: Vec<Entry> = diagnostics
            .iter()
            .map(|d| Entry {
                file: manuscript
                    .chapter(d.primary.chapter)
                    .path
                    .display()
                    .to_string()
                    .replace('\\', "/"),
                rule: d.rule.clone(),
                fingerprint: fingerprint(manuscript, d),
                message: d.message.clone(),
                copies: d.copies(),
            })
            .collect();
        // A file that does not read as a baseline is replaced whole, as
        // before: there is nothing in it to keep.
        if let Some(old) = std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str::<BaselineFile>(&text).ok())
            .filter(|old| old.version == VERSION)
        {
            findings.extend(
                old.findings
                    .into_iter()
                    .filter(|entry| !ran.contains(&entry.rule)),
            );
        }
        findings.sort();
        let count = findings.len();
        let file = BaselineFile {
            version: VERSION,
            findings,
        };
        let mut text = serde_json::to_string_pretty(&file).map_err(|e| BaselineError {
            path: path.to_path_buf(),
            message: format!("cannot encode baseline: {e}"),
            help: String::new(),
        })?;
        text.push('\n');
        write_atomically(path, &text)?;
        Ok(count)
    }
}

/// Replaces `path` with `text` through a temporary file in the same folder
/// (so the rename cannot cross file systems). A symlinked baseline is
/// written through to its target; the permissions of the file replaced are
/// kept.
fn write_atomically(path: &Path, text: &str) -> Result<(), BaselineError> {
    use std::io::Write;
    let error = |message: String, help: &str| BaselineError {
        path: path.to_path_buf(),
        message,
        help: help.to_string(),
    };
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if target.is_dir() {
        return Err(error(
            format!("cannot write baseline {}: it is a folder", path.display()),
            "name the baseline file itself, e.g. --write-baseline manulint-baseline.json",
        ));
    }
    if !folder.is_dir() {
        return Err(error(
            format!(
                "cannot write baseline {}: folder {} does not exist",
                path.display(),
                folder.display()
            ),
            "create the folder first, or write the baseline somewhere else",
        ));
    }
    let failed = |e: std::io::Error| {
        error(
            format!(
                "cannot write baseline {}: {}",
                path.display(),
                io_reason(&e)
            ),
            "check that the folder is writable and the disk is not full",
        )
    };
    let existing = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    builder.prefix(".manulint-baseline-").suffix(".tmp");
    #[cfg(unix)]
    if existing.is_none() {
        // Created like any new file (0666 less the umask), not private.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(folder).map_err(failed)?;
    temp.write_all(text.as_bytes()).map_err(failed)?;
    temp.as_file().sync_all().map_err(failed)?;
    if let Some(permissions) = existing {
        temp.as_file()
            .set_permissions(permissions)
            .map_err(failed)?;
    }
    temp.persist(&target).map_err(|e| failed(e.error))?;
    Ok(())
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

impl Baseline {
    /// Removes the findings the baseline holds; returns how many were hidden.
    pub fn hide(&self, manuscript: &Manuscript, diagnostics: &mut Vec<Diagnostic>) -> usize {
        let mut remaining = self.counts.clone();
        let before = diagnostics.len();
        diagnostics.retain(|d| {
            let key = (d.rule.clone(), fingerprint(manuscript, d));
            let Some(recorded) = remaining.get_mut(&key) else {
                return true;
            };
            // The entry that held fewest places and still as many as now
            // (one with any count last), so that the others stay for
            // findings that need them.
            let copies = d.copies().unwrap_or(0);
            let best = recorded
                .iter()
                .enumerate()
                .filter(|(_, c)| c.is_none_or(|c| c >= copies))
                .min_by_key(|(_, c)| c.unwrap_or(usize::MAX))
                .map(|(i, _)| i);
            match best {
                Some(i) => {
                    recorded.swap_remove(i);
                    false
                }
                None => true,
            }
        });
        before - diagnostics.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run_rule_on;

    fn prints(rule: &str, chapters: &[(&str, &str)]) -> Vec<String> {
        let (manuscript, diagnostics) = run_rule_on(rule, chapters);
        diagnostics
            .iter()
            .map(|d| fingerprint(&manuscript, d))
            .collect()
    }

    #[test]
    fn fingerprint_ignores_lines_wrapping_and_chapter() {
        let original = prints(
            "doubled-word",
            &[(
                "a.txt",
                "Intro.\n\nShe set it down on the the counter and left.\n",
            )],
        );
        let moved = prints(
            "doubled-word",
            &[
                ("a.txt", "New first paragraph.\n\nIntro, edited.\n"),
                (
                    "b.md",
                    "# Two\n\nMore.\n\nShe set it down\non the the counter\nand left.\n",
                ),
            ],
        );
        assert_eq!(original.len(), 1);
        assert_eq!(original, moved);
    }

    #[test]
    fn fingerprint_changes_with_the_flagged_text_or_its_context() {
        let a = prints("doubled-word", &[("a.txt", "Set it on the the counter.\n")]);
        let b = prints("doubled-word", &[("a.txt", "Set it on the the table.\n")]);
        let c = prints("doubled-word", &[("a.txt", "Set it on a a counter.\n")]);
        assert_eq!(a.len(), 1);
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a[0].len(), 32);
    }
}
