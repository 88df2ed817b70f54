use crate::declare_rule;
use crate::diagnostic::{Applicability, Edit, Finding, Fix};
use crate::layout::LayoutKind;
use crate::rule::{Rule, RuleContext, RuleFactory, RuleMeta, RuleSetup};
use crate::text::Chapter;

declare_rule! {
    /// ## What it does
    /// Finds Obsidian wikilinks (`[[Tom Hale|Tom]]`, `[[The Harbour]]`) and
    /// embeds (`![[sketch.png]]`) in chapters that are *not* part of an
    /// Obsidian vault: text exported or copied out of a vault, or a
    /// manuscript built with Pandoc, Leanpub or mdBook, none of which
    /// understand the syntax. The finding covers the whole link, `!` and
    /// brackets included.
    ///
    /// In a vault (a folder with `.obsidian/`, or a parent that has one)
    /// wikilinks are how notes link to each other, and the rule is quiet.
    /// Either way only the link's display text (`Tom`) is prose to the
    /// other rules; the target and an embed are not.
    ///
    /// A double-bracketed note to self (`[[note: is Teo 14?]]`, `[[check
    /// the date]]`) is not a link: `draft-marker` reports it.
    ///
    /// ## Fix
    /// Unsafe: `--fix --unsafe-fixes` replaces a link with its display
    /// text (`[[Tom Hale|Tom]]` → `Tom`), which is what Obsidian shows.
    /// Embeds get no fix: only the writer knows what should stand there.
    ///
    /// ## Why
    /// Outside Obsidian a wikilink prints as written, brackets and all,
    /// and an embed prints as its file name instead of the image or note.
    ///
    /// ## Example
    /// ```text
    /// She met [[Tom Hale|Tom]] at the harbour.   ← flagged outside a vault
    /// ![[harbour-sketch.png]]                    ← flagged outside a vault
    /// She met Tom at the harbour.                ← fine
    /// ```
    ///
    /// ## Options
    /// None. Turn the rule off with `[rules.wikilink] level = "off"`.
    pub static META = {
        id: "wikilink",
        category: Draft,
        severity: Warning,
        scope: Chapter,
        summary: "An Obsidian [[wikilink]] or ![[embed]] left in a manuscript that is not an Obsidian vault",
        fix: Unsafe,
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    setup.no_options()?;
    Ok(Box::new(Wikilink))
}

struct Wikilink;

impl Rule for Wikilink {
    fn meta(&self) -> &RuleMeta {
        &META
    }

    fn check_chapter(&self, chapter: &Chapter, ctx: &mut RuleContext) {
        if chapter.layout == Some(LayoutKind::Obsidian) {
            return;
        }
        for link in &chapter.wikilinks {
            let written = chapter.slice(link.span);
            let finding = if link.embed {
                Finding::new(
                    chapter.index,
                    link.span,
                    format!("embed “{written}” left in the text"),
                )
                .label("Obsidian embed")
                .help(format!(
                    "outside Obsidian this prints as written; put the {} in with your publishing tool’s own syntax, or remove it",
                    if link.target.contains('.') { "image" } else { "note’s text" }
                ))
            } else {
                let shown = link.display.map(|d| chapter.slice(d)).unwrap_or("");
                Finding::new(
                    chapter.index,
                    link.span,
                    format!("wikilink “{written}” left in the text"),
                )
                .label("Obsidian link")
                .help(format!(
                    "outside Obsidian this prints as written; keep only its text (“{shown}”)"
                ))
                .fix(Fix {
                    edits: vec![Edit::replace(link.span, shown)],
                    applicability: Applicability::Unsafe,
                    description: format!("replace the link with “{shown}”"),
                })
            };
            ctx.report(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_rule, fixed_texts};

    #[test]
    fn links_and_embeds_outside_a_vault() {
        let text = "She met [[Tom Hale|Tom]] at the harbour.\n\n![[sketch.png]]\n\nHe was [[note: is Teo 14?]] old.\n";
        assert_eq!(
            check_rule("wikilink", "c.md", text),
            vec![
                (
                    1,
                    9,
                    "wikilink “[[Tom Hale|Tom]]” left in the text".to_string()
                ),
                (3, 1, "embed “![[sketch.png]]” left in the text".to_string()),
            ]
        );
        // Plain text has no wikilinks: the brackets are draft-marker's.
        assert_eq!(check_rule("wikilink", "c.txt", text), vec![]);
    }

    #[test]
    fn unsafe_fix_keeps_the_display_text() {
        let text = "She met [[Tom Hale|Tom]] at [[The Harbour]].\n";
        let fixed = fixed_texts("wikilink", &[("c.md", text)], true);
        assert_eq!(fixed[0], "She met Tom at The Harbour.\n");
        let untouched = fixed_texts("wikilink", &[("c.md", text)], false);
        assert_eq!(untouched[0], text);
    }
}
