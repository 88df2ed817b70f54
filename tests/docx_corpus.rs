//! Word manuscripts on real prose: novels from `../shared/corpus/` written
//! as one `.docx` each (every chapter file a `Heading 1` chapter,
//! hard-wrapped lines joined, verse and letters set in from the margin),
//! the way a writer's Word file holds them. Checks that
//!
//! - reading a novel from Word finds exactly what reading its text files
//!   finds, rule by rule and chapter by chapter (no false alarm comes from
//!   the Word reader, none is lost). Here `_x_` stays as typed: as italics
//!   it is emphasis to the rules, which the text files do not have;
//! - defects planted into Word copies (with `_x_` as italics: doubled
//!   words and draft markers in the text and in footnotes) are found at
//!   their exact paragraph and column, the same defects inside tracked
//!   deletions are not found at all, and nothing else changes.
//!
//! Skipped with a message when the corpus is absent. `DOCX_CORPUS=all`
//! runs every novel, `DOCX_CORPUS=emma,frankenstein` those named (the
//! default is four, to keep `cargo test` quick); `KEEP_DOCX=1` keeps the
//! Word copies and prints where.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

mod common;
use common::{Rng, corpus};

const DEFAULT_NOVELS: &[&str] = &[
    "frankenstein",
    "the-time-machine",
    "the-hound-of-the-baskervilles",
    "the-beautiful-and-damned",
];

fn novels(corpus: &Path) -> Vec<String> {
    if std::env::var("DOCX_CORPUS").is_ok_and(|v| v == "all") {
        let mut all: Vec<String> = fs::read_dir(corpus)
            .expect("corpus")
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        all.sort();
        return all;
    }
    if let Ok(list) = std::env::var("DOCX_CORPUS") {
        return list.split(',').map(|s| s.trim().to_string()).collect();
    }
    DEFAULT_NOVELS.iter().map(|s| s.to_string()).collect()
}

/// The chapter files of a novel, in order.
fn chapter_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(folder)
        .expect("novel folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

/// How a paragraph is written into the document.
#[derive(Clone, Debug)]
enum Para {
    Heading(u8, String),
    Text(String),
    /// Set in from the margin (verse, a letter's lines): `w:ind`.
    SetIn(String),
}

/// Whether `_x_` is written as italics (see [`Italics`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Italics {
    /// `_x_` becomes italic text, as a writer's Word file has it.
    Word,
    /// The underscores are kept as characters, as the text files have
    /// them: the Word copy then holds exactly the text of the files.
    Underscores,
}

/// A paragraph's words, `_x_` spans as italic runs (or kept), `\n` as a
/// line break.
fn runs(text: &str, italics: Italics) -> String {
    if italics == Italics::Underscores {
        return text
            .split('\n')
            .map(|line| {
                format!(
                    r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
                    escape(line)
                )
            })
            .collect::<Vec<_>>()
            .join("<w:r><w:br/></w:r>");
    }
    let mut out = String::new();
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            out.push_str("<w:r><w:br/></w:r>");
        }
        out.push_str(&line_runs(line));
    }
    out
}

