//! Unit tests of `name-variant` (and of the name evidence `spelling-variant`
//! reads) on small invented manuscripts.

use std::path::Path;

use super::fragment;
use crate::config::Config;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::testing::{render_human, run_rule_on, run_rule_with, run_rule_with_config};

/// `(file, line, column, message)` of each finding.
fn found(rule: &str, chapters: &[(&str, &str)]) -> Vec<(String, usize, usize, String)> {
    let (manuscript, diagnostics) = run_rule_on(rule, chapters);
    located(&manuscript, &diagnostics)
}

fn located(
    manuscript: &crate::text::Manuscript,
    diagnostics: &[Diagnostic],
) -> Vec<(String, usize, usize, String)> {
    diagnostics
        .iter()
        .map(|d| {
            let chapter = manuscript.chapter(d.primary.chapter);
            let at = chapter.line_col(d.primary.span.start as usize);
            (chapter.file_name(), at.line, at.column, d.message.clone())
        })
        .collect()
}

fn messages(rule: &str, chapters: &[(&str, &str)]) -> Vec<String> {
    found(rule, chapters).into_iter().map(|f| f.3).collect()
}

/// A chapter where `name` is plainly a person, used `times` times.
fn person(name: &str, times: usize) -> String {
    (0..times)
        .map(|i| match i % 3 {
            0 => format!("“Wait,” said {name}.\n\n"),
            1 => format!("{name} smiled at the door.\n\n"),
            _ => format!("The dog followed Mr. {name} home.\n\n"),
        })
        .collect()
}

#[test]
fn a_name_drifting_between_chapters_is_reported_once_at_the_rarer_spelling() {
    let one = person("Nathalie", 6);
    let two = "Natalie smiled. “Come in, Natalie,” he said. Later Natalie looked up.\n";
    let found = found("name-variant", &[("ch1.md", &one), ("ch2.md", two)]);
    assert_eq!(
        found,
        vec![(
            "ch2.md".to_string(),
            1,
            1,
            "“Natalie” (3×): did you mean “Nathalie” (6×)?".to_string()
        )]
    );
}

/// Two spellings used as often are no slip of one for the other: the
/// finding asks, offers no fix (it renamed one of two characters), and the
/// help gives the remedy for one character and for two.
#[test]
fn spellings_used_as_often_are_asked_about_not_fixed() {
    let one = person("Iain", 4);
    let two = person("Ian", 4);
    let chapters = [("ch1.md", one.as_str()), ("ch2.md", two.as_str())];
    assert_eq!(
        messages("name-variant", &chapters),
        vec!["“Ian” and “Iain” are each used 4×: one name spelled two ways, or two names?"]
    );
    let (_, diagnostics) = crate::testing::run_rule_on("name-variant", &chapters);
    assert!(diagnostics[0].fix.is_none());
    assert!(
        diagnostics[0].help.as_deref().is_some_and(|h| h.ends_with(
            "if both are meant for one character, add \"Iain\" = [\"Ian\"] to [names] in manulint.toml, and if they are two characters, \"Iain\" = [] and \"Ian\" = []"
        )),
        "{:?}",
        diagnostics[0].help
    );
    // One more use of one spelling, and it is the slip again, with its fix.
    let two = person("Ian", 3);
    let chapters = [("ch1.md", one.as_str()), ("ch2.md", two.as_str())];
    assert_eq!(
        messages("name-variant", &chapters),
        vec!["“Ian” (3×): did you mean “Iain” (4×)?"]
    );
    let (_, diagnostics) = crate::testing::run_rule_on("name-variant", &chapters);
    assert!(diagnostics[0].fix.is_some());
}

/// A place's drift gets a place's remedy; one that only the letters show
/// (accents) is asked of a character or a place.
#[test]
fn the_remedy_names_what_the_name_is() {
    let help = |text: &str| {
        let (_, diagnostics) = crate::testing::run_rule_on("name-variant", &[("a.md", text)]);
        diagnostics[0].help.clone().unwrap_or_default()
    };
    let accents = "They rode to Dûnmarrow at dawn. Dûnmarrow was grey. In Dûnmarrow the bells rang.\n\nAt Dunmarrow the gates were shut.\n";
    assert!(
        help(accents).ends_with(
            "if both are meant for one character or place, add \"Dûnmarrow\" = [\"Dunmarrow\"] to [names] in manulint.toml, and if they are two different ones, \"Dûnmarrow\" = [] and \"Dunmarrow\" = []"
        ),
        "{}",
        help(accents)
    );
    let apostrophe = "Ka’thal came. Ka’thal went. Ka’thal slept.\n\nKa'thal woke.\n";
    assert!(
        help(apostrophe).starts_with(
            "the two spellings differ only in the apostrophe, straight (') against curly (’)"
        ),
        "{}",
        help(apostrophe)
    );
}

