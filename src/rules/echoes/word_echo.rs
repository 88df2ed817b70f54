use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::repeated_phrase::PhraseTokens;
use super::{Analysis, ChapterTokens, Common, JOINED, Term, TermKind, Token};
use crate::declare_rule;
use crate::diagnostic::{Finding, Label};
use crate::rule::{
    IndependentAnalysis, Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup,
    non_negative_threshold,
};
use crate::text::Manuscript;
use crate::word_set::WordSet;
use crate::wordfreq;

declare_rule! {
    /// ## What it does
    /// Finds an uncommon word used again within a few lines: “the projector
    /// began to hum, and the humming settled into the floor”. Forms of one
    /// word match (“hum”, “hums”, “humming”, “hummed”). Only uncommon content
    /// words count; function words, common words, and character and place
    /// names (capitalised words that are rarely lowercase in the text) never
    /// do, and neither do the words characters are called by (“sister”,
    /// “Mam”, “the colonel”). A scene break or heading ends the window.
    ///
    /// Left alone on purpose:
    /// - a form of one of the commonest words beside a rarer form of it
    ///   (“know” and the dialect “knowed”, “light” and “lighted”);
    /// - figures of speech: the same word with only function words or names
    ///   between (“fainter and fainter”, “from tuft to tuft”, “she blushed,
    ///   and Jane blushed”);
    /// - parts of one compound (“tete-a-tete”);
    /// - the same noun named again (“the tripod … the tripod”, “sat down to
    ///   whist … did not play at whist”): that is reference, and swapping in
    ///   a synonym would be the elegant variation style guides warn against.
    ///   A noun taken up by another form still echoes (“the hum … humming”);
    ///   A word used as a modifier both times is not reference (“a
    ///   lacquered tray … her lacquered box” echoes): one ending like an
    ///   adjective (“-ed”, “-ous”, “-less”, “-al”, “-ful”: “a sepulchral
    ///   note … that sepulchral sound”, but not “the cathedral steps”), an
    ///   “-ing” form, or in English a word with no plural (“a lambent slit
    ///   … the lambent edge”, but not “the kitchen table … the kitchen
    ///   door”), before another word;
    /// - two uses with the same word beside them (“every tradesman … every
    ///   tradesman’s family”), a parallel built on purpose; an article
    ///   before both (“a lacquered … a lacquered”) is no parallel;
    /// - an echo within an invented language (a chant, a spell: “Vael'tharin
    ///   osse, vael'tharin dun.”): in an English chapter, a sentence (or an
    ///   italic run or quotation inside one) of three words or more, none an
    ///   everyday word, at least half of them unknown to the word list. The
    ///   echo rules leave out a finding most of whose places (both of an
    ///   echo) are in such text.
    ///
    /// Words of a phrase that `repeated-phrase` reports are left to that
    /// rule. When a word comes back several times in a row, only the first
    /// echo is reported.
    ///
    /// In French, Spanish and German drafts (see `[manuscript] language`)
    /// the language's own word frequencies and function words are used; in
    /// other languages the rule does not run, and says so once per run.
    ///
    /// ## Why
    /// A distinctive word rings in the reader's ear; heard twice in a breath
    /// it sounds like an accident, and pulls attention from the sense.
    ///
    /// ## Example
    /// ```text
    /// The projector began to hum, and the humming settled into the floor.
    ///                         ───                ───────  ← flagged
    /// ```
    ///
    /// ## Options
    /// - `window` (default 50): how many words apart still counts as an echo.
    /// - `uncommon-below` (default 3.3): only words whose Zipf frequency is
    ///   below this count (3 = once per million words; “hum” is 3.6,
    ///   “humming” 3.2).
    /// - `dialogue` (default false): whether words inside quoted speech count.
    /// - `allow` (list): words used on purpose; they never echo.
    /// - `names` (list): extra character and place names to leave out.
    pub static META = {
        id: "word-echo",
        category: Repetition,
        severity: Info,
        scope: Manuscript,
        summary: "The same uncommon word again within a few lines",
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

#[derive(Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    window: u32,
    uncommon_below: f32,
    dialogue: bool,
    allow: Vec<String>,
    names: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            window: 50,
            uncommon_below: 3.3,
            dialogue: false,
            allow: Vec::new(),
            names: Vec::new(),
        }
    }
}

