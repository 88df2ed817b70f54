//! The text model: a [`Manuscript`] of [`Chapter`]s in reading order.
//!
//! A chapter's text is read once and shared (`Arc<str>`). Everything derived
//! from it — blocks, sentences, words, dialogue — is a [`Span`] into that text,
//! so rules never copy prose and every finding points at exact bytes.
//!
//! Beside the text each chapter keeps a *prose mask*: a string of the same
//! length in which every byte that is not prose (Markdown syntax, code, HTML,
//! link targets, front matter) is replaced by a space. Rules that scan text
//! scan the mask, and because the lengths match, an offset in the mask is the
//! same offset in the file.

mod analyses;
mod dialogue;
mod front_matter;
mod markdown;
pub mod markup;
mod plain;
pub mod sentences;
pub mod source_map;
mod span;
pub mod verse;
pub mod word_starts;
mod word_texts;
mod words;

use std::any::Any;
use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, OnceLock};

use crate::language::Language;
use crate::layout::LayoutKind;

pub use analyses::{Analyses, Sum, Summed, WithInputs, lock};
pub(crate) use dialogue::quotation_marks;
pub use front_matter::{FrontMatter, FrontMatterKind};
pub(crate) use markdown::is_scene_break;
pub use markup::WikiLink;
pub(crate) use plain::is_heading_line;
pub use source_map::SourceMap;
pub use span::{LineCol, LineIndex, Span, floor_boundary, join_sorted_runs};
pub use word_texts::{ChapterTextIds, ManuscriptTexts, PerText, TextValues, WordTexts};

/// How a chapter file is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
    Markdown,
    PlainText,
    /// A Word document (`.docx`). The chapter text is the converter's
    /// Markdown-flavoured rendering of it (see [`crate::docx`]); the
    /// chapter's [`SourceMap`] leads back to paragraphs. Never written back.
    Docx,
}

impl SourceFormat {
    /// Markdown for `.md`/`.markdown` and the Markdown dialects of writing
    /// tools (`.mmd` MultiMarkdown, `.Rmd` R Markdown, `.markua` Leanpub),
    /// Word for `.docx`, plain text for everything else.
    pub fn from_extension(extension: &str) -> Self {
        match extension.to_ascii_lowercase().as_str() {
            "md" | "markdown" | "mdown" | "mkd" | "mmd" | "rmd" | "markua" => {
                SourceFormat::Markdown
            }
            "docx" => SourceFormat::Docx,
            _ => SourceFormat::PlainText,
        }
    }

    /// True for formats whose text is Markdown (or rendered as Markdown):
    /// directives are HTML comments there.
    pub fn is_markdown(self) -> bool {
        matches!(self, SourceFormat::Markdown | SourceFormat::Docx)
    }
}

/// What a block of the chapter is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading; `level` is 1–6 for Markdown, 1 for a plain-text heading line.
    Heading {
        level: u8,
    },
    Paragraph,
    /// `* * *`, `#`, `~` and the like: a scene break, no prose.
    SceneBreak,
}

/// A heading, paragraph or scene break.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// The block's extent in the chapter text.
    pub span: Span,
    /// Indices into [`Chapter::sentences`].
    pub sentences: Range<u32>,
}

impl Block {
    pub fn is_heading(&self) -> bool {
        matches!(self.kind, BlockKind::Heading { .. })
    }

    pub fn is_paragraph(&self) -> bool {
        self.kind == BlockKind::Paragraph
    }
}

/// One sentence (for a heading: the whole heading).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Index into [`Chapter::blocks`].
    pub block: u32,
    /// Indices into [`Chapter::words`].
    pub words: Range<u32>,
}

