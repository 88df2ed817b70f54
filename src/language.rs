//! The language a manuscript is written in: set with `[manuscript]
//! language` in `manulint.toml` or a chapter's front matter (`lang: fr`),
//! else detected from the text by counting common function words.
//!
//! Rules that read English data (word frequencies, phrase lists, spelling
//! pairs) ask [`Language::has_word_data`] or compare with
//! [`Language::English`] and say once per run what they skipped (see
//! [`crate::rule::RuleContext::notice`]); the others work in any language.

use std::fmt;
use std::sync::{Arc, LazyLock};

use rustc_hash::FxHashMap;

use crate::text::Chapter;

/// A language, by its ISO 639 code. The languages manulint ships data for
/// have their own variants; any other is kept by its code.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    English,
    French,
    Spanish,
    German,
    /// Another language: its lowercase ISO 639 code (`it`, `pt`, `nl` …).
    Other(Arc<str>),
}

/// Names of languages manulint may meet, by code, for messages.
const NAMES: &[(&str, &str)] = &[
    ("en", "English"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("de", "German"),
    ("it", "Italian"),
    ("pt", "Portuguese"),
    ("nl", "Dutch"),
    ("ca", "Catalan"),
    ("sv", "Swedish"),
    ("da", "Danish"),
    ("no", "Norwegian"),
    ("nb", "Norwegian Bokmål"),
    ("fi", "Finnish"),
    ("pl", "Polish"),
    ("cs", "Czech"),
    ("ru", "Russian"),
    ("uk", "Ukrainian"),
    ("el", "Greek"),
    ("tr", "Turkish"),
    ("ja", "Japanese"),
    ("zh", "Chinese"),
    ("ko", "Korean"),
    ("ar", "Arabic"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("la", "Latin"),
];

/// Language names writers may type instead of a code.
const NATIVE_NAMES: &[(&str, &str)] = &[
    ("english", "en"),
    ("french", "fr"),
    ("français", "fr"),
    ("francais", "fr"),
    ("spanish", "es"),
    ("español", "es"),
    ("espanol", "es"),
    ("castellano", "es"),
    ("german", "de"),
    ("deutsch", "de"),
    ("italian", "it"),
    ("italiano", "it"),
    ("portuguese", "pt"),
    ("português", "pt"),
    ("dutch", "nl"),
    ("nederlands", "nl"),
];

impl Language {
    /// Reads a language tag: `en`, `en-GB`, `fr_FR`, `es-419`, `deu`, or a
    /// name (`French`, `français`). Errors say what is accepted.
    pub fn parse(tag: &str) -> Result<Language, String> {
        let lower = tag.trim().to_lowercase();
        if let Some((_, code)) = NATIVE_NAMES.iter().find(|(name, _)| *name == lower) {
            return Ok(Language::from_code(code));
        }
        let primary = lower.split(['-', '_']).next().unwrap_or("");
        let code = match primary {
            "eng" => "en",
            "fra" | "fre" => "fr",
            "spa" => "es",
            "deu" | "ger" => "de",
            other => other,
        };
        if !(2..=3).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(format!(
                "`{tag}` is not a language tag; use an ISO 639 code such as \"en\", \"fr\", \"es\" or \"de\""
            ));
        }
        Ok(Language::from_code(code))
    }

    fn from_code(code: &str) -> Language {
        match code {
            "en" => Language::English,
            "fr" => Language::French,
            "es" => Language::Spanish,
            "de" => Language::German,
            other => Language::Other(Arc::from(other)),
        }
    }

    /// The ISO 639 code: `en`, `fr` …
    pub fn code(&self) -> &str {
        match self {
            Language::English => "en",
            Language::French => "fr",
            Language::Spanish => "es",
            Language::German => "de",
            Language::Other(code) => code,
        }
    }

    /// "French"; for a language without a name here, its code in quotes.
    pub fn name(&self) -> String {
        let code = self.code();
        NAMES
            .iter()
            .find(|(c, _)| *c == code)
            .map_or_else(|| format!("language “{code}”"), |(_, n)| n.to_string())
    }

    pub fn is_english(&self) -> bool {
        *self == Language::English
    }

    /// True for the languages manulint ships word frequencies and function
    /// words for (English, French, Spanish, German): the echo rules and
    /// duplicate weighting work there.
    pub fn has_word_data(&self) -> bool {
        matches!(
            self,
            Language::English | Language::French | Language::Spanish | Language::German
        )
    }

    /// True when quoted speech is usually set with guillemets (« »,
    /// » «) or dialogue dashes rather than English quotation marks.
    pub fn uses_guillemets_or_dashes(&self) -> bool {
        !self.is_english()
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Very common function words of each language the detector tells apart:
/// short, frequent, and few shared between the languages.
const MARKERS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "of", "to", "was", "he", "she", "it", "that", "with", "his", "had",
            "you", "not", "but", "for", "they", "have", "this", "said", "were", "would", "what",
            "from", "which", "been", "there", "when", "into", "is",
        ],
    ),
    (
        "fr",
        &[
            "le",
            "les",
            "et",
            "des",
            "du",
            "une",
            "est",
            "était",
            "il",
            "elle",
            "je",
            "qui",
            "pas",
            "ne",
            "dans",
            "pour",
            "sur",
            "avec",
            "mais",
            "au",
            "aux",
            "son",
            "sa",
            "ses",
            "ce",
            "cette",
            "nous",
            "vous",
            "lui",
            "avait",
            "très",
            "été",
            "c'était",
            "c’était",
        ],
    ),
    (
        "es",
        &[
            "el", "los", "las", "y", "del", "que", "una", "es", "era", "por", "con", "para", "su",
            "sus", "lo", "como", "pero", "más", "me", "ella", "estaba", "había", "muy", "también",
            "yo", "sin", "cuando", "donde", "nada", "todo",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den", "dem", "mit",
            "sich", "auf", "er", "sie", "ich", "es", "war", "hatte", "auch", "wie", "aber", "noch",
            "nach", "bei", "aus", "wenn", "doch", "schon", "nur", "im",
        ],
    ),
    (
        "it",
        &[
            "il", "gli", "di", "che", "non", "un", "una", "per", "con", "era", "sono", "della",
            "nel", "anche", "ma", "più", "questo", "quando", "aveva", "lei", "io", "mi", "ci",
        ],
    ),
    (
        "pt",
        &[
            "o", "os", "e", "do", "da", "que", "não", "um", "uma", "para", "com", "em", "no", "na",
            "era", "ele", "ela", "mas", "mais", "foi", "estava", "você", "ao", "dos",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "en", "van", "ik", "je", "niet", "dat", "die", "is", "op", "te",
            "zijn", "met", "voor", "hij", "zij", "maar", "ook", "wat", "naar", "er", "nog",
        ],
    ),
];

