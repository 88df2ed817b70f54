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

mod dialogue;
mod front_matter;
mod markdown;
mod plain;
pub mod sentences;
mod span;
mod words;

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub use front_matter::{FrontMatter, FrontMatterKind};
pub use span::{LineCol, LineIndex, Span};

/// How a chapter file is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
    Markdown,
    PlainText,
}

impl SourceFormat {
    /// Markdown for `.md`/`.markdown`, plain text for everything else.
    pub fn from_extension(extension: &str) -> Self {
        match extension.to_ascii_lowercase().as_str() {
            "md" | "markdown" | "mdown" | "mkd" => SourceFormat::Markdown,
            _ => SourceFormat::PlainText,
        }
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
    pub text: Arc<str>,
    /// Same length as `text`; non-prose bytes are spaces (see module docs).
    pub prose: String,
    pub lines: LineIndex,
    pub front_matter: Option<FrontMatter>,
    pub blocks: Vec<Block>,
    pub sentences: Vec<Sentence>,
    pub words: Vec<Span>,
    /// Quoted speech, sorted and non-overlapping.
    pub dialogue: Vec<Span>,
}

/// The structure a parser extracts before sentences and words are derived.
pub(crate) struct ParsedStructure {
    pub prose: String,
    pub front_matter: Option<FrontMatter>,
    /// Block kinds and spans, in order.
    pub blocks: Vec<(BlockKind, Span)>,
}

impl Chapter {
    /// Parses `text` according to `format`. Never fails: any text is a chapter.
    pub fn parse(index: usize, path: PathBuf, format: SourceFormat, text: Arc<str>) -> Chapter {
        let structure = match format {
            SourceFormat::Markdown => markdown::parse(&text),
            SourceFormat::PlainText => plain::parse(&text),
        };
        let lines = LineIndex::new(&text);
        let mut chapter = Chapter {
            index,
            path,
            format,
            lines,
            prose: structure.prose,
            front_matter: structure.front_matter,
            blocks: Vec::with_capacity(structure.blocks.len()),
            sentences: Vec::new(),
            words: Vec::new(),
            dialogue: Vec::new(),
            text,
        };
        for (kind, span) in structure.blocks {
            chapter.push_block(kind, span);
        }
        chapter.dialogue = dialogue::find_dialogue(&chapter);
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

    /// The original text of a span.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.range()]
    }

    /// The prose mask of a span (non-prose bytes are spaces).
    pub fn prose_slice(&self, span: Span) -> &str {
        &self.prose[span.range()]
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

    /// The file name for messages (`chapter-03.md`).
    pub fn file_name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
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
    shared: Mutex<HashMap<(TypeId, String), Arc<dyn Any + Send + Sync>>>,
}

impl fmt::Debug for Manuscript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Manuscript")
            .field("chapters", &self.chapters)
            .finish_non_exhaustive()
    }
}

impl Manuscript {
    pub fn new(chapters: Vec<Chapter>) -> Self {
        Manuscript {
            chapters,
            shared: Mutex::default(),
        }
    }

    pub fn word_count(&self) -> usize {
        self.chapters.iter().map(Chapter::word_count).sum()
    }

    /// The chapters, without the analyses built for them (a changed chapter
    /// needs new ones).
    pub fn into_chapters(self) -> Vec<Chapter> {
        self.chapters
    }

    pub fn chapter(&self, index: usize) -> &Chapter {
        &self.chapters[index]
    }

    /// The analysis of type `T` stored under `key` (which tells apart
    /// analyses of one type built with different settings), building it with
    /// `build` when it is not there yet.
    ///
    /// Rules call this from [`crate::rule::Rule::prepare`], which the engine
    /// runs before any rule checks, so that the checks only read. The map's
    /// lock is never held while building, and nothing waits for a build on
    /// another thread: should two threads miss at once, both build and the
    /// first stored value wins. Building twice wastes time; waiting could
    /// deadlock the pool.
    pub fn shared<T: Any + Send + Sync>(
        &self,
        key: &str,
        build: impl FnOnce(&Manuscript) -> T,
    ) -> Arc<T> {
        let map_key = (TypeId::of::<T>(), key.to_string());
        if let Some(found) = self.lock_shared().get(&map_key) {
            return downcast(Arc::clone(found));
        }
        let built: Arc<dyn Any + Send + Sync> = Arc::new(build(self));
        let stored = Arc::clone(self.lock_shared().entry(map_key).or_insert(built));
        downcast(stored)
    }

    /// True when the analysis of type `T` under `key` has been built.
    pub fn has_shared<T: Any + Send + Sync>(&self, key: &str) -> bool {
        self.lock_shared()
            .contains_key(&(TypeId::of::<T>(), key.to_string()))
    }

    fn lock_shared(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<(TypeId, String), Arc<dyn Any + Send + Sync>>> {
        // A panic while the lock was held cannot leave the map half-written
        // (inserts are single calls), so a poisoned lock is still usable.
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn downcast<T: Any + Send + Sync>(value: Arc<dyn Any + Send + Sync>) -> Arc<T> {
    match value.downcast::<T>() {
        Ok(value) => value,
        Err(_) => unreachable!("shared analyses are keyed by TypeId"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter(format: SourceFormat, text: &str) -> Chapter {
        Chapter::parse(0, PathBuf::from("t"), format, Arc::from(text))
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
