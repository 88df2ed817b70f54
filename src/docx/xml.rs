//! Small helpers over quick-xml events shared by the reader and the writer.

use quick_xml::events::BytesStart;
use quick_xml::name::ResolveResult;

/// WordprocessingML's namespace, transitional and strict.
const WML: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];

/// True when a resolved element name is in the WordprocessingML namespace.
pub fn is_wml(resolved: &ResolveResult) -> bool {
    matches!(resolved, ResolveResult::Bound(ns) if WML.contains(&ns.as_ref()))
}

/// The value of the attribute whose local name is `key` (whatever its
/// prefix), unescaped; `None` when absent or malformed.
pub fn attribute(element: &BytesStart, key: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// An on/off property (`<w:i/>`, `<w:i w:val="false"/>`): absent `val`
/// means on; `0`, `false` and `off` mean off.
pub fn on_off(element: &BytesStart) -> bool {
    !matches!(
        attribute(element, "val").as_deref(),
        Some("0" | "false" | "off")
    )
}

/// The prefix of an element's name (`w` for `w:document`), if any.
pub fn prefix_of(element: &BytesStart) -> Option<String> {
    element.name().prefix().map(|p| p.as_ref().to_string())
}

/// Escapes text for XML content and attribute values; characters XML 1.0
/// cannot hold become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