/// An apostrophe typed as the modifier letter invented names use is still
/// an apostrophe: the name it spells differs from the curly one in the
/// mark alone, and the rarer is reported at its one use. An opening quote
/// typed for it (an autocorrect slip) is never proposed, however often it
/// is used: quote-style reports each one (a reviewer's read).
#[test]
fn every_apostrophe_mark_is_compared() {
    let slips = "Ka‘thal came. Ka‘thal went. Ka‘thal slept.\n\nKa’thal woke.\n";
    let (_, diagnostics) = crate::testing::run_rule_on("name-variant", &[("a.md", slips)]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let (_, diagnostics) = crate::testing::run_rule_on(
        "name-variant",
        &[(
            "a.md",
            "Ka’thal came. Ka’thal went. Ka’thal slept.\n\nKa‘thal woke.\n",
        )],
    );
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .starts_with("the two spellings differ only in the apostrophe, opening quote (‘) against curly (’)"),
        "{:?}",
        diagnostics[0].help
    );
    {
        let (mark, name) = ('ʼ', "modifier letter (ʼ)");
        let text =
            format!("Ka{mark}thal came. Ka{mark}thal went. Ka{mark}thal slept.\n\nKa’thal woke.\n");
        let (_, diagnostics) = crate::testing::run_rule_on("name-variant", &[("a.md", &text)]);
        assert_eq!(diagnostics.len(), 1, "{mark}: {diagnostics:?}");
        assert_eq!(
            diagnostics[0].message,
            format!("“Ka’thal” (1×): did you mean “Ka{mark}thal” (3×)?")
        );
        assert_eq!(
            diagnostics[0].primary.span.start as usize,
            text.rfind("Ka’thal").unwrap()
        );
        let help = diagnostics[0].help.clone().unwrap_or_default();
        assert!(
            help.starts_with(&format!(
                "the two spellings differ only in the apostrophe, curly (’) against {name}"
            )),
            "{help}"
        );
    }
}

/// `Mc` for `Mac` is one surname spelled two ways, found with no context
/// to show a person (the rarer spelling named once, after “It was”).
#[test]
fn mc_for_mac_needs_no_context() {
    let one = person("MacAllister", 6);
    let two = "The phone rang. It was McAllister, calling from the hotel.\n";
    assert_eq!(
        messages("name-variant", &[("a.md", &one), ("b.md", two)]),
        vec!["“McAllister” (1×): did you mean “MacAllister” (6×)?"]
    );
    assert!(super::mac_for_mc("Ewan McAllister", "Ewan MacAllister"));
    for (a, b) in [("Macbeth", "Mcbeth"), ("Mack", "Mck"), ("Amcor", "Amacor")] {
        assert!(!super::mac_for_mc(a, b), "{a} / {b}");
    }
}

#[test]
fn every_kind_of_drift_is_found() {
    for (main, rare) in [
        ("Katherine", "Catherine"),
        ("McAllister", "MacAllister"),
        ("Zoë", "Zoe"),
        ("Phillip", "Philip"),
        ("Beatrix", "Beatirx"),
        ("Stephen", "Stephan"),
        ("DeWitt", "Dewitt"),
    ] {
        let one = person(main, 6);
        let two = format!("“Stop,” said {rare}. {rare} walked on.\n");
        assert_eq!(
            messages("name-variant", &[("a.md", &one), ("b.md", &two)]),
            vec![format!("“{rare}” (2×): did you mean “{main}” (6×)?")],
            "{main} / {rare}"
        );
    }
}

#[test]
fn names_of_several_words_and_spacing() {
    let one = "We saw the Gray Boy on the bridge. “Go home,” the Gray Boy said. \
               Mary-Anne waved at the Gray Boy. Later Mary-Anne slept. \
               Even Mary-Anne knew the Gray Boy. Later the Gray Boy left.\n";
    let two = "Nobody saw the Grey Boy again. The colour of grey was everywhere. \
               Then Mary Anne left.\n";
    assert_eq!(
        messages("name-variant", &[("a.md", one), ("b.md", two)]),
        vec![
            "“Grey Boy” (1×): did you mean “Gray Boy” (5×)?".to_string(),
            "“Mary Anne” (1×): did you mean “Mary-Anne” (3×)?".to_string(),
        ]
    );
}

#[test]
fn two_people_with_close_names_stay_quiet() {
    // In one sentence.
    let text = format!(
        "{}{}Jon and John went fishing.\n",
        person("John", 6),
        person("Jon", 3)
    );
    assert!(messages("name-variant", &[("a.md", &text)]).is_empty());
    // In two paragraphs together.
    let text = format!(
        "{}Jon sat down. John stood.\n\nJon laughed. Then John did.\n\n{}",
        person("John", 6),
        person("Jon", 2)
    );
    assert!(messages("name-variant", &[("a.md", &text)]).is_empty());
}