/// Function words of French, Spanish and German — articles, pronouns,
/// prepositions, conjunctions, auxiliaries and the commonest adverbs —
/// which the echo rules never count as content (English has its own list
/// beside those rules). Lowercase; apostrophes straight and curly.
pub fn function_words(language: &Language) -> &'static [&'static str] {
    match language {
        Language::French => FRENCH,
        Language::Spanish => SPANISH,
        Language::German => GERMAN,
        _ => &[],
    }
}

const FRENCH: &[&str] = &[
    "a",
    "à",
    "ai",
    "aie",
    "aient",
    "ait",
    "alors",
    "as",
    "au",
    "aucun",
    "aucune",
    "aussi",
    "autre",
    "autres",
    "aux",
    "avaient",
    "avais",
    "avait",
    "avant",
    "avec",
    "avez",
    "avions",
    "avoir",
    "avons",
    "ayant",
    "bien",
    "c",
    "c'",
    "c’",
    "ça",
    "car",
    "ce",
    "ceci",
    "cela",
    "celle",
    "celles",
    "celui",
    "cependant",
    "ces",
    "cet",
    "cette",
    "ceux",
    "chaque",
    "chez",
    "comme",
    "comment",
    "d",
    "d'",
    "d’",
    "dans",
    "de",
    "déjà",
    "depuis",
    "des",
    "devant",
    "donc",
    "dont",
    "du",
    "elle",
    "elles",
    "en",
    "encore",
    "entre",
    "es",
    "est",
    "et",
    "étaient",
    "étais",
    "était",
    "été",
    "étions",
    "être",
    "eu",
    "eux",
    "fait",
    "fut",
    "il",
    "ils",
    "j",
    "j'",
    "j’",
    "jamais",
    "je",
    "jusqu",
    "l",
    "l'",
    "l’",
    "la",
    "là",
    "le",
    "les",
    "leur",
    "leurs",
    "lui",
    "m",
    "m'",
    "m’",
    "ma",
    "mais",
    "me",
    "même",
    "mes",
    "moi",
    "mon",
    "n",
    "n'",
    "n’",
    "ne",
    "ni",
    "nos",
    "notre",
    "nous",
    "on",
    "ont",
    "ou",
    "où",
    "par",
    "parce",
    "pas",
    "pendant",
    "peu",
    "plus",
    "pour",
    "pourquoi",
    "puis",
    "qu",
    "qu'",
    "qu’",
    "quand",
    "que",
    "quel",
    "quelle",
    "quelque",
    "quelques",
    "qui",
    "quoi",
    "rien",
    "s",
    "s'",
    "s’",
    "sa",
    "sans",
    "se",
    "ses",
    "si",
    "sien",
    "son",
    "sont",
    "sous",
    "suis",
    "sur",
    "t",
    "t'",
    "t’",
    "ta",
    "te",
    "tes",
    "toi",
    "ton",
    "tous",
    "tout",
    "toute",
    "toutes",
    "très",
    "tu",
    "un",
    "une",
    "vers",
    "voici",
    "voilà",
    "vos",
    "votre",
    "vous",
    "y",
];

