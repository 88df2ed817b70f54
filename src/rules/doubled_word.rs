use std::cell::OnceCell;
use std::collections::HashSet;

use serde::Deserialize;

use crate::declare_rule;
use crate::diagnostic::{Edit, Finding, Fix};
use crate::language::Language;
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::text::{Chapter, Sentence, Span, verse};

declare_rule! {
    /// ## What it does
    /// Finds a word written twice in a row by accident: “the the”, “a a”,
    /// “to to”. It compares words without regard to case, and catches a pair
    /// split across a line break (“opened the⏎the door”), but never pairs
    /// words across paragraphs, sentence punctuation or markup, nor across
    /// the break of a line of verse, where a repeat is a refrain (a hard
    /// break, a block quote's lines, each line in its own emphasis, or a
    /// line that stops well short of the width the chapter is wrapped at,
    /// as a stanza typed as short lines does) — unless the word is an
    /// article or a preposition (“the⏎the”), which no refrain takes up:
    /// that is a slip at the end of a line shortened by an edit.
    /// A pair whose
    /// second word is capitalised (“Walla Walla”, “Bora Bora”, “Duran
    /// Duran”) is a name, not a slip: the second word of a pair never
    /// starts a sentence.
    ///
    /// ## Why
    /// The eye skips the second word when reading for sense, so doubled words
    /// survive many drafts, especially across a line break.
    ///
    /// ## Example
    /// ```text
    /// She opened the the door.      ← flagged
    /// He had had enough.            ← fine: “had had” is grammatical
    /// The train to Walla Walla.     ← fine: a name
    /// “No, no,” she said.           ← fine: punctuation between
    /// ```
    ///
    /// ## Fix
    /// Safe: `--fix` deletes the second word and the space before it (not
    /// when markup sits between the two). Inside quoted speech, where a
    /// doubling may be the speaker's (a stammer, “Hear hear”), and for a
    /// word the language's frequency list does not know (a made-up
    /// language's “*ashan ashan*”), the fix is unsafe (`--unsafe-fixes`).
    /// A pair split across a line break
    /// keeps the line wrapping: the word at the start of the next line goes
    /// with the spaces after it.
    ///
    /// ## Options
    /// - `allow` (list of words): words whose doubling is deliberate or
    ///   grammatical. The default holds “had”, “that”, interjections (“no”,
    ///   “oh”, “there”), words doubled in speech (“chop chop”, “wait wait”,
    ///   “night night”) and on the radio (“break break”, “copy copy”), size words doubled for emphasis (“a wee wee dog”,
    ///   “big big”) and pronouns and prepositions that double across a
    ///   clause (“told you you could”, “put in in the morning”). Those that
    ///   double only across a clause (had, is, you, it, her, in, on, out,
    ///   over) are still reported at a sentence's or a quotation's start
    ///   (“It it was not true.”), and “is is” or “was was” unless a subject
    ///   clause comes before it (“What it is is”, “What it was was”, “The
    ///   thing is is”; “The door is is open” is reported), and “had had”
    ///   after a contraction (“She'd had had enough”), in English
    ///   chapters. Setting it replaces the list. Runs of three or more (“many many many”) are
    ///   always taken as deliberate. In French, Spanish and German chapters
    ///   the grammatical doublings of those languages are allowed as well
    ///   (“nous nous levons”, “die Frau, die die Zeitung liest”, “no, no”),
    ///   and the default's sung “la la” is not: there it is the article
    ///   doubled (“prit la la valise”).
    /// - `also-allow` (list of words): added to `allow`, so the default list
    ///   stays (`also-allow = ["bora"]`); the editor's “Allow” action
    ///   writes here.
    pub static META = {
        id: "doubled-word",
        category: Typo,
        severity: Warning,
        scope: Chapter,
        summary: "A word repeated by accident (“the the”)",
        fix: Safe,
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

/// Doublings that are grammatical (“had had”, “that that”) or, in fiction,
/// usually deliberate (“no no”, “there there”, “knock knock”), with the
/// words that double into one (“chop chop”, “tom tom”, “night night”) or
/// are doubled in urgent speech (“wait wait”, “please please”), on the
/// radio (“break break”, “copy copy”, “roger roger”) and in text messages
/// (“haha haha”, “lol lol”, kisses “xx xx”).
/// Pronouns and prepositions double across a clause boundary (“told you
/// you could”, “got to it it was”, “put in in the morning”). Not “to”: “to
/// to” is one of the commonest slips, and its grammatical use (“every
/// line they come to to do it”) rare: one in the shared corpus.
const DEFAULT_ALLOW: &[&str] = &[
    "had", "that", "is", "do", "no", "ha", "ho", "he", "hush", "very", "so", "bye", "tut", "knock",
    "there", "dear", "well", "come", "oh", "ah", "now", "you", "it", "her", "in", "long", "ever",
    "many", "far", "more", "on", "out", "up", "over", "round", "again", "yes", "hey", "go", "away",
    "down", "chop", "tom", "dum", "pooh", "tsk", "yum", "mm", "hmm", "um", "uh", "la", "blah",
    "choo", "pom", "cha", "night", "bang", "boo", "wait", "please", "quick", "run", "stop", "help",
    "yeah", "okay", "ok", "whoa", "hip", "beep", "ding", "was", "hear", "aye", "woof", "really",
    "fifty", "wee", "big", "little", "tiny", "teeny", "small", "break", "copy", "roger", "move",
    "hurry", "contact", "haha", "hahaha", "hehe", "lol", "lmao", "omg", "yay", "x", "xx", "xxx",
];

/// Words of [`DEFAULT_ALLOW`] that double only across a clause boundary
/// (“had had”, “told you you could”, “got to it it was”, “put in in the
/// morning”, “What it is is”): never at a sentence's start. Not “that”
/// (“That that he said was true”), “do” (“Do do sit down”) or “up” (“Up
/// up and away”), which may.
const CLAUSE_DOUBLINGS: &[&str] = &[
    "had", "is", "was", "you", "it", "her", "in", "on", "out", "over",
];

/// Words that make a sentence's “is is” (or “was was”) speech rather than a slip, as the
/// subject clause before it (“What it is is”, “All it is is”, “The thing
/// is is that”); any word starting with “what” (“whatever”) counts too.
const IS_IS_SUBJECTS: &[&str] = &[
    "all", "thing", "problem", "point", "question", "truth", "fact", "trouble", "issue", "reason",
    "idea", "answer",
];

/// Doublings that are grammatical in other languages: French reflexives
/// (“nous nous levons”, “vous vous trompez”), German relative pronouns
/// after articles (“die Frau, die die Zeitung liest”, “das, das”), and the
/// doubled yes and no of speech everywhere.
fn language_allows(language: &Language, lower: &str) -> bool {
    let words: &[&str] = match language {
        Language::French => &["nous", "vous", "si", "non", "oui", "bon", "très", "là"],
        Language::German => &[
            "die", "der", "das", "dem", "den", "des", "sie", "ja", "nein", "so", "na", "nun",
        ],
        Language::Spanish => &["no", "sí", "ya", "bueno"],
        _ => &[],
    };
    words.contains(&lower)
}

/// Words of the default allow list that are slips in other languages: “la
/// la” sings in English, but in French and Spanish it is the commonest
/// article doubled (“prit la la valise”); sung, it runs to three or more,
/// which is never reported.
fn language_forbids(language: &Language, lower: &str) -> bool {
    matches!(language, Language::French | Language::Spanish) && lower == "la"
}

#[derive(Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    allow: Vec<String>,
    /// Added to `allow` (the default list unless `allow` is set).
    also_allow: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            allow: DEFAULT_ALLOW.iter().map(|w| w.to_string()).collect(),
            also_allow: Vec::new(),
        }
    }
}