#[test]
fn a_month_is_not_a_person() {
    let one = person("Jane", 9);
    let two = "June came in hot. June was loud with bees. In June the hives swarmed.\n";
    assert!(messages("name-variant", &[("a.md", &one), ("b.md", two)]).is_empty());
}

#[test]
fn a_place_is_not_a_person() {
    let one = person("Halden", 9);
    let two = "They lived in Holden. The roads into Holden flooded. Nothing grew in Holden.\n";
    assert!(messages("name-variant", &[("a.md", &one), ("b.md", two)]).is_empty());
}

#[test]
fn different_forms_of_one_name_are_not_variants() {
    let text = format!(
        "{}The Bennets came. Hucky ran. America and the Americans. Louisa sat.\n\n\
         Louis stood. Huck sat. The Bennets left. America slept.\n",
        person("Bennet", 6)
    );
    assert!(messages("name-variant", &[("a.md", &text)]).is_empty());
}

#[test]
fn allow_and_declared_names_silence_a_pair() {
    let one = person("Maria", 6);
    let two = "“Stop,” said Mara. Mara walked on.\n";
    let chapters = [("a.md", one.as_str()), ("b.md", two)];
    assert_eq!(messages("name-variant", &chapters).len(), 1);
    let (_, allowed) = run_rule_with("name-variant", "allow = [\"Mara\"]", &chapters);
    assert!(allowed.is_empty());
    for names in [
        "[names]\n\"Maria\" = [\"Mara\"]\n",
        "[names]\n\"Maria\" = []\n\"Mara\" = []\n",
        "[names]\n\"mara\" = [\"MARIA\"]\n",
    ] {
        let config = Config::parse(Path::new("manulint.toml"), names.to_string()).unwrap();
        let (_, quiet) =
            run_rule_with_config("name-variant", &config, &toml::Table::new(), &chapters).unwrap();
        assert!(quiet.is_empty(), "{names}");
    }
    // A declared name does not silence a third spelling.
    let config = Config::parse(
        Path::new("manulint.toml"),
        "[names]\n\"Maria\" = [\"Ria\"]\n".to_string(),
    )
    .unwrap();
    let (_, loud) =
        run_rule_with_config("name-variant", &config, &toml::Table::new(), &chapters).unwrap();
    assert_eq!(loud.len(), 1);
}

#[test]
fn bad_options_are_errors() {
    let setup = |options: &str| {
        let options: toml::Table = options.parse().unwrap();
        run_rule_with_config(
            "name-variant",
            &Config::default(),
            &options,
            &[("a.md", "x\n")],
        )
        .err()
    };
    assert!(setup("allow = \"Mara\"").is_some());
    assert!(setup("alow = [\"Mara\"]").is_some_and(|e| e.contains("unknown field")));
    assert!(setup("allow = [\"Mara\"]").is_none());
}

#[test]
fn the_finding_points_at_both_spellings_and_offers_an_unsafe_fix() {
    let one = person("Nathalie", 6);
    let two = "Natalie’s coat was wet. “Look, Natalie!” he said. Natalie smiled.\n";
    let (_, diagnostics) = run_rule_on("name-variant", &[("a.md", &one), ("b.md", two)]);
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert_eq!(d.primary.chapter, 1);
    assert_eq!(
        &two[d.primary.span.range()],
        "Natalie",
        "possessive left out"
    );
    let related: Vec<(usize, Option<&str>)> = d
        .related
        .iter()
        .map(|l| (l.chapter, l.message.as_deref()))
        .collect();
    assert_eq!(related, vec![(0, Some("“Nathalie” first used here"))]);
    let fix = d.fix.as_ref().expect("a fix");
    assert_eq!(fix.applicability, Applicability::Unsafe);
    // Declared, so `manulint rules` and the docs say what `--fix` may do.
    assert_eq!(super::META.fix, Some(Applicability::Unsafe));
    assert_eq!(fix.description, "respell as “Nathalie”");
    let edited: Vec<(&str, &str)> = fix
        .edits
        .iter()
        .map(|e| (&two[e.span.range()], e.replacement.as_str()))
        .collect();
    assert_eq!(edited, vec![("Natalie", "Nathalie"); 3]);
}

#[test]
fn a_fix_in_a_longer_name_changes_only_the_differing_word() {
    let one = "We saw the Gray Boy. The Gray Boy ran. The Gray Boy said nothing. \
               The Gray Boy left. The Gray Boy came back.\n";
    let two = "Nobody saw the Grey\nBoy again.\n";
    let (_, diagnostics) = run_rule_on("name-variant", &[("a.md", one), ("b.md", two)]);
    let fix = diagnostics[0].fix.as_ref().expect("a fix");
    let edited: Vec<(&str, &str)> = fix
        .edits
        .iter()
        .map(|e| (&two[e.span.range()], e.replacement.as_str()))
        .collect();
    assert_eq!(edited, vec![("Grey", "Gray")]);
}