const SPANISH: &[&str] = &[
    "a", "al", "algo", "alguien", "algún", "alguna", "alguno", "ante", "antes", "aquel", "aquella",
    "aquí", "así", "aún", "bajo", "bien", "cada", "casi", "como", "cómo", "con", "contra", "cual",
    "cuál", "cuando", "cuándo", "de", "del", "desde", "donde", "dónde", "durante", "e", "el", "él",
    "ella", "ellas", "ello", "ellos", "en", "entonces", "entre", "era", "eran", "eras", "es",
    "esa", "esas", "ese", "eso", "esos", "esta", "está", "estaba", "estaban", "estar", "este",
    "esto", "estos", "estoy", "fue", "fueron", "ha", "había", "habían", "han", "has", "hasta",
    "hay", "he", "hemos", "la", "las", "le", "les", "lo", "los", "más", "me", "mi", "mí", "mis",
    "mientras", "muy", "nada", "ni", "no", "nos", "nosotros", "nuestra", "nuestro", "nunca", "o",
    "os", "otra", "otro", "otros", "para", "pero", "poco", "por", "porque", "qué", "que", "quien",
    "quién", "se", "sé", "según", "ser", "si", "sí", "siempre", "sin", "sobre", "son", "su", "sus",
    "también", "tan", "tanto", "te", "ti", "tiene", "todo", "todos", "tras", "tu", "tú", "tus",
    "u", "un", "una", "uno", "unos", "usted", "ustedes", "vosotros", "y", "ya", "yo",
];

const GERMAN: &[&str] = &[
    "ab", "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am", "an", "andere",
    "anderen", "auch", "auf", "aus", "bei", "beim", "bin", "bis", "bist", "da", "dabei", "dadurch",
    "dafür", "damit", "dann", "darauf", "darin", "das", "dass", "daß", "dem", "den", "denen",
    "denn", "der", "deren", "des", "dessen", "dich", "die", "dies", "diese", "diesem", "diesen",
    "dieser", "dieses", "dir", "doch", "dort", "du", "durch", "ein", "eine", "einem", "einen",
    "einer", "eines", "er", "es", "etwas", "euch", "euer", "für", "gegen", "gewesen", "hab",
    "habe", "haben", "hat", "hatte", "hatten", "hier", "hin", "hinter", "ich", "ihm", "ihn",
    "ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer", "im", "immer", "in", "ins", "ist", "ja",
    "jede", "jeder", "jedes", "jetzt", "kann", "kein", "keine", "konnte", "man", "mein", "meine",
    "meinem", "meinen", "mich", "mir", "mit", "muss", "musste", "nach", "nicht", "nichts", "noch",
    "nun", "nur", "ob", "oder", "ohne", "schon", "sehr", "sein", "seine", "seinem", "seinen",
    "seiner", "sich", "sie", "sind", "so", "soll", "um", "und", "uns", "unser", "unter", "vom",
    "von", "vor", "war", "waren", "warst", "was", "weil", "wenn", "wer", "werden", "wie", "wieder",
    "will", "wir", "wird", "wo", "wurde", "wurden", "zu", "zum", "zur", "zwischen",
];

