//! End-to-end tests of `name-variant` (a character's name spelled two ways)
//! and of `spelling-variant` leaving names alone: the planted fixtures, the
//! silent controls with their config, accented names, the findings on the
//! public-domain corpus, and recall on corpus copies with respelled names.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{Rng, corpus, manulint, novels, untimed};

fn check(rule: &str, args: &[&str]) -> Output {
    manulint()
        .args(["check", "--select", rule, "--fail-on", "never"])
        .args(args)
        .output()
        .expect("manulint runs")
}

/// `(rare, main)` spellings named by each finding's message (“Natalie” (3×):
/// did you mean “Nathalie” (41×)?).
fn pairs(json: &serde_json::Value) -> Vec<(String, String)> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "name-variant")
        .filter_map(|d| {
            let message = d["message"].as_str()?;
            let mut quoted = message.split('“').skip(1).filter_map(|q| q.split_once('”'));
            Some((quoted.next()?.0.to_string(), quoted.next()?.0.to_string()))
        })
        .collect()
}

#[test]
fn planted_variants_of_every_kind_are_found() {
    let output = check(
        "name-variant",
        &["fixtures/names/planted", "--format", "short"],
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        untimed(&output.stdout),
        "fixtures/names/planted/chapter-02.txt:7:17: warning[name-variant] “MacAllister” (1×): did you mean “McAllister” (3×)?\n\
         fixtures/names/planted/chapter-02.txt:10:6: warning[name-variant] “Grey Boy” (3×): did you mean “Gray Boy” (8×)?\n\
         fixtures/names/planted/chapter-02.txt:20:7: warning[name-variant] “Catherine” (2×): did you mean “Katherine” (5×)?\n\
         fixtures/names/planted/chapter-02.txt:24:1: warning[name-variant] “Philip” (1×): did you mean “Phillip” (5×)?\n\
         fixtures/names/planted/chapter-03.md:3:37: warning[name-variant] “Natalie” (3×): did you mean “Nathalie” (7×)?\n\
         fixtures/names/planted/chapter-03.md:5:1: warning[name-variant] “Zoe” (1×): did you mean “Zoë” (4×)?\n\
         fixtures/names/planted/chapter-03.md:13:1: warning[name-variant] “Mary Anne” (2×): did you mean “Mary-Anne” (3×)?\n\
         fixtures/names/planted/chapter-04.txt:16:54: warning[name-variant] “Beatirx” (1×): did you mean “Beatrix” (5×)?\n\
         Found 0 errors, 8 warnings and 0 infos in 4 files (603 words)\n"
    );
}

#[test]
fn planted_variants_human_format() {
    let output = check(
        "name-variant",
        &["fixtures/names/planted", "--color", "never"],
    );
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"in \d+\.\d+s", "in [TIME]");
    settings.bind(|| insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout)));
}

#[test]
fn findings_point_at_where_the_other_spelling_is_used() {
    let output = check(
        "name-variant",
        &["fixtures/names/planted", "--format", "json"],
    );
    let json = common::json(&output.stdout);
    let natalie = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("“Natalie”"))
        })
        .expect("the Natalie finding");
    assert_eq!(natalie["severity"], "warning");
    assert_eq!(
        (natalie["line"].as_u64(), natalie["column"].as_u64()),
        (Some(3), Some(37))
    );
    assert_eq!(natalie["end_column"].as_u64(), Some(44));
    let related: Vec<(String, u64, u64, String)> = natalie["related"]
        .as_array()
        .expect("related")
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap_or_default().to_string(),
                r["line"].as_u64().unwrap_or_default(),
                r["column"].as_u64().unwrap_or_default(),
                r["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        related,
        vec![(
            "fixtures/names/planted/chapter-01.md".to_string(),
            3,
            1,
            "“Nathalie” first used here".to_string()
        )]
    );
    let help = natalie["help"].as_str().unwrap_or_default();
    assert!(
        help.starts_with("the two spellings differ by one letter (“h”) in “Natalie” and “Nathalie”, and both name a person"),
        "{help}"
    );
    assert!(
        help.ends_with("add \"Nathalie\" = [\"Natalie\"] to [names] in manulint.toml, and if they are two characters, \"Nathalie\" = [] and \"Natalie\" = []"),
        "{help}"
    );
}