struct WordEcho {
    options: Options,
    common: Common,
}

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    let options: Options = setup.options()?;
    non_negative_threshold("uncommon-below", f64::from(options.uncommon_below))?;
    let common = Common::new(&options.allow, &options.names, setup.config);
    Ok(Box::new(WordEcho { options, common }))
}

/// Words at least this frequent (Zipf scale: 5 ≈ 100 per million words,
/// about the 700 commonest English words) never echo, even beside a rare
/// form of their own (“know” beside the dialect “knowed”).
const EVERYDAY_ZIPF: f32 = 5.0;

/// The last use of a stem: token index, scene, and whether that use was
/// itself reported as an echo (then the chain is already flagged).
#[derive(Clone, Copy)]
struct LastUse {
    index: usize,
    scene: u32,
    reported: bool,
}

impl Rule for WordEcho {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn analysis_family(&self) -> Option<&'static str> {
        Some(crate::rule::family::DUPLICATES)
    }

    fn independent_analyses(&self) -> Vec<IndependentAnalysis<'_>> {
        super::independent_analyses(&self.common)
    }

    fn prepare(&self, manuscript: &Manuscript) {
        if !manuscript.language().has_word_data() {
            return;
        }
        super::repeated_phrase::PhraseTokens::shared(manuscript, &self.common);
    }

    fn release_analyses(&self, manuscript: &Manuscript) {
        super::release_analyses(manuscript, &self.common);
    }

    fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
        if !super::language_served(manuscript, ctx) {
            return;
        }
        let analysis = Analysis::shared(manuscript, &self.common);
        let in_phrases = super::repeated_phrase::PhraseTokens::shared(manuscript, &self.common);
        // Echoes never cross chapters, so chapters are checked in parallel;
        // the findings are reported in chapter order.
        let findings: Vec<Vec<Finding>> = (0..analysis.chapters.len())
            .into_par_iter()
            .map(|slot| self.chapter_echoes(manuscript, &analysis, &in_phrases, slot))
            .collect();
        for finding in findings.into_iter().flatten() {
            if !super::invented::is_mostly_invented(manuscript, &finding) {
                ctx.report(finding);
            }
        }
    }
}

