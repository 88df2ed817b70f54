//! `manulint check`: load the manuscript, run the rules, report, exit with
//! 0 (clean), 1 (findings at the failing severity) or 2 (usage, config or
//! I/O errors; findings are still printed first).

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cli::{CheckArgs, ColorChoice, EXIT_ERROR, EXIT_FINDINGS, ErrorPrinter};
use crate::commands::fix;
use crate::config::FailOn;
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::{LoadProblem, ProblemLevel};
use crate::pipeline;
use crate::report::{self, Format, Report, Summary};
use crate::text::Manuscript;
use crate::workspace::Workspace;

pub(crate) fn run(args: &CheckArgs, color: ColorChoice, errors: &ErrorPrinter) -> io::Result<u8> {
    let started = Instant::now();
    let cwd = std::env::current_dir()?;
    let workspace = match Workspace::open(&args.settings(), &cwd) {
        Ok(workspace) => workspace,
        Err(err) => {
            errors.diagnostic(&*err);
            return Ok(EXIT_ERROR);
        }
    };

    let context = precommit_context(&workspace, &args.paths, &cwd);
    let load_paths = context.as_ref().map_or(&args.paths, |c| &c.load);
    let (manuscript, mut problems) = workspace.load(load_paths);
    if let Some(context) = &context {
        problems.extend(context.missing.iter().map(|path| {
            LoadProblem::error(
                path,
                format!("{}: no such file or folder", path.display()),
                "check the path",
            )
        }));
    }
    for problem in &problems {
        errors.diagnostic(problem);
    }
    let io_failed = problems.iter().any(|p| p.level == ProblemLevel::Error);
    if manuscript.chapters.is_empty() {
        if !io_failed {
            errors.message(&format!(
                "no chapter files found (looked for {})",
                workspace.load_options().extension_list()
            ));
        }
        return Ok(EXIT_ERROR);
    }

    let report_only = context.as_ref().map(|c| c.report_only(&manuscript, &cwd));
    let mut fix_failed = false;
    let manuscript = if args.fix || args.diff {
        let mut stdout = io::stdout().lock();
        let run = fix::run(
            &workspace,
            manuscript,
            report_only.as_deref(),
            args.unsafe_fixes,
            args.diff,
            &mut stdout,
        )?;
        stdout.flush()?;
        let files = report::plural(run.files, "file");
        let findings = report::plural(run.fixed, "finding");
        if args.diff {
            let _ = writeln!(io::stderr(), "Would fix {findings} in {files}");
            return Ok(if io_failed {
                EXIT_ERROR
            } else if run.files > 0 {
                EXIT_FINDINGS
            } else {
                0
            });
        }
        let _ = writeln!(io::stderr(), "Fixed {findings} in {files}");
        fix_failed = run.failed;
        run.manuscript
    } else {
        manuscript
    };
    let checked = match workspace.check(&manuscript, report_only.clone()) {
        Ok(checked) => checked,
        Err(err) => {
            errors.diagnostic(&err);
            return Ok(EXIT_ERROR);
        }
    };
    if let (Some(context), true) = (&context, args.verbose) {
        for path in context.ignored(&manuscript, &cwd) {
            let _ = writeln!(
                io::stderr(),
                "note: ignored {}: not a chapter of the manuscript ([manuscript] include in manulint.toml)",
                path.display()
            );
        }
    }
    if args.verbose {
        for note in &checked.notes {
            let _ = writeln!(io::stderr(), "note: {note}");
        }
    }
    for notice in &checked.notices {
        let _ = writeln!(io::stderr(), "note: {notice}");
    }
    let filtered = checked.filtered;
    if let (Some(path), Some(count)) = (&args.write_baseline, filtered.written) {
        let _ = writeln!(
            io::stderr(),
            "Wrote {} to {}",
            report::plural(count, "finding"),
            path.display()
        );
    }
    let files: Vec<usize> = match &report_only {
        Some(report) => (0..manuscript.chapters.len())
            .filter(|&i| report[i])
            .collect(),
        None => (0..manuscript.chapters.len()).collect(),
    };
    let mut summary = Summary::new(&manuscript, &filtered.diagnostics, started.elapsed());
    if report_only.is_some() {
        summary.files = files.len();
        summary.words = files
            .iter()
            .map(|&i| manuscript.chapters[i].word_count())
            .sum();
    }
    if workspace.uses_baseline() {
        summary.baselined = Some(filtered.baselined);
    }
    if args.format == Format::Human
        && !args.quiet
        && let Some(note) = fix::fixable_note(&filtered.diagnostics, args.unsafe_fixes)
    {
        let _ = writeln!(io::stderr(), "note: {note}");
    }
    let report = Report {
        manuscript: &manuscript,
        diagnostics: &filtered.diagnostics,
        rules: workspace.rule_metas(),
        files,
        summary,
        quiet: args.quiet,
        color: color.enabled(io::stdout().is_terminal()),
    };
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    report::write_report(args.format, &report, &mut stdout)?;
    stdout.flush()?;

    let config = workspace.config();
    let fail_on = args.fail_on.or(config.fail_on).unwrap_or(FailOn::Error);
    let code = exit_code(&filtered.diagnostics, fail_on, io_failed || fix_failed);
    let max_warnings = args.max_warnings.or(config.max_warnings);
    let warnings = filtered
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    if code == 0 && max_warnings.is_some_and(|max| warnings > max) {
        return Ok(EXIT_FINDINGS);
    }
    Ok(code)
}

