//! When two names are spelled alike, and how they differ.
//!
//! Candidates are found without comparing every name with every other one:
//! each name is filed under a few keys — its *skeleton* (lowercase, accents,
//! spaces, hyphens and apostrophes gone, `Mc` read as `Mac`), the skeleton
//! with doubled letters squashed, and the skeleton with each one letter
//! deleted (a deletion neighbourhood, as SymSpell does). Two names within
//! one edit of each other always share a key, so only names in one bucket
//! are compared, and [`classify`] decides whether the difference is one a
//! writer makes with a name.

use rustc_hash::{FxHashMap, FxHashSet};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A bucket this full holds short, common skeleton keys, not one name's
/// spellings; it is skipped so that a cast of hundreds stays linear.
const MAX_BUCKET: usize = 48;

/// How two spellings of a name differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Difference {
    /// Only in capitals (“McAllister”, “Mcallister”).
    Capitals,
    /// Only in accents (“Zoë”, “Zoe”).
    Accents,
    /// In the apostrophe's shape, straight, curly or another (“Ka'thal”,
    /// “Ka’thal”): the first differing mark of each name, and whether
    /// their capitals differ too (“Ka'Thal”, “Ka’thal”).
    Apostrophes { marks: (char, char), capitals: bool },
    /// Only in spaces and hyphens (“Mary-Anne”, “Mary Anne”, “Maryanne”).
    Spacing,
    /// `Mc` against `Mac` (“McAllister”, “MacAllister”).
    McMac,
    /// In one word, by a doubled letter (“Phillip”, “Philip”).
    Doubled { word: WordPair, letter: char },
    /// In one word, by two letters swapped (“Nathalie”, “Nahtalie”).
    Transposed {
        word: WordPair,
        letters: (char, char),
    },
    /// In one word, by one letter more or less (“Nathalie”, “Natalie”).
    Inserted { word: WordPair, letter: char },
    /// In one word, by one letter for another (“Gray”, “Grey”).
    Substituted {
        word: WordPair,
        letters: (char, char),
    },
}

/// The differing word of two names: the whole name for one-word names,
/// one word of a longer one (“Gray” and “Grey” in “Gray Boy”, “Grey Boy”).
/// Texts as written, in the order the two names were given to [`classify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordPair {
    pub first: String,
    pub second: String,
}

impl Difference {
    /// The differing words, when the names differ inside one word.
    pub fn word(&self) -> Option<&WordPair> {
        match self {
            Difference::Doubled { word, .. }
            | Difference::Transposed { word, .. }
            | Difference::Inserted { word, .. }
            | Difference::Substituted { word, .. } => Some(word),
            _ => None,
        }
    }

    /// The same difference seen from the other name.
    pub fn reversed(&self) -> Difference {
        let flip = |w: &WordPair| WordPair {
            first: w.second.clone(),
            second: w.first.clone(),
        };
        match self {
            Difference::Doubled { word, letter } => Difference::Doubled {
                word: flip(word),
                letter: *letter,
            },
            Difference::Transposed { word, letters } => Difference::Transposed {
                word: flip(word),
                letters: (letters.1, letters.0),
            },
            Difference::Inserted { word, letter } => Difference::Inserted {
                word: flip(word),
                letter: *letter,
            },
            Difference::Substituted { word, letters } => Difference::Substituted {
                word: flip(word),
                letters: (letters.1, letters.0),
            },
            Difference::Apostrophes { marks, capitals } => Difference::Apostrophes {
                marks: (marks.1, marks.0),
                capitals: *capitals,
            },
            other => other.clone(),
        }
    }

