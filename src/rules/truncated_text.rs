use unicode_general_category::{GeneralCategory, get_general_category};

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use std::cell::OnceCell;

use crate::text::{Chapter, Span, verse};

declare_rule! {
    /// ## What it does
    /// Finds a chapter file that looks cut off by a bad paste or a lost
    /// save:
    ///
    /// - it **starts mid-sentence**: the first paragraph after the headings
    ///   begins with a lowercase word (`and when Teo opened…`) or with a
    ///   closing fragment (`,` `;` `)` `”` and the like);
    /// - it **ends mid-sentence**: the last paragraph ends without terminal
    ///   punctuation (`. ! ? …`, a closing quote or bracket, a dash for
    ///   interrupted speech, or a colon before a displayed quotation). A chapter that ends with a heading or a scene
    ///   break is fine, and so is a short closing line of at most four words
    ///   (a signature under a letter, a date, “THE END”). So is a closing
    ///   block that is not narration: a Markdown block quote (verse, an
    ///   inscription) or list item, text in capitals (a sign: “NO FISHING
    ///   FROM THE PIER”), lines the writer set (a stanza, a thread of text
    ///   messages ending on “xx”: every line well short of the width the
    ///   chapter is wrapped at), a message or post (opened by a bold
    ///   speaker's label, `**Dev (23:58):**`, or a handle, `@jonno:`, or
    ///   ended by a hashtag or an emoji, as a caption is), or a block
    ///   introduced by a line ending with a colon (a list, a note, a poem).
    ///
    /// A first paragraph set apart so (a block-quoted epigraph in
    /// lowercase, a stanza) is taken as deliberate, as is one that opens
    /// with an ellipsis (`…and so it began`) or a brand written with a
    /// small letter (`iPods were…`, `eBay`), and so is a short opening line of at most
    /// four words without closing punctuation followed by more (a title
    /// page's “by J. Harlow”, a dedication's “for Ana”).
    ///
    /// ## Why
    /// Text lost at the edge of a file is invisible inside the file: each
    /// paragraph reads fine, and the gap only shows when the book is read
    /// straight through.
    ///
    /// ## Example
    /// ```text
    /// …and when Teo finally opened the last can of film, he saw⏎(end of file)
    ///                                                        ← flagged
    /// ```
    ///
    /// ## Options
    /// None. Turn the rule off with `[rules.truncated-text] level = "off"`.
    pub static META = {
        id: "truncated-text",
        category: Structure,
        severity: Warning,
        scope: Chapter,
        summary: "A chapter file that starts or ends mid-sentence",
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    setup.no_options()?;
    Ok(Box::new(TruncatedText))
}

struct TruncatedText;

/// Marks around prose that say nothing about where a sentence starts/ends.
const WRAPPERS: &[char] = &['_', '*', '~'];
const CLOSING_FRAGMENT: &[char] = &[',', ';', ':', ')', ']', '”', '’', '.'];
const TERMINAL: &[char] = &[
    '.', '!', '?', '…', '”', '’', '"', '\'', ')', ']', '—', '–', '-', '»', '›', ':',
    // Chinese and Japanese full stops, marks and closing brackets.
    '。', '！', '？', '」', '』', '）', '．', '｡', '｣',
];

/// What is skipped at either end of a paragraph before judging how it
/// starts or ends: whitespace of any kind, emphasis marks, and characters
/// with no shape of their own (format characters such as zero-width
/// joiners and spaces, and combining marks, which decorate the character
/// before them).
fn is_edge(c: char) -> bool {
    c.is_whitespace()
        || WRAPPERS.contains(&c)
        || matches!(
            get_general_category(c),
            GeneralCategory::Format
                | GeneralCategory::Control
                | GeneralCategory::NonspacingMark
                | GeneralCategory::SpacingMark
                | GeneralCategory::EnclosingMark
                | GeneralCategory::SpaceSeparator
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
        )
}

impl Rule for TruncatedText {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check_chapter(&self, chapter: &Chapter, ctx: &mut RuleContext) {
        let width = OnceCell::new();
        // A block of nothing visible (zero-width joiners, combining marks
        // with no base, odd spaces) has no sentence to be cut off, and a
        // Word chapter's footnotes are not where it starts or ends.
        let content: Vec<_> = chapter
            .blocks
            .iter()
            .filter(|b| chapter.prose_slice(b.span).chars().any(|c| !is_edge(c)))
            .filter(|b| !chapter.is_note(b) && !is_footnote_definition(chapter, b))
            .collect();
        // Start: the first paragraph after the opening headings.
        let first_paragraph = content.iter().take_while(|b| !b.is_paragraph()).count();
        if let Some(block) = content.get(first_paragraph) {
            let text = chapter.prose_slice(block.span);
            let lead = text.len() - text.trim_start_matches(is_edge).len();
            let rest = &text[lead..];
            // A short line without closing punctuation opening a chapter of
            // more is a title page's byline (“by J. Harlow”) or a
            // dedication's (“for Ana”), as a short closing line is a
            // signature.
            let title_page_line = content.len() > first_paragraph + 1
                && rest.split_whitespace().count() <= 4
                && !rest.trim_end_matches(is_edge).ends_with(TERMINAL);
            // An epigraph of verse, a song or text messages opening the
            // chapter sets its own lines (past its first line, which a cut
            // leaves short as well).
            let set_apart = || {
                is_set_apart(chapter, block) || verse::is_set_in_lines(chapter, block, &width, true)
            };
            if let Some(c) = rest.chars().next().filter(|_| !title_page_line) {
                let starts_mid = (c.is_lowercase() && !is_brand(rest))
                    || (CLOSING_FRAGMENT.contains(&c) && !rest.starts_with("..."));
                // Asked last: most chapters start with a capital.
                if starts_mid && !set_apart() {
                    let start = block.span.start as usize + lead;
                    let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    ctx.report(
                        Finding::new(
                            chapter.index,
                            Span::new(start, start + word_end.max(c.len_utf8())),
                            "the chapter starts mid-sentence",
                        )
                        .label("the first sentence starts here")
                        .help("the start of this chapter may have been lost: compare it with the end of the previous chapter and with older drafts"),
                    );
                }
            }
        }
        // End: the last block, if it is a paragraph.
        let Some(last) = content.last().filter(|b| b.is_paragraph()) else {
            return;
        };
        let text = chapter.prose_slice(last.span);
        let trimmed = text.trim_end_matches(is_edge);
        let Some(end_char) = trimmed.chars().next_back() else {
            return;
        };
        if TERMINAL.contains(&end_char) {
            return;
        }
        if content.len() > 1 && trimmed.split_whitespace().count() <= 4 {
            return; // a signature, a date, THE END
        }
        let introduced = content.len() > 1
            && chapter
                .prose_slice(content[content.len() - 2].span)
                .trim_end_matches(is_edge)
                .ends_with(':');
        if introduced
            || is_set_apart(chapter, last)
            || is_message_or_caption(chapter, last)
            || verse::is_set_in_lines(chapter, last, &width, false)
        {
            return;
        }
        // “… and then she left. TK”: the marker says the text is to come,
        // and draft-marker reports it (one finding, not two at one place).
        let last_word = trimmed.split_whitespace().next_back().unwrap_or("");
        if matches!(
            last_word.trim_matches(|c: char| !c.is_alphanumeric()),
            "TK" | "TKTK" | "TODO" | "FIXME" | "XXX"
        ) {
            return;
        }
        let mut lines = trimmed.lines().rev().map(str::trim);
        if let (Some(last_line), Some(before)) = (lines.next(), lines.next())
            && last_line.split_whitespace().count() <= 4
            && before.ends_with(',')
        {
            return; // “Yours truly,⏎R. Walton”
        }
        let end = last.span.start as usize + trimmed.len();
        // After the last space, which may be wider than a byte (U+00A0).
        let word_start = trimmed
            .char_indices()
            .rfind(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        ctx.report(
            Finding::new(
                chapter.index,
                Span::new(last.span.start as usize + word_start, end),
                "the chapter ends mid-sentence",
            )
            .label("the text stops here, without closing punctuation")
            .help("the end of this chapter may have been lost: compare it with older drafts"),
        );
    }
}

/// A word written with a small letter before a capital, as brands are
/// (`iPods`, `eBay`): a chapter may start with one.
fn is_brand(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(char::is_lowercase) && chars.next().is_some_and(char::is_uppercase)
}

/// A closing block that is no sentence of the narration, so needs no full
/// stop: a Markdown block quote (verse, an inscription), a list item, or
/// text in capitals (a sign: `NO FISHING FROM THE PIER`). (A block after a
/// line ending with a colon is left alone by the caller: a list, a sign or
/// verse it introduces.)
fn is_set_apart(chapter: &Chapter, block: &crate::text::Block) -> bool {
    let text = chapter.prose_slice(block.span);
    let letters = || text.chars().filter(|c| c.is_alphabetic());
    if letters().count() > 1 && letters().all(char::is_uppercase) {
        return true;
    }
    if chapter.format != crate::text::SourceFormat::Markdown {
        return false;
    }
    // The prose blanks the `>` or list marker before the text.
    let lead = chapter.line_prefix(block).trim_start();
    lead.starts_with('>')
        || lead.starts_with(['-', '*', '+'])
        || lead
            .trim_end()
            .strip_suffix(['.', ')'])
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A closing paragraph that is a message or a caption, not narration, so
/// ends as its writer typed it: opened by a bold speaker's label
/// (`**Dev (23:58):** night u absolute muppet`) or a handle (`@jonno: …`),
/// or ended by a hashtag (`#EURef`) or an emoji (a photo's caption). A
/// paragraph in italics alone may be a thought cut off, and is read as
/// narration.
fn is_message_or_caption(chapter: &Chapter, block: &crate::text::Block) -> bool {
    let text = &chapter.text;
    let (start, end) = (block.span.start as usize, block.span.end as usize);
    // From its line's start, with the emphasis marks the prose leaves out.
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let block_text = text[line_start..end.max(line_start)].trim_start();
    let markdown = chapter.format == crate::text::SourceFormat::Markdown;
    // The label's end within its first eighty bytes, cut at a character.
    let head = &block_text[..crate::text::floor_boundary(block_text, 80)];
    let labelled = markdown
        && head.starts_with("**")
        && (head[2..].contains(":**") || head[2..].contains("**:"));
    let handle = block_text.starts_with('@');
    let last = chapter
        .prose_slice(block.span)
        .trim_end_matches(is_edge)
        .split_whitespace()
        .next_back();
    let tagged = last.is_some_and(|w| {
        (w.starts_with('#') && w.len() > 1) || w.chars().next_back().is_some_and(is_emoji)
    });
    labelled || handle || tagged
}

/// A character of the emoji blocks (pictographs, symbols and dingbats,
/// and the variation selector that ends many emoji).
fn is_emoji(c: char) -> bool {
    matches!(c, '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}' | '\u{2B00}'..='\u{2BFF}' | '\u{FE0F}')
}

/// A Markdown footnote's text (`[^1]: A note`, as GitHub, Pandoc and
/// Obsidian write them), which sits after the chapter's end: a note, not
/// where the chapter stops.
fn is_footnote_definition(chapter: &Chapter, block: &crate::text::Block) -> bool {
    chapter.format == crate::text::SourceFormat::Markdown
        && chapter
            .slice(block.span)
            .strip_prefix("[^")
            .and_then(|rest| rest.split_once(']'))
            .is_some_and(|(label, rest)| {
                !label.is_empty() && !label.contains(char::is_whitespace) && rest.starts_with(':')
            })
}

#[cfg(test)]
mod tests {
    use crate::testing::{assert_quiet, check_rule, render_human};

    /// A chapter may open with a verse epigraph or end on a thread of text
    /// messages, each line without a full stop: lines set by the writer.
    /// A wrapped paragraph cut at its start has a short first line too,
    /// and is still reported.
    #[test]
    fn verse_and_text_messages_at_the_edges_are_set_in_lines() {
        let prose = "Morag read the messages three times before she put the kettle on, and then she read them again while it boiled.";
        let thread = format!(
            "# Four\n\n{prose}\n\n**Kirsty:** gonna come home for easter if thats ok\n**Me:** course it is hen\n**Kirsty:** xx\n"
        );
        let epigraph = format!(
            "# Five\n\n> *and the river runs to Ithrë,*\n> *and none come home again.*\n\n{prose}\n"
        );
        let stanza = format!(
            "Five\n\nand the river runs to Ithrë\nand none come home again\nfor the river runs\nand the river runs\n\n{prose}\n"
        );
        assert_quiet("truncated-text", "c.md", &[&thread, &epigraph]);
        assert_quiet("truncated-text", "c.txt", &[&stanza]);
        let wrapped = "Morag read the messages three times before she\nput the kettle on, and then she read them again\nwhile it boiled.";
        let cut = format!(
            "them slightingly, but not with\ndispleasure, and the carriage was sent for at\nonce, though it was late and the roads were bad.\n\n{wrapped}\n"
        );
        assert_eq!(
            check_rule("truncated-text", "c.txt", &cut),
            vec![(1, 1, "the chapter starts mid-sentence".to_string())]
        );
    }

    #[test]
    fn flags_a_chapter_cut_at_either_end() {
        let text = "Chapter 4\n\nand when she came back the shop was dark.\n\nTeo opened the last can of film, and he saw\n";
        assert_eq!(
            check_rule("truncated-text", "c.txt", text),
            vec![
                (3, 1, "the chapter starts mid-sentence".to_string()),
                (5, 41, "the chapter ends mid-sentence".to_string()),
            ]
        );
        let fragment = "# Chapter 2\n\n, said Hollis, and left.\n";
        assert_eq!(check_rule("truncated-text", "c.md", fragment).len(), 1);
        // Short, but a sentence that closes, or the chapter's only text.
        for (text, line) in [
            ("Chapter 5\n\nand then she left.\n\nIt was dark.\n", 3),
            ("Chapter 6\n\nand then she left\n", 3),
        ] {
            let found = check_rule("truncated-text", "c.txt", text);
            assert_eq!(
                found[0],
                (line, 1, "the chapter starts mid-sentence".to_string()),
                "{text:?}"
            );
        }
    }

    /// A chapter that ends on a draft marker is unfinished on purpose, and
    /// draft-marker says so: one finding at that place, not two.
    #[test]
    fn an_ending_on_a_draft_marker_is_left_to_draft_marker() {
        let text = "Chapter 4\n\nShe stood.\n\nShe went to the window and looked out at the rain, and then TK\n";
        assert_eq!(check_rule("truncated-text", "c.txt", text), vec![]);
        let found = check_rule("draft-marker", "c.txt", text);
        assert_eq!(found.len(), 1, "{found:?}");
        // Any other last word is still an ending cut off.
        let text = text.replace("TK", "tk");
        assert_eq!(
            check_rule("truncated-text", "c.txt", &text),
            vec![(5, 61, "the chapter ends mid-sentence".to_string())]
        );
    }

    /// What closes a chapter without being narration needs no full stop:
    /// verse in a block quote, a list, a sign in capitals, a text a colon
    /// introduces; and a brand with a small letter (`iPods`) may open one.
    /// Prose cut off is still found beside them, in emphasis too.
    #[test]
    fn quiet_on_verse_lists_signs_and_brands() {
        let intro =
            "# One\n\nShe read the last line of the poem aloud, and folded the paper away.\n\n";
        assert_quiet(
            "truncated-text",
            "c.md",
            &[
                &format!("{intro}> And the sea will keep what the sea was given\n"),
                &format!("{intro}- eggs and bread and slates for the roof\n"),
                &format!("{intro}3. the slates for the west side of the roof\n"),
                &format!("{intro}NO FISHING FROM THE PIER BY ORDER OF THE HARBOUR MASTER\n"),
                "# One\n\niPods were not yet a thing on the island. Nobody minded.\n",
                // A message, a post and a caption end as they were typed.
                &format!("{intro}**Dev (23:58):** night u absolute muppet\n"),
                &format!("{intro}@jonnosaysthings: Woke up in a different country #EURef\n"),
                &format!("{intro}*last night on the roof 🏠💔 #clapton #flatmates*\n"),
                &format!("{intro}last night on the roof with all of them 🏠💔\n"),
            ],
        );
        assert_quiet(
            "truncated-text",
            "c.txt",
            &[
                "She wrote the list on the back of the envelope from the bank:\n\neggs\nbread\nslates for the west side of the roof\n",
            ],
        );
        assert_eq!(
            check_rule(
                "truncated-text",
                "c.md",
                &format!("{intro}*and then she turned to the door and*\n")
            ),
            vec![(5, 34, "the chapter ends mid-sentence".to_string())]
        );
    }

    /// A title page's byline or a dedication's short line opens a chapter
    /// in lowercase without being a sentence cut off.
    #[test]
    fn quiet_on_a_title_page_byline_and_a_short_dedication() {
        assert_quiet(
            "truncated-text",
            "c.txt",
            &[
                "THE LOW TIDE YEAR\n\nA Novel\n\nby J. Harlow\n\nFor my mother, who knew the harbor.\n",
                "Chapter 1\n\nfor Ana\n\nThe boats came in at dawn.\n",
            ],
        );
    }

    #[test]
    fn quiet_on_normal_chapters() {
        assert_quiet(
            "truncated-text",
            "c.txt",
            &[
                "CHAPTER I\n\nIt was a dark night.\n\n“Go!” she said.\n",
                "Chapter 2\n\n“Who’s there?”\n\nNobody answered—\n",
                "Chapter 3\n\nShe wrote the letter.\n\nYour affectionate brother,\nR. Walton\n",
                "Chapter 4\n\nThe end came.\n\n* * *\n",
                "Chapter 5\n\n…and so it began.\n\nIt ended (as it must).\n",
                "Chapter 6\n\n_It was over._\n",
                "Chapter 7\n\nIt was over.\n\nTHE END\n",
                "第一章\n\n日本語の文章です。これは私の本の話です。\n",
                "第二章\n\n「行こう」と彼は言った。「もう遅い」\n",
            ],
        );
    }

    #[test]
    fn footnotes_after_a_markdown_chapter_are_not_its_end() {
        let text = "# One\n\nShe walked home.[^1] It was late.\n\n[^1]: A footnote without a full stop\n[^note-2]: And another\n";
        assert_eq!(check_rule("truncated-text", "c.md", text), vec![]);
        // Cut before its notes, the chapter is still flagged; in plain text
        // the same line is prose.
        let cut = "# One\n\nTeo opened the last can of film, and he saw\n\n[^1]: A footnote.\n";
        assert_eq!(
            check_rule("truncated-text", "c.md", cut),
            vec![(3, 41, "the chapter ends mid-sentence".to_string())]
        );
        assert_eq!(check_rule("truncated-text", "c.txt", text).len(), 1);
    }

    #[test]
    fn quiet_on_chapters_of_invisible_characters() {
        assert_quiet(
            "truncated-text",
            "c.txt",
            &[
                "\u{3000}\u{2003}\u{A0}\n",
                "\u{200D}\u{200D}\u{200B}\n",
                "\u{301}\u{308}\u{20DD}\n",
                "Chapter 1\n\nIt ended.\n\n\u{200D}\u{301}\n",
                "Chapter 1\n\nIt ended.\u{200B}\u{FEFF}\n",
                "Chapter 1\n\n\u{2060}It began.\n",
            ],
        );
        // Still judged when visible text follows an invisible start.
        let cut = "Chapter 1\n\n\u{200B}and then it ended with the\u{200D}\n";
        assert_eq!(
            check_rule("truncated-text", "c.txt", cut),
            vec![
                (3, 2, "the chapter starts mid-sentence".to_string()),
                (3, 25, "the chapter ends mid-sentence".to_string()),
            ]
        );
    }

    #[test]
    fn last_word_after_a_wide_space_is_marked_whole() {
        // Found by fuzzing: the span began inside the two bytes of U+00A0.
        let text = "Chapter 1\n\nShe sat on the step and waited for the\u{A0}bus\n";
        let (manuscript, found) = crate::testing::run_rule_on("truncated-text", &[("c.txt", text)]);
        assert_eq!(found.len(), 1);
        assert_eq!(manuscript.chapter(0).slice(found[0].primary.span), "bus");
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render_human(
            "truncated-text",
            &[(
                "chapter-04.txt",
                "Chapter 4\n\nTeo opened the last can of film, and he saw\n"
            )]
        ));
    }
}
