use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::*;
use crate::engine::{self, EnabledRule};
use crate::rule::RuleSetup;

/// Runs one rule of `set` on chapters given as `(file name, text)`;
/// returns `(chapter, line, column, message)` per finding.
fn run_with(
    set: &Arc<PackSet>,
    id: &str,
    options: &str,
    chapters: &[(&str, &str)],
) -> Vec<(usize, usize, usize, String)> {
    let manuscript = crate::testing::manuscript(chapters);
    let registry = Registry::with_packs(set);
    let available = registry.get(id).unwrap_or_else(|| panic!("no rule {id}"));
    let config = Config::default();
    let options: toml::Table = toml::from_str(options).unwrap();
    let rule = available
        .build(&RuleSetup {
            options: &options,
            config: &config,
        })
        .unwrap();
    let severity = available.meta.default_severity;
    let output = engine::run(&manuscript, &[EnabledRule { rule, severity }]);
    output
        .diagnostics
        .into_iter()
        .map(|d| {
            let at = manuscript
                .chapter(d.primary.chapter)
                .line_col(d.primary.span.start as usize);
            (d.primary.chapter, at.line, at.column, d.message)
        })
        .collect()
}

fn user_set(text: &str) -> Arc<PackSet> {
    match PackSet::load(
        &[(PathBuf::from("style/house.toml"), text.to_string())],
        &crate::rules::Registry::code_rule_ids(),
    ) {
        Ok(set) => set,
        Err(e) => panic!("{}", e.message),
    }
}

fn load_error(text: &str) -> String {
    match PackSet::load(
        &[(PathBuf::from("style/house.toml"), text.to_string())],
        &[],
    ) {
        Ok(_) => panic!("pack loaded"),
        Err(e) => e.message,
    }
}

#[test]
fn every_pack_file_is_embedded() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("rules/{n}"))
        .collect();
    on_disk.sort();
    let mut embedded: Vec<&str> = EMBEDDED.iter().map(|(p, _)| *p).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded, "add the new pack to packs::EMBEDDED");
    for (path, text) in EMBEDDED {
        let on_disk =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
        assert_eq!(&on_disk, text);
    }
}

#[test]
fn embedded_patterns_pass_the_user_checks() {
    // Shipped packs skip the pattern checks at run time (format::Trust);
    // they must pass them here, as a user's pack would.
    for (path, text) in EMBEDDED {
        let rules = format::parse_pack(Path::new(path), text)
            .unwrap_or_else(|e| panic!("{path} fails the user checks: {e}"));
        let checked: usize = rules.iter().map(|r| r.patterns.len()).sum();
        let expected = if *path == "rules/scaffolding.toml" {
            29
        } else {
            0
        };
        assert_eq!(checked, expected, "{path}");
        for rule in &rules {
            for source in &rule.patterns {
                assert!(format::check_pattern(&rule.id, source).is_ok(), "{source}");
            }
        }
    }
}

#[test]
fn shipped_packs_have_the_promised_rules_and_sizes() {
    let set = PackSet::embedded();
    let ids: Vec<&str> = set.rule_ids().collect();
    assert_eq!(
        ids,
        vec!["cliche", "scaffolding-heading", "spelling-variant"]
    );
    let cliche = &set.rules[0];
    assert!(cliche.phrases.len() >= 300, "{}", cliche.phrases.len());
    let spelling = &set.rules[2];
    let groups: std::collections::HashSet<u32> = spelling
        .phrases
        .iter()
        .filter_map(|p| p.group.map(|g| g.0))
        .collect();
    assert!(groups.len() >= 300, "{}", groups.len());
}

