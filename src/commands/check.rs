//! `manulint check`: load the manuscript, run the rules, report, exit with
//! 0 (clean), 1 (findings at the failing severity) or 2 (usage, config or
//! I/O errors; findings are still printed first).

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cli::{CheckArgs, EXIT_ERROR, EXIT_FINDINGS, ErrorPrinter, Output};
use crate::commands::{annotate, fix};
use crate::config::FailOn;
use crate::diagnostic::{Diagnostic, Severity};
use crate::docx::Limits;
use crate::load::{self, LoadProblem, ProblemLevel};
use crate::pipeline;
use crate::report::{self, Format, Report, Summary};
use crate::text::Manuscript;
use crate::workspace::Workspace;

/// `manulint check`: the paths given are checked with the settings of the
/// manuscript they belong to, the `manulint.toml` nearest above them (a
/// pre-commit hook runs from the repository's root, passing the files of
/// one book of a series); files of several manuscripts are checked one
/// manuscript at a time, in the line-by-line formats.
pub(crate) fn run(args: &CheckArgs, output: &Output, errors: &ErrorPrinter) -> io::Result<u8> {
    let cwd = std::env::current_dir()?;
    // No path checks the current folder, as `.` does, books and all: a
    // series' root ran as one merged manuscript, its books' settings
    // unread, where `manulint check .` checked each book on its own. A
    // config that names its manuscript (`include`, a layout) says what to
    // check instead.
    let with_paths;
    let args = if args.paths.is_empty() && args.config.is_none() {
        with_paths = CheckArgs {
            paths: vec![default_path(&cwd)],
            ..args.clone()
        };
        &with_paths
    } else {
        args
    };
    let books = match manuscripts_of(args, &cwd) {
        Some(books) => books,
        None => return run_one(args, output, errors, &mut None),
    };
    let from_cwd = crate::config::find_upward(&cwd);
    // A series' root that holds only its books is no manuscript: its run
    // would report nothing, and a format that is one document would count
    // it among the books it cannot hold.
    let books: Vec<Book> = books
        .into_iter()
        .filter(|book| !only_holds_books(args, book, from_cwd.as_ref(), &cwd))
        .collect();
    if let [book] = &books[..] {
        let mut args = args.clone();
        if book.config.is_some() && book.config != from_cwd {
            args.config.clone_from(&book.config);
        }
        return run_one(&args, output, errors, &mut None);
    }
    let configs: Vec<String> = books
        .iter()
        .map(|book| match &book.config {
            Some(config) => load::shown_config(&cwd, config),
            None => "no manulint.toml".to_string(),
        })
        .collect();
    let one_document = !matches!(args.format, Format::Human | Format::Short | Format::Github);
    // What cannot hold several manuscripts: a report that is one
    // document, a baseline (each book's run wrote the same file, the last
    // one kept), annotated copies (the same file or names may clash).
    let cannot_hold = if one_document || args.output.is_some() || args.statistics {
        Some("one report cannot hold them")
    } else if args.write_baseline.is_some() {
        Some("one baseline file cannot hold them")
    } else if args.annotate.is_some() {
        Some("one --annotate target cannot hold their copies")
    } else {
        None
    };
    if let Some(cannot_hold) = cannot_hold {
        // The command for each, as the writer would type it.
        let commands: Vec<String> = books
            .iter()
            .map(|book| {
                let paths: Vec<String> = book
                    .paths
                    .iter()
                    .map(|p| p.display().to_string().replace('\\', "/"))
                    .collect();
                format!("`manulint check {}`", paths.join(" "))
            })
            .collect();
        errors.message(&format!(
            "the paths given belong to {} manuscripts, each with its own settings ({}): {cannot_hold}; check one manuscript at a time, with the same options: {}",
            books.len(),
            configs.join(", "),
            commands.join(", ")
        ));
        return Ok(EXIT_ERROR);
    }
    let started = Instant::now();
    let (mut code, mut total, mut reported) = (0, Summary::default(), 0);
    for (book, shown) in books.into_iter().zip(&configs) {
        let mut args = args.clone();
        args.book_note = Some(format!("checking {} with {shown}", book_paths(&book.paths)));
        args.paths = book.paths;
        args.other_books = book.other_books;
        args.config = book.config.or_else(|| from_cwd.clone());
        let mut summary = None;
        code = code.max(run_one(&args, output, errors, &mut summary)?);
        if let Some(summary) = summary {
            total.add(&summary);
            reported += 1;
        }
    }
    // Each book's report ends with its own summary line; a CI log (or a
    // writer) reading the last line sees the whole run's.
    if reported < 2 {
        return Ok(code);
    }
    total.elapsed = started.elapsed();
    let mut line = format!(
        "In all, {reported} manuscripts: {}",
        report::summary_line(&total)
    );
    if output.wraps && args.format == Format::Human {
        line = report::wrap_at_spaces(&line, output.width);
    }
    match args.format {
        Format::Github => {
            let _ = writeln!(io::stderr(), "{line}");
        }
        _ => {
            let mut stdout = io::stdout().lock();
            writeln!(stdout, "{line}")?;
            stdout.flush()?;
        }
    }
    Ok(code)
}