impl WordEcho {
    /// The echoes in chapter slot `slot` of the analysis.
    fn chapter_echoes(
        &self,
        manuscript: &Manuscript,
        analysis: &Analysis,
        in_phrases: &PhraseTokens,
        slot: usize,
    ) -> Vec<Finding> {
        let mut findings = Vec::new();
        let mut last: FxHashMap<u32, LastUse> = FxHashMap::default();
        let chapter = &analysis.chapters[slot];
        let tokens = &chapter.tokens;
        let mut covered = in_phrases.in_chapter(slot);
        let english = manuscript.language().is_english();
        for (index, token) in tokens.iter().enumerate() {
            if !analysis.is_countable(token, self.options.dialogue) || covered.contains(index) {
                continue;
            }
            let term = analysis.term(token);
            let uncommon = |term: &Term| term.zipf < self.options.uncommon_below;
            // A form of one of the commonest words is never noticed as an
            // echo, however rare its other form (“know” and the dialect
            // “knowed”, “saw” and “seed”).
            let everyday = |term: &Term| term.zipf >= EVERYDAY_ZIPF;
            let previous = last.get(&term.stem_key).copied();
            let mut reported = false;
            // Only an uncommon word echoes: that is asked before the
            // readings that excuse an echo, which read the words between
            // and are wasted on the many common words used twice.
            if let Some(previous) = previous
                && previous.scene == chapter.scene(token)
                && tokens[previous.index].distance(token) <= self.options.window
                && tokens[previous.index].distance(token) > 1
                && !previous.reported
                && (uncommon(term) || uncommon(analysis.term(&tokens[previous.index])))
                && !everyday(term)
                && !everyday(analysis.term(&tokens[previous.index]))
                && !one_compound(&tokens[previous.index + 1..=index])
                && !deliberate_figure(analysis, tokens, previous.index, index)
                && !parallel(analysis, chapter, previous.index, index)
                && !same_noun_again(analysis, tokens, previous.index, index, english)
                // `TK` again where the book also has a lowercase `tk` (a
                // tongue-click): each marker is draft-marker's finding.
                && !draft_markers(manuscript, chapter, &tokens[previous.index], token)
            {
                let earlier = &tokens[previous.index];
                let ch = manuscript.chapter(chapter.chapter);
                let (span, earlier_span) = (
                    chapter.span(manuscript, token),
                    chapter.span(manuscript, earlier),
                );
                let word = ch.slice(span);
                let first = ch.slice(earlier_span);
                let distance = tokens[previous.index].distance(token);
                let message = if word.to_lowercase() == first.to_lowercase() {
                    format!("“{word}” again, {distance} words after the last one")
                } else {
                    format!("“{word}” echoes “{first}” {distance} words earlier")
                };
                findings.push(
                    Finding::new(chapter.chapter, span, message)
                        .label("echo")
                        .related(
                            Label::new(chapter.chapter, earlier_span).with_message("first use"),
                        )
                        .help(
                            "use another word or recast one sentence; add the word \
                             to `allow` if the echo is deliberate",
                        ),
                );
                reported = true;
            }
            // A chain keeps its flag while it stays within the window.
            let chained = previous.is_some_and(|p| {
                p.reported
                    && p.scene == chapter.scene(token)
                    && tokens[p.index].distance(token) <= self.options.window
            });
            last.insert(
                term.stem_key,
                LastUse {
                    index,
                    scene: chapter.scene(token),
                    reported: reported || chained,
                },
            );
        }
        findings
    }
}

/// Whether either use is a draft marker in capitals (`TK`, `TODO`): never
/// an echo.
fn draft_markers(
    manuscript: &Manuscript,
    chapter: &ChapterTokens,
    first: &Token,
    second: &Token,
) -> bool {
    let ch = manuscript.chapter(chapter.chapter);
    [first, second]
        .into_iter()
        .any(|token| is_draft_marker(ch.slice(chapter.span(manuscript, token))))
}

/// A draft marker in capitals (`TK`, `TODO`).
fn is_draft_marker(word: &str) -> bool {
    word.len() <= 5
        && word.bytes().all(|b| b.is_ascii_uppercase())
        && super::DRAFT_MARKERS.contains(&word.to_ascii_lowercase().as_str())
}

/// Whether every word was joined to the one before by a hyphen: the two uses
/// are parts of one compound (“tete-a-tete”).
fn one_compound(tokens: &[Token]) -> bool {
    tokens.iter().all(|t| t.flags & JOINED != 0)
}

/// The same form twice with only function words or names between: a figure
/// of speech (“fainter and fainter”, “from tuft to tuft”, “She blushed, and
/// Jane blushed”), not an accident.
fn deliberate_figure(analysis: &Analysis, tokens: &[Token], first: usize, second: usize) -> bool {
    tokens[first].term == tokens[second].term
        && tokens[first + 1..second]
            .iter()
            .all(|t| analysis.term(t).kind != TermKind::Content)
}

