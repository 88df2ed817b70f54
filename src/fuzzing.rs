//! Entry points for the cargo-fuzz targets in `fuzz/` (and their regression
//! tests in `tests/bad_input.rs`). Not a stable API: hidden from the docs.
//!
//! Each function takes arbitrary bytes, runs one stage of manulint on them
//! the way a real run would, and panics when an invariant breaks — the
//! panic is what the fuzzer reports. Errors that the stage returns for bad
//! input (a config that does not parse, a pack with a bad regex) are fine:
//! only panics, hangs and runaway memory are bugs.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::baseline::Baseline;
use crate::config::Config;
use crate::diagnostic::{Applicability, Diagnostic, Label, Severity};
use crate::engine::{self, EnabledRule};
use crate::load;
use crate::packs::PackSet;
use crate::report::{self, Format, Report, Summary};
use crate::rule::RuleSetup;
use crate::rules::Registry;
use crate::text::floor_boundary;
use crate::text::sentences::split_sentences;
use crate::text::{Chapter, Manuscript, SourceFormat, Span};
use crate::workspace::{Settings, Workspace};

/// Every output format, for the renderer target.
const FORMATS: [Format; 9] = [
    Format::Human,
    Format::Short,
    Format::Json,
    Format::Sarif,
    Format::Github,
    Format::Checkstyle,
    Format::Junit,
    Format::Gitlab,
    Format::Html,
];

/// Bytes → text, as a chapter file is read: BOMs, UTF-16 with and without
/// BOM, NULs, invalid UTF-8, lone CRs, with no fallback encoding and with
/// two. Decoded text is then parsed in both formats.
///
/// Invariants: decoded text has no NUL and no lone CR; a file that is
/// valid UTF-8 without BOM, NUL or CR decodes to itself.
pub fn decode(bytes: &[u8]) {
    let path = Path::new("chapter.txt");
    let fallbacks = [
        None,
        Some(encoding_rs::WINDOWS_1252),
        Some(encoding_rs::UTF_16LE),
    ];
    for fallback in fallbacks {
        let Ok(text) = load::decode(path, bytes, fallback) else {
            continue;
        };
        assert!(!text.contains('\0'), "decoded text holds a NUL");
        // Every run of CRs ends in a LF.
        let mut in_cr_run = false;
        for &byte in text.as_bytes() {
            assert!(
                !in_cr_run || matches!(byte, b'\r' | b'\n'),
                "a lone CR survived"
            );
            in_cr_run = byte == b'\r';
        }
        assert!(!in_cr_run, "a lone CR survived at the end");
        let plain = !bytes.starts_with(b"\xEF\xBB\xBF")
            && !bytes.starts_with(b"\xFF\xFE")
            && !bytes.starts_with(b"\xFE\xFF")
            && !bytes.contains(&0)
            && !bytes.contains(&b'\r');
        if plain && let Ok(original) = std::str::from_utf8(bytes) {
            assert_eq!(text, original, "clean UTF-8 changed in decoding");
        }
        for format in [SourceFormat::PlainText, SourceFormat::Markdown] {
            check_chapter(&Chapter::parse(
                0,
                PathBuf::from("c"),
                format,
                Arc::from(text.as_str()),
            ));
        }
    }
}

/// A chapter file on disk, read the way `manulint check` reads it (file
/// type, size limit, decoding). The bytes go to a temporary file.
pub fn load_file(bytes: &[u8]) {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join("chapter.md");
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    let mut options = load::LoadOptions::new(vec!["md".into()], dir.path().to_path_buf());
    // A small limit, so that the limit's path is fuzzed too.
    options.max_file_size = 1 << 12;
    let (files, problems) = load::collect_files(&[dir.path().to_path_buf()], &options);
    assert_eq!(files.len(), 1, "{problems:?}");
    match load::read_chapter(&files[0], &options) {
        Ok((text, format, _)) => {
            assert!(bytes.len() <= 1 << 12, "read past the size limit");
            check_chapter(&Chapter::parse(0, path, format, text));
        }
        Err(problem) => {
            assert!(
                problem.message.contains("chapter.md"),
                "{}",
                problem.message
            );
            assert!(problem.help.is_some(), "no advice for {}", problem.message);
        }
    }
}

/// Markdown and plain-text segmentation of arbitrary (lossily decoded)
/// text, checked with [`check_chapter`].
pub fn segment(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for format in [SourceFormat::PlainText, SourceFormat::Markdown] {
        check_chapter(&Chapter::parse(
            0,
            PathBuf::from("c"),
            format,
            Arc::from(&*text),
        ));
    }
}