struct DoubledWord {
    allow: HashSet<String>,
    /// The words of `also-allow`, which win over [`language_forbids`] (as
    /// an `allow` list of the user's own does).
    also_allow: HashSet<String>,
    /// Whether `allow` is the default list (see [`language_forbids`]).
    default_allow: bool,
}

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    let options: Options = setup.options()?;
    let lower = |words: &[String]| words.iter().map(|w| w.to_lowercase()).collect();
    Ok(Box::new(DoubledWord {
        default_allow: options.allow.iter().eq(DEFAULT_ALLOW.iter()),
        allow: lower(&options.allow),
        also_allow: lower(&options.also_allow),
    }))
}

impl Rule for DoubledWord {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check_chapter(&self, chapter: &Chapter, ctx: &mut RuleContext) {
        let width = OnceCell::new();
        for block in chapter.blocks.iter().filter(|b| !b.sentences.is_empty()) {
            let words = chapter.block_words(block);
            let sentences = chapter.block_sentences(block);
            let first_word = sentences[0].words.start as usize;
            let mut i = 0;
            while i < words.len() {
                let run = repeat_run_length(chapter, &words[i..], &width);
                // A pair is a slip; three or more (“many many many”) is a voice.
                if run == 2
                    && !self.is_allowed_at(chapter, sentences, first_word, words, i)
                    && !is_title_case(chapter.slice(words[i + 1]))
                {
                    let word = chapter.slice(words[i + 1]);
                    let pair = words[i].cover(words[i + 1]);
                    let description = format!("delete the second “{word}”");
                    let edits = vec![Edit::delete(deletion(chapter, words[i], words[i + 1]))];
                    // In speech a doubled word may be the speaker's (a
                    // stammer, “Hear hear”, “What it was was”): the fix
                    // waits for a look there.
                    // So may one of a word no dictionary knows, a made-up
                    // language's (“*ashan ashan*”, a greeting).
                    let fix = if chapter.in_dialogue(pair) || is_unknown_word(chapter, word) {
                        Fix::unsafe_(description, edits)
                    } else {
                        Fix::safe(description, edits)
                    };
                    ctx.report(
                        Finding::new(
                            chapter.index,
                            pair,
                            format!("“{word}” is written twice in a row"),
                        )
                        .label("doubled word")
                        .help(format!("delete one “{word}”"))
                        .fix(fix),
                    );
                }
                i += run;
            }
        }
    }
}