/// One loaded chapter file.
#[derive(Debug)]
pub struct Chapter {
    /// Position in reading order.
    pub index: usize,
    /// The path as shown to users: as given on the command line, or relative
    /// to the current directory.
    pub path: PathBuf,
    pub format: SourceFormat,
    /// What turns a byte offset into `text` into one into the file: the
    /// length of a UTF-8 byte-order mark (0 without one); `None` for a file
    /// in another encoding (UTF-16, Windows-1252 …), whose offsets differ
    /// character by character. A Word chapter's text is its rendering, not
    /// the file.
    pub byte_shift: Option<u32>,
    pub text: Arc<str>,
    /// Same length as `text`; non-prose bytes are spaces (see module docs).
    /// The same allocation as `text` when all of it is prose.
    pub prose: Arc<str>,
    pub lines: LineIndex,
    pub front_matter: Option<FrontMatter>,
    pub blocks: Vec<Block>,
    pub sentences: Vec<Sentence>,
    pub words: Vec<Span>,
    /// Each word's text id (see [`WordTexts`]), by index in `words`.
    pub word_texts: WordTexts,
    /// Quoted speech, sorted and non-overlapping.
    pub dialogue: Vec<Span>,
    /// For a chapter converted from another format (`.docx`): the way back
    /// from text offsets to paragraphs. `None` for Markdown and plain text.
    pub source_map: Option<Arc<SourceMap>>,
    /// `[[wikilinks]]` and `![[embeds]]` (Markdown only), in file order.
    pub wikilinks: Vec<WikiLink>,
    /// The language the chapter is written in (see [`crate::language`]):
    /// English until the workspace resolves it.
    pub language: Language,
    /// The manuscript layout the chapter was found through, if any.
    pub layout: Option<LayoutKind>,
    /// What rules derived from this chapter alone (see [`Chapter::memo`]).
    analyses: Analyses,
    /// Whether [`Chapter::memo`] keeps what it builds (see
    /// [`Chapter::keep_analyses`]).
    keeps_analyses: bool,
    /// Whether messages name the chapter by its path rather than its file
    /// name: another chapter of the manuscript has the same file name
    /// (`part1/chapter-01.md`, `part2/chapter-01.md`). Set by
    /// [`Manuscript::new`].
    named_by_path: bool,
    /// Whether the text mentions `manulint-` in any case, so may hold a
    /// directive (see [`Chapter::mentions_directives`]); searched once.
    mentions_directives: OnceLock<bool>,
}

/// The structure a parser extracts before sentences and words are derived.
#[derive(Debug)]
pub(crate) struct ParsedStructure {
    pub prose: String,
    pub front_matter: Option<FrontMatter>,
    /// Block kinds and spans, in order.
    pub blocks: Vec<(BlockKind, Span)>,
    /// Markdown only: `[[wikilinks]]` outside code.
    pub wikilinks: Vec<WikiLink>,
}

impl Chapter {
    /// Parses `text` according to `format`. Never fails: any text is a
    /// chapter. (`Docx` text is parsed as Markdown here; the converter
    /// builds its chapters with [`Chapter::from_structure`].)
    pub fn parse(index: usize, path: PathBuf, format: SourceFormat, text: Arc<str>) -> Chapter {
        let structure = match format {
            SourceFormat::Markdown | SourceFormat::Docx => markdown::parse(&text),
            SourceFormat::PlainText => plain::parse(&text),
        };
        Chapter::from_structure(index, path, format, text, structure)
    }

    /// A chapter from a structure a converter built itself: the prose mask
    /// (same length as `text`) and the blocks, in order, not overlapping.
    pub(crate) fn from_structure(
        index: usize,
        path: PathBuf,
        format: SourceFormat,
        text: Arc<str>,
        structure: ParsedStructure,
    ) -> Chapter {
        debug_assert_eq!(structure.prose.len(), text.len());
        let lines = LineIndex::new(&text);
        let mut chapter = Chapter {
            index,
            path,
            format,
            byte_shift: Some(0),
            lines,
            // Plain text is usually all prose: share the text then, rather
            // than hold a second copy of a chapter that may be 100 MB.
            prose: if structure.prose == *text {
                Arc::clone(&text)
            } else {
                Arc::from(structure.prose)
            },
            front_matter: structure.front_matter,
            blocks: Vec::with_capacity(structure.blocks.len()),
            sentences: Vec::new(),
            words: Vec::new(),
            word_texts: WordTexts::default(),
            dialogue: Vec::new(),
            source_map: None,
            wikilinks: structure.wikilinks,
            language: Language::English,
            layout: None,
            analyses: Analyses::default(),
            keeps_analyses: false,
            named_by_path: false,
            mentions_directives: OnceLock::new(),
            text,
        };
        for (kind, span) in structure.blocks {
            chapter.push_block(kind, span);
        }
        // Grown by doubling, these hold up to twice what they need until
        // trimmed: in a 100 MB chapter the word list alone held 268 MB for
        // 145 MB of spans, for as long as the chapter lived.
        chapter.words.shrink_to_fit();
        chapter.sentences.shrink_to_fit();
        // Words hold no masked byte (a mask is spaces, which end a word):
        // their text is their prose, which some analyses read instead.
        debug_assert!(
            chapter
                .words
                .iter()
                .all(|w| chapter.text[w.range()] == chapter.prose[w.range()])
        );
        chapter.word_texts = WordTexts::new(&chapter.text, &chapter.words);
        chapter.dialogue = dialogue::find_dialogue(&chapter);
        chapter
    }

