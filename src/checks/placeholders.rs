//! placeholders: format placeholders (`{0}`, `{name}`, `%s`, `%1$d`, `%(n)s`), markup tags
//! written in the text (`<b>` … `</b>`) and XLIFF/TMX inline codes must survive translation
//! intact: none missing, none added, and unnumbered printf placeholders in the same order.

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::input::{Format, Unit};
use std::collections::HashMap;
use std::ops::Range;

pub struct Placeholders;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Placeholder {
    pub span: Range<usize>,
    /// What must match between source and target: the placeholder as written (`%s`, `{0}`,
    /// `${y}`), a tag by name and direction (`<b>`, `</b>`, `<br/>`).
    pub key: String,
    /// An unnumbered printf conversion, whose order matters.
    ordered: bool,
}

/// Every placeholder in `text`, in order.
pub(super) fn placeholders(text: &str) -> Vec<Placeholder> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let found = match b[i] {
            b'%' => printf(text, i),
            b'{' => brace(text, i),
            b'$' if b.get(i + 1) == Some(&b'{') => {
                brace(text, i + 1).map(|(end, key, _)| (end, format!("${key}"), false))
            }
            b'<' => tag(text, i),
            _ => None,
        };
        match found {
            Some((end, key, ordered)) => {
                out.push(Placeholder {
                    span: i..end,
                    key,
                    ordered,
                });
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// `%s`, `%5.2f`, `%1$d`, `%(name)s`, `%1` (Qt); not `%%` nor `100%`.
fn printf(text: &str, i: usize) -> Option<(usize, String, bool)> {
    let b = text.as_bytes();
    if i > 0 && (b[i - 1].is_ascii_digit() || b[i - 1] == b'%') || b.get(i + 1) == Some(&b'%') {
        return None;
    }
    let mut j = i + 1;
    let mut positional = false;
    if b.get(j) == Some(&b'(') {
        let close = text[j..].bytes().take(40).position(|c| c == b')')? + j;
        j = close + 1;
        positional = true;
    } else {
        let digits = text[j..].bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && b.get(j + digits) == Some(&b'$') {
            j += digits + 1;
            positional = true;
        } else if digits > 0
            && !b
                .get(j + digits)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'.')
        {
            // Qt and Windows style: %1, %2.
            return Some((j + digits, text[i..j + digits].to_owned(), false));
        }
    }
    while b.get(j).is_some_and(|c| b"-+#0".contains(c)) && j < i + 8 {
        j += 1;
    }
    j += text[j..]
        .bytes()
        .take_while(|c| c.is_ascii_digit() || *c == b'.')
        .count();
    while b.get(j).is_some_and(|c| b"hlLqjzt".contains(c)) && j < i + 12 {
        j += 1;
    }
    let conversion = *b.get(j)?;
    if !b"diouxXeEfFgGaAcspn@".contains(&conversion) {
        return None;
    }
    Some((j + 1, text[i..=j].to_owned(), !positional))
}

/// `{0}`, `{name}`, `{{name}}`, `{count, plural, …}` (keyed by its argument).
fn brace(text: &str, i: usize) -> Option<(usize, String, bool)> {
    let double = text[i..].starts_with("{{");
    let open = if double { 2 } else { 1 };
    let name_len = text[i + open..]
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b' '))
        .count();
    let name = text[i + open..i + open + name_len].trim();
    if name.is_empty() || name.contains(' ') {
        return None;
    }
    let after = i + open + name_len;
    let closing = if double { "}}" } else { "}" };
    if text[after..].starts_with(closing) {
        let end = after + closing.len();
        return Some((end, text[i..end].to_owned(), false));
    }
    if double || !text[after..].starts_with(',') {
        return None;
    }
    // An ICU argument with a format: find its matching brace.
    let mut depth = 0usize;
    for (k, c) in text[i..].char_indices().take(2000) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((i + k + 1, format!("{{{name}}}"), false));
                }
            }
            _ => {}
        }
    }
    None
}