/// Whether `book` has no chapter files of its own: every path of it is a
/// folder that holds only other books (and perhaps a README). False when
/// its settings do not read: its run then says why.
fn only_holds_books(args: &CheckArgs, book: &Book, from_cwd: Option<&PathBuf>, cwd: &Path) -> bool {
    if book.other_books.is_empty() || book.paths.iter().any(|p| !p.is_dir()) {
        return false;
    }
    let mut args = args.clone();
    args.paths.clone_from(&book.paths);
    args.other_books.clone_from(&book.other_books);
    args.config = book.config.clone().or_else(|| from_cwd.cloned());
    match Workspace::open(&args.settings(), cwd) {
        Ok(workspace) => load::collect(&book.paths, workspace.load_options())
            .files
            .is_empty(),
        Err(_) => false,
    }
}

/// A book's paths as its note names them: `book1`, `one/ch-2.md and
/// one/ch-3.md`, `the current folder`; a count past three.
fn book_paths(paths: &[PathBuf]) -> String {
    if paths.len() > 3 {
        return report::plural(paths.len(), "path");
    }
    let shown: Vec<String> = paths
        .iter()
        .map(|p| match p.to_str() {
            Some("." | "./") => "the current folder".to_string(),
            _ => p.display().to_string(),
        })
        .collect();
    match shown.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The paths of one book: checked with its own settings.
struct Book {
    /// Its `manulint.toml`, if it has one.
    config: Option<PathBuf>,
    paths: Vec<PathBuf>,
    /// Folders of other books inside its paths, left out of it.
    other_books: Vec<PathBuf>,
}

/// The paths given, grouped by the `manulint.toml` nearest above each (a
/// file's folder, or the folder itself), in the order given, and each
/// folder below them with a `manulint.toml` of its own (a series' sequel
/// with its own story year) as a book of its own, left out of the folder
/// around it; `None` when `--config` names the settings or no path is
/// given.
fn manuscripts_of(args: &CheckArgs, cwd: &Path) -> Option<Vec<Book>> {
    if args.config.is_some() || args.paths.is_empty() {
        return None;
    }
    let mut books: Vec<Book> = Vec::new();
    let add = |books: &mut Vec<Book>, config: Option<PathBuf>, path: PathBuf| match books
        .iter_mut()
        .find(|b| b.config == config)
    {
        Some(book) if book.paths.contains(&path) => {}
        Some(book) => book.paths.push(path),
        None => books.push(Book {
            config,
            paths: vec![path],
            other_books: Vec::new(),
        }),
    };
    for path in &args.paths {
        let absolute = pipeline::absolute(cwd, path);
        let start = match absolute.is_dir() {
            true => absolute.as_path(),
            false => absolute.parent().unwrap_or(&absolute),
        };
        add(&mut books, crate::config::find_upward(start), path.clone());
    }
    // Each book's folders, then the books found in them, in turn.
    let mut next = 0;
    while next < books.len() {
        let folders: Vec<PathBuf> = books[next]
            .paths
            .iter()
            .map(|p| load::normalize_path(&pipeline::absolute(cwd, p)))
            .filter(|p| p.is_dir())
            .collect();
        let own = books[next]
            .config
            .as_deref()
            .and_then(Path::parent)
            .map(load::normalize_path);
        for folder in folders {
            for nested in load::nested_books(&folder) {
                if Some(&nested) == own.as_ref() || books[next].other_books.contains(&nested) {
                    continue;
                }
                books[next].other_books.push(nested.clone());
                let config = Some(nested.join(crate::config::CONFIG_FILE_NAME));
                // The current folder, found from the folder above it, is `.`.
                let shown = match nested == load::normalize_path(cwd) {
                    true => PathBuf::from("."),
                    false => load::shown_path(cwd, &nested),
                };
                add(&mut books, config, shown);
            }
        }
        next += 1;
    }
    Some(books)
}

/// Checks one manuscript; `summary` gets its report's totals when it gets
/// as far as a report.
fn run_one(
    args: &CheckArgs,
    output: &Output,
    errors: &ErrorPrinter,
    summary: &mut Option<Summary>,
) -> io::Result<u8> {
    let started = Instant::now();
    if args.statistics && !matches!(args.format, Format::Human | Format::Short | Format::Json) {
        errors
            .message("--statistics prints text or JSON: use it with --format human, short or json");
        return Ok(EXIT_ERROR);
    }
    if let Some(problem) = args.annotate.as_deref().and_then(annotate::bad_target_name) {
        errors.message(&problem);
        return Ok(EXIT_ERROR);
    }
    if args.diff && args.format != Format::Human {
        errors.message(
            "--diff prints a unified diff, not a report: drop --format, or drop --diff for the report",
        );
        return Ok(EXIT_ERROR);
    }
    let cwd = std::env::current_dir()?;
    let workspace = match Workspace::open(&args.settings(), &cwd) {
        Ok(workspace) => workspace,
        Err(err) => {
            errors.diagnostic(&*err);
            return Ok(EXIT_ERROR);
        }
    };

    // --fail-on, then manulint.toml, then --default-fail-on (the hook's).
    let fail_on = args
        .fail_on
        .or(workspace.config().fail_on)
        .or(args.default_fail_on)
        .unwrap_or(FailOn::Error);
    let paths = if args.paths.is_empty() {
        default_paths(&workspace, &cwd)
    } else {
        args.paths.clone()
    };
    let context = precommit_context(&workspace, &paths, &cwd);
    let load_paths = context.as_ref().map_or(&paths, |c| &c.load);
    let loaded = workspace.load_manuscript(load_paths);
    let (mut manuscript, mut problems) = (loaded.manuscript, loaded.problems);
    // A folder that only holds books with settings of their own (a
    // series' root: book1/, book2/, each with its manulint.toml) is no
    // manuscript of its own, and its books are checked each on its own.
    let only_books = !args.other_books.is_empty() && context.is_none();
    if only_books && manuscript.chapters.is_empty() && problems.is_empty() {
        // Its notes still say what the walk left out (a README).
        if args.verbose {
            for note in &loaded.notes {
                errors.note(note);
            }
        }
        return Ok(0);
    }
    if let Some(note) = &args.book_note {
        errors.note(note);
    }
    if args.verbose {
        for note in &loaded.notes {
            errors.note(note);
        }
    }
    if !args.quiet {
        for notice in &loaded.notices {
            errors.note(notice);
        }
    }
    for chapter in &mut manuscript.chapters {
        chapter.path = load::shown_path(&cwd, &chapter.path);
    }
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
    if !outputs_spare_the_book(args, &manuscript, load_paths, &workspace, errors) {
        return Ok(EXIT_ERROR);
    }
    if !args.quiet
        && context.is_none()
        && let Some(notice) = unread_neighbours(&workspace, &paths, manuscript.chapters.len())
    {
        errors.note(&notice);
    }
    let io_failed = problems.iter().any(|p| p.level == ProblemLevel::Error);
    if manuscript.chapters.is_empty() {
        if !io_failed && problems.is_empty() {
            errors.message(&format!(
                "no chapter files found (looked for {})",
                workspace.load_options().extension_list()
            ));
        } else if !io_failed {
            // Chapter files were found, and each skipped with a warning
            // (a Word document with no text): saying none was found is wrong.
            errors.message("nothing to check: every chapter file was skipped (see above)");
        }
        // A CI step reads the report whatever the exit code: it gets one
        // that names the files it could not check, not an empty file (or
        // the last run's report left at `--output`).
        if args.output.is_some() || !matches!(args.format, Format::Human | Format::Short) {
            let report = Report {
                manuscript: &manuscript,
                diagnostics: &[],
                rules: workspace.rule_metas(),
                files: Vec::new(),
                summary: Summary {
                    unchecked: problems
                        .iter()
                        .filter(|p| p.level == ProblemLevel::Error)
                        .count(),
                    ..Summary::new(&manuscript, &[], started.elapsed())
                },
                quiet: args.quiet,
                color: false,
                width: output.width,
                wrap_summary: output.wraps,
                repo_prefix: report::repository_prefix(&cwd),
                group: !args.no_group,
                story_years: Vec::new(),
                unchecked: unchecked(&problems, &cwd),
                fail_on,
            };
            emit_report(args, &report, load_paths, &workspace, errors)?;
        }
        return Ok(EXIT_ERROR);
    }

    let report_only = context.as_ref().map(|c| c.report_only(&manuscript, &cwd));
    let mut fix_failed = false;
    let manuscript = if args.fix || args.diff {
        if !args.quiet
            && let Some(note) = word_documents_unfixed_note(&manuscript, args.diff)
        {
            errors.note(&note);
        }
        // The diff is gathered, then printed, written to --output or (with
        // --quiet) only counted; --fix writes no diff.
        let mut diff = Vec::new();
        let run = fix::run(
            &workspace,
            manuscript,
            report_only.as_deref(),
            args.unsafe_fixes,
            args.diff,
            &mut diff,
        )?;
        let files = report::plural(run.files, "file");
        let findings = report::plural(run.fixed, "finding");
        if args.diff {
            let written = match &args.output {
                Some(path) => write_diff_output(path, &run.manuscript, &diff, errors),
                None if args.quiet => true,
                None => {
                    let mut stdout = io::stdout().lock();
                    stdout.write_all(&diff)?;
                    stdout.flush()?;
                    true
                }
            };
            let _ = writeln!(io::stderr(), "Would fix {findings} in {files}");
            // The preview shows the safe fixes only: say what else there is.
            if run.unsafe_left > 0 && !args.quiet {
                let noun = if run.unsafe_left == 1 {
                    "finding"
                } else {
                    "findings"
                };
                let _ = writeln!(
                    io::stderr(),
                    "note: {} more {noun} can be fixed with `--diff --unsafe-fixes` (check each one)",
                    run.unsafe_left
                );
            }
            return Ok(if io_failed || !written || run.failed {
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
    let checked = workspace.check(&manuscript, report_only.clone());
    // Ignored files are said with --verbose (a pre-commit hook passes every
    // staged file), or when none of those passed is a chapter: a run that
    // reports on no file says why.
    let reports_none = report_only.as_ref().is_some_and(|r| !r.contains(&true));
    if let (Some(context), true) = (&context, args.verbose || reports_none) {
        let options = workspace.load_options();
        for path in context.ignored(&manuscript, &cwd) {
            // A file `include` names that lacks a chapter's extension (an
            // extensionless LICENSE) was a warning of the walk already.
            if options.named_but_not_a_chapter(path).is_some() {
                continue;
            }
            let reason = if path.is_file() && !options.is_chapter_file(path) {
                format!(
                    "not a chapter file (looked for {})",
                    options.extension_list()
                )
            } else {
                "not a chapter of the manuscript ([manuscript] include in manulint.toml)".into()
            };
            errors.note(&format!("ignored {}: {reason}", path.display()));
        }
    }
    if args.verbose {
        for note in &checked.notes {
            errors.note(note);
        }
    }
    // Notices say what a run left out and how to change it (no story
    // year, a language a rule skips); `--quiet` asks for the summary only,
    // and a hook run on every commit would repeat them every time.
    if !args.quiet {
        for notice in &checked.notices {
            errors.note(notice);
        }
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
    let totals = summary;
    let mut summary = Summary::new(&manuscript, &filtered.diagnostics, started.elapsed());
    if report_only.is_some() {
        summary.files = report::file_count(&manuscript, files.iter().copied());
        summary.words = files
            .iter()
            .map(|&i| manuscript.chapters[i].word_count())
            .sum();
    }
    if workspace.uses_baseline() && filtered.baseline_error.is_none() {
        summary.baselined = Some(filtered.baselined);
    }
    summary.unchecked = problems
        .iter()
        .filter(|p| p.level == ProblemLevel::Error)
        .count();
    let fix_note = match args.fix {
        true => fix::unfixed_note(&filtered.diagnostics, args.unsafe_fixes, fix_failed),
        false => fix::fixable_note(&filtered.diagnostics, args.unsafe_fixes),
    };
    let story_years = match args.format {
        Format::Html => {
            report::html::story_years(workspace.config(), &manuscript, &workspace.rule_metas())
        }
        _ => Vec::new(),
    };
    *totals = Some(summary.clone());
    let report = Report {
        manuscript: &manuscript,
        diagnostics: &filtered.diagnostics,
        rules: workspace.rule_metas(),
        files,
        summary,
        quiet: args.quiet,
        color: output
            .color
            .enabled(args.output.is_none() && io::stdout().is_terminal()),
        width: output.width,
        wrap_summary: output.wraps,
        repo_prefix: report::repository_prefix(&cwd),
        group: !args.no_group,
        story_years,
        unchecked: unchecked(&problems, &cwd),
        fail_on,
    };
    if !emit_report(args, &report, load_paths, &workspace, errors)? {
        return Ok(EXIT_ERROR);
    }
    if args.format == Format::Github {
        // Only workflow commands go to stdout; people read the log.
        let _ = writeln!(io::stderr(), "{}", report::summary_line(&report.summary));
    }
    // After the findings and the summary, which it counts: printed before
    // them, a hook's output opened with a note about findings not yet shown.
    if args.format == Format::Human
        && !args.quiet
        && let Some(note) = fix_note
    {
        errors.note(&note);
    }
    if args.timings {
        let _ = write_timings(&checked.timings, &mut io::stderr().lock());
    }
    // After the findings, so a bad baseline never hides the run's results.
    if let Some(error) = &filtered.baseline_error {
        errors.diagnostic(error);
        return Ok(EXIT_ERROR);
    }

    let annotate_failed = args.annotate.as_ref().is_some_and(|target| {
        let limits = Limits::within(workspace.load_options().max_file_size);
        let written = annotate::run(target, &manuscript, &filtered.diagnostics, limits, errors);
        let folders = report::output::book_folders(load_paths, workspace.config().root());
        for (_, copy) in annotate::planned_copies(target, &manuscript) {
            // Kept under -q, as the -o note is: the next run would check
            // the copy as a chapter.
            if written
                && report::output::becomes_a_chapter(&copy, &folders, workspace.load_options())
            {
                errors.note(&format!(
                    "{} is in the manuscript's folder: the next check will read the copy as a \
                     chapter, every paragraph a duplicate of the original (write it elsewhere, \
                     or add it to `exclude` in manulint.toml)",
                    copy.display()
                ));
            }
        }
        !written
    });

    let config = workspace.config();
    let failed = io_failed || fix_failed || annotate_failed;
    let code = exit_code(&filtered.diagnostics, fail_on, failed);
    let max_warnings = args.max_warnings.or(config.max_warnings);
    let warnings = filtered
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let code = match max_warnings.filter(|&max| code == 0 && warnings > max) {
        Some(max) => {
            // The summary line counts the warnings; this says why they fail.
            let source = match args.max_warnings {
                Some(_) => "--max-warnings",
                None => "max-warnings in manulint.toml",
            };
            let _ = writeln!(
                io::stderr(),
                "Failed: {}, more than the {max} allowed by {source}",
                report::plural(warnings, "warning")
            );
            EXIT_FINDINGS
        }
        None => code,
    };
    // The process ends here: freeing the automata, rule tables and chapters
    // one allocation at a time would only delay the exit (a millisecond on
    // one chapter, more on a book).
    std::mem::forget(filtered);
    std::mem::forget(manuscript);
    std::mem::forget(workspace);
    Ok(code)
}

/// When only files are checked (a pre-commit hook passes the changed
/// chapters) and `manulint.toml` does not name the manuscript, the
/// chapter files beside them that were not read: the rules that compare
/// chapters (copies, echoes, names, the story year) saw only the files
/// given, and said nothing of it. A note saying how many, naming one, and
/// how to check against the whole book; `None` when no file was left out,
/// or a folder was given.
fn unread_neighbours(workspace: &Workspace, paths: &[PathBuf], checked: usize) -> Option<String> {
    if checked == 0 || paths.is_empty() || !paths.iter().all(|p| p.is_file()) {
        return None;
    }
    let given: std::collections::HashSet<PathBuf> =
        paths.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let mut folders: Vec<PathBuf> = paths
        .iter()
        .filter_map(|p| p.canonicalize().ok()?.parent().map(Path::to_path_buf))
        .collect();
    folders.sort();
    folders.dedup();
    let options = workspace.load_options();
    // The files a walk of each folder reads (hidden and ignored ones left
    // out, as the loader leaves them).
    let mut unread: Vec<PathBuf> = folders
        .iter()
        .flat_map(|folder| {
            load::folder_walk(folder)
                .max_depth(Some(1))
                .build()
                .flatten()
        })
        .map(|entry| entry.into_path())
        .filter(|path| path.is_file() && !given.contains(path) && options.would_collect(path))
        .collect();
    if unread.is_empty() {
        return None;
    }
    unread.sort();
    let count = unread.len();
    let files = if count == 1 { "file" } else { "files" };
    let example = unread[0].file_name()?.to_string_lossy().into_owned();
    Some(format!(
        "checked only the files given: {count} other chapter {files} beside {} ({example}{}) {} not read, so copies, echoes, names and the story year were looked for in the given files alone; to check against the whole book, name it under [manuscript] include in manulint.toml (see docs/ci.md), or pass the folder",
        if paths.len() == 1 { "it" } else { "them" },
        if count > 1 { ", …" } else { "" },
        if count == 1 { "was" } else { "were" },
    ))
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
    if !config.manuscript.names_manuscript() || !paths.iter().any(|p| p.is_file()) {
        return None;
    }
    let load = manuscript_root(workspace, cwd);
    let (passed, missing) = paths.iter().partition::<Vec<&PathBuf>, _>(|p| p.exists());
    Some(PrecommitContext {
        load,
        passed: passed
            .into_iter()
            .map(|p| (p.clone(), pipeline::absolute(cwd, p)))
            .collect(),
        missing: missing.into_iter().cloned().collect(),
    })
}

/// What no path means: the folder of the `manulint.toml` found from `cwd`
/// upward when it says where its manuscript is (see
/// [`crate::config::ManuscriptConfig::names_manuscript`]), as a path from
/// `cwd`; else the current folder. Either way its books (folders with a
/// `manulint.toml` of their own) are then checked each on its own, as for
/// a path given. A config that does not read gives the current folder (its
/// run reports the error).
fn default_path(cwd: &Path) -> PathBuf {
    match crate::config::Config::discover(None, cwd) {
        Ok(config) if config.manuscript.names_manuscript() => config
            .root()
            .and_then(|root| load::relative_path(cwd, root))
            .unwrap_or_else(|| PathBuf::from(".")),
        _ => PathBuf::from("."),
    }
}

/// What `manulint check` with no paths checks: the manuscript
/// `manulint.toml` names (its folder, filtered by `include`), wherever in
/// the repository it runs; without `include`, the current folder.
fn default_paths(workspace: &Workspace, cwd: &Path) -> Vec<PathBuf> {
    if !workspace.config().manuscript.names_manuscript() {
        vec![PathBuf::from(".")]
    } else {
        manuscript_root(workspace, cwd)
    }
}

/// The config's folder as a path relative to `cwd` (`.`, `..`, `book`),
/// so chapter paths print relative to the current folder.
fn manuscript_root(workspace: &Workspace, cwd: &Path) -> Vec<PathBuf> {
    let root = workspace.config().root().unwrap_or(cwd);
    vec![load::relative_path(cwd, root).unwrap_or_else(|| root.to_path_buf())]
}

/// The files a run could not check (its load errors), as the report names
/// them.
fn unchecked(problems: &[LoadProblem], cwd: &Path) -> Vec<report::Unchecked> {
    problems
        .iter()
        .filter(|p| p.level == ProblemLevel::Error)
        .map(|p| report::Unchecked {
            path: load::shown_path(cwd, &p.path)
                .display()
                .to_string()
                .replace('\\', "/"),
            message: p.message.clone(),
        })
        .collect()
}

/// What `--fix` or `--diff` (`diff`) does with the manuscript's Word
/// documents, when it has any: nothing. "Fixed 0 findings" beside a
/// doubled word in a `.docx` read as a bug.
fn word_documents_unfixed_note(manuscript: &Manuscript, diff: bool) -> Option<String> {
    let documents = annotate::docx_sources(manuscript);
    let first = documents.first()?;
    let named = match documents.len() {
        1 => first.display().to_string(),
        n => format!("{} Word documents", n),
    };
    let flag = if diff { "--diff" } else { "--fix" };
    Some(format!(
        "{flag} leaves {named} alone: manulint never rewrites a .docx; a finding there gives \
         its fix in its help (\"suggested: …\"), to make in Word"
    ))
}

/// Whether every file the run was asked to write (`--output`,
/// `--write-baseline`, the copies of `--annotate`) spares the book's chapters, checked before any work:
/// a chapter of the manuscript, or a chapter file a check of the book would
/// read (see [`report::output::replaces_a_chapter`]), is never replaced.
/// False after saying which file and why.
fn outputs_spare_the_book(
    args: &CheckArgs,
    manuscript: &Manuscript,
    load_paths: &[PathBuf],
    workspace: &Workspace,
    errors: &ErrorPrinter,
) -> bool {
    let folders = report::output::book_folders(load_paths, workspace.config().root());
    let output_kind = if args.diff { "diff" } else { "report" };
    let outputs = [
        (args.output.as_ref(), output_kind, "--output"),
        (args.write_baseline.as_ref(), "baseline", "--write-baseline"),
    ];
    // A copy over its own document is refused later with its own message
    // (`annotate::run`): manulint never changes the original.
    let copies: Vec<PathBuf> = match &args.annotate {
        Some(target) => annotate::planned_copies(target, manuscript)
            .into_iter()
            .filter(|(source, copy)| !crate::docx::annotate::same_file(source, copy))
            .map(|(_, copy)| copy)
            .collect(),
        None => Vec::new(),
    };
    let outputs = outputs.into_iter().chain(
        copies
            .iter()
            .map(|copy| (Some(copy), "annotated copy", "--annotate")),
    );
    let mut spared = true;
    for (path, what, flag) in outputs {
        let Some(path) = path else { continue };
        if let Some(why) =
            report::output::replaces_a_chapter(path, manuscript, &folders, workspace.load_options())
        {
            errors.message(&format!(
                "{} {why}; not replacing it with the {what} (choose another {flag} file)",
                path.display()
            ));
            spared = false;
        }
    }
    spared
}

/// Renders `report` in the asked format (or its statistics) to `--output`
/// (atomically) or stdout. False when the output file could not be
/// written (said through `errors`).
fn emit_report(
    args: &CheckArgs,
    report: &Report,
    load_paths: &[PathBuf],
    workspace: &Workspace,
    errors: &ErrorPrinter,
) -> io::Result<bool> {
    let render = |out: &mut dyn Write| match (args.statistics, args.format) {
        (true, Format::Json) => report::statistics::write_json(report, out),
        (true, _) => report::statistics::write_text(report, out),
        (false, format) => report::write_report(format, report, out),
    };
    let Some(path) = &args.output else {
        let mut stdout = io::BufWriter::new(io::stdout().lock());
        render(&mut stdout)?;
        stdout.flush()?;
        return Ok(true);
    };
    // `-q` leaves the findings out of the human, short and HTML reports
    // (the others are for tools, and keep them): the message says what
    // the file holds.
    let lists_findings =
        !report.quiet || !matches!(args.format, Format::Human | Format::Short | Format::Html);
    if !write_output(path, report, lists_findings, render, errors) {
        return Ok(false);
    }
    let folders = report::output::book_folders(load_paths, workspace.config().root());
    if report::output::becomes_a_chapter(path, &folders, workspace.load_options()) {
        errors.note(&format!(
            "{} is in the manuscript's folder with a chapter file's extension: the next \
             check will read the report as a chapter (write it elsewhere, or add it to \
             `exclude` in manulint.toml)",
            path.display()
        ));
    }
    Ok(true)
}

fn exit_code(diagnostics: &[Diagnostic], fail_on: FailOn, io_failed: bool) -> u8 {
    if io_failed {
        return EXIT_ERROR;
    }
    if diagnostics.iter().any(|d| fail_on.fails(d.severity)) {
        EXIT_FINDINGS
    } else {
        0
    }
}

/// `-o FILE`: writes the report atomically, refusing to replace a chapter
/// of the manuscript, and says how many findings it lists (none when
/// `lists_findings` is false: `-q` wrote the summary only). False (after saying why on stderr) when it could not.
fn write_output(
    path: &Path,
    report: &Report,
    lists_findings: bool,
    render: impl Fn(&mut dyn Write) -> io::Result<()>,
    errors: &ErrorPrinter,
) -> bool {
    let done = if !lists_findings {
        format!(
            "Wrote the summary ({} not listed, as -q asks) to {}",
            report::plural(report.diagnostics.len(), "finding"),
            path.display()
        )
    } else {
        format!(
            "Wrote the report ({}) to {}",
            report::plural(report.diagnostics.len(), "finding"),
            path.display()
        )
    };
    write_file(path, report.manuscript, "report", render, &done, errors)
}

/// `--diff -o FILE`: the diff written as the report is (see
/// [`write_output`]), empty when there is nothing to fix.
fn write_diff_output(
    path: &Path,
    manuscript: &Manuscript,
    diff: &[u8],
    errors: &ErrorPrinter,
) -> bool {
    let done = format!("Wrote the diff to {}", path.display());
    write_file(
        path,
        manuscript,
        "diff",
        |out| out.write_all(diff),
        &done,
        errors,
    )
}

/// Writes what `write` produces (the `what`: "report" or "diff") to `path`
/// atomically, never over a chapter of `manuscript`, and says `done`.
/// False (after saying why on stderr) when it could not.
fn write_file(
    path: &Path,
    manuscript: &Manuscript,
    what: &str,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    done: &str,
    errors: &ErrorPrinter,
) -> bool {
    if report::output::is_chapter(path, manuscript) {
        errors.message(&format!(
            "{} is a chapter of the manuscript; not replacing it with the {what} (choose another --output file)",
            path.display()
        ));
        return false;
    }
    match report::output::write_atomically(path, write) {
        Ok(()) => {
            let _ = writeln!(io::stderr(), "{done}");
            true
        }
        Err(err) => {
            let (why, help) = output_failure(&err);
            errors.diagnostic(&LoadProblem::error(
                path,
                format!("cannot write the {what} to {}: {why}", path.display()),
                help,
            ));
            false
        }
    }
}

/// Why the report could not be written, and what to do
/// ([`report::output::write_atomically`] says it of the path given).
fn output_failure(err: &io::Error) -> (String, &'static str) {
    let help = match err.kind() {
        io::ErrorKind::IsADirectory => "name the report file itself, e.g. -o report.sarif",
        io::ErrorKind::NotFound => "create the folder first, or write the report somewhere else",
        _ => "check that the folder is writable and the disk is not full",
    };
    let why = match err.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::StorageFull => "the disk is full".to_string(),
        io::ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_string(),
        _ => err.to_string(),
    };
    (why, help)
}

/// `--timings`: one line per rule, the most expensive first, with its share
/// of all rules' time. Check times are summed over the pool's threads.
fn write_timings(timings: &[crate::engine::RuleTiming], out: &mut dyn Write) -> io::Result<()> {
    let mut rows: Vec<_> = timings.iter().collect();
    rows.sort_by(|a, b| {
        (b.prepare + b.check)
            .cmp(&(a.prepare + a.check))
            .then(a.rule.cmp(&b.rule))
    });
    let total: f64 = rows
        .iter()
        .map(|t| (t.prepare + t.check).as_secs_f64())
        .sum();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    writeln!(
        out,
        "{:<24} {:>10} {:>10} {:>10} {:>6}",
        "rule", "analysis", "checks", "total", "share"
    )?;
    for t in rows {
        let own = (t.prepare + t.check).as_secs_f64();
        let share = if total > 0.0 {
            own / total * 100.0
        } else {
            0.0
        };
        writeln!(
            out,
            "{:<24} {:>7.1} ms {:>7.1} ms {:>7.1} ms {:>5.1}%",
            t.rule,
            ms(t.prepare),
            ms(t.check),
            own * 1000.0,
            share
        )?;
    }
    writeln!(out, "{:<24} {:>32.1} ms", "all rules", total * 1000.0)
}