    /// Whether the text may hold a `manulint-` directive: the cheap test
    /// [`crate::suppress::directives`] makes first, kept because the
    /// directives are read by the pipeline and by every rule whose
    /// majority silenced text must not sway. Capitals are found as
    /// `MANULINT-` and `Manulint-`.
    pub fn mentions_directives(&self) -> bool {
        *self
            .mentions_directives
            .get_or_init(|| mentions_directives(self.text.as_bytes()))
    }

    /// The chapter parsed again with new `text` (after a fix, or an edit
    /// in the editor), keeping its index, path, format, language and
    /// layout.
    pub fn reparsed(self, text: Arc<str>) -> Chapter {
        let mut chapter = Chapter::parse(self.index, self.path, self.format, text);
        chapter.language = self.language;
        chapter.layout = self.layout;
        chapter.keeps_analyses = self.keeps_analyses;
        chapter
    }

    fn push_block(&mut self, kind: BlockKind, span: Span) {
        let block_index = self.blocks.len() as u32;
        let first_sentence = self.sentences.len() as u32;
        let sentence_spans: Vec<Span> = match kind {
            BlockKind::SceneBreak => Vec::new(),
            BlockKind::Heading { .. } => trimmed(&self.prose, span).into_iter().collect(),
            BlockKind::Paragraph => sentences::split_sentences(&self.prose[span.range()])
                .into_iter()
                .map(|r| Span::new(span.start as usize + r.start, span.start as usize + r.end))
                .collect(),
        };
        for sentence_span in sentence_spans {
            let first_word = self.words.len() as u32;
            words::push_words(&self.prose, sentence_span, &mut self.words);
            self.sentences.push(Sentence {
                span: sentence_span,
                block: block_index,
                words: first_word..self.words.len() as u32,
            });
        }
        self.blocks.push(Block {
            kind,
            span,
            sentences: first_sentence..self.sentences.len() as u32,
        });
    }

    /// The analysis of type `T` under `key` derived from this chapter
    /// alone, built with `build`; kept with the chapter when it
    /// [keeps its analyses](Chapter::keep_analyses), so later calls (in
    /// later checks of the same chapter) get it without building again.
    ///
    /// So `build` may read only this chapter's text, structure and
    /// language, and the settings it depends on must be in `key`; it must not
    /// record [`Chapter::index`], which changes when chapters are added or
    /// removed. Never waits on another thread (see [`Analyses`]).
    pub fn memo<T: Any + Send + Sync>(
        &self,
        key: &str,
        build: impl FnOnce(&Chapter) -> T,
    ) -> Arc<T> {
        if !self.keeps_analyses {
            return Arc::new(build(self));
        }
        self.analyses.get_or_build(key, || build(self))
    }

    /// Makes [`Chapter::memo`] keep what it builds, for as long as the
    /// chapter lives. A language server keeps the chapters an edit did not
    /// touch, so re-checking costs only the edited chapter plus the
    /// manuscript-wide merging; a single run would only hold the memory
    /// longer (each analysis is asked for once per run).
    pub fn keep_analyses(&mut self) {
        self.keeps_analyses = true;
    }

    /// Sets the chapter's language. What [`Chapter::memo`] kept was built
    /// for the old one (a paragraph's rare words, the phrases that state a
    /// year are read in the chapter's language), so a change drops it: a
    /// language server keeps chapters across checks, and the manuscript's
    /// detected or configured language can change under them.
    pub fn set_language(&mut self, language: Language) {
        if self.language != language {
            self.analyses = Analyses::default();
            self.language = language;
        }
    }