/// The same noun named again (“the tripod … the tripod”, “sitting down to
/// whist … did not play at whist”): reference to one thing. Swapping in a
/// synonym to avoid it would be the elegant variation style guides warn
/// against, so it is not an echo. Either use may show the noun: right after
/// a determiner or a preposition, ending its phrase.
/// A word used as a modifier both times is no noun named again, whatever
/// comes before it (“a lacquered tray … her lacquered box”): see
/// [`modifies`]. Once as a noun, it is (“the farthing candle … her last
/// farthing”, “the bunting … the bunting flags”). `english`: the
/// manuscript's language is English (see [`modifies`]).
fn same_noun_again(
    analysis: &Analysis,
    tokens: &[Token],
    first: usize,
    second: usize,
    english: bool,
) -> bool {
    analysis.term(&tokens[first]).phrase_key == analysis.term(&tokens[second]).phrase_key
        && !(modifies(analysis, tokens, first, english)
            && modifies(analysis, tokens, second, english))
        && (analysis.after_determiner(tokens, second)
            || analysis.plainly_a_noun(tokens, first)
            || analysis.plainly_a_noun(tokens, second))
}

/// Whether the word at `index` reads as a modifier rather than a noun: an
/// adjective by its ending (“lacquered”, “luminous”, “weightless”; not the
/// nouns “-eed”, “-bed”, “-shed”, “-sled”, “hatred”, “hundred”) or an
/// `-ing` form, with a content word right after it (“a gleaming box”,
/// where “the gleaming”, “the couscous into” and the compound “the
/// awning-posts” name things). In English, so is a word with no plural in
/// the word list before a content word (“a lambent slit … the lambent
/// edge”, “gossamer”, “sullen”, “brittle”): a noun before another
/// (“the kitchen table … the kitchen door”) has one (“kitchens”), and is
/// read as the same thing named again.
fn modifies(analysis: &Analysis, tokens: &[Token], index: usize, english: bool) -> bool {
    let text: &str = &analysis.term(&tokens[index]).text;
    let noun_ending = ["eed", "bed", "shed", "sled", "tred", "dred"]
        .iter()
        .any(|ending| text.ends_with(ending));
    let adjective_ending = text.len() >= 5
        && ((text.ends_with("ed") && !noun_ending)
            || text.ends_with("ous")
            || text.ends_with("less")
            || (text.len() >= 6
                && (text.ends_with("al") || text.ends_with("ful"))
                && !AL_FUL_NOUNS.contains(text)));
    let before_a_word = || {
        tokens.get(index + 1).is_some_and(|next| {
            next.flags & (super::AFTER_BREAK | JOINED) == 0
                && analysis.term(next).kind == TermKind::Content
        })
    };
    let no_plural = || english && !is_or_has_plural(text);
    before_a_word() && (adjective_ending || text.ends_with("ing") || no_plural())
}

/// Whether the English `word` (lowercase) is a plural or a noun with one
/// in the word list: `-s` and `-es`, and the irregular endings (“lady” and
/// “ladies”, “leaf” and “leaves”, “children”), or ends as only nouns do
/// (“artilleryman”, “plateau”, “-tion”, “-ness”), whose plurals the list
/// may not hold.
fn is_or_has_plural(word: &str) -> bool {
    const PLURALS: [&str; 9] = [
        "children", "people", "feet", "teeth", "geese", "mice", "lice", "oxen", "dice",
    ];
    const NOUN_ENDINGS: [&str; 17] = [
        "s", "men", "ae", "eaux", "i", "a", "man", "eau", "tion", "sion", "ment", "ness", "ity",
        "ship", "hood", "ism", "ist",
    ];
    if PLURALS.contains(&word) || NOUN_ENDINGS.iter().any(|e| word.ends_with(e)) {
        return true;
    }
    let known = |plural: String| wordfreq::zipf(&plural) > 0.0;
    // Singular endings and what their plurals put in their place (“-man”,
    // “-eau” and “-us” words are nouns by their endings above).
    const IRREGULAR: [(&str, &str); 5] = [
        ("y", "ies"),
        ("f", "ves"),
        ("fe", "ves"),
        ("um", "a"),
        ("on", "a"),
    ];
    known(format!("{word}s"))
        || known(format!("{word}es"))
        || IRREGULAR.iter().any(|(singular, plural)| {
            word.strip_suffix(singular)
                .is_some_and(|stem| known(format!("{stem}{plural}")))
        })
}