    /// For people: “differ only in accents”, “differ by one letter (“h”)”.
    pub fn describe(&self) -> String {
        let in_word = |word: &WordPair, what: String| {
            if word.first.contains([' ', '-']) || word.second.contains([' ', '-']) {
                what
            } else {
                format!("{what} in “{}” and “{}”", word.first, word.second)
            }
        };
        match self {
            Difference::Capitals => "differ only in capitals".to_string(),
            Difference::Accents => "differ only in accents".to_string(),
            Difference::Apostrophes { marks, capitals } => format!(
                "differ only in {}the apostrophe, {} against {}",
                if *capitals { "capitals and " } else { "" },
                apostrophe_name(marks.0),
                apostrophe_name(marks.1)
            ),
            Difference::Spacing => "differ only in spaces, hyphens or apostrophes".to_string(),
            Difference::McMac => "differ only in “Mc” and “Mac”".to_string(),
            Difference::Doubled { word, letter } => {
                in_word(word, format!("differ by a doubled “{letter}”"))
            }
            Difference::Transposed { word, letters } => in_word(
                word,
                format!(
                    "differ by two swapped letters (“{}{}” for “{}{}”)",
                    letters.0, letters.1, letters.1, letters.0
                ),
            ),
            Difference::Inserted { word, letter } => {
                in_word(word, format!("differ by one letter (“{letter}”)"))
            }
            Difference::Substituted { word, letters } => in_word(
                word,
                format!("differ by one letter (“{}” for “{}”)", letters.0, letters.1),
            ),
        }
    }
}

/// Lowercase, without accents: “Zoë” → “zoe”.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if APOSTROPHES.contains(&c) { '\'' } else { c })
        .collect()
}

/// The marks written for an apostrophe inside a name besides the straight
/// one: the curly apostrophe, the opening single quote an autocorrect
/// slip turns it into (“Ka‘thal”) and the modifier letter apostrophe
/// invented names use (“Kaʼthal”). [`fold`] reads each as `'`.
pub const APOSTROPHES: [char; 3] = ['’', '‘', 'ʼ'];

/// What a writer calls an apostrophe mark, with the mark: “straight (')”.
fn apostrophe_name(mark: char) -> String {
    let name = match mark {
        '\'' => "straight",
        '’' => "curly",
        '‘' => "opening quote",
        'ʼ' => "modifier letter",
        _ => "other",
    };
    format!("{name} ({mark})")
}

/// The first apostrophes of `a` and `b` that differ, when the two differ
/// in nothing but apostrophes and perhaps capitals; with whether their
/// capitals differ too.
fn apostrophes_apart(a: &str, b: &str) -> Option<((char, char), bool)> {
    let is_mark = |c: char| c == '\'' || APOSTROPHES.contains(&c);
    if a.chars().count() != b.chars().count() {
        return None;
    }
    let mut marks = None;
    let mut capitals = false;
    for (x, y) in a.chars().zip(b.chars()) {
        if x == y {
            continue;
        }
        if is_mark(x) && is_mark(y) {
            marks.get_or_insert((x, y));
        } else if x.to_lowercase().eq(y.to_lowercase()) {
            capitals = true;
        } else {
            return None;
        }
    }
    marks.map(|marks| (marks, capitals))
}

/// The key every spelling of a name shares: folded, without spaces,
/// hyphens or apostrophes, with a leading `mc` read as `mac`
/// (“McAllister”, “Mac Allister” → “macallister”).
pub fn skeleton(text: &str) -> String {
    let folded: String = fold(text).chars().filter(|c| c.is_alphabetic()).collect();
    match folded.strip_prefix("mc") {
        Some(rest) => format!("mac{rest}"),
        None => folded,
    }
}

/// The skeleton with every run of one letter written once (“phillipp” →
/// “philip”).
fn squash(skeleton: &[char]) -> impl Iterator<Item = char> + '_ {
    skeleton
        .iter()
        .enumerate()
        .filter(|&(i, c)| i == 0 || skeleton[i - 1] != *c)
        .map(|(_, &c)| c)
}

fn squashed(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    squash(&chars).collect()
}