#[test]
fn every_in_file_case_of_every_shipped_pack() {
    let set = PackSet::embedded();
    let mut failures = Vec::new();
    let mut ran = 0;
    for spec in &set.rules {
        assert!(!spec.tests.is_empty(), "rule {} has no tests", spec.id);
        assert!(!spec.allows.is_empty(), "rule {} has no allows", spec.id);
        // A test must fire where it can stand; an allow must fire nowhere.
        for case in &spec.tests {
            let index = set.rules.iter().position(|r| r.id == spec.id).unwrap();
            if !set.case_fires(index, &case.text).unwrap() {
                failures.push(format!("{}: should fire: {:?}", spec.id, case.text));
            }
            ran += 1;
        }
        for case in &spec.allows {
            for (name, text) in case_chapters(spec.scope, &case.text) {
                let found = run_with(&set, &spec.id, "", &[(name, &text)]);
                if !found.is_empty() {
                    failures.push(format!(
                        "{}: should not fire in {name}: {:?} → {found:?}",
                        spec.id, case.text
                    ));
                }
            }
            ran += 1;
        }
    }
    assert!(ran > 100, "only {ran} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn phrases_match_whole_words_across_line_breaks_and_apostrophes() {
    let set = PackSet::embedded();
    // Hard-wrapped, curly apostrophe, different case.
    let text = "Marisol let out a breath she\ndidn’t know she was holding. Her Heart Hammered In Her Chest.\n";
    let found = run_with(&set, "cliche", "", &[("c.txt", text)]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!((found[0].1, found[0].2), (2, 1));
    assert!(
        found[0]
            .3
            .starts_with("“didn’t know she was holding” is a stock phrase"),
        "{}",
        found[0].3
    );
    assert_eq!((found[1].1, found[1].2), (2, 34));
}

#[test]
fn allow_option_silences_a_phrase_and_a_heading() {
    let set = PackSet::embedded();
    let text = "At the end of the day, it rained.\n";
    assert_eq!(run_with(&set, "cliche", "", &[("c.txt", text)]).len(), 1);
    assert!(
        run_with(
            &set,
            "cliche",
            "allow = [\"at the end of the day\"]",
            &[("c.txt", text)]
        )
        .is_empty()
    );
    let heading = "# Resolution\n\nIt ended.\n";
    assert_eq!(
        run_with(&set, "scaffolding-heading", "", &[("c.md", heading)]).len(),
        1
    );
    assert!(
        run_with(
            &set,
            "scaffolding-heading",
            "allow = [\"Resolution\"]",
            &[("c.md", heading)]
        )
        .is_empty()
    );
    // A letter's salutation in plain text is the letter's, not a template
    // label ending in a colon; the label beside it still is one.
    let letter = "The letter came on the Tuesday.\n\nDear Mrs Doyle:\n\nWe regret the delay.\n\nTo Whom It May Concern:\n\nThe bearer is a good worker.\n\nThe Setting:\n\nAn island.\n";
    let found = run_with(&set, "scaffolding-heading", "", &[("c.txt", letter)]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .3
            .starts_with("“The Setting:” looks like an outline label"),
        "{found:?}"
    );
}

#[test]
fn consistency_flags_the_minority_across_chapters() {
    let set = PackSet::embedded();
    let found = run_with(
        &set,
        "spelling-variant",
        "",
        &[
            ("a.txt", "A gray coat. A gray hat.\n"),
            ("b.txt", "The grey sea. Mr. Gray came. Gray skies.\n"),
        ],
    );
    assert_eq!(
        found,
        vec![(
            1,
            1,
            5,
            "“grey” here, but “gray” 3× elsewhere in the manuscript; use one spelling throughout."
                .to_string()
        )]
    );
}

/// Each group of the list is one inflection, but a reader sees one word:
/// “realize” once beside “realised” twice and “realises” once is flagged,
/// though the manuscript never writes “realise”, and the fix writes
/// “realise”; “colour” once beside “colored” four times likewise. A word
/// whose inflections are split about evenly follows the book's dialect,
/// and without one is left alone.
#[test]
fn a_lone_spelling_follows_its_words_other_inflections() {
    let set = PackSet::embedded();
    let spelling = |chapters: &[(&str, &str)]| run_with(&set, "spelling-variant", "", chapters);
    let chapters = [
        ("a.txt", "She realised it. He realised it too.\n"),
        ("b.txt", "They would realize it. Nobody realises.\n"),
    ];
    let found = spelling(&chapters);
    assert_eq!(
        found,
        vec![(
            1,
            1,
            12,
            "“realize” is the American spelling, but the manuscript spells this word the British way (“realised” 2×): 3 British spellings of it against 1 American"
                .to_string()
        )]
    );
    let fixed = crate::testing::fixed_texts("spelling-variant", &chapters, true);
    assert_eq!(fixed[1], "They would realise it. Nobody realises.\n");
    let found = spelling(&[(
        "a.txt",
        "A colored hat, a colored coat, colored glass and colored ink. The colour ran.\n",
    )]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].3,
        "“colour” is the British spelling, but the manuscript spells this word the American way (“colored” 4×): 4 American spellings of it against 1 British"
    );
    // A close word in a book with a dialect goes to the book's: an American
    // book's narration keeps its one “colored”, and the aunt's letter's
    // “colour” and “colours” are flagged, as a close group's would be.
    let narration = "Her neighbors fixed the harbor wall. The gray dog ran. She realized it. They realized it. The colored lamps were lit.\n";
    let letter = "Dear Ruth, the colour of the sea and the colours of the sky.\n";
    let found = spelling(&[("a.txt", narration), ("b.txt", letter)]);
    let messages: Vec<&str> = found.iter().map(|f| f.3.as_str()).collect();
    assert_eq!(
        messages,
        [
            "“colour” is the British spelling, but the manuscript keeps to American spelling (“colored”): 6 American spellings in all against 2 British",
            "“colours” is the British spelling, but the manuscript keeps to American spelling (“colored”): 6 American spellings in all against 2 British",
        ]
    );
    // Inflections whose British stem drops an “e” are one word too.
    let found = spelling(&[(
        "a.txt",
        "The manoeuvre failed. Two manoeuvres more. The manoeuvre again. They maneuvered.\n",
    )]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .3
            .starts_with("“maneuvered” is the American spelling"),
        "{found:?}"
    );
    // One use each way is a split, not a majority, in a book of no clear
    // dialect.
    for text in [
        "She realised it. They would realize it.\n",
        "The colour ran. A colored hat.\n",
    ] {
        assert_eq!(spelling(&[("a.txt", text)]), vec![], "{text}");
    }
}

/// A word written both ways about as often follows the dialect most of the
/// book's spellings are in, so that a British narration is not told to
/// write like an American character's letters (“realized” twice in the
/// letters, “realised” once in the narration); a clear majority still
/// decides its own word (an Oxford “realized” five times), and a learned
/// compound written once each way goes to the commoner word.
#[test]
fn a_close_group_follows_the_books_dialect() {
    let set = PackSet::embedded();
    let narration = "The grey sea, the grey sky, the grey harbour wall. The colour of the harbour. She realised it was late.\n";
    let letter = "Dear Margaret, I realized the color was wrong, and realized it again.\n";
    let found = run_with(
        &set,
        "spelling-variant",
        "",
        &[("a.txt", narration), ("b.txt", letter)],
    );
    let american = |word: &str, usual: &str| {
        format!(
            "“{word}” is the American spelling, but the manuscript keeps to British spelling (“{usual}”): 7 British spellings in all against 3 American"
        )
    };
    assert_eq!(
        found,
        vec![
            (1, 1, 18, american("realized", "realised")),
            // A tie the first use already gives to British.
            (
                1,
                1,
                31,
                "“color” here, but “colour” 1× elsewhere in the manuscript; use one spelling throughout."
                    .to_string(),
            ),
            (1, 1, 52, american("realized", "realised")),
        ]
    );
    // Five to one is no close call: the majority decides that word.
    let oxford = "She realized it. He realized it. They realized it. We realized it. I realized it. The grey colour of the grey harbour, the grey sea, the grey sky.\n";
    let found = run_with(
        &set,
        "spelling-variant",
        "",
        &[("a.txt", oxford), ("b.txt", "She realised it.\n")],
    );
    assert_eq!(
        found,
        vec![(
            1,
            1,
            5,
            "“realised” here, but “realized” 5× elsewhere in the manuscript; use one spelling throughout."
                .to_string()
        )]
    );
    // A learned compound once each way: the commoner word is the usual one,
    // wherever it comes.
    let found = run_with(
        &set,
        "spelling-variant",
        "",
        &[
            ("a.txt", "Today she would go down to the sea.\n"),
            ("b.txt", "I write to-day because the boat goes soon.\n"),
        ],
    );
    assert_eq!(
        found,
        vec![(
            1,
            1,
            9,
            "“to-day” here, but “Today” 1× elsewhere in the manuscript; use one spelling throughout."
                .to_string()
        )]
    );
}

/// Text the rule is silenced in does not vote: a character's letters in
/// another dialect, under a directive, no longer make the narration's
/// spelling the minority; without the directive they do.
#[test]
fn silenced_text_does_not_vote() {
    let set = PackSet::embedded();
    let letter = "%% manulint-disable spelling-variant\n\nThe color, the color, the color of it, and the e-mail.\n\n%% manulint-enable\n\nThe colour of the sea. She read the email.\n";
    assert_eq!(
        run_with(&set, "spelling-variant", "", &[("a.txt", letter)]),
        vec![]
    );
    let unsilenced = letter.replace("%% manulint-disable spelling-variant", "A letter.");
    let found = run_with(&set, "spelling-variant", "", &[("a.txt", &unsilenced)]);
    let messages: Vec<&str> = found.iter().map(|f| f.3.as_str()).collect();
    assert_eq!(
        messages,
        [
            "“e-mail” here, but “email” 1× elsewhere in the manuscript; use one spelling throughout.",
            "“colour” here, but “color” 3× elsewhere in the manuscript; use one spelling throughout.",
        ]
    );
}

#[test]
fn compounds_are_learned_from_the_text() {
    let set = PackSet::embedded();
    let found = run_with(
        &set,
        "spelling-variant",
        "",
        &[
            (
                "a.txt",
                "She worked on a sound stage. Then another sound stage.\n",
            ),
            ("b.txt", "He sat on a sound-stage and a soundstage.\n"),
            ("c.txt", "A well-known man. He was well known.\n"),
        ],
    );
    let messages: Vec<(usize, usize, usize)> = found.iter().map(|f| (f.0, f.1, f.2)).collect();
    assert_eq!(messages, vec![(1, 1, 13), (1, 1, 31)], "{found:?}");
    assert!(
        found[0]
            .3
            .starts_with("“sound-stage” here, but “sound stage” 2×")
    );
}

const USER_PACK: &str = r#"
[pack]
name = "house"

[[rules]]
id = "house-words"
kind = "substitution"
category = "style"
severity = "warning"
scope = "narration"
summary = "House words"
docs = """
## What it does
Swaps.
## Why
House style.
## Example
utilize → use
## Options
None.
"""
message = "write “{replacement}”, not “{match}”"
swap = { "(utilize|utilise)" = "use", "okay" = "OK" }
tests = ["We utilize it."]
allows = ["“We utilize it,” she said."]

[[rules]]
id = "house-sigh"
kind = "occurrence"
category = "style"
severity = "info"
summary = "Too many sighs"
docs = """
## What it does
Counts.
## Why
Habit.
## Example
sighed
## Options
`max`, `per`.
"""
message = "“{match}”: {count} times in this chapter (keep it under {max} per {per} words)"
patterns = ['\bsigh(?:s|ed|ing)?\b']
max = 2
per = 1000
tests = []
allows = []

[[rules]]
id = "house-names"
kind = "existence"
category = "consistency"
severity = "error"
scope = "dialogue"
ignore_case = false
summary = "Old names"
docs = """
## What it does
Names.
## Why
Renamed.
## Example
Jon
## Options
None.
"""
message = "“{match}” was renamed"
phrases = ["Jon", "Mrs. O'Hara"]
tests = []
allows = []
"#;

#[test]
fn user_pack_kinds_and_scopes() {
    let set = user_set(USER_PACK);
    let text = "We utilise it. “We utilize it,” she said. Okay.\n";
    assert_eq!(
        run_with(&set, "house-words", "", &[("c.txt", text)]),
        vec![
            (0, 1, 4, "write “use”, not “utilise”".to_string()),
            (0, 1, 43, "write “OK”, not “Okay”".to_string()),
        ]
    );
    let sighs = "She sighed. He sighed. They sighed.\n";
    assert_eq!(
        run_with(&set, "house-sigh", "", &[("c.txt", sighs)]),
        vec![(
            0,
            1,
            29,
            "“sighed”: 3 times in this chapter (keep it under 2 per 1000 words)".to_string()
        )]
    );
    assert!(run_with(&set, "house-sigh", "max = 3", &[("c.txt", sighs)]).is_empty());
    let names = "Jon left. “Jon and Mrs. O’Hara, jon,” she said.\n";
    let found = run_with(&set, "house-names", "", &[("c.txt", names)]);
    let at: Vec<usize> = found.iter().map(|f| f.2).collect();
    assert_eq!(at, vec![12, 20], "{found:?}");
}

#[test]
fn broken_packs_name_file_and_line() {
    let unknown = USER_PACK.replace(
        "scope = \"narration\"",
        "scope = \"narration\"\nfrobnicate = 1",
    );
    let message = load_error(&unknown);
    assert!(
        message.starts_with("invalid rule pack style/house.toml, line 11:"),
        "{message}"
    );
    assert!(message.contains("unknown field `frobnicate`"), "{message}");

    let bad_regex = USER_PACK.replace(r"\bsigh(?:s|ed|ing)?\b", r"\bsigh(");
    let message = load_error(&bad_regex);
    assert!(
        message.starts_with(
            "invalid rule pack style/house.toml, line 44: bad regex in rule `house-sigh`"
        ),
        "{message}"
    );

    let message = load_error("[pack\nname = 1\n");
    assert!(
        message.starts_with("invalid rule pack style/house.toml, line 1:"),
        "{message}"
    );

    let duplicate = USER_PACK.replace("id = \"house-sigh\"", "id = \"house-words\"");
    let message = load_error(&duplicate);
    assert_eq!(
        message,
        "invalid rule pack style/house.toml, line 28: duplicate rule id `house-words`"
    );

    let shipped = USER_PACK.replace("id = \"house-sigh\"", "id = \"cliche\"");
    assert!(load_error(&shipped).contains("duplicate rule id `cliche`"));

    let category = USER_PACK.replace(
        "category = \"style\"\nseverity = \"warning\"",
        "category = \"prose\"\nseverity = \"warning\"",
    );
    assert!(load_error(&category).contains("line 8: unknown category `prose`"));
}

#[test]
fn empty_matching_and_huge_patterns_are_refused() {
    for pattern in [r"\bsigh(?:s|ed|ing)?\b|", r"(sighs)?", r"\b"] {
        let text = USER_PACK.replace(r"\bsigh(?:s|ed|ing)?\b", pattern);
        assert_eq!(
            load_error(&text),
            "invalid rule pack style/house.toml, line 44: pattern of rule `house-sigh` can match the empty string",
            "{pattern}"
        );
    }
    let started = std::time::Instant::now();
    let huge = USER_PACK.replace(r"\bsigh(?:s|ed|ing)?\b", r"\w{1000}{1000}");
    assert_eq!(
        load_error(&huge),
        "invalid rule pack style/house.toml, line 44: pattern of rule `house-sigh` is too big once compiled (over 10 MiB)"
    );
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

#[test]
fn user_tests_and_allows_run_at_load() {
    let silent = USER_PACK.replace(
        r#"tests = ["We utilize it."]"#,
        r#"tests = ["We utilize it.", "We use it."]"#,
    );
    assert_eq!(
        load_error(&silent),
        "invalid rule pack style/house.toml, line 24: rule `house-words` does not flag its test case “We use it.”"
    );
    let noisy = USER_PACK.replace(
        r#"allows = ["“We utilize it,” she said."]"#,
        r#"allows = ["“We utilize it,” she said.", "Okay, we go."]"#,
    );
    assert_eq!(
        load_error(&noisy),
        "invalid rule pack style/house.toml, line 25: rule `house-words` flags “Okay, we go.”, which its `allows` lists as fine"
    );
    // The pack as written passes its own cases.
    assert_eq!(user_set(USER_PACK).rule_ids().count(), 6);
}

#[test]
fn expansion_of_groups() {
    assert_eq!(
        format::expand("(her|his) heart (raced|) fast").unwrap(),
        vec![
            "her heart raced fast",
            "her heart fast",
            "his heart raced fast",
            "his heart fast"
        ]
    );
    assert!(format::expand("a (b|c").is_err());
    assert_eq!(format::widen_apostrophes("don't[^']"), "don['’]t[^'’]");
}

#[test]
fn spelling_and_scaffolding_fixes_are_unsafe() {
    let one = "The colour of the sky. Colour everywhere, colour and grey.\n";
    let two = "# Chapter 2\n\n## The Setting:\n\nColor photographs, in color.\n";
    let chapters = [("a.md", one), ("b.md", two)];
    // Safe fixes only: nothing changes.
    let safe = crate::testing::fixed_texts("spelling-variant", &chapters, false);
    assert_eq!(safe, vec![one.to_string(), two.to_string()]);
    let spelling = crate::testing::fixed_texts("spelling-variant", &chapters, true);
    assert_eq!(
        spelling[1],
        "# Chapter 2\n\n## The Setting:\n\nColour photographs, in colour.\n"
    );
    let scaffolding = crate::testing::fixed_texts("scaffolding-heading", &chapters, true);
    assert_eq!(
        scaffolding[1],
        "# Chapter 2\n\nColor photographs, in color.\n"
    );
    let registry = Registry::builtin();
    let fix_of = |id: &str| registry.get(id).and_then(|r| r.meta.fix);
    assert_eq!(
        fix_of("spelling-variant"),
        Some(crate::diagnostic::Applicability::Unsafe)
    );
    assert_eq!(
        fix_of("scaffolding-heading"),
        Some(crate::diagnostic::Applicability::Unsafe)
    );
    assert_eq!(fix_of("cliche"), None);
}

/// `prefer = "British"`: every American spelling is flagged, even in a
/// manuscript that never writes the British one and where the American is
/// the majority, the British uses are not, the help names the setting, and
/// the learned compounds still follow the majority. A further variant of a
/// group (“tranquilliser”) is left alone.
#[test]
fn prefer_sets_the_house_spelling() {
    let one =
        "The color of the sky. Color everywhere, color and grey.\n\nShe took a tranquilliser.\n";
    let two = "It was to-day. Today, today, today.\n";
    let (manuscript, found) = crate::testing::run_rule_with(
        "spelling-variant",
        r#"prefer = "british""#,
        &[("a.txt", one), ("b.txt", two)],
    );
    let shown: Vec<(usize, u32, &str)> = found
        .iter()
        .map(|d| (d.primary.chapter, d.primary.span.start, d.message.as_str()))
        .collect();
    assert_eq!(
        shown,
        vec![
            (
                0,
                4,
                "“color” is the American spelling; the manuscript keeps to British spelling (“colour”)"
            ),
            (
                0,
                22,
                "“Color” is the American spelling; the manuscript keeps to British spelling (“colour”)"
            ),
            (
                0,
                40,
                "“color” is the American spelling; the manuscript keeps to British spelling (“colour”)"
            ),
            (
                1,
                7,
                "“to-day” here, but “Today” 3× elsewhere in the manuscript; use one spelling throughout."
            ),
        ]
    );
    assert_eq!(
        found[0].help.as_deref(),
        Some(
            "`prefer = \"British\"` in [rules.spelling-variant] sets the house spelling; proper nouns keep their own and can be allowed"
        )
    );
    let fix = found[1].fix.as_ref().expect("a fix");
    assert_eq!(fix.edits[0].replacement, "Colour");
    assert_eq!(fix.applicability, crate::diagnostic::Applicability::Unsafe);
    assert_eq!(manuscript.chapters.len(), 2);
    // Without `prefer`, the majority (“color”, 3×) wins and grey is fine.
    let (_, found) = crate::testing::run_rule_on("spelling-variant", &[("a.txt", one)]);
    assert!(found.is_empty(), "one spelling of each word: {found:?}");
}

/// The first word after a heading starts a sentence, even where the
/// heading ends without a full stop: “Color” there is a spelling, not a
/// name (it was taken for one, as if it went on from “Chapter Two”).
#[test]
fn the_first_word_after_a_heading_is_no_name() {
    let text =
        "# Chapter One\n\nThe colour was grey.\n\n# Chapter Two\n\nColor drained from her face.\n";
    let (_, found) = crate::testing::run_rule_with(
        "spelling-variant",
        r#"prefer = "British""#,
        &[("a.md", text)],
    );
    let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        ["“Color” is the American spelling; the manuscript keeps to British spelling (“colour”)"]
    );
}

/// A word in capitals alone in a sentence, or in a heading, is a spelling
/// (“The COLORS were bright” went unflagged, taken for a name), except
/// after a title (“MR. GRAY”); beside another word in capitals it is
/// lettering the story quotes (a sign's “COLOR TELEVISION”, a headline's
/// “PEARL HARBOR BOMBED”), which keeps its own spelling.
#[test]
fn words_in_capitals_are_spellings_unless_lettering() {
    let text = "# THE CENTER OF TOWN\n\nThe COLORS were bright under the COLOR TELEVISION sign. \
                MR. GRAY waved a paper: PEARL HARBOR BOMBED.\n";
    let (_, found) = crate::testing::run_rule_with(
        "spelling-variant",
        r#"prefer = "British""#,
        &[("a.md", text)],
    );
    let shown: Vec<(u32, &str)> = found
        .iter()
        .map(|d| (d.primary.span.start, d.message.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                6,
                "“CENTER” is the American spelling; the manuscript keeps to British spelling (“centre”)"
            ),
            (
                26,
                "“COLORS” is the American spelling; the manuscript keeps to British spelling (“colours”)"
            ),
        ]
    );
    assert_eq!(
        found[1].fix.as_ref().unwrap().edits[0].replacement,
        "COLOURS"
    );
}