impl DoubledWord {
    /// Whether the pair starting at `words[i]` of a block may stand: its
    /// word is allowed ([`DoubledWord::is_allowed`]), and, for a word of
    /// the default list that doubles only across a clause
    /// ([`CLAUSE_DOUBLINGS`]), the pair is not where no clause can end
    /// before it: at a sentence's start or a quotation's (“It it was not
    /// true.”), or, for “is is”, in a sentence with no “what” or “thing”
    /// before it to be its subject (“The door is is open”, where “What it is
    /// is a game” and “The thing is is” are speech). `sentences` are the
    /// block's, whose first word is the chapter's word `first_word`.
    fn is_allowed_at(
        &self,
        chapter: &Chapter,
        sentences: &[Sentence],
        first_word: usize,
        words: &[Span],
        i: usize,
    ) -> bool {
        let word = chapter.slice(words[i]);
        if !self.is_allowed(&chapter.language, word) {
            return false;
        }
        let lower = word.to_ascii_lowercase();
        if !self.default_allow
            || self.also_allow.contains(&lower)
            || !chapter.language.is_english()
            || !CLAUSE_DOUBLINGS.contains(&lower.as_str())
        {
            return true;
        }
        let at = first_word + i;
        let sentence = &sentences[sentences.partition_point(|s| s.words.end as usize <= at)];
        let start = sentence.words.start as usize;
        let before = chapter.prose[..words[i].start as usize].trim_end_matches([' ', '\t', '\n']);
        let opens_speech = before.ends_with(['“', '"', '‘', '(', '—']);
        if at == start || opens_speech {
            return false;
        }
        // “She'd had had enough”: the contraction is the first “had”.
        if lower == "had" && (before.ends_with("'d") || before.ends_with("’d")) {
            return false;
        }
        !matches!(lower.as_str(), "is" | "was")
            || chapter.words[start..at].iter().any(|&w| {
                let w = chapter.slice(w).to_ascii_lowercase();
                w.starts_with("what") || IS_IS_SUBJECTS.contains(&w.as_str())
            })
    }

    fn is_allowed(&self, language: &Language, word: &str) -> bool {
        let lower = word.to_lowercase();
        let allowed = self.allow.contains(&lower)
            && !(self.default_allow && language_forbids(language, &lower));
        allowed
            || self.also_allow.contains(&lower)
            || language_allows(language, &lower)
            || lower
                .chars()
                .all(|c| c.is_numeric() || c == '.' || c == ',')
    }
}