#[test]
fn fragments_are_whole_words() {
    assert_eq!(fragment("Grey Boy", "Gray Boy"), ("Grey", "Gray"));
    assert_eq!(
        fragment("Abbey Mill Farm", "Abbey-Mill Farm"),
        ("Abbey Mill", "Abbey-Mill")
    );
    assert_eq!(fragment("Mary Anne", "Maryanne"), ("Mary Anne", "Maryanne"));
    assert_eq!(fragment("Zoe", "Zoë"), ("Zoe", "Zoë"));
    assert_eq!(fragment("Ann", "Anne"), ("Ann", "Anne"));
}

#[test]
fn odd_text_never_panics_and_finds_nothing() {
    for text in [
        "",
        "’s\n",
        "NATHALIE NATALIE NATHALIE.\n",
        "d’ l’ qu’\n",
        "Mr. Mr. Mr.\n",
        "— Natalie — Nathalie —\n",
        "A-B-C-D-E-F Anne-Marie-Louise-Claire-Sophie\n",
    ] {
        assert!(
            messages("name-variant", &[("a.md", text)]).is_empty(),
            "{text:?}"
        );
    }
}

#[test]
fn snapshot_of_rendered_finding() {
    let one = "# One\n\nKatherine opened the shop. “Morning,” said Katherine. \
               Katherine smiled at Mr. Doyle.\n\n“Sit, Katherine,” he said. Katherine sat.\n";
    let two = "# Two\n\nCatherine locked the door. “Late again,” said Catherine.\n";
    insta::assert_snapshot!(render_human(
        "name-variant",
        &[("chapter-01.md", one), ("chapter-02.md", two)]
    ));
}

// `spelling-variant` leaves names out of its counts.

#[test]
fn spelling_variant_does_not_count_a_name_against_a_word() {
    // The case: “Gray” of “Gray Boy” starting a sentence is a name.
    let chapters = [
        (
            "a.md",
            "We saw the Gray Boy. He ran.\n\nGray Boy came back at dusk.\n",
        ),
        ("b.md", "Her coat was the colour of grey. She waited.\n"),
    ];
    assert!(messages("spelling-variant", &chapters).is_empty());
    // A word the manuscript uses as a name elsewhere, starting a sentence
    // on its own.
    let chapters = [
        ("a.md", "They called on Mr. Gray. Then Mr. Gray left.\n"),
        (
            "b.md",
            "It rained. Gray came home late. The sky was grey.\n",
        ),
    ];
    assert!(messages("spelling-variant", &chapters).is_empty());
    // A name declared in `[names]`.
    let config = Config::parse(
        Path::new("manulint.toml"),
        "[names]\n\"Gray\" = []\n".to_string(),
    )
    .unwrap();
    let chapters = [("a.md", "It rained. Gray came home. The sky was grey.\n")];
    let (_, quiet) =
        run_rule_with_config("spelling-variant", &config, &toml::Table::new(), &chapters).unwrap();
    assert!(quiet.is_empty());
}

#[test]
fn spelling_variant_still_counts_ordinary_capitalised_words() {
    // “Colour” starting a sentence is the word, not a name.
    let chapters = [
        ("a.md", "The color of the sea. A color chart.\n"),
        ("b.md", "It rained. Colour drained from her face.\n"),
    ];
    assert_eq!(
        messages("spelling-variant", &chapters),
        vec![
            "“Colour” here, but “color” 2× elsewhere in the manuscript; use one spelling throughout."
                .to_string()
        ]
    );
}

/// A name typed in lowercase in a text message, once among its seven
/// capitalised uses, still names a person, and its slip is found: one
/// lowercase use in ten made “Okafor” an ordinary word (a crime writer's
/// series). Alone on its line, the lowercase message does not count at all.
#[test]
fn a_name_typed_lowercase_in_a_message_is_still_a_name() {
    let narration = "DCI Tom Okafor came in. Later, Okafor wrote it down. When Okafor got the order, he left. \
                     “Why?” Okafor said. Okafor read it. And Okafor agreed. Okafor sat.\n\n";
    let slip = "DCI Okafer came up the path.\n\nMuch later, Okafer was drinking tea.\n";
    for message in [
        "> **MAC 06:31**\n> okafor wants us in. tully's mam rang.\n\n",
        "> **MAC 06:31**\n>\n> okafor wants us in. tully's mam rang.\n\n",
    ] {
        let text = format!("{narration}{message}{slip}");
        assert_eq!(
            messages("name-variant", &[("c.md", &text)]),
            ["“Okafer” (2×): did you mean “Okafor” (7×)?"],
            "{message}"
        );
    }
}
