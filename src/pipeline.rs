//! The stage between the engine and the reporters. In order:
//!
//! 1. inline directives drop the findings they cover (and add
//!    `bad-directive` warnings for typos, which nothing can suppress);
//!    findings in Word chapters lose their fixes, kept as advice in the
//!    help (manulint never rewrites a `.docx`);
//! 2. `[[overrides]]` change a rule's level for files matching globs, or
//!    turn it off there;
//! 3. `--write-baseline` records every remaining finding;
//! 4. only findings in the files to report are kept (pre-commit passes a
//!    few files, but the whole manuscript is loaded as context);
//! 5. the baseline hides the findings it holds.
//!
//! A baseline that cannot be read or written never loses the run: the
//! findings are kept (none is hidden) and the error travels beside them in
//! [`Filtered::baseline_error`], for the front end to show after them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use globset::GlobSet;
use rayon::prelude::*;

use crate::baseline::{Baseline, BaselineError};
use crate::config::{Config, ConfigError};
use crate::diagnostic::{Diagnostic, Level, Severity};
use crate::language::Language;
use crate::load;
use crate::suppress::ChapterSuppressions;
use crate::text::{Manuscript, SourceFormat};

/// One `[[overrides]]` entry, compiled.
pub struct Override {
    files: GlobSet,
    /// Rule id → new severity (`None`: off).
    levels: Vec<(String, Option<Severity>)>,
    /// The language its files are written in.
    language: Option<Language>,
}

/// Compiles `[[overrides]]`; rule ids were checked with the others.
pub fn compile_overrides(config: &Config) -> Result<Vec<Override>, Box<ConfigError>> {
    let mut out = Vec::new();
    for entry in &config.overrides {
        let files = load::glob_set(&entry.files)
            .map_err(|(pattern, msg)| {
                Box::new(config.error_at_text(
                    &pattern,
                    msg,
                    "fix the glob in `files` of [[overrides]]",
                ))
            })?
            .ok_or_else(|| {
                Box::new(config.error_at(
                    0..0,
                    "an [[overrides]] entry has no `files`",
                    "list globs, e.g. files = [\"notes/**\"]",
                ))
            })?;
        let mut levels = Vec::new();
        for (rule, level) in &entry.rules {
            let parsed = level.get_ref().parse::<Level>().map_err(|msg| {
                Box::new(config.error_at(level.span(), msg, "use off, info, warning or error"))
            })?;
            levels.push((rule.get_ref().clone(), parsed.severity()));
        }
        let language = match &entry.language {
            Some(tag) => Some(Language::parse(tag.get_ref()).map_err(|msg| {
                Box::new(config.error_at(
                    tag.span(),
                    msg,
                    "use a language tag such as \"fr\", \"de\" or \"es\"",
                ))
            })?),
            None => None,
        };
        out.push(Override {
            files,
            levels,
            language,
        });
    }
    Ok(out)
}

/// Everything the stage needs besides the findings.
#[derive(Default)]
pub struct Pipeline {
    /// Rule ids a directive may name.
    pub known_rules: Vec<String>,
    /// Level of `bad-directive` warnings (`None`: off).
    pub directive_severity: Option<Severity>,
    pub overrides: Vec<Override>,
    /// Folder the override globs are relative to, and the current folder
    /// chapter paths are relative to.
    pub root: PathBuf,
    pub cwd: PathBuf,
    /// `--baseline` (or `baseline =` in the config), as loaded: an error
    /// is reported after the findings, which it then cannot hide.
    pub baseline: Option<Result<Baseline, BaselineError>>,
    pub write_baseline: Option<PathBuf>,
    /// The ids of the rules this run runs: a baseline written keeps the
    /// entries of the others.
    pub ran_rules: Vec<String>,
}

/// The findings to report and what happened to the others.
#[derive(Debug, Default)]
pub struct Filtered {
    pub diagnostics: Vec<Diagnostic>,
    /// Dropped by inline directives.
    pub suppressed: usize,
    /// Hidden by the baseline.
    pub baselined: usize,
    /// Findings written by `--write-baseline`.
    pub written: Option<usize>,
    /// The baseline could not be read or written; no finding was hidden.
    pub baseline_error: Option<BaselineError>,
}

impl Pipeline {
    /// Filters `diagnostics` (see the module docs). `report_only`, one flag
    /// per chapter, keeps only the findings of the flagged chapters, and
    /// the copies and repetitions with a place in one (`None`: all). Never fails: a baseline error is returned inside [`Filtered`].
    pub fn apply(
        &self,
        manuscript: &Manuscript,
        diagnostics: Vec<Diagnostic>,
        report_only: Option<&[bool]>,
    ) -> Filtered {
        self.run(manuscript, diagnostics, report_only, true)
    }

    /// Like [`Pipeline::apply`], but never writes the baseline (for the
    /// intermediate checks of `--fix`).
    pub fn apply_read_only(
        &self,
        manuscript: &Manuscript,
        diagnostics: Vec<Diagnostic>,
        report_only: Option<&[bool]>,
    ) -> Filtered {
        self.run(manuscript, diagnostics, report_only, false)
    }

