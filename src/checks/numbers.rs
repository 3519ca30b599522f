//! numbers: the numbers, dates, amounts and units of a unit's source must reappear in its
//! English target. Locale formats are equal (1.234,5 = 1,234.5; 1 234 = 1,234), English
//! number words count (twenty-seven = 27) and month names may stand for a date's month.

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity, Suggestion};
use crate::input::Format;
use std::ops::Range;

pub struct Numbers;

/// One number as written: its possible values (a lone separator is ambiguous) and unit.
#[derive(Debug, Clone, PartialEq)]
struct Number {
    span: Range<usize>,
    values: Vec<f64>,
    unit: Option<&'static str>,
    /// Spelled out or a month name: it may match a figure but is never required.
    optional: bool,
}

impl Number {
    fn matches(&self, other: &Number) -> bool {
        self.values
            .iter()
            .any(|a| other.values.iter().any(|b| (a - b).abs() < 1e-9))
    }
}

impl Check for Numbers {
    fn rule(&self) -> &'static str {
        "numbers"
    }

    fn description(&self) -> &'static str {
        "numbers, dates, amounts and units of the source must appear in the translation"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for (unit, source, block, _) in doc.bilingual_units() {
            let source_numbers: Vec<Number> = numbers(source)
                .into_iter()
                .filter(|n| !n.optional)
                .collect();
            let target_numbers = numbers(&unit.target);
            let mut used = vec![false; target_numbers.len()];
            let mut missing = Vec::new();
            for s in &source_numbers {
                let found = target_numbers
                    .iter()
                    .enumerate()
                    .position(|(i, t)| !used[i] && t.matches(s));
                match found {
                    Some(i) => {
                        used[i] = true;
                        let t = &target_numbers[i];
                        if let (Some(a), Some(b)) = (s.unit, t.unit) {
                            if a != b {
                                let span = unit.target_span(t.span.start..t.span.end);
                                out.push(
                                    Finding::new(
                                        self.rule(),
                                        Category::Mistranslation,
                                        Severity::Major,
                                        span,
                                        format!("the source says {a} here, the translation {b}"),
                                    )
                                    .confidence(0.75),
                                );
                            }
                        }
                    }
                    None => missing.push(s),
                }
            }
            let extra: Vec<&Number> = target_numbers
                .iter()
                .zip(&used)
                .filter(|(t, used)| !**used && !t.optional)
                .map(|(t, _)| t)
                .collect();
            if let ([m], [e]) = (missing.as_slice(), extra.as_slice()) {
                let written = &source[m.span.clone()];
                let span = unit.target_span(e.span.clone());
                let mut finding = Finding::new(
                    self.rule(),
                    Category::Mistranslation,
                    Severity::Major,
                    span,
                    format!(
                        "the source has {written}, the translation {}",
                        &unit.target[e.span.clone()]
                    ),
                )
                .confidence(0.8);
                if let Some(fixed) = english(m) {
                    finding.suggestions.push(Suggestion {
                        replacement: fixed,
                        confidence: 0.6,
                    });
                }
                out.push(finding);
                continue;
            }
            for m in missing {
                let small = m.values.iter().all(|v| *v <= 10.0);
                // A lone 1 is often "a" or "an" in English.
                let one = m.values.iter().all(|v| *v <= 1.0);
                out.push(
                    Finding::new(
                        self.rule(),
                        Category::Omission,
                        if small {
                            Severity::Minor
                        } else {
                            Severity::Major
                        },
                        block.clone(),
                        format!(
                            "{} from the source is missing in the translation",
                            &source[m.span.clone()]
                        ),
                    )
                    .confidence(match (one, small) {
                        (true, _) => 0.4,
                        (false, true) => 0.55,
                        (false, false) => 0.75,
                    }),
                );
            }
            for e in extra {
                // A small number may stand for a word of the source ("zwei" → 2).
                let small = e.values.iter().all(|v| *v <= 12.0);
                out.push(
                    Finding::new(
                        self.rule(),
                        Category::Addition,
                        Severity::Minor,
                        unit.target_span(e.span.clone()),
                        format!("{} is not in the source", &unit.target[e.span.clone()]),
                    )
                    .confidence(if small { 0.45 } else { 0.6 }),
                );
            }
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "Er kaufte 27 Äpfel.\tHe bought 72 apples.\n",
                    fixed: Some("Er kaufte 27 Äpfel.\tHe bought 27 apples.\n"),
                },
                MustFlag {
                    text: "Die Strecke ist 12 km lang und kostet 40 Euro.\tThe route is 12 miles long.\n",
                    fixed: None,
                },
            ],
            must_not_flag: &[
                "Der Umsatz stieg um 1.234,5 Millionen.\tRevenue rose by 1,234.5 million.\n",
                "Sie ist 27 Jahre alt.\tShe is twenty-seven years old.\n",
                "Am 29.05.2021 um 14:30 Uhr.\tOn May 29, 2021 at 14:30.\n",
                "Es kostet 1 234 €.\tIt costs €1,234.\n",
                "Seite 3 von 10\tPage 3 of 10\n",
                "Wir haben zwei Katzen.\tWe have 2 cats.\n",
            ],
        }
    }

    fn example_format(&self) -> Format {
        Format::Tsv
    }
}