/// The issue's case: “Gray Boy” starting a sentence is a name, so the
/// ordinary “the colour of grey” is no variant of it.
#[test]
fn spelling_variant_leaves_names_alone() {
    let output = check(
        "spelling-variant",
        &["fixtures/names/planted", "--format", "short"],
    );
    assert_eq!(
        untimed(&output.stdout),
        "No problems found in 4 files (603 words)\n"
    );
    // The ordinary variants are still found next to names.
    let dir = tempfile::TempDir::new().expect("temp dir");
    for (name, text) in [
        (
            "a.md",
            "Gray Boy waved. We saw the Gray Boy. The sky was gray. A gray coat.\n",
        ),
        ("b.md", "The colour of grey. Gray Boy ran off.\n"),
    ] {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let output = check(
        "spelling-variant",
        &[dir.path().to_str().expect("UTF-8"), "--format", "json"],
    );
    let messages: Vec<String> = common::json(&output.stdout)["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["message"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        messages,
        vec![
            "“grey” here, but “gray” 2× elsewhere in the manuscript; use one spelling throughout."
        ]
    );
}

#[test]
fn controls_are_silent_with_their_config_and_loud_without() {
    let quiet = check(
        "name-variant",
        &[
            "fixtures/names/controls",
            "--config",
            "fixtures/names/controls/manulint.toml",
            "--format",
            "short",
        ],
    );
    assert_eq!(
        untimed(&quiet.stdout),
        "No problems found in 2 files (260 words)\n"
    );
    // Without the config the declared nickname and the two characters a
    // letter apart are reported; the cousins Jon and John (in one sentence),
    // the Ashdown family, and June beside Jane are not.
    // (The folder's own manulint.toml would be found from the path, so an
    // empty one is named instead.)
    let empty = tempfile::TempDir::new().expect("temp dir");
    let no_settings = empty.path().join("manulint.toml");
    std::fs::write(&no_settings, "").expect("write");
    let loud = check(
        "name-variant",
        &[
            "fixtures/names/controls",
            "--config",
            no_settings.to_str().expect("UTF-8 path"),
            "--format",
            "short",
        ],
    );
    assert_eq!(
        untimed(&loud.stdout),
        "fixtures/names/controls/chapter-01.md:13:1: warning[name-variant] “Mara” (4×): did you mean “Maria” (5×)?\n\
         fixtures/names/controls/chapter-02.txt:3:42: warning[name-variant] “Teo” (3×): did you mean “Theo” (4×)?\n\
         Found 0 errors, 2 warnings and 0 infos in 2 files (260 words)\n"
    );
}

#[test]
fn accented_names_in_another_language() {
    let output = check(
        "name-variant",
        &["fixtures/names/accents", "--format", "short"],
    );
    assert_eq!(
        untimed(&output.stdout),
        "fixtures/names/accents/chapitre-02.md:3:15: warning[name-variant] “Helene” (1×): did you mean “Hélène” (5×)?\n\
         fixtures/names/accents/chapitre-02.md:7:19: warning[name-variant] “Françiose” (1×): did you mean “Françoise” (6×)?\n\
         fixtures/names/accents/chapitre-02.md:9:1: warning[name-variant] “Anais” (1×): did you mean “Anaïs” (4×)?\n\
         Found 0 errors, 3 warnings and 0 infos in 2 files (149 words)\n"
    );
}

#[test]
fn a_bad_names_table_is_a_config_error() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let config = dir.path().join("manulint.toml");
    std::fs::write(&config, "[names]\nKatherine = \"Kate\"\n").expect("write");
    let output = check(
        "name-variant",
        &[
            "fixtures/names/planted",
            "--config",
            config.to_str().expect("UTF-8"),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid type"), "{stderr}");
    let config_text = "[rules.name-variant]\nallow = \"Mara\"\n";
    std::fs::write(&config, config_text).expect("write");
    let output = check(
        "name-variant",
        &[
            "fixtures/names/planted",
            "--config",
            config.to_str().expect("UTF-8"),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("name-variant"));
}

#[test]
fn output_is_the_same_with_sixteen_threads() {
    let mut paths = vec![PathBuf::from("fixtures/names/planted")];
    let novel = Path::new("../shared/corpus/pride-and-prejudice");
    if novel.is_dir() {
        paths.push(novel.to_path_buf());
    }
    for path in paths {
        let run = |threads: &str| {
            manulint()
                .env("RAYON_NUM_THREADS", threads)
                .args(["check", "--select", "name-variant", "--format", "json"])
                .arg(&path)
                .timeout(std::time::Duration::from_secs(300))
                .output()
                .expect("runs")
                .stdout
        };
        assert_eq!(run("1"), run("16"), "{}", path.display());
    }
}

/// Every finding on the corpus, each novel its own manuscript. All five are
/// real inconsistencies of the printed texts (judged in docs/names.md); the
/// false alarms met while building the rule stay quiet: a month beside a
/// person (June/Jane in Emma and Pride and Prejudice), an inn beside a man
/// (Swan/Swain), a hotel beside a man (Ritz-Carlton/Carleton), a church
/// beside a girl (St. Anne's/Annie), an interjection (Halloo/Hallo), and
/// one drift reported twice (Abbey Mill and Abbey Mill Farm).
#[test]
fn corpus_findings_are_the_judged_ones() {
    let Some(corpus) = corpus() else {
        eprintln!("SKIP: ../shared/corpus not found; corpus test not run");
        return;
    };
    let mut found = Vec::new();
    let mut words = 0.0;
    for novel in novels(&corpus) {
        let output = check(
            "name-variant",
            &[novel.to_str().expect("UTF-8"), "--format", "json"],
        );
        let json = common::json(&output.stdout);
        words += json["summary"]["words"].as_f64().unwrap_or(0.0);
        let name = novel
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        for (rare, main) in pairs(&json) {
            found.push(format!("{name}: {rare} / {main}"));
        }
    }
    let rate = found.len() as f64 * 100_000.0 / words;
    eprintln!(
        "name-variant on the corpus: {} findings in {words} words, {rate:.2} per 100,000 words",
        found.len()
    );
    assert_eq!(
        found,
        vec![
            "a-tale-of-two-cities: Notre-Dame / Notre Dame",
            "a-tale-of-two-cities: Citizen-Doctor / Citizen Doctor",
            "emma: Abbey Mill Farm / Abbey-Mill Farm",
            "pride-and-prejudice: Philips / Phillips",
            "the-beautiful-and-damned: Post-Road / Post Road",
        ]
    );
    for judged in ["June", "Swan", "Carlton", "Annie", "Halloo", "Abbey Mill /"] {
        assert!(
            found.iter().all(|f| !f.contains(judged)),
            "{judged}: {found:?}"
        );
    }
}

/// Character names per corpus novel, respelled in the recall test. Names
/// used in only one chapter are skipped by the test.
const CHARACTERS: &[(&str, &str)] = &[
    (
        "a-tale-of-two-cities",
        "Lorry Pross Cruncher Stryver Manette Carton Darnay Defarge Lucie Barsad",
    ),
    (
        "adventures-of-huckleberry-finn",
        "Jim Tom Huck Watson Sophia Wilks Phelps Sally Buck Pap",
    ),
    (
        "emma",
        "Emma Harriet Weston Elton Knightley Woodhouse Bates Fairfax Churchill Martin",
    ),
    (
        "frankenstein",
        "Elizabeth Clerval Justine Victor Ernest Kirwin Walton Felix Safie William",
    ),
    (
        "great-expectations",
        "Havisham Joe Jaggers Wemmick Wopsle Pip Pumblechook Herbert Estella Biddy",
    ),
    (
        "pride-and-prejudice",
        "Darcy Bennet Bingley Collins Gardiner Wickham Elizabeth Lydia Jane Charlotte",
    ),
    (
        "the-adventures-of-sherlock-holmes",
        "Holmes Watson Lestrade Rucastle Hunter Stoner Holder Wilson Turner Windibank",
    ),
    (
        "the-adventures-of-tom-sawyer",
        "Tom Huck Becky Sid Polly Thatcher Harper Potter Joe Mary",
    ),
    (
        "the-beautiful-and-damned",
        "Anthony Gloria Maury Bloeckman Dick Richard Muriel Adam Patch Rachael",
    ),
    (
        "the-hound-of-the-baskervilles",
        "Holmes Watson Stapleton Barrymore Mortimer Henry Baskerville Frankland Lyons Selden",
    ),
    (
        "the-house-of-mirth",
        "Lily Selden Bart Gryce Trenor Dorset Rosedale Peniston Gerty Farish",
    ),
    ("the-time-machine", "Weena Filby Eloi"),
    ("the-war-of-the-worlds", "Ogilvy Elphinstone Henderson"),
];

const VOWELS: [char; 5] = ['a', 'e', 'i', 'o', 'u'];

/// One slip in `name`: a letter dropped, doubled or undoubled, two letters
/// swapped, a vowel changed, or an accent added — never to the first
/// letter. A letter is dropped only from names of four letters or more
/// (“Jo” for “Joe” is another name).
fn respell(name: &str, rng: &mut Rng) -> Option<String> {
    let c: Vec<char> = name.chars().collect();
    let n = c.len();
    let join = |v: Vec<char>| v.into_iter().collect::<String>();
    let first = rng.below(5);
    for t in 0..5 {
        match (first + t) % 5 {
            0 if n > 3 => {
                let p = 1 + rng.below(n - 2);
                let mut d = c.clone();
                d.remove(p);
                return Some(join(d));
            }
            1 => {
                let doubled: Vec<usize> = (1..n).filter(|&p| c[p] == c[p - 1]).collect();
                if !doubled.is_empty() && rng.below(2) == 0 {
                    let mut d = c.clone();
                    d.remove(doubled[rng.below(doubled.len())]);
                    return Some(join(d));
                }
                let singles: Vec<usize> = (1..n)
                    .filter(|&p| {
                        !VOWELS.contains(&c[p].to_ascii_lowercase())
                            && c[p] != c[p - 1]
                            && (p + 1 >= n || c[p + 1] != c[p])
                    })
                    .collect();
                if !singles.is_empty() {
                    let p = singles[rng.below(singles.len())];
                    let mut d = c.clone();
                    d.insert(p, c[p]);
                    return Some(join(d));
                }
            }
            2 => {
                let swaps: Vec<usize> = (1..n.saturating_sub(1))
                    .filter(|&p| c[p] != c[p + 1])
                    .collect();
                if !swaps.is_empty() {
                    let p = swaps[rng.below(swaps.len())];
                    let mut d = c.clone();
                    d.swap(p, p + 1);
                    return Some(join(d));
                }
            }
            3 => {
                let vowels: Vec<usize> = (1..n.saturating_sub(1))
                    .filter(|&p| VOWELS.contains(&c[p]))
                    .collect();
                if !vowels.is_empty() {
                    let p = vowels[rng.below(vowels.len())];
                    let others: Vec<char> = VOWELS.into_iter().filter(|&v| v != c[p]).collect();
                    let mut d = c.clone();
                    d[p] = others[rng.below(others.len())];
                    return Some(join(d));
                }
            }
            4 => {
                let vowels: Vec<usize> = (1..n).filter(|&p| VOWELS.contains(&c[p])).collect();
                if !vowels.is_empty() {
                    let p = vowels[rng.below(vowels.len())];
                    let mut d = c.clone();
                    d[p] = match c[p] {
                        'a' => 'á',
                        'e' => 'é',
                        'i' => 'í',
                        'o' => 'ó',
                        _ => 'ú',
                    };
                    return Some(join(d));
                }
            }
            _ => {}
        }
    }
    None
}

/// Byte offsets of `name` as a whole word in `text` (no letter on either
/// side; `_Tom_` in italics counts).
fn occurrences(text: &str, name: &str) -> Vec<usize> {
    text.match_indices(name)
        .map(|(at, _)| at)
        .filter(|&at| {
            !text[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic)
                && !text[at + name.len()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphabetic)
        })
        .collect()
}

/// How the respelling is spread: every use in one chapter (a name that
/// drifted between drafts), or one use (a typo).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Spread {
    Chapter,
    Once,
}

/// Respells each character's name in one chapter of a copy of each novel
/// (one slip per name, seeded), runs the rule on the copy and counts the
/// respellings it reports, in either direction. Returns (found, tried).
fn recall(corpus: &Path, spread: Spread, seed: u64) -> (usize, usize) {
    let mut rng = Rng(seed);
    let (mut found, mut tried) = (0, 0);
    for (novel, names) in CHARACTERS {
        let source = corpus.join(novel);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&source)
            .expect("novel readable")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        let mut texts: Vec<String> = files
            .iter()
            .map(|f| std::fs::read_to_string(f).expect("chapter readable"))
            .collect();
        let mut edits = Vec::new();
        for name in names.split(' ') {
            let chapters: Vec<usize> = (0..texts.len())
                .filter(|&i| !occurrences(&texts[i], name).is_empty())
                .collect();
            if chapters.len() < 2 {
                continue;
            }
            let chapter = chapters[rng.below(chapters.len())];
            let Some(new) = respell(name, &mut rng) else {
                continue;
            };
            let mut at = occurrences(&texts[chapter], name);
            if spread == Spread::Once {
                at = vec![at[rng.below(at.len())]];
            }
            for &offset in at.iter().rev() {
                texts[chapter].replace_range(offset..offset + name.len(), &new);
            }
            edits.push((name.to_string(), new));
        }
        let dir = tempfile::TempDir::new().expect("temp dir");
        for (file, text) in files.iter().zip(&texts) {
            std::fs::write(dir.path().join(file.file_name().expect("file name")), text)
                .expect("write copy");
        }
        let output = check(
            "name-variant",
            &[dir.path().to_str().expect("UTF-8"), "--format", "json"],
        );
        let reported = pairs(&common::json(&output.stdout));
        let has_word = |name: &str, word: &str| name.split([' ', '-']).any(|w| w == word);
        for (name, new) in &edits {
            tried += 1;
            let hit = reported.iter().any(|(rare, main)| {
                (has_word(rare, new) && has_word(main, name))
                    || (has_word(main, new) && has_word(rare, name))
            });
            if hit {
                found += 1;
            } else {
                eprintln!("  missed ({spread:?}): {novel}: {name} → {new}");
            }
        }
    }
    (found, tried)
}

/// Recall on corpus copies: each character's name gets one slip (seed 17)
/// in one chapter — every use there (a drift), then in a fresh copy a
/// single use (a typo). Target: 90% of drifts; typos, with less context to
/// go on, 85%.
#[test]
fn respelled_names_in_corpus_copies_are_found() {
    let Some(corpus) = corpus() else {
        eprintln!("SKIP: ../shared/corpus not found; recall test not run");
        return;
    };
    for (spread, target) in [(Spread::Chapter, 0.90), (Spread::Once, 0.85)] {
        let (found, tried) = recall(&corpus, spread, 17);
        let rate = found as f64 / tried as f64;
        eprintln!(
            "name-variant recall ({spread:?}): {found} of {tried} respelled names, {:.1}%",
            rate * 100.0
        );
        assert!(tried >= 100, "only {tried} names tried");
        assert!(
            rate >= target,
            "{spread:?} recall {:.1}% is under {:.0}%",
            rate * 100.0,
            target * 100.0
        );
    }
}