/// Nouns ending like the adjectives “sepulchral” and “baleful”, which name
/// a thing before another noun (“the cathedral steps”, “a handful of”).
static AL_FUL_NOUNS: WordSet = WordSet::new(&[
    "admiral",
    "animal",
    "approval",
    "arrival",
    "arsenal",
    "cannibal",
    "capital",
    "cardinal",
    "carnival",
    "cathedral",
    "cereal",
    "corral",
    "criminal",
    "crystal",
    "festival",
    "funeral",
    "general",
    "hospital",
    "individual",
    "interval",
    "journal",
    "manual",
    "material",
    "memorial",
    "mineral",
    "official",
    "pedestal",
    "principal",
    "rascal",
    "ritual",
    "sandal",
    "scandal",
    "signal",
    "terminal",
    "tribunal",
    "vandal",
    "denial",
    "refusal",
    "proposal",
    "survival",
    "removal",
    "renewal",
    "betrayal",
    "disposal",
    "recital",
    "rehearsal",
    "trial",
    "dismissal",
    "perusal",
    "reversal",
    "withdrawal",
    "portrayal",
    "burial",
    "petal",
    "medal",
    "pedal",
    "metal",
    "total",
    "portal",
    "opal",
    "canal",
    "handful",
    "mouthful",
    "spoonful",
    "armful",
    "cupful",
    "bucketful",
    "pocketful",
    "houseful",
    "roomful",
    "basketful",
    "eyeful",
    "earful",
    "lapful",
    "boatful",
    "cartful",
    "glassful",
    "plateful",
    "shovelful",
]);

/// The two uses share a neighbour (“to every tradesman … into every
/// tradesman’s family”, “shone upon … it shone upon”): a parallel
/// construction, written on purpose. Not an article before both (“a
/// lacquered tray … a lacquered box”): that is no construction, and the
/// commonest echo's shape.
fn parallel(analysis: &Analysis, chapter: &ChapterTokens, first: usize, second: usize) -> bool {
    let tokens = &chapter.tokens;
    let neighbour = |i: usize, step: isize| {
        let j = i.checked_add_signed(step)?;
        let t = tokens.get(j)?;
        (chapter.sentence(t) == chapter.sentence(&tokens[i])).then_some(t.term)
    };
    let article = |term: u32| matches!(&*analysis.terms[term as usize].text, "a" | "an" | "the");
    let same = |step: isize| {
        neighbour(first, step)
            .is_some_and(|a| Some(a) == neighbour(second, step) && !(step < 0 && article(a)))
    };
    same(-1) || same(1)
}

#[cfg(test)]
mod tests {
    use crate::rules::echoes::fixture_tests::found;

    #[test]
    fn scripts_written_without_spaces_are_not_weighed() {
        // Each ideograph and particle is a “word” to Unicode's word breaks.
        let text = "私の名前は田中です。これは私の本の話です。私の本は古い。\n";
        assert_eq!(
            found("word-echo", "", &[("a.txt", text)]),
            Vec::<String>::new()
        );
    }

    /// An email address's words are not prose: “kroll” in the sender's
    /// address made the firm's name a word written in lowercase, so no
    /// name, and the name's fourth use an echo (a newcomer's try).
    #[test]
    fn an_address_does_not_make_a_name_a_word() {
        let one = "> From: Ray MacKenzie <rmackenzie@kroll-ny.com>\n> Sent: 15 September 2004\n\n\
                   Ray had worked for the Bureau for years and for Kroll for three. The coffee at Kroll was better.\n\n\
                   He kept a phone that did not belong to Kroll and used it for calls he did not want Kroll to hear.\n";
        assert_eq!(
            found("word-echo", "", &[("1.md", one)]),
            Vec::<String>::new()
        );
        // With words of prose in lowercase (“the kroll”, “a kroll”) the
        // capital is no name's alone, and the echo stands. (One lowercase
        // use among four mid-sentence capitals is a name typed in
        // lowercase once, as a text message does.)
        let lowered = one
            .replace("the Bureau", "the kroll")
            .replace("kept a phone", "kept a kroll");
        assert_eq!(
            found("word-echo", "", &[("1.md", &lowered)]),
            [
                "1.md:6:84 “Kroll” again, 10 words after the last one",
                "  + 1.md:6:40 first use"
            ]
        );
    }

