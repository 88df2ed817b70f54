use std::collections::HashMap;

use serde::Deserialize;

use super::{Params, configured_params, paragraphs, rare_words, shared_duplicates};
use crate::declare_rule;
use crate::diagnostic::{Finding, Label};
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::text::Manuscript;

declare_rule! {
    /// ## What it does
    /// Finds a sentence that appears again, word for word, somewhere else in
    /// the manuscript (ignoring case, line breaks, quote style, dashes and
    /// other punctuation). Each repeat is reported with a pointer to the
    /// first occurrence. Sentences inside a paragraph already reported by
    /// `duplicate-paragraph` are left to that rule.
    ///
    /// Short and plain sentences never count (“Yes.”, “She nodded.”, “I
    /// don’t know what you mean.”): a sentence needs a minimum of words and
    /// of rare words.
    ///
    /// ## Why
    /// A striking sentence used twice reads as a slip, and a pasted-in
    /// sentence is easy to miss when the paragraphs around it differ.
    ///
    /// ## Example
    /// ```text
    /// chapter-01.md:   In Echo Park the afternoons went on forever, and nobody …
    /// chapter-04.txt:  In Echo Park the afternoons went on forever, and nobody …
    ///                  ← flagged: this sentence repeats chapter-01.md:14
    /// ```
    ///
    /// ## Options
    /// - `min-words` (default 8): shorter sentences are never compared.
    /// - `min-rare-words` (default 2): sentences with fewer rare words
    ///   (less common than about 30 per million in English; names and
    ///   invented words included) are never compared.
    ///
    /// A refrain repeated on purpose can be silenced with the usual
    /// suppression comments, or the rule set to `info`.
    pub static META = {
        id: "repeated-sentence",
        category: Repetition,
        severity: Warning,
        scope: Manuscript,
        summary: "A sentence written again word for word elsewhere",
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

#[derive(Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    min_words: usize,
    min_rare_words: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_words: 8,
            min_rare_words: 2,
        }
    }
}

struct RepeatedSentence {
    options: Options,
    /// The `duplicate-paragraph` settings, to know which paragraphs that
    /// rule reports.
    paragraph_params: Params,
}

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    Ok(Box::new(RepeatedSentence {
        options: setup.options()?,
        paragraph_params: configured_params(setup.config),
    }))
}

/// One occurrence of a sentence: paragraph index and sentence index.
#[derive(Clone, Copy)]
struct Occurrence {
    para: usize,
    chapter: usize,
    sentence: usize,
}

impl Rule for RepeatedSentence {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn prepare(&self, manuscript: &Manuscript) {
        shared_duplicates(manuscript, &self.paragraph_params);
    }

    fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
        let paras = paragraphs(manuscript, &self.paragraph_params);
        let mut seen: HashMap<u64, Vec<Occurrence>> = HashMap::new();
        for (id, para) in paras.iter().enumerate() {
            let chapter = manuscript.chapter(para.r.chapter);
            let block = &chapter.blocks[para.r.block];
            for (k, (range, hash)) in para.sentences.iter().enumerate() {
                if range.len() < self.options.min_words.max(1) {
                    continue;
                }
                seen.entry(*hash).or_default().push(Occurrence {
                    para: id,
                    chapter: para.r.chapter,
                    sentence: block.sentences.start as usize + k,
                });
            }
        }
        let mut repeated: Vec<Vec<Occurrence>> =
            seen.into_values().filter(|o| o.len() >= 2).collect();
        if repeated.is_empty() {
            return;
        }
        // The occurrences are in reading order already (paragraphs are).
        repeated.sort_by_key(|o| (o[0].para, o[0].sentence));
        // Whether `duplicate-paragraph` reports the two paragraphs as copies
        // (the detection is shared with that rule, so it runs once).
        let found = shared_duplicates(manuscript, &self.paragraph_params);
        let duplicated = |a: usize, b: usize| a != b && found.related(paras[a].r, paras[b].r);
        for occurrences in repeated {
            let first = occurrences[0];
            let first_chapter = manuscript.chapter(first.chapter);
            let first_sentence = &first_chapter.sentences[first.sentence];
            let words = first_chapter.sentence_words(first_sentence);
            let enough = rare_words(first_chapter, words, self.options.min_rare_words)
                >= self.options.min_rare_words;
            if !enough {
                continue;
            }
            let first_line = first_chapter
                .line_col(first_sentence.span.start as usize)
                .line;
            for (i, later) in occurrences.iter().enumerate().skip(1) {
                let in_duplicate = occurrences[..i]
                    .iter()
                    .any(|e| duplicated(e.para, later.para));
                if in_duplicate {
                    continue;
                }
                let chapter = manuscript.chapter(later.chapter);
                let sentence = &chapter.sentences[later.sentence];
                let message = format!(
                    "this sentence repeats {}:{} word for word",
                    first_chapter.file_name(),
                    first_line
                );
                ctx.report(
                    Finding::new(later.chapter, sentence.span, message)
                        .label("repeated sentence")
                        .help("delete or reword one of them; if the repeat is deliberate, suppress this finding")
                        .related(
                            Label::new(first.chapter, first_sentence.span)
                                .with_message("first written here"),
                        ),
                );
            }
        }
    }
}