    /// The original text of a span.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.range()]
    }

    /// The prose mask of a span (non-prose bytes are spaces).
    pub fn prose_slice(&self, span: Span) -> &str {
        &self.prose[span.range()]
    }

    /// The source text between the start of `block`'s first line and the
    /// block: the markup the prose blanks before it (Markdown's `> `,
    /// `- ` or `1. `), or an indent.
    pub fn line_prefix(&self, block: &Block) -> &str {
        let start = block.span.start as usize;
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        &self.text[line_start..start]
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }

    pub fn block_sentences(&self, block: &Block) -> &[Sentence] {
        &self.sentences[block.sentences.start as usize..block.sentences.end as usize]
    }

    pub fn sentence_words(&self, sentence: &Sentence) -> &[Span] {
        &self.words[sentence.words.start as usize..sentence.words.end as usize]
    }

    /// All words of a block, across its sentences.
    pub fn block_words(&self, block: &Block) -> &[Span] {
        let sentences = self.block_sentences(block);
        match (sentences.first(), sentences.last()) {
            (Some(first), Some(last)) => {
                &self.words[first.words.start as usize..last.words.end as usize]
            }
            _ => &[],
        }
    }

    /// Paragraph blocks only (no headings, no scene breaks).
    pub fn paragraphs(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(|b| b.is_paragraph())
    }

    /// True when the span lies inside quoted speech.
    pub fn in_dialogue(&self, span: Span) -> bool {
        let i = self.dialogue.partition_point(|d| d.end <= span.start);
        self.dialogue.get(i).is_some_and(|d| d.contains(span))
    }

    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// The file name (`chapter-03.md`), as config globs see it.
    pub fn file_name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// The chapter's name for messages: the file name, followed for a file
    /// split into chapters by the chapter's title (`book.docx (Chapter 7)`).
    pub fn name(&self) -> String {
        match self.source_map.as_ref().and_then(|m| m.title.as_ref()) {
            Some(title) => format!("{} ({title})", self.shown_name()),
            None => self.shown_name(),
        }
    }

    /// The file as messages name it: its file name (`chapter-03.md`), or
    /// its path as shown (`part2/chapter-03.md`) where another chapter of
    /// the manuscript has the same file name.
    pub fn shown_name(&self) -> String {
        if self.named_by_path {
            self.path.display().to_string()
        } else {
            self.file_name()
        }
    }

    /// True for a block of footnote or endnote text (in a Word chapter,
    /// where notes follow the chapter's last paragraph): prose to check, but
    /// no part of the run of paragraphs, so rules that look at the next or
    /// the last paragraph pass over it.
    pub fn is_note(&self, block: &Block) -> bool {
        self.source_map
            .as_ref()
            .and_then(|m| m.position_of(block.span.start as usize))
            .is_some_and(|p| p.place.note.is_some())
    }

    /// The text people are shown from this chapter: the chapter's text, or
    /// for a converted chapter (`.docx`) its paragraphs' plain text, one per
    /// line ([`SourceMap::display`]), never manulint's rendering of them.
    pub fn shown_text(&self) -> &str {
        match &self.source_map {
            Some(map) => &map.display,
            None => &self.text,
        }
    }

    /// `span` (bytes of [`Chapter::text`]) as bytes of
    /// [`Chapter::shown_text`].
    pub fn shown_range(&self, span: Span) -> std::ops::Range<usize> {
        match &self.source_map {
            Some(map) => map.display_range(span),
            None => span.range(),
        }
    }

    /// A place in the chapter for messages: `chapter-03.md:41` (file name
    /// and line), or for a converted chapter `book.docx:¶214 (Chapter 7)`
    /// (file name, paragraph, chapter title); the file named as
    /// [`Chapter::shown_name`] says.
    pub fn place(&self, offset: usize) -> String {
        self.place_with(offset, false)
    }

    /// [`Chapter::place`] with the column: `chapter-03.md:41:7`,
    /// `book.docx:¶214:7 (Chapter 7)`. For a list of places where two may
    /// share a line.
    pub fn place_and_column(&self, offset: usize) -> String {
        self.place_with(offset, true)
    }

    fn place_with(&self, offset: usize, column: bool) -> String {
        let Some(map) = &self.source_map else {
            let at = self.line_col(offset);
            return match column {
                true => format!("{}:{}:{}", self.shown_name(), at.line, at.column),
                false => format!("{}:{}", self.shown_name(), at.line),
            };
        };
        let paragraph = map
            .position_of(offset)
            .map_or_else(String::new, |p| match column {
                true => format!("{}:{}", p.place, p.column),
                false => p.place.to_string(),
            });
        match &map.title {
            Some(title) => format!("{}:{paragraph} ({title})", self.shown_name()),
            None => format!("{}:{paragraph}", self.shown_name()),
        }
    }
}