    /// What characters call their parents, as dialects say it, names them:
    /// “Mam” twice is a person named twice, though texts in another chapter
    /// write “mam” in lowercase (so the capital is no name's alone).
    #[test]
    fn dialect_words_for_parents_never_echo() {
        let one = "Mam would’ve been right, Mam was always right about everything except Da.\n";
        let two = "**Kirsty:** mam sorry been mental at work\n**Kirsty:** mam u there\n";
        assert_eq!(
            found("word-echo", "", &[("1.txt", one), ("2.md", two)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn forms_of_everyday_words_never_echo() {
        for text in [
            "“I know it,” he said. I knowed it all along, and said so.\n",
            "She lighted the lamp, and the light fell on the table.\n",
        ] {
            assert_eq!(
                found("word-echo", "", &[("a.txt", text)]),
                Vec::<String>::new(),
                "{text}"
            );
        }
    }

    #[test]
    fn flags_forms_of_one_uncommon_word() {
        // Either use may be the uncommon form: “hum” is common, “humming”
        // is not.
        for (text, expected) in [
            (
                "The lamp began to hum, and the humming filled the room.\n",
                [
                    "a.txt:1:32 “humming” echoes “hum” 3 words earlier",
                    "  + a.txt:1:19 first use",
                ],
            ),
            (
                "The humming began at dawn, and by noon a hum filled the room.\n",
                [
                    "a.txt:1:42 “hum” echoes “humming” 8 words earlier",
                    "  + a.txt:1:5 first use",
                ],
            ),
        ] {
            assert_eq!(found("word-echo", "", &[("a.txt", text)]), expected);
        }
    }

    /// An adjective echoes whatever stands before it: an article before
    /// both uses is no parallel, and a modifier is no noun named again.
    #[test]
    fn an_adjective_after_an_article_or_a_possessive_echoes() {
        for (first, second) in [
            ("a lacquered", "a lacquered"),
            ("the lacquered", "the lacquered"),
            ("a lacquered", "her lacquered"),
            ("a gleaming", "a gleaming"),
            ("a sepulchral", "that sepulchral"),
            ("a baleful", "the baleful"),
            // No ending tells these, but English has no plural of them.
            ("a lambent", "the lambent"),
            ("a gossamer", "its gossamer"),
            ("a sullen", "a sullen"),
        ] {
            let text = format!(
                "She set {first} tray on the table by the window and went to fetch the kettle from the stove, where it had been waiting since the morning. When she came back, {second} box stood beside it.\n"
            );
            let found = found("word-echo", "", &[("a.txt", &text)]);
            assert_eq!(found.len(), 2, "{text}: {found:?}");
            assert!(
                found[0].contains("again, 30 words after the last one"),
                "{found:?}"
            );
        }
    }

    #[test]
    fn quiet_on_figures_compounds_references_names_and_common_words() {
        for text in [
            "Every struggle grew fainter and fainter as the night went on.\n",
            "They had a tete-a-tete in the corner of the hall.\n",
            "He went from tuft to tuft across the bog.\n",
            "The tripod stood still. Nobody moved for an hour, and then the tripod fell.\n",
            "The house was cold. Nobody lived in the house now.\n",
            "Zephyrine walked in. Zephyrine sat down. Zephyrine slept.\n",
            // The same noun again is reference.
            "He sat down to whist, and for an hour nobody would play at whist.\n",
            "A wheelwright came by. Later the wheelwright mended the cart.\n",
            "He ran to the woodshed, and from the roof of the woodshed he jumped.\n",
            "They had white awnings in front, and the horses stood by the awning-posts.\n",
            "They hung the bunting from the eaves. The bunting flags were red and white.\n",
            "The couscous pot steamed. She tipped the couscous into a bowl.\n",
            "The cathedral steps were wet. Later the cathedral bells rang out.\n",
            // A noun before another is one with a plural, or one ending as
            // nouns do: the same thing named again.
            "The granary door was shut. Later the granary roof leaked.\n",
            "The kitchen table was bare. Later the kitchen door banged.\n",
            "The artilleryman agreed. At dawn the artilleryman jumped down.\n",
            "Every tradesman came, and every tradesman's family with him.\n",
            // Kinship words name characters.
            "Her sister wrote at once, with sisterly warmth, to say so.\n",
        ] {
            assert_eq!(
                found("word-echo", "", &[("a.txt", text)]),
                Vec::<String>::new(),
                "{text}"
            );
        }
    }

    /// A name stays a name when a text message types it in lowercase once
    /// (“freya cried at deadpool”), and `[names]` names it for the echo
    /// rules too: either way its uses are no echo.
    #[test]
    fn names_typed_lowercase_or_declared_never_echo() {
        let text = "Later Freya came in. Then Freya sat down, and after a while Freya said nothing at all, and so Freya waited. The rain went on.\n\n> freya cried at deadpool\n";
        assert_eq!(
            found("word-echo", "", &[("a.md", text)]),
            Vec::<String>::new()
        );
        let text = "Zorya walked in. She sat by the window and Zorya looked out at the rain for a long time, and then zorya laughed.\n";
        assert_eq!(
            found("word-echo", "", &[("a.md", text)]),
            [
                "a.md:1:44 “Zorya” again, 9 words after the last one",
                "  + a.md:1:1 first use"
            ]
        );
        let config = crate::config::Config::parse(
            std::path::Path::new("manulint.toml"),
            "[names]\n\"Zorya\" = []\n".to_string(),
        )
        .expect("config");
        let (manuscript, diagnostics) = crate::testing::run_rule_with_config(
            "word-echo",
            &config,
            &toml::Table::new(),
            &[("a.md", text)],
        )
        .expect("runs");
        assert_eq!(
            super::super::fixture_tests::describe(&manuscript, &diagnostics),
            Vec::<String>::new()
        );
    }

    /// A draft marker in capitals is the draft-marker rule's finding, not
    /// an echo; the same letters in lowercase are a word like any other.
    #[test]
    fn draft_markers_in_capitals_never_echo() {
        let text = "TK: the lawyer's name.\n\nTK: the other lawyer.\n";
        assert_eq!(
            found("word-echo", "", &[("a.txt", text)]),
            Vec::<String>::new()
        );
        let clicks = "At TK o'clock he asked for TK, the butler.\n\nShe went tk, tk.\n";
        assert_eq!(
            found("word-echo", "", &[("a.txt", clicks)]),
            Vec::<String>::new()
        );
        let mixed = "She muttered tbd under her breath, and then tbd again.\n";
        assert_eq!(
            found("word-echo", "", &[("a.txt", mixed)])[0],
            "a.txt:1:45 “tbd” again, 6 words after the last one"
        );
    }

    #[test]
    fn window_scene_breaks_and_chains() {
        let far = format!(
            "The kettle rattled. {} The window rattled.\n",
            "Nobody came to the door that day.".repeat(8)
        );
        assert_eq!(
            found("word-echo", "", &[("a.txt", &far)]),
            Vec::<String>::new()
        );
        assert_eq!(
            found("word-echo", "window = 100", &[("a.txt", &far)]).len(),
            2
        );
        let scene = "The kettle rattled.\n\n* * *\n\nThe window rattled.\n";
        assert_eq!(
            found("word-echo", "", &[("a.md", scene)]),
            Vec::<String>::new()
        );
        // Three uses in a row are one finding.
        let chain = "The kettle rattled, the cups rattled, and the windows rattled too.\n";
        assert_eq!(found("word-echo", "", &[("a.txt", chain)]).len(), 2);
        assert_eq!(
            found("word-echo", "allow = [\"rattle\"]", &[("a.txt", chain)]),
            Vec::<String>::new()
        );
    }
}