/// The sentence segmenter on arbitrary text: ranges in order, disjoint,
/// non-empty, on character boundaries and trimmed of whitespace.
pub fn sentences(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let mut previous_end = 0;
    for range in split_sentences(&text) {
        assert!(range.start < range.end, "empty sentence {range:?}");
        assert!(
            range.start >= previous_end,
            "sentences overlap at {range:?}"
        );
        let sentence = slice(&text, &range);
        let is_space = |c: char| {
            matches!(
                c,
                ' ' | '\t' | '\r' | '\n' | '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}'
            )
        };
        assert!(
            !sentence.starts_with(is_space) && !sentence.ends_with(is_space),
            "untrimmed sentence {sentence:?}"
        );
        previous_end = range.end;
    }
}

/// The whole engine with every rule (default options, embedded packs) on
/// up to eight chapters cut from the input at `0xFF` bytes (never part of
/// UTF-8); a chapter whose first byte is even is Markdown.
///
/// Invariants: every label lies in its chapter on character boundaries,
/// fixes stay in the primary chapter, and a second run gives the same
/// findings.
pub fn engine(bytes: &[u8]) {
    let manuscript = manuscript_from(bytes);
    let first = engine::run(&manuscript, all_rules()).diagnostics;
    for diagnostic in &first {
        check_diagnostic(&manuscript, diagnostic);
    }
    let second = engine::run(&manuscript, all_rules()).diagnostics;
    assert_eq!(
        first.iter().map(Diagnostic::sort_key).collect::<Vec<_>>(),
        second.iter().map(Diagnostic::sort_key).collect::<Vec<_>>(),
        "two runs disagree"
    );
}

/// `--fix` in memory, safe and unsafe fixes alike: the loop ends within
/// [`crate::fix::MAX_PASSES`], a chapter that needed no fix is left byte for
/// byte, the mended text still parses, and mending it again changes nothing
/// once the loop stopped on its own (fewer passes than the limit).
pub fn fix(bytes: &[u8]) {
    let manuscript = manuscript_from(bytes);
    let originals: Vec<Arc<str>> = manuscript.chapters.iter().map(|c| c.text.clone()).collect();
    let check = |m: &Manuscript| engine::run(m, all_rules()).diagnostics;
    let mended = crate::fix::fix_manuscript(manuscript, check, Applicability::Unsafe, |_| true);
    assert!(mended.passes <= crate::fix::MAX_PASSES);
    for (chapter, original) in mended.manuscript.chapters.iter().zip(&originals) {
        if mended.fixed[chapter.index] == 0 {
            assert_eq!(&chapter.text, original, "an unfixed chapter changed");
        }
    }
    if mended.passes < crate::fix::MAX_PASSES {
        let texts: Vec<Arc<str>> = mended
            .manuscript
            .chapters
            .iter()
            .map(|c| c.text.clone())
            .collect();
        let again =
            crate::fix::fix_manuscript(mended.manuscript, check, Applicability::Unsafe, |_| true);
        assert!(
            again.fixed.iter().all(|&n| n == 0),
            "a second --fix changed more"
        );
        for (chapter, text) in again.manuscript.chapters.iter().zip(&texts) {
            assert_eq!(&chapter.text, text);
        }
    }
}

/// Every output format on the engine's findings for the input, plus the
/// human format on made-up labels anywhere in the text (long lines,
/// labels at the very end, in other chapters, overlapping). No format may
/// fail or panic.
///
/// An input starting with `~` has its chapters repeated past 70,000 bytes,
/// so lines longer than any terminal (and than `u16` widths) are drawn.
pub fn render(bytes: &[u8]) {
    let manuscript = match bytes.strip_prefix(b"~") {
        Some(rest) => manuscript_from(&repeat_chapters(rest, 70_000)),
        None => manuscript_from(bytes),
    };
    let mut diagnostics = engine::run(&manuscript, all_rules()).diagnostics;
    diagnostics.extend(made_up_diagnostics(&manuscript, bytes));
    let rules: Vec<_> = all_rules().iter().map(|r| r.rule.meta()).collect();
    for format in FORMATS {
        for color in [false, true] {
            let report = Report {
                manuscript: &manuscript,
                diagnostics: &diagnostics,
                rules: rules.clone(),
                files: (0..manuscript.chapters.len()).collect(),
                summary: Summary::new(&manuscript, &diagnostics, Duration::ZERO),
                quiet: false,
                color,
                // A narrow terminal with colour, a wide one without.
                width: if color { 20 } else { 100 },
                wrap_summary: color,
                repo_prefix: None,
                group: color,
                story_years: Vec::new(),
                unchecked: Vec::new(),
                fail_on: crate::config::FailOn::Error,
            };
            let mut out = Vec::new();
            if let Err(e) = report::write_report(format, &report, &mut out) {
                panic!("{format:?} failed: {e}");
            }
        }
    }
}