/// The span with surrounding whitespace removed, or `None` if it is blank.
fn trimmed(text: &str, span: Span) -> Option<Span> {
    let slice = &text[span.range()];
    let start = span.start as usize + (slice.len() - slice.trim_start().len());
    let end = span.start as usize + slice.trim_end().len();
    (start < end).then(|| Span::new(start, end))
}

/// Every chapter, in reading order, plus the analyses several rules share
/// (duplicate detection, word statistics).
///
/// Shared analyses are built in the engine's *analysis stage*, before any
/// rule checks (see [`crate::rule::Rule::prepare`] and
/// [`crate::engine::run`]). [`Manuscript::shared`] never blocks on another
/// thread: a lookup that misses builds the analysis on the calling thread.
/// An earlier design built analyses lazily behind `OnceLock`s inside the
/// rayon pool; a thread waiting on one initialiser could hold, lower on its
/// stack, work another initialiser waited for, and runs with five or more
/// threads hung.
#[derive(Default)]
pub struct Manuscript {
    pub chapters: Vec<Chapter>,
    shared: Analyses,
    /// What checks of this manuscript keep for the next check of it (see
    /// [`Manuscript::with_kept`]); `None` in a single run.
    kept: Option<Arc<Analyses>>,
    /// The chapters' word texts numbered across the book, once asked for
    /// (see [`Manuscript::texts`]).
    texts: OnceLock<ManuscriptTexts>,
}

impl fmt::Debug for Manuscript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Manuscript")
            .field("chapters", &self.chapters)
            .finish_non_exhaustive()
    }
}

/// Marks the chapters whose file name another chapter has, so that
/// messages name them by path (see [`Chapter::shown_name`]).
fn name_alike_by_path(chapters: &mut [Chapter]) {
    let mut uses: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for chapter in chapters.iter() {
        *uses.entry(chapter.file_name()).or_default() += 1;
    }
    for chapter in chapters.iter_mut() {
        chapter.named_by_path = uses[&chapter.file_name()] > 1;
    }
}

impl Manuscript {
    pub fn new(mut chapters: Vec<Chapter>) -> Self {
        name_alike_by_path(&mut chapters);
        Manuscript {
            chapters,
            shared: Analyses::default(),
            kept: None,
            texts: OnceLock::new(),
        }
    }

    /// A manuscript whose checks keep, in `kept`, what the next check of it
    /// can bring up to date rather than build again (a manuscript-wide
    /// total over chapters, see [`Summed`]): a language server passes the
    /// same store to every re-check. What is kept there must be right for
    /// whatever chapters a later check has.
    pub fn with_kept(mut chapters: Vec<Chapter>, kept: Arc<Analyses>) -> Self {
        name_alike_by_path(&mut chapters);
        Manuscript {
            chapters,
            shared: Analyses::default(),
            kept: Some(kept),
            texts: OnceLock::new(),
        }
    }

    /// True for a manuscript made [`Manuscript::with_kept`]: checked again
    /// after edits, rather than once.
    pub fn keeps_across_checks(&self) -> bool {
        self.kept.is_some()
    }

    /// The analysis of type `T` under `key` kept across checks, made with
    /// `T::default()` the first time; `None` unless the manuscript was made
    /// [`Manuscript::with_kept`].
    pub fn kept<T: Any + Send + Sync + Default>(&self, key: &str) -> Option<Arc<T>> {
        let kept = self.kept.as_ref()?;
        Some(kept.get_or_build(key, T::default))
    }

