//! Writing corrections back into a structured file: a suggestion found in the prose view is
//! escaped for the host format (XML, PO, CSV), its span widened to whole escapes, and dropped
//! when it would overwrite markup such as an inline tag or a PO line break.

use super::Format;
use crate::finding::Finding;
use std::ops::Range;

/// How a file's text is written: plain, or with a format's escapes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Host {
    kind: Kind,
    /// Escapes in the file (`&amp;`, `\"`), sorted; each decodes to one character at its start.
    escapes: Vec<Range<usize>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Kind {
    #[default]
    Plain,
    Xml,
    Po,
    Csv,
    Tsv,
}

impl Host {
    pub(crate) fn new(format: Format, escapes: Vec<Range<usize>>) -> Host {
        let kind = match format {
            Format::Text | Format::Markdown => Kind::Plain,
            Format::Xliff | Format::Tmx => Kind::Xml,
            Format::Po => Kind::Po,
            Format::Csv => Kind::Csv,
            Format::Tsv => Kind::Tsv,
        };
        Host { kind, escapes }
    }

    /// `replacement` as it must be written into the file, or `None` when the format cannot
    /// hold it in place (a tab in a TSV cell).
    pub fn encode(&self, replacement: &str) -> Option<String> {
        match self.kind {
            Kind::Plain => Some(replacement.to_owned()),
            Kind::Xml => Some(
                replacement
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;"),
            ),
            Kind::Po => Some(
                replacement
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace('\n', "\\n")
                    .replace('\t', "\\t"),
            ),
            Kind::Csv => {
                (!replacement.contains(['"', ',', '\n', '\r'])).then(|| replacement.into())
            }
            Kind::Tsv => (!replacement.contains(['\t', '\n', '\r'])).then(|| replacement.into()),
        }
    }

    /// Puts findings from the prose view into file terms, so that a suggestion still replaces
    /// exactly bytes `[start, end)` of the file. Plain text and Markdown are left as they are.
    pub fn fit(&self, text: &str, prose: &str, findings: &mut [Finding]) {
        if self.kind == Kind::Plain {
            return;
        }
        for finding in findings {
            finding.span = self.widen(finding.span.clone());
            if self.covers_markup(text, prose, &finding.span) {
                finding.suggestions.clear();
                continue;
            }
            let span = finding.span.clone();
            finding
                .suggestions
                .retain_mut(|s| match self.encode(&s.replacement) {
                    Some(encoded) if !self.opens_a_quote(text, &span, &encoded) => {
                        s.replacement = encoded;
                        true
                    }
                    _ => false,
                });
        }
    }

    /// Whether writing `replacement` over `span` would start a CSV cell with a quotation mark
    /// that stood inside it (`ab"c` cut to `"c`): the cell would then read as quoted, and
    /// the rows after it differently.
    fn opens_a_quote(&self, text: &str, span: &Range<usize>, replacement: &str) -> bool {
        let starts_cell = text[..span.start].ends_with([',', '\n', '\r']) || span.start == 0;
        self.kind == Kind::Csv
            && starts_cell
            && replacement.is_empty()
            && text[span.end..].starts_with('"')
    }

    /// The escape holding byte `offset`.
    fn escape_at(&self, offset: usize) -> Option<&Range<usize>> {
        let i = self.escapes.partition_point(|r| r.start <= offset);
        let r = self.escapes.get(i.checked_sub(1)?)?;
        r.contains(&offset).then_some(r)
    }

    /// The escape that strictly contains `offset` (not at its start).
    fn escape_around(&self, offset: usize) -> Option<&Range<usize>> {
        self.escape_at(offset).filter(|r| r.start < offset)
    }

    fn widen(&self, span: Range<usize>) -> Range<usize> {
        let start = self
            .escape_around(span.start)
            .map_or(span.start, |r| r.start);
        let end = self.escape_around(span.end).map_or(span.end, |r| r.end);
        start..end.max(start)
    }

    /// True when the span holds bytes that are not prose and not a decoded escape.
    fn covers_markup(&self, text: &str, prose: &str, span: &Range<usize>) -> bool {
        let (Some(t), Some(p)) = (text.get(span.clone()), prose.get(span.clone())) else {
            return true;
        };
        t.bytes().zip(p.bytes()).enumerate().any(|(i, (tb, pb))| {
            let at = span.start + i;
            pb == b' ' && !tb.is_ascii_whitespace() && self.escape_at(at).is_none()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Category, Severity};

    fn finding(span: Range<usize>, replacement: &str) -> Finding {
        Finding::new("t", Category::Style, Severity::Minor, span, "m").suggest(replacement)
    }

    /// Found by fuzzing: deleting the start of an unquoted cell up to a quotation mark in it
    /// made the cell quoted, and the file no longer read the same.
    #[test]
    fn a_csv_cell_is_never_cut_to_start_with_a_quotation_mark() {
        let csv = Host::new(Format::Csv, vec![]);
        let text = "source,oh the \"x\" word\n";
        let mut findings = vec![finding(7..14, ""), finding(10..14, ""), finding(7..10, "a")];
        csv.fit(text, text, &mut findings);
        let kept: Vec<bool> = findings.iter().map(|f| !f.suggestions.is_empty()).collect();
        assert_eq!(kept, [false, true, true]);
        let mut plain = vec![finding(7..14, "")];
        Host::new(Format::Tsv, vec![]).fit(text, text, &mut plain);
        assert!(!plain[0].suggestions.is_empty());
    }

    #[test]
    fn xml_replacements_are_escaped_and_spans_cover_whole_entities() {
        let text = "<t>R&amp;D</t>";
        let prose = "   R&    D    ";
        let host = Host::new(Format::Xliff, std::iter::once(4..9).collect());
        let mut fs = [finding(3..5, "R & D")];
        host.fit(text, prose, &mut fs);
        assert_eq!(fs[0].span, 3..9);
        assert_eq!(fs[0].suggestions[0].replacement, "R &amp; D");
    }

    #[test]
    fn a_span_over_an_inline_tag_loses_its_suggestion() {
        let text = "<t>a <x/>b</t>";
        let prose = "   a     b    ";
        let host = Host::new(Format::Xliff, vec![]);
        let mut fs = [finding(3..10, "ab")];
        host.fit(text, prose, &mut fs);
        assert!(fs[0].suggestions.is_empty());
    }

    #[test]
    fn po_escapes_quotes_and_tsv_refuses_tabs() {
        let po = Host::new(Format::Po, vec![]);
        assert_eq!(po.encode("say \"hi\"").as_deref(), Some("say \\\"hi\\\""));
        let tsv = Host::new(Format::Tsv, vec![]);
        assert_eq!(tsv.encode("a\tb"), None);
    }

    #[test]
    fn plain_text_is_untouched() {
        let host = Host::default();
        let mut fs = [finding(0..1, "<&>")];
        host.fit("x", " ", &mut fs);
        assert_eq!(fs[0].suggestions[0].replacement, "<&>");
    }
}