/// A capital and at least one lowercase letter (“Walla”, not “I” or
/// “THE”): the second word of a pair is never the first of a sentence, so
/// a capital there makes the pair a name (“Walla Walla”, “Duran Duran”).
/// Words in capitals are a heading's or a shout's, where a slip is one.
fn is_title_case(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase) && word.chars().any(char::is_lowercase)
}

/// What to delete to undo a doubling. On one line: the second word and the
/// space before it, so the first keeps its capital. Across a line break,
/// the line wrapping stays as it was: the second word and the spaces after
/// it go, or, when punctuation follows it, the first word and the spaces
/// before it.
fn deletion(chapter: &Chapter, first: Span, second: Span) -> Span {
    let text = &chapter.text;
    let between = &text[first.end as usize..second.start as usize];
    if !between.contains(['\n', '\r']) {
        return Span {
            start: first.end,
            end: second.end,
        };
    }
    let after = text[second.end as usize..]
        .chars()
        .take_while(|&c| c == ' ' || c == '\t')
        .count();
    if after > 0 {
        return Span::new(second.start as usize, second.end as usize + after);
    }
    let before = text[..first.start as usize]
        .chars()
        .rev()
        .take_while(|&c| c == ' ' || c == '\t')
        .count();
    if before > 0 {
        return Span::new(first.start as usize - before, first.end as usize);
    }
    Span {
        start: first.end,
        end: second.end,
    }
}

/// How many times the first word repeats in a row (1 when it does not).
/// `width` holds the chapter's [`verse::wrap_width`] once a pair across a
/// line break has asked for it.
fn repeat_run_length(chapter: &Chapter, words: &[Span], width: &OnceCell<usize>) -> usize {
    let mut run = 1;
    while run < words.len() && is_repeat(chapter, words[run - 1], words[run], width) {
        run += 1;
    }
    run
}

/// `a` and `b` (of one length) are the same word, case aside. For ASCII
/// words the ASCII comparison decides: lowercasing both, as the Unicode
/// comparison does, made two strings for every pair of neighbouring words
/// of one length (“the and”), a fifth of all pairs.
fn same_ignoring_case(a: &str, b: &str) -> bool {
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    !(a.is_ascii() && b.is_ascii()) && a.to_lowercase() == b.to_lowercase()
}

/// The same word again, separated only by whitespace (and not by the end
/// of a line of verse).
fn is_repeat(chapter: &Chapter, first: Span, second: Span, width: &OnceCell<usize>) -> bool {
    {
        // Four pairs of neighbours in five differ in length: told by their
        // spans, before the text is sliced (and its boundaries checked).
        if first.len() != second.len() {
            return false;
        }
        let (a, b) = (chapter.slice(first), chapter.slice(second));
        if !same_ignoring_case(a, b) {
            return false;
        }
        // Only whitespace (including one line break) may separate the pair.
        let between = &chapter.prose[first.end as usize..second.start as usize];
        if !between.chars().all(char::is_whitespace) || between.matches('\n').count() > 1 {
            return false;
        }
        // The prose mask hides markup, so check the original text too:
        // “the *the*” is still a doubling, “the `the`” is not prose at all.
        let original_between = &chapter.text[first.end as usize..second.start as usize];
        if original_between.chars().any(|c| c.is_alphanumeric()) {
            return false;
        }
        // A line of verse may end on the word the next one repeats, as a
        // refrain does (“by the water⏎water cold”); not on an article or a
        // preposition, which no refrain takes up. Such a
        // pair is a slip, however short the line that ends on it: an edited
        // line of hard-wrapped prose often is.
        is_never_taken_up(a)
            || !verse::breaks_a_verse_line(chapter, first.end as usize, second, width)
    }
}