/// The English way to write a source number, when it has one reading.
fn english(n: &Number) -> Option<String> {
    let [value] = n.values.as_slice() else {
        return None;
    };
    if value.fract() == 0.0 && value.abs() < 1e15 {
        let digits = format!("{}", *value as i64);
        if digits.len() > 4 {
            let mut grouped = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            return Some(grouped);
        }
        return Some(digits);
    }
    Some(format!("{value}"))
}

/// Every number in `text`: figures (with locale separators, ranges and dates split into
/// their parts), English number words and month names.
fn numbers(text: &str) -> Vec<Number> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        let word_start = i == 0
            || !text[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
        if c.is_ascii_digit() && word_start && !in_placeholder(text, i) {
            let end = figure_end(text, i);
            let unit = unit_after(&text[end..]).or_else(|| unit_before(&text[..i]));
            let afternoon = is_pm(&text[end..]);
            for part in parts(&text[i..end]) {
                let mut values = figure_values(&text[i + part.start..i + part.end]);
                // "5 pm" is 17:00.
                if afternoon && values.iter().any(|v| (1.0..12.0).contains(v)) {
                    values.push(values[0] + 12.0);
                }
                values.dedup();
                out.push(Number {
                    span: i + part.start..i + part.end,
                    values,
                    unit,
                    optional: false,
                });
            }
            i = end;
        } else if c.is_alphabetic() && word_start {
            let end = i + text[i..]
                .find(|c: char| !(c.is_alphabetic() || c == '-'))
                .unwrap_or(text.len() - i);
            let word = text[i..end].trim_end_matches('-');
            let end = i + word.len();
            if let Some(value) = number_word(word).or_else(|| month(word)) {
                out.push(Number {
                    span: i..end,
                    values: vec![value],
                    unit: None,
                    optional: true,
                });
            }
            i = end.max(i + c.len_utf8());
        } else {
            i += c.len_utf8();
        }
        // Skip the rest of a word that merely contains digits ("B2B", "mp3").
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() && !word_start_at(text, i) {
            i += 1;
        }
    }
    out
}

/// Digits of a placeholder (`{0}`, `%1$s`, `%2`) are not numbers of the text.
fn in_placeholder(text: &str, i: usize) -> bool {
    let before = text[..i].chars().next_back();
    let digits = text[i..].bytes().take_while(u8::is_ascii_digit).count();
    let after = text[i + digits..].chars().next();
    matches!(before, Some('{' | '%' | '$')) || matches!(after, Some('}' | '$'))
}

fn word_start_at(text: &str, i: usize) -> bool {
    i == 0
        || !text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
}