/// One mention of a title (“read The Color Purple”) makes no name of the
/// word in capitals elsewhere (“COLOR” on a board was unflagged, taken for
/// a name the manuscript uses); a name capitalised inside sentences twice
/// or more still is one, in capitals too (“GRAY” of Mr Gray).
#[test]
fn a_title_mentioned_once_makes_no_name_of_a_word_in_capitals() {
    let text = "She had read The Color Purple on the train. She nodded to Gray, \
                and Gray smiled.\n\nShe wrote COLOR on the board, and GRAY wrote back.\n";
    let (_, found) = crate::testing::run_rule_with(
        "spelling-variant",
        r#"prefer = "British""#,
        &[("a.md", text)],
    );
    let shown: Vec<(&str, &str)> = found
        .iter()
        .map(|d| {
            (
                &text[d.primary.span.start as usize..d.primary.span.end as usize],
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [(
            "COLOR",
            "“COLOR” is the American spelling; the manuscript keeps to British spelling (“colour”)"
        )]
    );
}

/// Words in capitals in speech with a dialogue tag are shouting, the
/// writer's spelling (“THE COLOR IS ALL WRONG!” he shouted was taken for
/// lettering, beside the other words in capitals); lettering quoted
/// without a loud speech verb or an exclamation (a sign that read “…”, a
/// headline that said “…”) is still left alone.
#[test]
fn shouting_in_capitals_is_a_spelling_and_quoted_lettering_is_not() {
    let text = "“THE COLOR IS ALL WRONG!” the painter shouted.\n\n\
                He yelled, ‘CENTER IT, I SAID!’\n\n\
                The sign read “COLOR FILM DEVELOPED HERE.”\n\n\
                The paper said PEARL HARBOR BOMBED in black letters.\n\n\
                “GRAY AND SONS,” read the brass plate.\n\n\
                The headline said, “HARBOR FIRE.”\n\n\
                “PAINT THE CENTER GRAY!” she said.\n";
    let (_, found) = crate::testing::run_rule_with(
        "spelling-variant",
        r#"prefer = "British""#,
        &[("a.md", text)],
    );
    let shown: Vec<&str> = found
        .iter()
        .map(|d| &text[d.primary.span.start as usize..d.primary.span.end as usize])
        .collect();
    assert_eq!(shown, ["COLOR", "CENTER", "CENTER", "GRAY"]);
}

#[test]
fn prefer_errors_name_the_choices() {
    let error = |rule: &str, options: &str| {
        let options: toml::Table = toml::from_str(options).unwrap();
        let built = crate::testing::run_rule_with_config(
            rule,
            &crate::config::Config::default(),
            &options,
            &[("a.txt", "x")],
        );
        let Err(err) = built else {
            panic!("{rule} built with {options:?}");
        };
        err
    };
    assert_eq!(
        error("spelling-variant", r#"prefer = "Scottish""#),
        "\"Scottish\" is not one of its variants; use \"American\" or \"British\""
    );
    let err = error("cliche", r#"prefer = "British""#);
    assert!(
        err.starts_with("`prefer` needs a consistency rule"),
        "{err}"
    );
    // A misspelt option is listed against the options of the rule's kind
    // only (a consistency rule takes no `max` or `per`).
    assert_eq!(
        error("spelling-variant", r#"alow = ["gray"]"#),
        "unknown field `alow`, expected `allow` or `prefer`"
    );
    assert_eq!(
        error("cliche", "alow = []"),
        "unknown field `alow`, expected `allow`"
    );
    assert_eq!(
        error("spelling-variant", "max = 3"),
        "`max` and `per` only apply to occurrence rules"
    );
}

#[test]
fn a_fix_on_a_kind_that_cannot_fix_is_an_error() {
    let err = load_error(
        r#"
[pack]
name = "t"
[[rules]]
id = "too-many-verys"
kind = "occurrence"
category = "style"
severity = "info"
summary = "s"
docs = """
## What it does
x
## Why
x
## Example
x
## Options
x
"""
message = "m"
phrases = ["very"]
fix = "safe"
"#,
    );
    assert!(err.contains("cannot offer a fix"), "{err}");
}