/// English words a line of verse does not end on for the next line to
/// repeat: articles and prepositions (see [`is_repeat`]). Not the
/// conjunctions, which verse does repeat (“over and over and⏎and over
/// again”).
fn is_never_taken_up(word: &str) -> bool {
    const WORDS: [&str; 13] = [
        "a", "an", "at", "by", "for", "from", "in", "of", "on", "the", "to", "with", "into",
    ];
    word.len() <= 4 && WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// A word the chapter's language's frequency list does not hold: invented
/// (a made-up language, a creature's cry) or foreign. In a language with
/// no list (Italian, Dutch …) every word would be, so none is.
fn is_unknown_word(chapter: &Chapter, word: &str) -> bool {
    chapter.language.has_word_data()
        && word.chars().any(char::is_alphabetic)
        && crate::wordfreq::zipf_of_in(&chapter.language, word) == 0.0
}

#[cfg(test)]
mod tests {
    use crate::testing::{assert_quiet, check_rule, run_rule_with};

    #[test]
    fn words_are_the_same_as_their_unicode_lowercase_says() {
        for (a, b) in [
            ("the", "The"),
            ("THE", "the"),
            ("the", "and"),
            ("Été", "été"),
            ("ÉTÉ", "été"),
            ("été", "ete"),
            ("straße", "STRAßE"),
            ("ab", "é"),
        ] {
            let expected = a.to_lowercase() == b.to_lowercase();
            assert_eq!(super::same_ignoring_case(a, b), expected, "{a} {b}");
        }
    }

    /// A stanza typed as short lines is verse: a word repeated across its
    /// line ends is a refrain. The same doubling at a wrapped line's end
    /// (a line as long as the chapter's others) is still a slip.
    #[test]
    fn short_lines_are_verse_and_wrapped_lines_are_not() {
        let prose = "The singer stood on the cart and sang the old song, and the\n\
                     whole square sang with her, louder with every verse, until the\n\
                     children at the back climbed onto the wall to see her sing it.\n";
        let stanza = "I waited by the water\nwater cold as stone\nI waited by the water\n\
                      and I waited there alone\n";
        let wrapped = "She walked down to the quay and out along the wall to the\n\
                       the lamp at the end, where the boats came in after the dark.\n";
        let text = format!("{prose}\n{stanza}\n{wrapped}");
        assert_eq!(
            check_rule("doubled-word", "c.txt", &text),
            vec![(10, 55, "“the” is written twice in a row".to_string())]
        );
        // An unwrapped Markdown chapter: every paragraph one line, so the
        // stanza's lines are all short.
        let one_line = prose.replace('\n', " ");
        let text = format!("{one_line}\n\n{stanza}");
        assert_quiet("doubled-word", "c.md", &[&text]);
    }

    /// Reduplicated size words are emphasis (“a wee wee dog”, “big big
    /// house”); a doubled word no dictionary knows (a made-up language's
    /// greeting) keeps its finding but its fix waits for `--unsafe-fixes`.
    #[test]
    fn size_words_and_made_up_words() {
        assert_quiet(
            "doubled-word",
            "c.md",
            &["She had a wee wee dog and a big big house, and a tiny tiny cup.\n"],
        );
        let text = "*Ashan ashan,* the warden said, and the the gate opened.\n";
        assert_eq!(
            crate::testing::fixed_texts("doubled-word", &[("c.md", text)], false)[0],
            "*Ashan ashan,* the warden said, and the gate opened.\n"
        );
        assert_eq!(
            crate::testing::fixed_texts("doubled-word", &[("c.md", text)], true)[0],
            "*Ashan,* the warden said, and the gate opened.\n"
        );
    }

    #[test]
    fn fix_deletes_the_second_word() {
        let text = "The the door opened onto the\nthe yard. She *the* the end.\nHer answer to it all was a\na. Then\n";
        let fixed = crate::testing::fixed_texts("doubled-word", &[("c.md", text)], false);
        // The pair split by a line break loses the second word; the pair
        // with markup between is left for a person.
        assert_eq!(
            fixed[0],
            "The door opened onto the\nyard. She *the* the end.\nHer answer to it all was\na. Then\n"
        );
    }

    #[test]
    fn flags_doubled_words() {
        let found = check_rule("doubled-word", "chapter.txt", "She opened the the door.\n");
        assert_eq!(
            found,
            vec![(1, 12, "“the” is written twice in a row".to_string())]
        );
    }

    #[test]
    fn also_allow_adds_to_the_default_list() {
        let text = "The cow said moo moo. He had had enough. She saw the the cat.\n";
        let found = |options: &str| -> Vec<String> {
            crate::testing::run_rule_with("doubled-word", options, &[("c.txt", text)])
                .1
                .into_iter()
                .map(|d| d.message)
                .collect()
        };
        assert_eq!(
            found(""),
            [
                "“moo” is written twice in a row",
                "“the” is written twice in a row"
            ]
        );
        assert_eq!(
            found("also-allow = [\"moo\"]"),
            ["“the” is written twice in a row"]
        );
        // `allow` replaces the list: “had had” is reported then.
        assert_eq!(
            found("allow = [\"moo\"]"),
            [
                "“had” is written twice in a row",
                "“the” is written twice in a row"
            ]
        );
    }

    #[test]
    fn flags_to_to() {
        let found = check_rule("doubled-word", "c.txt", "Zoë went to to bed.\n");
        assert_eq!(
            found,
            vec![(1, 10, "“to” is written twice in a row".to_string())]
        );
    }

    #[test]
    fn flags_pairs_in_capitals_and_at_a_sentence_start() {
        let found = check_rule(
            "doubled-word",
            "chapter.txt",
            "THE THE END.\n\nThe the door opened. I I said no.\n",
        );
        assert_eq!(
            found,
            vec![
                (1, 1, "“THE” is written twice in a row".to_string()),
                (3, 1, "“the” is written twice in a row".to_string()),
                (3, 22, "“I” is written twice in a row".to_string()),
            ]
        );
    }

    /// Words that double across a clause (“told you you could”) cannot at
    /// a sentence's or a quotation's start, and “is is” stands only after a
    /// subject clause (“What it is is”, “The thing is is”).
    #[test]
    fn clause_doublings_are_slips_where_no_clause_ends_before_them() {
        let found = check_rule(
            "doubled-word",
            "c.txt",
            "It it was not true. She said, “You you were always the clever one.” The door is is open.\n\nHad had he known. (In in the end, yes.) She'd had had enough.\n",
        );
        assert_eq!(
            found,
            vec![
                (1, 1, "“it” is written twice in a row".to_string()),
                (1, 32, "“you” is written twice in a row".to_string()),
                (1, 78, "“is” is written twice in a row".to_string()),
                (3, 1, "“had” is written twice in a row".to_string()),
                (3, 20, "“in” is written twice in a row".to_string()),
                (3, 47, "“had” is written twice in a row".to_string()),
            ]
        );
        assert_quiet(
            "doubled-word",
            "c.txt",
            &[
                "What it is is a liability.\n",
                "All it is is a game, and the thing is is that nobody knows.\n",
                "Whatever is is right. What it was was a letter.\n",
                "“Hear hear!” Aye aye, captain. Woof woof. She was really really sorry. Fifty fifty.\n",
                "She gave her her coat. I told you you could. He had had enough.\n",
                "“That that is, is,” said the hermit. Do do sit down.\n",
            ],
        );
        // Allowed by the writer, it is allowed everywhere.
        // “was was” as “is is”.
        assert_eq!(
            check_rule("doubled-word", "c.txt", "The door was was open.\n"),
            vec![(1, 10, "“was” is written twice in a row".to_string())]
        );
        let also = run_rule_with(
            "doubled-word",
            "also-allow = [\"it\"]",
            &[("c.txt", "It it was.\n")],
        );
        assert!(also.1.is_empty(), "{:?}", also.1);
    }

    /// Inside quoted speech a doubling may be the speaker's: it is still
    /// reported, but its fix needs `--unsafe-fixes`.
    #[test]
    fn fixes_in_speech_are_unsafe() {
        use crate::diagnostic::Applicability;
        let (_, found) = run_rule_with(
            "doubled-word",
            "",
            &[(
                "c.txt",
                "She opened the the door. “I came to to see you,” he said.\n",
            )],
        );
        let fixes: Vec<Applicability> = found
            .iter()
            .map(|d| d.fix.as_ref().unwrap().applicability)
            .collect();
        assert_eq!(fixes, [Applicability::Safe, Applicability::Unsafe]);
    }

    /// A word repeated across a line of verse is a refrain: after a hard
    /// break, in a block quote, or with each line in its own emphasis.
    #[test]
    fn verse_lines_may_repeat_a_word_across_their_break() {
        assert_quiet(
            "doubled-word",
            "poem.md",
            &[
                "> all night the rain, the rain\n> rain on the roof of the mill\n",
                "*down to the water, water*\n*water that runs through town*\n",
                "all night the rain, the rain  \nrain on the roof\n",
                "all night the rain, the rain\\\nrain on the roof\n",
            ],
        );
        // Prose wrapped across a line is still checked.
        assert_eq!(
            check_rule("doubled-word", "c.md", "She opened the\nthe door.\n").len(),
            1
        );
    }

    /// An article, preposition or conjunction doubled across a short line
    /// is a slip, not a refrain: the line was shortened by an edit in a
    /// hard-wrapped chapter (a newcomer's try: missed as verse). A content
    /// word repeated there is still read as a refrain.
    #[test]
    fn no_refrain_takes_up_an_article() {
        let wrapped = "Charlie kept his voice low and level and waited a while before answering.\n\
                       \"My name does not matter. You should know that the money in Riga is not\n\
                       the money that matters. You should look at the\n\
                       the New York end, and you should look at it soon.\"\n\
                       He put the phone down on the desk and sat looking at it for a long time.\n";
        assert_eq!(
            check_rule("doubled-word", "c.md", wrapped),
            vec![(3, 44, "“the” is written twice in a row".to_string())]
        );
        // Beside wrapped prose, a stanza's short lines: the refrain is
        // verse, the article is not.
        let prose = "The singer stood on the cart and sang the old song, and the\n\
                     whole square sang with her, louder with every verse, until the\n\
                     children at the back climbed onto the wall to see her sing it.\n";
        let stanza = "I waited by the water\nwater cold as stone\nI waited by the\n\
                      the water and I waited there alone\n";
        assert_eq!(
            check_rule("doubled-word", "c.txt", &format!("{prose}\n{stanza}")),
            vec![(7, 13, "“the” is written twice in a row".to_string())]
        );
        // A conjunction is what verse does repeat (a reviewer's read).
        let stutter = "over and over and\nand over again\nthe river ran\n";
        assert_quiet("doubled-word", "c.txt", &[&format!("{prose}\n{stutter}")]);
        let quoted = "> I saw the lamps of the\n> the harbour\n";
        assert_eq!(check_rule("doubled-word", "c.md", quoted).len(), 1);
    }

    #[test]
    fn flags_across_a_line_break_and_case() {
        let found = check_rule(
            "doubled-word",
            "chapter.txt",
            "She opened The\nthe door.\n\nNext.\n",
        );
        assert_eq!(
            found,
            vec![(1, 12, "“the” is written twice in a row".to_string())]
        );
    }

    #[test]
    fn flags_a_pair_joined_by_a_narrow_no_break_space() {
        // UAX #29 would make `the\u{202F}the` one word (see text/words.rs).
        let found = check_rule("doubled-word", "c.txt", "She opened the\u{202F}the door.\n");
        assert_eq!(
            found,
            vec![(1, 12, "“the” is written twice in a row".to_string())]
        );
    }

    #[test]
    fn quiet_on_deliberate_and_separated_repeats() {
        assert_quiet(
            "doubled-word",
            "chapter.txt",
            &[
                "He had had enough.\n",
                "“No, no,” she said.\n",
                "She opened the\n\nthe door.\n",
                "It was the end. The end came.\n",
                "Knock knock, who is there?\n",
                "It cost 10 10 times over.\n",
                "I told you you could go.\n",
                "“Many many many keys,” he said.\n",
                "The train to Walla Walla was late. Bora Bora. Duran Duran played.\n",
                "“Chop chop!” Tom tom drums beat. “Night night,” she said.\n",
                "“Break break,” Bao said. “Copy copy, Kestrel Two.”\n",
                "> haha haha no way. lol lol ok night xx xx\n",
            ],
        );
    }

    #[test]
    fn snapshot_of_rendered_finding() {
        let text = "Teo carried the box in.\n\nShe set it on the the counter and waited.\n";
        insta::assert_snapshot!(crate::testing::render_human(
            "doubled-word",
            &[("chapter-01.txt", text)]
        ));
    }

    #[test]
    fn markdown_code_is_not_prose() {
        let text = "The `the` word.\n\n```\nthe the\n```\n";
        assert_eq!(check_rule("doubled-word", "chapter.md", text), vec![]);
        let emphasised = "She opened the *the* door.\n";
        assert_eq!(
            check_rule("doubled-word", "chapter.md", emphasised).len(),
            1
        );
    }
}