/// `<b>`, `</b>`, `<br/>`, `<a href="…">` (keyed by name and direction).
fn tag(text: &str, i: usize) -> Option<(usize, String, bool)> {
    let rest = &text[i + 1..];
    let closing = rest.starts_with('/');
    let name_start = usize::from(closing);
    let name_len = rest[name_start..]
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-')
        .count();
    if name_len == 0 || !rest.as_bytes()[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
    let end = rest.bytes().take(300).position(|c| c == b'>')?;
    if rest[..end].contains('<') {
        return None;
    }
    let empty = rest[..end].ends_with('/');
    let key = match (closing, empty) {
        (true, _) => format!("</{name}>"),
        (false, true) => format!("<{name}/>"),
        (false, false) => format!("<{name}>"),
    };
    Some((i + 1 + end + 1, key, false))
}

/// Items of `a` with no partner in `b` (multiset difference), by key; counted, since a unit
/// may hold 100,000 codes.
fn unmatched<'a, T>(a: &'a [T], b: &[T], key: impl Fn(&T) -> String) -> Vec<&'a T> {
    let mut pool: HashMap<String, usize> = HashMap::new();
    for k in b.iter().map(&key) {
        *pool.entry(k).or_default() += 1;
    }
    a.iter()
        .filter(|x| match pool.get_mut(&key(x)) {
            Some(left) if *left > 0 => {
                *left -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

impl Placeholders {
    fn finding(&self, span: Range<usize>, message: String, confidence: f32) -> Finding {
        Finding::new(
            self.rule(),
            Category::Markup,
            Severity::Major,
            span,
            message,
        )
        .confidence(confidence)
    }

    fn text_placeholders(
        &self,
        unit: &Unit,
        source: &str,
        block: &Range<usize>,
        out: &mut Vec<Finding>,
    ) {
        let src = placeholders(source);
        let tgt = placeholders(&unit.target);
        for p in unmatched(&src, &tgt, |p| p.key.clone()) {
            out.push(self.finding(
                block.clone(),
                format!("{} from the source is missing", p.key),
                0.85,
            ));
        }
        for p in unmatched(&tgt, &src, |p| p.key.clone()) {
            out.push(self.finding(
                unit.target_span(p.span.clone()),
                format!("{} is not in the source", p.key),
                0.85,
            ));
        }
        let order = |ps: &[Placeholder]| -> Vec<String> {
            ps.iter()
                .filter(|p| p.ordered)
                .map(|p| p.key.clone())
                .collect()
        };
        let (a, b) = (order(&src), order(&tgt));
        let mut sorted_a = a.clone();
        let mut sorted_b = b.clone();
        sorted_a.sort();
        sorted_b.sort();
        if a != b && sorted_a == sorted_b {
            out.push(self.finding(
                block.clone(),
                format!(
                    "unnumbered placeholders changed order ({} → {}); number them (%1$s) to reorder",
                    a.join(" "),
                    b.join(" ")
                ),
                0.8,
            ));
        }
    }

    fn inline_codes(&self, unit: &Unit, block: &Range<usize>, out: &mut Vec<Finding>) {
        let key = |c: &crate::input::Code| c.key();
        for c in unmatched(&unit.source_codes, &unit.target_codes, key) {
            out.push(self.finding(
                block.clone(),
                format!("inline code {} from the source is missing", c.key()),
                0.8,
            ));
        }
        for c in unmatched(&unit.target_codes, &unit.source_codes, key) {
            out.push(self.finding(
                c.span.clone(),
                format!("inline code {} is not in the source", c.key()),
                0.8,
            ));
        }
    }
}

impl Check for Placeholders {
    fn rule(&self) -> &'static str {
        "placeholders"
    }

    fn description(&self) -> &'static str {
        "placeholders, tags and inline codes of the source must survive translation intact"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for (unit, source, block, _) in doc.bilingual_units() {
            self.text_placeholders(unit, source, &block, out);
            self.inline_codes(unit, &block, out);
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "Datei {0} wurde gelöscht.\tFile {1} was deleted.\n",
                    fixed: None,
                },
                MustFlag {
                    text: "%s von %d Dateien\t%d of %s files\n",
                    fixed: None,
                },
                MustFlag {
                    text: "Klicken Sie <b>hier</b>.\tClick here.\n",
                    fixed: None,
                },
            ],
            must_not_flag: &[
                "Datei {name} gelöscht, %1$s von %2$d.\tDeleted file {name}, %2$d of %1$s.\n",
                "Rabatt 100%ige Garantie, {count, plural, one {# Tag} other {# Tage}}\tDiscount with a full guarantee, {count, plural, one {# day} other {# days}}\n",
                "a < b und <br/> Zeile\ta < b and <br/> line\n",
                "50 % der Nutzer\t50% of users\n",
            ],
        }
    }

    fn example_format(&self) -> Format {
        Format::Tsv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        placeholders(text).into_iter().map(|p| p.key).collect()
    }

    #[test]
    fn finds_each_kind() {
        assert_eq!(
            keys("%s %1$d %(n)s %5.2f %% 100%ige {0} {{x}} ${y} <b>x</b><br/> %1 a < b"),
            [
                "%s", "%1$d", "%(n)s", "%5.2f", "{0}", "{{x}}", "${y}", "<b>", "</b>", "<br/>",
                "%1"
            ]
        );
        let long = format!("<a{}é>", "x".repeat(298));
        assert!(keys(&long).is_empty());
        assert!(keys(&"{a,".repeat(3000)).is_empty());
        assert!(keys(&format!("%({}é)s", "n".repeat(38))).is_empty());
    }
}