/// Pairs `(a, b)` with `a < b` of the `texts` that share a key (see the
/// module docs), sorted. Texts whose skeleton has fewer than three letters
/// are left out.
pub fn candidate_pairs(texts: &[&str]) -> Vec<(u32, u32)> {
    // Keys are hashed, not stored: a collision only adds a pair that
    // `classify` then rejects.
    let mut buckets: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    let mut keys: Vec<u64> = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let chars: Vec<char> = skeleton(text).chars().collect();
        if chars.len() < 3 {
            continue;
        }
        keys.clear();
        keys.push(hash_chars(chars.iter().copied()));
        keys.push(hash_chars(squash(&chars)));
        for skip in 0..chars.len() {
            keys.push(hash_chars(
                chars
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != skip)
                    .map(|(_, &c)| c),
            ));
        }
        keys.sort_unstable();
        keys.dedup();
        for &key in &keys {
            buckets.entry(key).or_default().push(i as u32);
        }
    }
    let mut pairs: FxHashSet<(u32, u32)> = FxHashSet::default();
    for bucket in buckets.values() {
        if bucket.len() < 2 || bucket.len() > MAX_BUCKET {
            continue;
        }
        for (x, &a) in bucket.iter().enumerate() {
            for &b in &bucket[x + 1..] {
                pairs.insert((a.min(b), a.max(b)));
            }
        }
    }
    let mut pairs: Vec<(u32, u32)> = pairs.into_iter().collect();
    pairs.sort_unstable();
    pairs
}

fn hash_chars(chars: impl Iterator<Item = char>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    for c in chars {
        c.hash(&mut hasher);
    }
    // The length ends the key, so "ab"+"c" and "a"+"bc" differ.
    hasher.write_u8(0xff);
    hasher.finish()
}

/// How the two spellings of a name differ, if they differ the way a name's
/// spelling drifts: in capitals, accents, spacing, `Mc`/`Mac`, or inside one
/// word by a doubled letter, two swapped letters, or one letter more, less
/// or changed. Names of several words must match in every word but one.
///
/// One-letter changes are held to what writers actually do with names, so
/// that two real names a letter apart stay apart:
/// - no change to the first letter (“Jim”/“Tim”, “Earl”/“Pearl”), except
///   `c`/`k` (“Catherine”/“Katherine”);
/// - no letter added or dropped at the end: that makes a different form
///   (“America”/“American”, “Louis”/“Louisa”, “Huck”/“Hucky”,
///   “Bennet”/“Bennets”), unless it doubles the last letter
///   (“Bennet”/“Bennett”);
/// - a changed letter must sound alike (two vowels, `c`/`k`, `s`/`z`) or sit
///   next to the other on a keyboard, inside a word of four letters or more
///   (“Stoner”/“Stoper” and “Wilson”/“Wilton” are different people);
/// - swapped letters and an added or dropped letter need a word of three
///   letters or more (“Jmi”/“Jim”, “Jon”/“John”).
pub fn classify(a: &str, b: &str) -> Option<Difference> {
    if a == b {
        return None;
    }
    if skeleton(a) == skeleton(b) {
        let same = |f: fn(&str) -> String| f(a) == f(b);
        let difference = if same(str::to_lowercase) {
            Difference::Capitals
        } else if let Some((marks, capitals)) = apostrophes_apart(a, b) {
            Difference::Apostrophes { marks, capitals }
        } else if same(fold) {
            Difference::Accents
        } else if same(|t| fold(t).replace(['-', ' ', '\''], "")) {
            Difference::Spacing
        } else {
            Difference::McMac
        };
        return Some(difference);
    }
    let words_a: Vec<&str> = split_words(a);
    let words_b: Vec<&str> = split_words(b);
    if words_a.len() != words_b.len() {
        return None;
    }
    let mut differing = words_a
        .iter()
        .zip(&words_b)
        .filter(|(x, y)| fold(x) != fold(y));
    let (x, y) = differing.next()?;
    if differing.next().is_some() {
        return None;
    }
    let word = WordPair {
        first: x.to_string(),
        second: y.to_string(),
    };
    classify_word(&fold(x), &fold(y), word)
}