    /// The chapters' word texts numbered across the book (see
    /// [`ManuscriptTexts`]), numbered on the first call; `None` for a
    /// manuscript checked again and again ([`Manuscript::keeps_across_checks`]),
    /// whose analyses are kept chapter by chapter and which would number
    /// the whole book again after every edit.
    ///
    /// The first call numbers on the calling thread and any other caller
    /// waits for it: the numbering runs no rayon work, so the wait cannot
    /// hold up the pool (see [`Analyses`]).
    pub fn texts(&self) -> Option<&ManuscriptTexts> {
        if self.keeps_across_checks() {
            return None;
        }
        Some(
            self.texts
                .get_or_init(|| ManuscriptTexts::new(&self.chapters)),
        )
    }

    pub fn word_count(&self) -> usize {
        self.chapters.iter().map(Chapter::word_count).sum()
    }

    /// The language most of the manuscript's words are in (English for an
    /// empty manuscript): what manuscript-wide rules read their word data
    /// for.
    pub fn language(&self) -> Language {
        let mut words: Vec<(&Language, usize)> = Vec::new();
        for chapter in &self.chapters {
            match words.iter_mut().find(|(l, _)| **l == chapter.language) {
                Some((_, n)) => *n += chapter.word_count(),
                None => words.push((&chapter.language, chapter.word_count())),
            }
        }
        words
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map_or(Language::English, |(l, _)| l.clone())
    }

    /// The chapters, without the analyses built for them (a changed chapter
    /// needs new ones).
    pub fn into_chapters(self) -> Vec<Chapter> {
        self.chapters
    }

    /// The chapters, and the analyses built for them apart: a language
    /// server drops those on a thread of its own (freeing a novel's
    /// analyses takes milliseconds it need not wait for).
    pub fn into_parts(self) -> (Vec<Chapter>, Analyses) {
        (self.chapters, self.shared)
    }

    pub fn chapter(&self, index: usize) -> &Chapter {
        &self.chapters[index]
    }

    /// The analysis of type `T` stored under `key` (which tells apart
    /// analyses of one type built with different settings), building it with
    /// `build` when it is not there yet.
    ///
    /// Rules call this from [`crate::rule::Rule::prepare`], which the engine
    /// runs before any rule checks, so that the checks only read. Nothing
    /// waits for a build on another thread (see [`Analyses`]). What can be
    /// derived from one chapter alone belongs in [`Chapter::memo`], where it
    /// outlives this manuscript in a language server.
    pub fn shared<T: Any + Send + Sync>(
        &self,
        key: &str,
        build: impl FnOnce(&Manuscript) -> T,
    ) -> Arc<T> {
        self.shared.get_or_build(key, || build(self))
    }

    /// Lets go of the shared analysis of type `T` under `key` (see
    /// [`crate::rule::Rule::release_analyses`]). Nothing in a manuscript
    /// checked again and again ([`Manuscript::keeps_across_checks`]): its
    /// analyses serve the next check.
    pub fn release_shared<T: Any + Send + Sync>(&self, key: &str) {
        if !self.keeps_across_checks() {
            self.shared.remove::<T>(key);
        }
    }

    /// How many manuscript-wide analyses are stored.
    pub fn shared_count(&self) -> usize {
        self.shared.len()
    }

    /// True when the analysis of type `T` under `key` has been built.
    pub fn has_shared<T: Any + Send + Sync>(&self, key: &str) -> bool {
        self.shared.contains::<T>(key)
    }
}