fn line_runs(text: &str) -> String {
    let mut out = String::new();
    for (i, piece) in text.split('_').enumerate() {
        if piece.is_empty() {
            continue;
        }
        let italic = if i % 2 == 1 {
            "<w:rPr><w:i/></w:rPr>"
        } else {
            ""
        };
        let _ = write!(
            out,
            r#"<w:r>{italic}<w:t xml:space="preserve">{}</w:t></w:r>"#,
            escape(piece)
        );
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A one-line block of at most eight words without closing punctuation:
/// a subtitle, written as `Heading 2`, as a writer styles it.
fn is_subtitle(block: &str) -> bool {
    !block.contains('\n')
        && block.split_whitespace().count() <= 8
        && !block
            .trim_end()
            .ends_with(['.', '!', '?', ',', ';', '”', '"', '’', '\''])
}

/// A chapter file as paragraphs: the first block is the chapter heading.
fn paragraphs_of(text: &str) -> Vec<Para> {
    let mut out = Vec::new();
    for (i, block) in text
        .split("\n\n")
        .map(|b| b.trim_matches('\n').trim_end())
        .filter(|b| !b.trim().is_empty())
        .enumerate()
    {
        // Lines set in (a signature, verse) keep their breaks, as a writer
        // would type them with Shift+Enter; other lines are joined. A block
        // whose first line is set in is a paragraph set in from the margin.
        let set_in = block.lines().skip(1).any(|l| l.starts_with("  "));
        let indented = block.starts_with("  ");
        let joined = if set_in || indented {
            block
                .lines()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            block.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        out.push(if i == 0 {
            Para::Heading(1, joined)
        } else if indented {
            Para::SetIn(joined)
        } else if is_subtitle(block) {
            Para::Heading(2, joined)
        } else {
            Para::Text(joined)
        });
    }
    out
}

/// What is planted into a paragraph of the Word copy.
#[derive(Clone, Debug)]
enum Plant {
    /// Words inserted before character `at` of the paragraph's text.
    Insert { at: usize, words: String },
    /// The same words in a tracked deletion there: never reported.
    Deleted { at: usize, words: String },
    /// A footnote after the paragraph's text holding `text`.
    Footnote { id: u32, text: String },
}

/// Writes a `.docx` of `chapters` (paragraph lists) with `plants` (by
/// 1-based paragraph number).
fn write_docx(
    path: &Path,
    chapters: &[Vec<Para>],
    plants: &BTreeMap<usize, Vec<Plant>>,
    italics: Italics,
) {
    let runs = |text: &str| runs(text, italics);
    let mut body = String::new();
    let mut notes = String::new();
    let mut number = 0;
    for chapter in chapters {
        for para in chapter {
            number += 1;
            let (style, text) = match para {
                Para::Heading(level, text) => (
                    format!(r#"<w:pPr><w:pStyle w:val="Heading{level}"/></w:pPr>"#),
                    text,
                ),
                Para::Text(text) => (String::new(), text),
                Para::SetIn(text) => (r#"<w:pPr><w:ind w:left="720"/></w:pPr>"#.to_string(), text),
            };
            let mut content = String::new();
            let mut cut = 0;
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            let byte_at = |c: usize| chars.get(c).map_or(text.len(), |&(b, _)| b);
            let mut after = String::new();
            for plant in plants.get(&number).into_iter().flatten() {
                match plant {
                    Plant::Insert { at, words } => {
                        content.push_str(&runs(&text[cut..byte_at(*at)]));
                        content.push_str(&runs(words));
                        cut = byte_at(*at);
                    }
                    Plant::Deleted { at, words } => {
                        content.push_str(&runs(&text[cut..byte_at(*at)]));
                        let _ = write!(
                            content,
                            r#"<w:del w:id="{number}" w:author="Ed"><w:r><w:delText xml:space="preserve">{}</w:delText></w:r></w:del>"#,
                            escape(words)
                        );
                        cut = byte_at(*at);
                    }
                    Plant::Footnote { id, text } => {
                        let _ = write!(
                            after,
                            r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{id}"/></w:r>"#
                        );
                        let _ = write!(
                            notes,
                            r#"<w:footnote w:id="{id}"><w:p><w:r><w:footnoteRef/></w:r>{}</w:p></w:footnote>"#,
                            runs(&format!(" {text}"))
                        );
                    }
                }
            }
            content.push_str(&runs(&text[cut..]));
            content.push_str(&after);
            let _ = write!(body, "<w:p>{style}{content}</w:p>");
        }
    }
    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    let parts: Vec<(&str, String)> = vec![
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        (
            "word/_rels/document.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>"#.to_string(),
        ),
        (
            "word/styles.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><w:styles {W}><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style><w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style></w:styles>"#
            ),
        ),
        (
            "word/footnotes.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>{notes}</w:footnotes>"#
            ),
        ),
        (
            "word/document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"#
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(fs::File::create(path).expect("create docx"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        zip.start_file(name, options).expect("entry");
        zip.write_all(text.as_bytes()).expect("write");
    }
    zip.finish().expect("zip");
}

/// (rule, file, line, column) of every finding of a JSON report.
fn json_findings(stdout: &[u8]) -> Vec<(String, String, u64, u64)> {
    let json: serde_json::Value = serde_json::from_slice(stdout).expect("JSON");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("").to_string(),
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn check_json(dir: &Path, args: &[&str]) -> Vec<(String, String, u64, u64)> {
    let out = Command::cargo_bin("manulint")
        .expect("binary")
        .current_dir(dir)
        .args([
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--color",
            "never",
        ])
        .args(args)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_findings(&out.stdout)
}

/// A novel read from its text files and as one Word document.
struct Novel {
    folder: PathBuf,
    chapters: Vec<Vec<Para>>,
    /// The paragraph number of each chapter's first paragraph, then one
    /// past the last paragraph.
    starts: Vec<usize>,
}

impl Novel {
    fn read(corpus: &Path, name: &str) -> Novel {
        let folder = corpus.join(name);
        let chapters: Vec<Vec<Para>> = chapter_files(&folder)
            .iter()
            .map(|f| paragraphs_of(&fs::read_to_string(f).expect("chapter")))
            .collect();
        let mut starts = vec![1];
        for chapter in &chapters {
            starts.push(starts.last().copied().unwrap_or(1) + chapter.len());
        }
        Novel {
            folder,
            chapters,
            starts,
        }
    }

    /// The 0-based chapter holding paragraph `number`.
    fn chapter_of(&self, number: u64) -> usize {
        self.starts
            .partition_point(|&s| s as u64 <= number)
            .saturating_sub(1)
    }

    fn text(&self, number: usize) -> &str {
        let chapter = self.chapter_of(number as u64);
        match &self.chapters[chapter][number - self.starts[chapter]] {
            Para::Heading(_, text) | Para::Text(text) | Para::SetIn(text) => text,
        }
    }
}

/// Findings per (rule, chapter).
type Counts = BTreeMap<(String, usize), usize>;

#[test]
fn word_copies_of_novels_find_what_their_text_files_find() {
    let Some(corpus) = corpus() else {
        eprintln!("skipping: no corpus at ../shared/corpus");
        return;
    };
    let scratch = TempDir::new().expect("temp dir");
    let mut report = String::new();
    let mut differences = Vec::new();
    for name in novels(&corpus) {
        let novel = Novel::read(&corpus, &name);
        let files: Vec<String> = chapter_files(&novel.folder)
            .iter()
            .map(|f| f.file_name().expect("name").to_string_lossy().into_owned())
            .collect();
        let mut text_counts = Counts::new();
        for (rule, file, _, _) in check_json(&novel.folder, &["."]) {
            let chapter = files.iter().position(|f| file.ends_with(f.as_str()));
            *text_counts
                .entry((rule, chapter.unwrap_or(usize::MAX)))
                .or_default() += 1;
        }
        let docx = scratch.path().join(format!("{name}.docx"));
        write_docx(
            &docx,
            &novel.chapters,
            &BTreeMap::new(),
            Italics::Underscores,
        );
        let mut word_counts = Counts::new();
        for (rule, _, line, _) in check_json(scratch.path(), &[&format!("{name}.docx")]) {
            *word_counts
                .entry((rule, novel.chapter_of(line)))
                .or_default() += 1;
        }
        let total = |c: &Counts| c.values().sum::<usize>();
        let _ = writeln!(
            report,
            "{name}: {} findings from the text files, {} from the Word copy",
            total(&text_counts),
            total(&word_counts)
        );
        for key in text_counts.keys().chain(word_counts.keys()) {
            let (a, b) = (text_counts.get(key), word_counts.get(key));
            if a != b
                && !differences
                    .iter()
                    .any(|(n, k, _, _)| n == &name && k == key)
            {
                differences.push((name.clone(), key.clone(), a.copied(), b.copied()));
            }
        }
    }
    eprintln!("{report}");
    if std::env::var_os("KEEP_DOCX").is_some() {
        eprintln!("kept {}", scratch.keep().display());
    }
    for (name, (rule, chapter), a, b) in &differences {
        eprintln!(
            "  {name} chapter {}: {rule}: {} from text, {} from Word",
            chapter + 1,
            a.unwrap_or(0),
            b.unwrap_or(0)
        );
    }
    assert!(differences.is_empty(), "{} differences", differences.len());
}

/// Planted defects per novel, of each kind.
const PER_KIND: usize = 6;

#[test]
fn defects_planted_in_word_copies_are_found_at_their_place() {
    let Some(corpus) = corpus() else {
        eprintln!("skipping: no corpus at ../shared/corpus");
        return;
    };
    let scratch = TempDir::new().expect("temp dir");
    let mut rng = Rng(0x5EED_D0C5);
    let (mut expected_total, mut found_total, mut deleted_total) = (0, 0, 0);
    let mut problems = Vec::new();
    for name in novels(&corpus) {
        let novel = Novel::read(&corpus, &name);
        // Body paragraphs of one line with at least 15 words.
        let candidates: Vec<usize> = (1..*novel.starts.last().expect("starts"))
            .filter(|&n| {
                let chapter = novel.chapter_of(n as u64);
                matches!(&novel.chapters[chapter][n - novel.starts[chapter]],
                    Para::Text(t) if !t.contains('\n') && t.split(' ').count() >= 15)
            })
            .collect();
        let mut plants: BTreeMap<usize, Vec<Plant>> = BTreeMap::new();
        // (rule, paragraph, column): must be found; (rule, paragraph): must not.
        let mut expected: Vec<(&str, usize, usize)> = Vec::new();
        let mut unexpected: Vec<(&str, usize)> = Vec::new();
        let mut note_id = 1;
        for kind in 0..5 {
            for _ in 0..PER_KIND {
                let number = loop {
                    let n = candidates[rng.below(candidates.len())];
                    if !plants.contains_key(&n) {
                        break n;
                    }
                };
                let text = novel.text(number);
                let words: Vec<&str> = text.split(' ').collect();
                // A word boundary not next to a "the" or a "TK".
                let w = loop {
                    let w = 1 + rng.below(words.len() - 1);
                    let near = |w: &str| {
                        let w = w
                            .trim_matches(|c: char| !c.is_alphanumeric())
                            .to_lowercase();
                        w == "the" || w == "tk"
                    };
                    if !near(words[w]) && !near(words[w - 1]) {
                        break w;
                    }
                };
                // Where the word starts in the text, and its column as Word
                // shows it (`_` marks italics: no character of the document).
                let at: usize = words[..w].iter().map(|s| s.chars().count() + 1).sum();
                let underscores = words[..w]
                    .iter()
                    .map(|s| s.matches('_').count())
                    .sum::<usize>();
                let column = at - underscores + 1;
                let plant = match kind {
                    0 => {
                        expected.push(("doubled-word", number, column));
                        Plant::Insert {
                            at,
                            words: "the the ".into(),
                        }
                    }
                    1 => {
                        expected.push(("draft-marker", number, column));
                        Plant::Insert {
                            at,
                            words: "TK ".into(),
                        }
                    }
                    2 => {
                        unexpected.push(("doubled-word", number));
                        Plant::Deleted {
                            at,
                            words: "the the ".into(),
                        }
                    }
                    3 => {
                        unexpected.push(("draft-marker", number));
                        Plant::Deleted {
                            at,
                            words: "TK ".into(),
                        }
                    }
                    _ => {
                        // " The ledger was was lost.": the second word of
                        // "was was" at column 13 of the note's text.
                        expected.push(("doubled-word", number, 13));
                        note_id += 1;
                        Plant::Footnote {
                            id: note_id,
                            text: "The ledger was was lost.".into(),
                        }
                    }
                };
                plants.insert(number, vec![plant]);
            }
        }
        let clean = scratch.path().join(format!("{name}-clean.docx"));
        write_docx(&clean, &novel.chapters, &BTreeMap::new(), Italics::Word);
        let before = check_json(scratch.path(), &[&format!("{name}-clean.docx")]);
        let planted = scratch.path().join(format!("{name}.docx"));
        write_docx(&planted, &novel.chapters, &plants, Italics::Word);
        let after = check_json(scratch.path(), &[&format!("{name}.docx")]);
        let has = |list: &[(String, String, u64, u64)], rule: &str, line: usize| {
            list.iter()
                .any(|(r, _, l, _)| r == rule && *l == line as u64)
        };
        for &(rule, line, column) in &expected {
            expected_total += 1;
            let hit = after
                .iter()
                .any(|(r, _, l, c)| r == rule && *l == line as u64 && *c == column as u64);
            if hit {
                found_total += 1;
            } else {
                problems.push(format!("{name}: no {rule} at ¶{line}:{column}"));
            }
        }
        for &(rule, line) in &unexpected {
            deleted_total += 1;
            if has(&after, rule, line) && !has(&before, rule, line) {
                problems.push(format!("{name}: {rule} at ¶{line} from deleted text"));
            }
        }
        // Nothing else is new: every other finding was there before.
        for (rule, _, line, _) in &after {
            let planted_here = expected
                .iter()
                .any(|(r, l, _)| r == rule && *l as u64 == *line);
            if !planted_here && !has(&before, rule, *line as usize) {
                problems.push(format!("{name}: unexpected {rule} at ¶{line}"));
            }
        }
    }
    if std::env::var_os("KEEP_DOCX").is_some() {
        eprintln!("kept {}", scratch.keep().display());
    }
    eprintln!(
        "planted in Word copies: {found_total} of {expected_total} found at their paragraph \
         and column; {deleted_total} tracked deletions of the same defects, none reported"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(found_total, expected_total);
}