/// The words of a name, split at spaces and hyphens.
fn split_words(name: &str) -> Vec<&str> {
    name.split([' ', '-']).filter(|w| !w.is_empty()).collect()
}

/// [`classify`] for one folded word of each name.
fn classify_word(x: &str, y: &str, word: WordPair) -> Option<Difference> {
    let xs: Vec<char> = x.chars().collect();
    let ys: Vec<char> = y.chars().collect();
    let shortest = xs.len().min(ys.len());
    if squashed(x) == squashed(y) {
        return (shortest >= 3).then(|| Difference::Doubled {
            letter: doubled_letter(&xs, &ys),
            word,
        });
    }
    let mut prefix = 0;
    while prefix < shortest && xs[prefix] == ys[prefix] {
        prefix += 1;
    }
    if xs.len() == ys.len() {
        let rest = prefix + 1;
        if xs[rest..] == ys[rest..] {
            let (p, q) = (xs[prefix], ys[prefix]);
            let at_edge = prefix == 0 || prefix + 1 == xs.len();
            let ok = shortest >= 4 && ((alike(p, q) && !at_edge) || is_c_k(p, q));
            return ok.then_some(Difference::Substituted {
                word,
                letters: (p, q),
            });
        }
        let swapped = rest < xs.len()
            && xs[prefix] == ys[rest]
            && xs[rest] == ys[prefix]
            && xs[rest + 1..] == ys[rest + 1..];
        return (swapped && shortest >= 3).then_some(Difference::Transposed {
            word,
            letters: (xs[prefix], xs[rest]),
        });
    }
    let (long, short) = if xs.len() > ys.len() {
        (&xs, &ys)
    } else {
        (&ys, &xs)
    };
    if long.len() != short.len() + 1 || long[prefix + 1..] != short[prefix..] {
        return None;
    }
    let inside = prefix > 0 && prefix + 1 < long.len();
    (inside && short.len() >= 3).then_some(Difference::Inserted {
        word,
        letter: long[prefix],
    })
}