/// Whether `text` holds `anulint-` or `ANULINT-` (see
/// [`Chapter::mentions_directives`]): searched with vector instructions,
/// where `str::contains` read a chapter at a quarter of the speed.
fn mentions_directives(text: &[u8]) -> bool {
    static LOWER: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"anulint-"));
    static UPPER: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"ANULINT-"));
    LOWER.find(text).is_some() || UPPER.find(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter(format: SourceFormat, text: &str) -> Chapter {
        Chapter::parse(0, PathBuf::from("t"), format, Arc::from(text))
    }

    #[test]
    fn a_new_language_drops_what_the_chapter_kept() {
        let mut ch = chapter(SourceFormat::PlainText, "Il était une fois.\n");
        ch.keep_analyses();
        let built = |c: &Chapter| c.language.clone();
        let english = ch.memo("language", built);
        ch.set_language(Language::English);
        assert!(Arc::ptr_eq(&english, &ch.memo("language", built)));
        ch.set_language(Language::French);
        assert_eq!(*ch.memo("language", built), Language::French);
        assert_eq!(*english, Language::English);
    }

    fn kinds(ch: &Chapter) -> Vec<BlockKind> {
        ch.blocks.iter().map(|b| b.kind).collect()
    }

    #[test]
    fn markdown_blocks_and_prose_mask() {
        let text = "+++\nyear = 1996\n+++\n# One\n\nIt was `TK` cold. See [the flyer](https://x.org/the).\n\n```\nthe the\n```\n\n* * *\n\n<!-- note -->\nLast line.\n";
        let ch = chapter(SourceFormat::Markdown, text);
        assert_eq!(ch.prose.len(), text.len());
        assert_eq!(
            kinds(&ch),
            vec![
                BlockKind::Heading { level: 1 },
                BlockKind::Paragraph,
                BlockKind::SceneBreak,
                BlockKind::Paragraph
            ]
        );
        assert!(!ch.prose.contains("TK"));
        assert!(!ch.prose.contains("https"));
        assert!(!ch.prose.contains("the the"));
        assert!(!ch.prose.contains("year"));
        assert!(!ch.prose.contains("note"));
        assert!(ch.prose.contains("the flyer"));
        let fm = ch.front_matter.as_ref().unwrap();
        assert_eq!(fm.kind, FrontMatterKind::Toml);
        assert_eq!(fm.get("year").map(|(v, _)| v), Some("1996".to_string()));
        assert_eq!(ch.slice(ch.sentences[0].span), "One");
    }

    #[test]
    fn plain_text_paragraphs_and_sentences() {
        let text = "Chapter 2\n\nShe opened the\ndoor. \u{201c}Go,\u{201d} he said.\r\n\r\nThen nothing.\n";
        let ch = chapter(SourceFormat::PlainText, text);
        assert_eq!(
            kinds(&ch),
            vec![
                BlockKind::Heading { level: 1 },
                BlockKind::Paragraph,
                BlockKind::Paragraph
            ]
        );
        let sentences: Vec<&str> = ch.sentences.iter().map(|s| ch.slice(s.span)).collect();
        assert_eq!(
            sentences,
            vec![
                "Chapter 2",
                "She opened the\ndoor.",
                "\u{201c}Go,\u{201d} he said.",
                "Then nothing."
            ]
        );
        assert_eq!(ch.word_count(), 2 + 4 + 3 + 2);
    }

    #[test]
    fn shared_analyses_are_built_once_per_key() {
        let manuscript = Manuscript::new(vec![chapter(SourceFormat::PlainText, "One two.\n")]);
        let builds = std::sync::atomic::AtomicUsize::new(0);
        let count = |m: &Manuscript| {
            builds.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            m.word_count()
        };
        assert_eq!(*manuscript.shared("a", count), 2);
        assert_eq!(*manuscript.shared("a", count), 2);
        assert_eq!(*manuscript.shared("b", count), 2);
        assert_eq!(builds.load(std::sync::atomic::Ordering::SeqCst), 2);
        assert!(manuscript.has_shared::<usize>("a"));
        assert!(!manuscript.has_shared::<usize>("c"));
    }

    #[test]
    fn dialogue_spans_cover_quotes() {
        let text = "\u{201c}Stay,\u{201d} she said. \"Please.\"\n";
        let ch = chapter(SourceFormat::PlainText, text);
        let stay = Span::new(text.find("Stay").unwrap(), text.find("Stay").unwrap() + 4);
        let said = Span::new(text.find("said").unwrap(), text.find("said").unwrap() + 4);
        let please = Span::new(
            text.find("Please").unwrap(),
            text.find("Please").unwrap() + 6,
        );
        assert!(ch.in_dialogue(stay));
        assert!(!ch.in_dialogue(said));
        assert!(ch.in_dialogue(please));
    }
}