/// `manulint.toml` text, opened as a real workspace would open it (the
/// file is written to a temporary folder), then used on a small manuscript.
/// Pack files it names are not read (the pack target covers packs).
pub fn config(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    // Packs and knowledge files name other files; keep to this one.
    if text.contains("packs") || text.contains("entities") {
        return;
    }
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join("manulint.toml");
    if std::fs::write(&path, text).is_err() {
        return;
    }
    let settings = Settings {
        config: Some(path),
        ..Settings::default()
    };
    let Ok(workspace) = Workspace::open(&settings, dir.path()) else {
        return;
    };
    let manuscript = sample_manuscript();
    let checked = workspace.check(&manuscript, None);
    for diagnostic in &checked.filtered.diagnostics {
        check_diagnostic(&manuscript, diagnostic);
    }
}

/// A user rule pack, loaded beside the shipped ones; if it loads, each of
/// its rules runs on a small manuscript and on the pack text itself.
pub fn pack(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    // Most mutated packs do not parse: find out before compiling the
    // shipped packs beside it.
    if crate::packs::format::parse_pack(Path::new("house.toml"), text).is_err() {
        return;
    }
    let user = [(PathBuf::from("house.toml"), text.to_string())];
    let Ok(set) = PackSet::load(&user, &Registry::code_rule_ids()) else {
        return;
    };
    static SHIPPED: OnceLock<Vec<String>> = OnceLock::new();
    let shipped =
        SHIPPED.get_or_init(|| PackSet::embedded().rule_ids().map(str::to_string).collect());
    let user_ids: Vec<String> = set
        .rule_ids()
        .filter(|id| !shipped.iter().any(|s| s == id))
        .map(str::to_string)
        .collect();
    let registry = Registry::with_packs(&set);
    let mut chapters = sample_chapters();
    chapters.push(("pack.txt".to_string(), text.to_string()));
    let manuscript = manuscript_of(&chapters);
    let config = Config::default();
    let options = toml::Table::new();
    let setup = RuleSetup {
        options: &options,
        config: &config,
    };
    let rules: Vec<EnabledRule> = user_ids
        .iter()
        .filter_map(|id| registry.get(id))
        .filter_map(|available| {
            let rule = available.build(&setup).ok()?;
            Some(EnabledRule {
                severity: available.meta.default_severity,
                rule,
            })
        })
        .collect();
    for diagnostic in engine::run(&manuscript, &rules).diagnostics {
        check_diagnostic(&manuscript, &diagnostic);
    }
}

/// A baseline file's text: parsed, then used to hide findings of the
/// sample manuscript; a baseline written from those findings and read
/// back hides all of them.
pub fn baseline(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let manuscript = sample_manuscript();
    let findings = engine::run(&manuscript, all_rules()).diagnostics;
    if let Ok(baseline) = Baseline::parse(Path::new("baseline.json"), text) {
        let mut kept = findings.clone();
        let hidden = baseline.hide(&manuscript, &mut kept);
        assert_eq!(hidden + kept.len(), findings.len());
    }
}

/// Every structure of a parsed chapter lies inside the text, on character
/// boundaries, in order and without overlap, and nests (words in
/// sentences in blocks).
pub fn check_chapter(chapter: &Chapter) {
    let text = &*chapter.text;
    assert_eq!(chapter.prose.len(), text.len(), "prose mask length");
    let mut previous_end = 0;
    for (b, block) in chapter.blocks.iter().enumerate() {
        check_span(text, block.span, "block");
        assert!(block.span.start >= previous_end, "blocks overlap");
        previous_end = block.span.end;
        for sentence in chapter.block_sentences(block) {
            check_span(text, sentence.span, "sentence");
            assert_eq!(sentence.block as usize, b, "sentence's block index");
            assert!(block.span.contains(sentence.span), "sentence outside block");
            for &word in chapter.sentence_words(sentence) {
                check_span(text, word, "word");
                assert!(!word.is_empty(), "empty word");
                assert!(sentence.span.contains(word), "word outside sentence");
            }
        }
        chapter.line_col(block.span.start as usize);
        chapter.line_col(block.span.end as usize);
    }
    let mut previous_end = 0;
    for &speech in &chapter.dialogue {
        check_span(text, speech, "dialogue");
        assert!(speech.start >= previous_end, "dialogue spans overlap");
        previous_end = speech.end;
    }
}