/// End of a figure: digits with inner `.`, `,`, thin or plain spaces before three digits.
fn figure_end(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    let mut j = start;
    loop {
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let rest = &text[j..];
        let sep = [
            ".", ",", "-", ":", "/", " ", "\u{a0}", "\u{202f}", "\u{2009}",
        ]
        .into_iter()
        .find(|s| rest.starts_with(s));
        let Some(sep) = sep else { return j };
        let after = &rest[sep.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let grouping = sep.trim().is_empty() || sep.starts_with('\u{a0}');
        let ok = digits > 0
            && (!grouping
                || (digits == 3
                    && after[3..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_ascii_digit())));
        if !ok {
            return j;
        }
        j += sep.len();
    }
}

/// Ranges, dates and times hold one number per part: "2021-05-29", "29.05.2021", "14:30".
fn parts(written: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    for part in written.split(['-', ':', '/']) {
        let groups: Vec<&str> = part.split('.').collect();
        let dotted_date = groups.len() >= 3 && groups[1..].iter().any(|g| g.len() != 3);
        if dotted_date {
            let mut inner = at;
            for g in groups {
                out.push(inner..inner + g.len());
                inner += g.len() + 1;
            }
        } else {
            out.push(at..at + part.len());
        }
        at += part.len() + 1;
    }
    out.retain(|r| !r.is_empty());
    out
}

/// The values a figure may have: a lone `.` or `,` before three digits is a thousands
/// separator in one locale and a decimal point in another.
fn figure_values(written: &str) -> Vec<f64> {
    let compact: String = written
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}'))
        .collect();
    let dots = compact.matches('.').count();
    let commas = compact.matches(',').count();
    let parse = |s: &str| s.parse::<f64>().ok();
    let values = match (dots, commas) {
        (0, 0) => vec![parse(&compact)],
        (_, 0) | (0, _) => {
            let sep = if dots > 0 { '.' } else { ',' };
            let last_group = compact.rsplit(sep).next().unwrap_or("");
            let grouped = parse(&compact.replace(sep, ""));
            let decimal = parse(&compact.replace(sep, "."));
            match (dots + commas, last_group.len()) {
                (1, 3) => vec![grouped, decimal],
                (1, _) => vec![decimal],
                _ => vec![grouped],
            }
        }
        _ => {
            let decimal = if compact.rfind('.') > compact.rfind(',') {
                '.'
            } else {
                ','
            };
            let thousands = if decimal == '.' { ',' } else { '.' };
            vec![parse(&compact.replace(thousands, "").replace(decimal, "."))]
        }
    };
    values.into_iter().flatten().collect()
}

/// A unit written right after a figure ("12 km", "5%", "40 Euro").
fn unit_after(rest: &str) -> Option<&'static str> {
    let rest = rest.trim_start_matches([' ', '\u{a0}', '\u{202f}']);
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphabetic() || matches!(c, '%' | '°' | '€' | '$' | '£' | '/'))
        .collect();
    canonical_unit(&word).or_else(|| canonical_unit(word.get(..1)?))
}

/// True when a time is followed by "pm" or "p.m.".
fn is_pm(rest: &str) -> bool {
    let rest = rest
        .trim_start_matches([' ', '\u{a0}'])
        .to_ascii_lowercase();
    (rest.starts_with("pm") || rest.starts_with("p.m."))
        && !rest[2..].starts_with(|c: char| c.is_ascii_alphabetic())
}

/// A currency sign right before a figure ("€40", "$5").
fn unit_before(before: &str) -> Option<&'static str> {
    let c = before
        .trim_end_matches([' ', '\u{a0}'])
        .chars()
        .next_back()?;
    canonical_unit(c.encode_utf8(&mut [0; 4]))
}