    fn run(
        &self,
        manuscript: &Manuscript,
        diagnostics: Vec<Diagnostic>,
        report_only: Option<&[bool]>,
        write: bool,
    ) -> Filtered {
        let mut out = Filtered::default();
        let suppressions: Vec<ChapterSuppressions> = manuscript
            .chapters
            .par_iter()
            .map(|ch| ChapterSuppressions::new(ch, &self.known_rules, self.directive_severity))
            .collect();

        let mut kept: Vec<Diagnostic> = suppressions
            .iter()
            .flat_map(|s| s.warnings.iter().cloned())
            .collect();
        for diagnostic in diagnostics {
            let chapter = &suppressions[diagnostic.primary.chapter];
            if chapter.suppresses(&diagnostic.rule, diagnostic.primary.span.start) {
                out.suppressed += 1;
            } else {
                kept.push(diagnostic);
            }
        }

        fixes_as_advice(manuscript, &mut kept);
        if !self.overrides.is_empty() {
            let levels = self.override_levels(manuscript);
            kept.retain_mut(|d| match levels[d.primary.chapter].get(&d.rule) {
                Some(Some(severity)) => {
                    d.severity = *severity;
                    true
                }
                Some(None) => false,
                None => true,
            });
        }
        kept.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));

        if let (Some(path), true) = (&self.write_baseline, write) {
            match Baseline::write(path, manuscript, &kept, &self.ran_rules) {
                Ok(count) => out.written = Some(count),
                Err(error) => out.baseline_error = Some(error),
            }
        }
        if let Some(report) = report_only {
            let reported = |chapter: usize| report.get(chapter).copied().unwrap_or(false);
            // A copy or repetition is the staged chapter's too when one of
            // its places is there: a paragraph pasted into chapter 1 is
            // reported at its later copy, in chapter 4, which the hook was
            // not given, and the commit that made the error passed.
            kept.retain(|d| {
                reported(d.primary.chapter)
                    || (d.copies().is_some() && d.related.iter().any(|l| reported(l.chapter)))
            });
        }
        match (&self.write_baseline, &self.baseline) {
            // Written: what it holds is hidden. Not written: all is shown.
            (Some(_), _) if out.baseline_error.is_none() => {
                out.baselined = kept.len();
                kept.clear();
            }
            (Some(_), _) => {}
            (None, Some(Ok(baseline))) => out.baselined = baseline.hide(manuscript, &mut kept),
            (None, Some(Err(error))) => out.baseline_error = Some(error.clone()),
            (None, None) => {}
        }
        out.diagnostics = kept;
        out
    }

    /// For each chapter, the language its overrides set (later wins), if
    /// any: read where a chapter has no front matter to say it.
    pub fn override_languages(&self, chapters: &[crate::text::Chapter]) -> Vec<Option<Language>> {
        if self.overrides.iter().all(|o| o.language.is_none()) {
            return Vec::new();
        }
        let root = absolute(&self.cwd, &self.root);
        chapters
            .iter()
            .map(|chapter| {
                let path = absolute(&self.cwd, &chapter.path);
                let relative = path.strip_prefix(&root).unwrap_or(&path);
                self.overrides
                    .iter()
                    .rev()
                    .filter(|o| o.files.is_match(relative))
                    .find_map(|o| o.language.clone())
            })
            .collect()
    }

    /// For each chapter, the rule levels its overrides set (later wins).
    fn override_levels(&self, manuscript: &Manuscript) -> Vec<HashMap<String, Option<Severity>>> {
        let root = absolute(&self.cwd, &self.root);
        manuscript
            .chapters
            .iter()
            .map(|chapter| {
                let path = absolute(&self.cwd, &chapter.path);
                let relative = path.strip_prefix(&root).unwrap_or(&path);
                let mut levels = HashMap::new();
                for o in self.overrides.iter().filter(|o| o.files.is_match(relative)) {
                    for (rule, severity) in &o.levels {
                        levels.insert(rule.clone(), *severity);
                    }
                }
                levels
            })
            .collect()
    }
}

/// Word chapters are never rewritten (their text is manulint's rendering
/// of the document): a finding there keeps its fix only as advice, added
/// to its help ("suggested: replace with “…”"), so `--fix`, `--diff`, the
/// JSON and SARIF fixes never offer edits for it.
///
/// A help that says where to put a directive (`manulint-disable-next …
/// before its paragraph`) also says how a Word document takes one: there is
/// no line to put it on.
fn fixes_as_advice(manuscript: &Manuscript, diagnostics: &mut [Diagnostic]) {
    for d in diagnostics.iter_mut() {
        if manuscript.chapter(d.primary.chapter).format != SourceFormat::Docx {
            continue;
        }
        if let Some(fix) = d.fix.take() {
            let advice = format!("suggested: {}", fix.description);
            d.help = Some(match d.help.take() {
                Some(help) => format!("{help} ({advice})").into(),
                None => advice.into(),
            });
        }
        if let Some(help) = &d.help
            && help.contains("`manulint-disable")
            && !help.contains("Word comment")
        {
            d.help = Some(format!("{help} (in Word, {DIRECTIVE_IN_WORD})").into());
        }
    }
}

/// How a Word document takes a directive (see docs/docx.md).
const DIRECTIVE_IN_WORD: &str = "a directive is a comment on the paragraph whose whole text is the directive, or hidden text in it";

/// `path` made absolute against `cwd`, resolving `..` and links when the
/// path exists.
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let joined = cwd.join(path);
    std::fs::canonicalize(&joined).unwrap_or(joined)
}