/// At most this many words of each chapter are read for detection…
const SAMPLE_WORDS: usize = 1000;

/// … and this many in all: enough to tell the languages apart, so that
/// detection costs the same for a novella and a series.
const SAMPLE_TOTAL: usize = 30_000;

/// The marker words among a chapter's first [`SAMPLE_WORDS`] words, in
/// order: (word index, index into [`MARKERS`] of a language it marks; a
/// word that marks two languages is there twice). Derived from the chapter
/// alone and kept with it (see [`Chapter::memo`]): a language server that
/// detects the language again after an edit reads only the edited chapter.
fn marker_hits(chapter: &Chapter) -> Arc<Vec<(u16, u8)>> {
    // Each marker word with the languages (indices into MARKERS) it marks.
    static TABLE: LazyLock<FxHashMap<&str, Vec<u8>>> = LazyLock::new(|| {
        let mut table: FxHashMap<&str, Vec<u8>> = FxHashMap::default();
        for (i, (_, words)) in MARKERS.iter().enumerate() {
            for word in *words {
                table.entry(word).or_default().push(i as u8);
            }
        }
        table
    });
    chapter.memo("language/markers", |chapter| {
        let mut hits = Vec::new();
        let mut lower = String::new();
        for (at, span) in chapter.words.iter().take(SAMPLE_WORDS).enumerate() {
            let word = &chapter.text[span.range()];
            // The markers are short words.
            if word.len() > 10 {
                continue;
            }
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            if let Some(languages) = TABLE.get(lower.as_str()) {
                hits.extend(languages.iter().map(|&language| (at as u16, language)));
            }
        }
        hits
    })
}

// Marker languages are indexed by a byte, sample words by 16 bits.
const _: () = assert!(MARKERS.len() <= 256 && SAMPLE_WORDS <= 1 << 16);

/// What [`detect`] found: the language, and the marker-word counts it
/// was chosen by (code, count), highest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detection {
    pub language: Language,
    pub counts: Vec<(&'static str, usize)>,
}

impl Detection {
    /// "1204 French and 98 English function words".
    pub fn evidence(&self) -> String {
        let parts: Vec<String> = self
            .counts
            .iter()
            .take(2)
            .map(|(code, n)| format!("{n} {}", Language::from_code(code).name()))
            .collect();
        format!("{} function words", parts.join(" and "))
    }
}

/// The language of `chapters` from their commonest function words: the
/// language whose markers occur most in a sample of the text (the first
/// [`SAMPLE_WORDS`] words of each chapter, [`SAMPLE_TOTAL`] in all), if it
/// clearly leads (at least 20 hits and half again as many as the next).
/// `None` when the text is too short or too mixed to tell.
pub fn detect<'a>(chapters: impl IntoIterator<Item = &'a Chapter>) -> Option<Detection> {
    decide(tally(chapters))
}

/// The language that clearly leads `ranked` (see [`detect`]).
fn decide(ranked: Vec<(&'static str, usize)>) -> Option<Detection> {
    let (best, runner_up) = (ranked[0].1, ranked.get(1).map_or(0, |r| r.1));
    (best >= 20 && best * 2 >= runner_up * 3).then(|| Detection {
        language: Language::from_code(ranked[0].0),
        counts: ranked,
    })
}

/// The function words of each language in the sample of `chapters` (see
/// [`detect`]), the commonest language first.
fn tally<'a>(chapters: impl IntoIterator<Item = &'a Chapter>) -> Vec<(&'static str, usize)> {
    let mut counts = vec![0usize; MARKERS.len()];
    let mut sampled = 0;
    for chapter in chapters {
        if sampled >= SAMPLE_TOTAL {
            break;
        }
        let take = SAMPLE_WORDS.min(SAMPLE_TOTAL - sampled);
        sampled += take.min(chapter.words.len());
        let hits = marker_hits(chapter);
        for &(_, language) in hits.iter().take_while(|&&(at, _)| usize::from(at) < take) {
            counts[usize::from(language)] += 1;
        }
    }
    let mut ranked: Vec<(&'static str, usize)> = MARKERS
        .iter()
        .zip(&counts)
        .map(|((code, _), &n)| (*code, n))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    ranked
}

/// Where the manuscript's language came from, for `-v`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LanguageSource {
    /// `[manuscript] language` in manulint.toml.
    Configured,
    Detected(Detection),
    /// Too little text to tell: English assumed.
    Assumed,
    /// Text enough, but no language leads: the chapters mix two or more
    /// (a French novel and a Spanish one checked together). English is
    /// assumed, and the run says so without `-v`.
    Mixed(Detection),
}