/// The letter written once in one word and twice in the other.
fn doubled_letter(xs: &[char], ys: &[char]) -> char {
    let runs = |cs: &[char]| {
        let mut runs: Vec<(char, usize)> = Vec::new();
        for &c in cs {
            match runs.last_mut() {
                Some((last, n)) if *last == c => *n += 1,
                _ => runs.push((c, 1)),
            }
        }
        runs
    };
    runs(xs)
        .into_iter()
        .zip(runs(ys))
        .find(|(p, q)| p.1 != q.1)
        .map_or('?', |(p, _)| p.0)
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn is_c_k(p: char, q: char) -> bool {
    matches!((p, q), ('c', 'k') | ('k', 'c'))
}

/// Letters a writer confuses in a name: they sound alike, or sit side by
/// side on a QWERTY keyboard (a slip of the finger).
fn alike(p: char, q: char) -> bool {
    (is_vowel(p) && is_vowel(q))
        || is_c_k(p, q)
        || matches!((p, q), ('s', 'z') | ('z', 's'))
        || keyboard_neighbours(p, q)
}

fn keyboard_neighbours(p: char, q: char) -> bool {
    const ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
    let place = |c: char| {
        ROWS.iter()
            .enumerate()
            .find_map(|(row, keys)| keys.find(c).map(|col| (row as i32, col as i32)))
    };
    match (place(p), place(q)) {
        (Some((r1, c1)), Some((r2, c2))) => {
            // Each row sits about half a key right of the one above.
            let d_row = r2 - r1;
            let d_col = c2 - c1;
            match d_row {
                0 => d_col.abs() == 1,
                1 => d_col == 0 || d_col == -1,
                -1 => d_col == 0 || d_col == 1,
                _ => false,
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(a: &str, b: &str) -> Option<String> {
        classify(a, b).map(|d| d.describe())
    }

    #[test]
    fn skeletons_fold_case_accents_spacing_and_mc() {
        assert_eq!(skeleton("Zoë"), "zoe");
        assert_eq!(skeleton("Mary-Anne"), skeleton("Mary Anne"));
        assert_eq!(skeleton("Maryanne"), "maryanne");
        assert_eq!(skeleton("McAllister"), "macallister");
        assert_eq!(skeleton("O’Brien"), "obrien");
        assert_eq!(skeleton("Kaʼthal"), skeleton("Ka‘thal"));
        assert_eq!(squashed("phillipp"), "philip");
    }

    #[test]
    fn drifts_writers_make_are_classified() {
        for (a, b, expected) in [
            ("Zoë", "Zoe", "differ only in accents"),
            (
                "Ka'thal",
                "Ka’thal",
                "differ only in the apostrophe, straight (') against curly (’)",
            ),
            (
                "Ka'Thal",
                "Ka’thal",
                "differ only in capitals and the apostrophe, straight (') against curly (’)",
            ),
            (
                "Ka‘thal",
                "Kaʼthal",
                "differ only in the apostrophe, opening quote (‘) against modifier letter (ʼ)",
            ),
            (
                "Mary-Anne",
                "Mary Anne",
                "differ only in spaces, hyphens or apostrophes",
            ),
            (
                "Maryanne",
                "Mary-Anne",
                "differ only in spaces, hyphens or apostrophes",
            ),
            ("McAllister", "MacAllister", "differ only in “Mc” and “Mac”"),
            ("DeWitt", "Dewitt", "differ only in capitals"),
            (
                "Phillip",
                "Philip",
                "differ by a doubled “l” in “Phillip” and “Philip”",
            ),
            (
                "Bennett",
                "Bennet",
                "differ by a doubled “t” in “Bennett” and “Bennet”",
            ),
            (
                "Nathalie",
                "Natalie",
                "differ by one letter (“h”) in “Nathalie” and “Natalie”",
            ),
            (
                "Jon",
                "John",
                "differ by one letter (“h”) in “Jon” and “John”",
            ),
            (
                "Nathalie",
                "Nahtalie",
                "differ by two swapped letters (“th” for “ht”) in “Nathalie” and “Nahtalie”",
            ),
            (
                "Katherine",
                "Catherine",
                "differ by one letter (“k” for “c”) in “Katherine” and “Catherine”",
            ),
            (
                "Gray Boy",
                "Grey Boy",
                "differ by one letter (“a” for “e”) in “Gray” and “Grey”",
            ),
            (
                "Nathalie",
                "Nathslie",
                "differ by one letter (“a” for “s”) in “Nathalie” and “Nathslie”",
            ),
        ] {
            assert_eq!(kind(a, b).as_deref(), Some(expected), "{a} / {b}");
        }
    }

    #[test]
    fn different_names_a_letter_apart_are_not_drifts() {
        for (a, b) in [
            ("Jim", "Tim"),
            ("Earl", "Pearl"),
            ("America", "American"),
            ("Louis", "Louisa"),
            ("Huck", "Hucky"),
            ("Bennet", "Bennets"),
            ("Stoner", "Stoper"),
            ("Wilson", "Wilton"),
            ("Mary", "Mars"),
            ("Tom", "Tim"),
            ("Lucas", "Lucases"),
            ("Gray Boy", "Grey Girl"),
            ("Nathalie", "Nathalie"),
        ] {
            assert_eq!(kind(a, b), None, "{a} / {b}");
        }
    }

    #[test]
    fn candidates_come_from_shared_keys_only() {
        let texts = [
            "Nathalie",
            "Natalie",
            "Zoë",
            "Zoe",
            "Gray Boy",
            "Grey Boy",
            "Mary-Anne",
            "Maryanne",
            "Ulysses",
        ];
        let pairs = candidate_pairs(&texts);
        assert_eq!(pairs, vec![(0, 1), (2, 3), (4, 5), (6, 7)]);
    }
}