/// Pre-commit passes only the changed files. When `manulint.toml` names the
/// manuscript (`[manuscript] include`), the whole manuscript is loaded as
/// context for the manuscript-wide rules, and only findings in the files
/// passed are reported; passed files that are not chapters are ignored.
struct PrecommitContext {
    /// What to load: the config's folder.
    load: Vec<PathBuf>,
    /// The paths passed, as given and made absolute.
    passed: Vec<(PathBuf, PathBuf)>,
    /// Passed paths that do not exist.
    missing: Vec<PathBuf>,
}

impl PrecommitContext {
    fn report_only(&self, manuscript: &Manuscript, cwd: &Path) -> Vec<bool> {
        manuscript
            .chapters
            .iter()
            .map(|chapter| {
                let path = pipeline::absolute(cwd, &chapter.path);
                self.passed.iter().any(|(_, p)| path.starts_with(p))
            })
            .collect()
    }

    /// Passed paths that hold no chapter of the manuscript.
    fn ignored(&self, manuscript: &Manuscript, cwd: &Path) -> Vec<&Path> {
        let chapters: Vec<PathBuf> = manuscript
            .chapters
            .iter()
            .map(|c| pipeline::absolute(cwd, &c.path))
            .collect();
        self.passed
            .iter()
            .filter(|(_, abs)| !chapters.iter().any(|c| c.starts_with(abs)))
            .map(|(given, _)| given.as_path())
            .collect()
    }
}

fn precommit_context(
    workspace: &Workspace,
    paths: &[PathBuf],
    cwd: &Path,
) -> Option<PrecommitContext> {
    let config = workspace.config();
    if config.manuscript.include.is_empty() || !paths.iter().any(|p| p.is_file()) {
        return None;
    }
    let root = pipeline::absolute(cwd, config.root().unwrap_or(cwd));
    let cwd_abs = pipeline::absolute(cwd, Path::new("."));
    // Show chapter paths relative to the current folder when possible.
    let load = match root.strip_prefix(&cwd_abs) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => root,
    };
    let (passed, missing) = paths.iter().partition::<Vec<&PathBuf>, _>(|p| p.exists());
    Some(PrecommitContext {
        load: vec![load],
        passed: passed
            .into_iter()
            .map(|p| (p.clone(), pipeline::absolute(cwd, p)))
            .collect(),
        missing: missing.into_iter().cloned().collect(),
    })
}

fn exit_code(diagnostics: &[Diagnostic], fail_on: FailOn, io_failed: bool) -> u8 {
    if io_failed {
        return EXIT_ERROR;
    }
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
        FailOn::Never => return 0,
    };
    if diagnostics.iter().any(|d| d.severity >= threshold) {
        EXIT_FINDINGS
    } else {
        0
    }
}