/// Sets every chapter's language: its front matter's `lang`/`language`,
/// else the one `declared` for it (by index: an `[[overrides]]` entry's
/// `language`), else `configured`, else the language detected over the
/// chapters without one of their own. Returns the manuscript's language,
/// where it came from, and a note for each chapter whose front matter or
/// override set another.
pub fn assign(
    chapters: &mut [Chapter],
    declared: &[Option<Language>],
    configured: Option<&Language>,
) -> (Language, LanguageSource, Vec<String>) {
    let mut notes = Vec::new();
    let mut own: Vec<(Option<Language>, &str)> = Vec::with_capacity(chapters.len());
    for (i, chapter) in chapters.iter().enumerate() {
        let by_override = declared.get(i).cloned().flatten();
        let tag = chapter
            .front_matter
            .as_ref()
            .and_then(|fm| fm.get("lang").or_else(|| fm.get("language")));
        let from_front_matter = match tag {
            Some((value, span)) => match Language::parse(&value) {
                Ok(language) => Some(language),
                Err(_) => {
                    let line = chapter.line_col(span.start as usize).line;
                    notes.push(format!(
                        "{}:{line}: front matter language `{value}` is not a language tag; ignored",
                        chapter.path.display()
                    ));
                    None
                }
            },
            None => None,
        };
        own.push(match (from_front_matter, by_override) {
            (Some(language), _) => (Some(language), "its front matter says so"),
            (None, Some(language)) => (Some(language), "[[overrides]] in manulint.toml says so"),
            (None, None) => (None, ""),
        });
    }
    let (language, source) = match configured {
        Some(language) => (language.clone(), LanguageSource::Configured),
        None => {
            let unset = chapters.iter().zip(&own).filter(|(_, (l, _))| l.is_none());
            let ranked = tally(unset.map(|(c, _)| c));
            let enough = ranked[0].1 >= 20;
            match decide(ranked.clone()) {
                Some(found) => (found.language.clone(), LanguageSource::Detected(found)),
                None if enough => (
                    Language::English,
                    LanguageSource::Mixed(Detection {
                        language: Language::English,
                        counts: ranked,
                    }),
                ),
                None => (Language::English, LanguageSource::Assumed),
            }
        }
    };
    for (chapter, (own, why)) in chapters.iter_mut().zip(own) {
        match own {
            Some(own) => {
                if own != language {
                    notes.push(format!(
                        "{}: written in {} ({why})",
                        chapter.path.display(),
                        own.name()
                    ));
                }
                chapter.set_language(own);
            }
            None => chapter.set_language(language.clone()),
        }
    }
    (language, source, notes)
}

/// The `-v` note: "language: French, detected (1,204 French and 98
/// English function words); set `[manuscript] language` to change it".
pub fn describe(language: &Language, source: &LanguageSource) -> String {
    match source {
        LanguageSource::Configured => format!(
            "language: {} ({}), from manulint.toml [manuscript] language",
            language.name(),
            language.code()
        ),
        LanguageSource::Detected(found) => format!(
            "language: {}, detected from {}; set `[manuscript] language` in manulint.toml to change it",
            language.name(),
            found.evidence()
        ),
        LanguageSource::Assumed => "language: English, assumed (too little text to tell); set `[manuscript] language` in manulint.toml".to_string(),
        LanguageSource::Mixed(found) => mixed_note(found),
    }
}