fn canonical_unit(word: &str) -> Option<&'static str> {
    let w = word.to_lowercase();
    Some(match w.as_str() {
        "%" | "percent" | "pct" | "prozent" | "pourcent" => "%",
        "km" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => "km",
        "m" | "metre" | "metres" | "meter" | "meters" => "m",
        "cm" | "centimetre" | "centimetres" | "centimeter" | "centimeters" => "cm",
        "mm" | "millimetre" | "millimetres" | "millimeter" | "millimeters" => "mm",
        "mi" | "mile" | "miles" => "miles",
        "ft" | "foot" | "feet" => "feet",
        "kg" | "kilogram" | "kilograms" | "kilogramm" => "kg",
        "g" | "gram" | "grams" | "gramm" => "g",
        "lb" | "lbs" => "lb",
        "l" | "litre" | "litres" | "liter" | "liters" => "l",
        "ml" => "ml",
        "°c" | "celsius" => "°C",
        "°f" | "fahrenheit" => "°F",
        "€" | "eur" | "euro" | "euros" => "€",
        "$" | "usd" | "dollar" | "dollars" => "$",
        "£" | "gbp" => "£",
        "km/h" | "kmh" => "km/h",
        "mph" => "mph",
        _ => return None,
    })
}

/// English number words, including hyphenated tens ("twenty-seven").
fn number_word(word: &str) -> Option<f64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let w = word.to_lowercase();
    let simple = |w: &str| -> Option<f64> {
        if let Some(i) = UNITS.iter().position(|u| *u == w) {
            return Some(i as f64);
        }
        TENS.iter()
            .position(|t| *t == w)
            .map(|i| (i as f64 + 2.0) * 10.0)
    };
    if let Some((tens, unit)) = w.split_once('-') {
        let t = simple(tens).filter(|t| *t >= 20.0)?;
        let u = simple(unit).filter(|u| (1.0..10.0).contains(u))?;
        return Some(t + u);
    }
    const ORDINALS: &str =
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth";
    if let Some(i) = ORDINALS.split(' ').position(|o| o == w) {
        return Some(i as f64 + 1.0);
    }
    simple(&w).or(match w.as_str() {
        "hundred" => Some(100.0),
        "thousand" => Some(1000.0),
        "dozen" => Some(12.0),
        _ => None,
    })
}

fn month(word: &str) -> Option<f64> {
    const MONTHS: &str =
        "january february march april may june july august september october november december";
    // Only capitalized: "may" and "march" are also common words.
    if !word.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let w = word.to_lowercase();
    MONTHS
        .split(' ')
        .position(|m| m == w || (w.len() == 3 && m.starts_with(&w)))
        .map(|i| i as f64 + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<Vec<f64>> {
        numbers(text).into_iter().map(|n| n.values).collect()
    }

    #[test]
    fn locale_formats() {
        assert_eq!(values("1.234,5"), [vec![1234.5]]);
        assert_eq!(values("1,234.5"), [vec![1234.5]]);
        assert_eq!(values("1,234"), [vec![1234.0, 1.234]]);
        assert_eq!(values("3,5"), [vec![3.5]]);
        assert_eq!(values("1 234 567 Leute"), [vec![1234567.0]]);
        assert_eq!(values("1.000.000"), [vec![1000000.0]]);
    }

    #[test]
    fn dates_ranges_and_words() {
        assert_eq!(values("2021-05-29"), [vec![2021.0], vec![5.0], vec![29.0]]);
        assert_eq!(values("14:30"), [vec![14.0], vec![30.0]]);
        assert_eq!(values("twenty-seven, May"), [vec![27.0], vec![5.0]]);
        assert_eq!(values("mp3 B2B 3rd"), [vec![3.0]]);
        assert_eq!(values("{0} %1$s %2 {n}"), Vec::<Vec<f64>>::new());
    }

    #[test]
    fn units() {
        let n = numbers("12 km, 5%, €40");
        let units: Vec<_> = n.iter().map(|n| n.unit).collect();
        assert_eq!(units, [Some("km"), Some("%"), Some("€")]);
    }
}