fn check_span(text: &str, span: Span, what: &str) {
    let range = span.range();
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{what} {range:?} outside text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{what} {range:?} splits a character"
    );
}

fn check_diagnostic(manuscript: &Manuscript, diagnostic: &Diagnostic) {
    let labels = std::iter::once(&diagnostic.primary).chain(&diagnostic.related);
    for label in labels {
        assert!(
            label.chapter < manuscript.chapters.len(),
            "{}: label in chapter {} of {}",
            diagnostic.rule,
            label.chapter,
            manuscript.chapters.len()
        );
        let text = &manuscript.chapter(label.chapter).text;
        check_span(text, label.span, &diagnostic.rule);
    }
    if let Some(fix) = &diagnostic.fix {
        let text = &manuscript.chapter(diagnostic.primary.chapter).text;
        for edit in &fix.edits {
            check_span(text, edit.span, &diagnostic.rule);
        }
    }
}

fn slice<'a>(text: &'a str, range: &Range<usize>) -> &'a str {
    match text.get(range.clone()) {
        Some(s) => s,
        None => panic!("range {range:?} is not a slice of {} bytes", text.len()),
    }
}

/// Every rule with default options and the shipped packs, built once.
fn all_rules() -> &'static [EnabledRule] {
    static RULES: OnceLock<Vec<EnabledRule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let registry = Registry::builtin();
        let config = Config::default();
        let options = toml::Table::new();
        let setup = RuleSetup {
            options: &options,
            config: &config,
        };
        registry
            .iter()
            .filter_map(|available| {
                let rule = available.build(&setup).ok()?;
                Some(EnabledRule {
                    severity: available.meta.default_severity,
                    rule,
                })
            })
            .collect()
    })
}

/// Up to eight chapters cut at `0xFF`, decoded lossily.
fn manuscript_from(bytes: &[u8]) -> Manuscript {
    let chapters: Vec<(String, String)> = bytes
        .split(|&b| b == 0xFF)
        .take(8)
        .enumerate()
        .map(|(i, part)| {
            let markdown = part.first().is_some_and(|b| b % 2 == 0);
            let name = format!("ch{i}.{}", if markdown { "md" } else { "txt" });
            (name, String::from_utf8_lossy(part).into_owned())
        })
        .collect();
    manuscript_of(&chapters)
}

/// Each `0xFF`-separated chapter repeated until it is at least `min` bytes.
fn repeat_chapters(bytes: &[u8], min: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, part) in bytes.split(|&b| b == 0xFF).take(8).enumerate() {
        if i > 0 {
            out.push(0xFF);
        }
        let times = if part.is_empty() {
            1
        } else {
            min / part.len() + 1
        };
        for _ in 0..times {
            out.extend_from_slice(part);
        }
    }
    out
}

fn manuscript_of(chapters: &[(String, String)]) -> Manuscript {
    Manuscript::new(
        chapters
            .iter()
            .enumerate()
            .map(|(i, (name, text))| {
                let format = SourceFormat::from_extension(name.rsplit('.').next().unwrap_or(""));
                let chapter = Chapter::parse(i, PathBuf::from(name), format, Arc::from(&**text));
                check_chapter(&chapter);
                chapter
            })
            .collect(),
    )
}

fn sample_chapters() -> Vec<(String, String)> {
    [
        (
            "one.md",
            "# One\n\nShe opened the the door. TODO: the street.\n\nIt was 1996 and she had an iPhone.\n",
        ),
        (
            "two.txt",
            "Chapter 2\n\nShe opened the the door. TODO: the street.\n\nHe said -- nothing... and left\n",
        ),
    ]
    .iter()
    .map(|(n, t)| (n.to_string(), t.to_string()))
    .collect()
}

fn sample_manuscript() -> Manuscript {
    manuscript_of(&sample_chapters())
}