/// What the run says, `-v` or not, of chapters in several languages: the
/// rules read them all as English (common words “overused”, a doubled
/// “nous nous”, no year read in “C’était en 1962”).
pub fn mixed_note(found: &Detection) -> String {
    let names: Vec<String> = found
        .counts
        .iter()
        .take(2)
        .map(|(code, _)| Language::from_code(code).name())
        .collect();
    format!(
        "language: English, assumed: the chapters mix {} ({}), so each is read as English; \
         check one book at a time, set `lang` in each chapter's front matter (for a Word \
         chapter, `language` in an [[overrides]] entry naming it), or set `[manuscript] \
         language` in manulint.toml",
        names.join(" and "),
        found.evidence()
    )
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::text::SourceFormat;

    fn chapter(text: &str) -> Chapter {
        Chapter::parse(
            0,
            PathBuf::from("c.md"),
            SourceFormat::Markdown,
            Arc::from(text),
        )
    }

    #[test]
    fn tags_and_names_parse() {
        assert_eq!(Language::parse("fr"), Ok(Language::French));
        assert_eq!(Language::parse("es-MX"), Ok(Language::Spanish));
        assert_eq!(Language::parse("de_AT"), Ok(Language::German));
        assert_eq!(Language::parse("Français"), Ok(Language::French));
        assert_eq!(Language::parse("EN-gb"), Ok(Language::English));
        assert_eq!(
            Language::parse("it").map(|l| l.name()),
            Ok("Italian".into())
        );
        assert!(Language::parse("french!").is_err());
        assert!(Language::parse("").is_err());
    }

    #[test]
    fn detects_the_language_of_prose() {
        let cases = [
            (
                "She opened the door and looked at the sea. It was cold, and he was not there. They had said that it would rain, but it did not.",
                Language::English,
            ),
            (
                "Elle ouvrit la porte et regarda la mer. Il faisait froid, et il n’était pas là. Ils avaient dit qu’il pleuvrait, mais il ne pleuvait pas. C’était le soir, et je pensais à lui dans cette maison.",
                Language::French,
            ),
            (
                "Ella abrió la puerta y miró el mar. Hacía frío, y él no estaba. Habían dicho que llovería, pero no llovió. Era de noche y yo pensaba en él, como siempre, sin decir nada a nadie.",
                Language::Spanish,
            ),
            (
                "Sie öffnete die Tür und sah auf das Meer. Es war kalt, und er war nicht da. Sie hatten gesagt, dass es regnen würde, aber es regnete nicht. Ich dachte an ihn, wie immer, und auch an das Haus.",
                Language::German,
            ),
        ];
        for (text, language) in cases {
            let text = format!("{text} {text}");
            let found = detect([&chapter(&text)]).map(|d| d.language);
            assert_eq!(found, Some(language), "{text}");
        }
        assert_eq!(detect([&chapter("Too short.")]), None);
    }

    #[test]
    fn front_matter_and_config_set_languages() {
        let mut chapters = vec![
            chapter("---\nlang: de\n---\nKurz.\n"),
            chapter("Ella abrió la puerta y miró el mar."),
        ];
        let (language, source, notes) = assign(&mut chapters, &[], Some(&Language::Spanish));
        assert_eq!(language, Language::Spanish);
        assert_eq!(source, LanguageSource::Configured);
        assert_eq!(chapters[0].language, Language::German);
        assert_eq!(chapters[1].language, Language::Spanish);
        assert_eq!(
            notes,
            vec!["c.md: written in German (its front matter says so)"]
        );
    }

    /// An override's language stands where a chapter's front matter says
    /// none (a Word chapter has none); front matter still wins.
    #[test]
    fn an_override_sets_a_chapter_without_front_matter() {
        let mut chapters = vec![
            chapter("---\nlang: de\n---\nKurz.\n"),
            chapter("Elle ouvrit la porte."),
            chapter("She opened the door."),
        ];
        let declared = [Some(Language::French), Some(Language::French), None];
        let (language, _, notes) = assign(&mut chapters, &declared, Some(&Language::English));
        assert_eq!(language, Language::English);
        assert_eq!(
            chapters
                .iter()
                .map(|c| c.language.clone())
                .collect::<Vec<_>>(),
            [Language::German, Language::French, Language::English]
        );
        assert_eq!(
            notes,
            vec![
                "c.md: written in German (its front matter says so)",
                "c.md: written in French ([[overrides]] in manulint.toml says so)"
            ]
        );
    }
}