/// Labels at places taken from the input's last bytes: anywhere in any
/// chapter, rounded to character boundaries, one to four per finding.
fn made_up_diagnostics(manuscript: &Manuscript, bytes: &[u8]) -> Vec<Diagnostic> {
    let numbers: Vec<usize> = bytes
        .rchunks(2)
        .take(24)
        .map(|c| c.iter().fold(0usize, |n, &b| n << 8 | usize::from(b)))
        .collect();
    let count = manuscript.chapters.len();
    let label = |n: &[usize]| {
        let chapter = n[0] % count;
        let text = &manuscript.chapter(chapter).text;
        let start = floor_boundary(text, n[1] * 997 % (text.len() + 1));
        let end = floor_boundary(text, start + n[2] % (text.len() - start + 1));
        Label::new(chapter, Span::new(start, end)).with_message("made up")
    };
    numbers
        .chunks_exact(6)
        .map(|n| Diagnostic {
            rule: "made-up".to_string(),
            severity: Severity::Warning,
            message: "a made-up finding".to_string(),
            primary: label(&n[0..3]),
            related: vec![label(&n[3..6])],
            help: Some("none".into()),
            fix: None,
            facts: None,
        })
        .collect()
}

/// A Word document read the way `manulint check` reads a `.docx`, then
/// checked with the default rules. Input starting with `PK` is the whole
/// package (a zip); any other input is the main document part
/// (`word/document.xml`), put into a minimal package beside a styles part
/// with headings, so that most runs reach the XML walker and the renderer
/// rather than stopping in the zip reader.
///
/// Invariants: reading gives chapters or a problem that names the file
/// and says what to do; every chapter passes [`check_chapter`] and maps
/// each block back to a place in the document; every finding lies inside
/// its chapter's text.
pub fn docx(bytes: &[u8]) {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join("book.docx");
    let package = match bytes.starts_with(b"PK") {
        true => bytes.to_vec(),
        false => minimal_package(bytes),
    };
    if std::fs::write(&path, package).is_err() {
        return;
    }
    // A small limit, so that the limits' paths are fuzzed too.
    let chapters = match crate::docx::load(&path, crate::docx::Limits::within(1 << 20)) {
        Ok(chapters) => chapters,
        Err(problem) => {
            assert!(problem.message.contains("book.docx"), "{}", problem.message);
            assert!(problem.help.is_some(), "no advice for {}", problem.message);
            return;
        }
    };
    let chapters: Vec<Chapter> = chapters
        .into_iter()
        .enumerate()
        .map(|(i, mut chapter)| {
            chapter.index = i;
            check_chapter(&chapter);
            let map = chapter
                .source_map
                .as_deref()
                .expect("a Word chapter's source map");
            for block in &chapter.blocks {
                let at = block.span.start as usize;
                assert!(
                    map.position_of(at).is_some(),
                    "block at {at} is in no paragraph"
                );
            }
            chapter
        })
        .collect();
    let manuscript = Manuscript::new(chapters);
    for diagnostic in engine::run(&manuscript, all_rules()).diagnostics {
        check_diagnostic(&manuscript, &diagnostic);
    }
}

/// A `.docx` holding `document` as its main part, with a styles part that
/// names a title and two heading levels.
fn minimal_package(document: &[u8]) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
    const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Heading1"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style></w:styles>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let parts: [(&str, &[u8]); 3] = [
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", RELS.as_bytes()),
        ("word/styles.xml", STYLES.as_bytes()),
    ];
    for (name, bytes) in parts {
        if zip.start_file(name, options).is_err() || zip.write_all(bytes).is_err() {
            return Vec::new();
        }
    }
    zip.finish()
        .map(|cursor| cursor.into_inner())
        .unwrap_or_default()
}

/// The language server's reader (see [`crate::server::transport`]) on
/// `bytes` as its input, with messages of at most 4 KiB: it ends, hands on
/// only messages it read whole, and answers with well-formed errors.
pub fn lsp_frames(bytes: &[u8]) {
    use crate::server::transport::read_messages;
    const MAX_BODY: usize = 4096;
    let (server, received) = crossbeam_channel::unbounded();
    let (replies, answered) = crossbeam_channel::unbounded();
    read_messages(bytes, MAX_BODY, &server, &replies, |_| {})
        .expect("a byte slice reads without error");
    drop((server, replies));
    for message in received {
        let text = serde_json::to_string(&message).expect("a message serialises");
        // Serialised again it may differ in spacing, not in size by much.
        assert!(
            text.len() <= 2 * MAX_BODY + 64,
            "a message over the limit got through"
        );
    }
    for reply in answered {
        let code = reply["error"]["code"].as_i64();
        assert!(matches!(code, Some(-32700 | -32600)), "{reply}");
        assert!(reply["id"].is_null() || reply["id"].is_number() || reply["id"].is_string());
    }
}
