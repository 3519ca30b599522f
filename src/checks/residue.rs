//! `residue`: non-prose leaking into prose — page metadata at a paragraph start ("date
//! 2021-05-29", "Published: 12 May 2021"), share buttons and "Read more:" links, photo credits
//! at the end of a caption ("File AP"), leftover spintax ("{quickly|rapidly}") and repeated or
//! detached punctuation (",,", "..", "word .").

use super::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::text::{Sentence, Token, TokenKind};

pub struct Residue;

const RULE: &str = "residue";

impl Check for Residue {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "Page metadata, share buttons, photo credits, leftover spintax and repeated punctuation in prose"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for para in doc.sentences.chunk_by(|a, b| a.paragraph == b.paragraph) {
            let tokens: Vec<&Token> = para.iter().flat_map(|s| s.tokens.iter()).collect();
            if tokens.is_empty() {
                continue;
            }
            let whole = tokens[0].span.start..tokens[tokens.len() - 1].span.end;
            if let Some(f) = link_paragraph(doc, &tokens, &whole) {
                out.push(f);
                continue;
            }
            if let Some(f) = metadata_at_start(doc, &tokens, &whole) {
                out.push(f);
            }
            if let Some(f) = boilerplate_at_start(doc, &tokens) {
                out.push(f);
            }
            if let Some(f) = share_buttons(doc, &tokens) {
                out.push(f);
            }
            if let Some(f) = credit_at_end(doc, para) {
                out.push(f);
            }
        }
        for sentence in doc.sentences {
            spintax(doc, sentence, out);
        }
        punctuation(doc, out);
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "date 2019-11-04 The council approved the budget on Tuesday.",
                    fixed: Some("The council approved the budget on Tuesday."),
                },
                MustFlag {
                    text: "Published: 3 June 2022, 14:05 BST Flooding closed the main road.",
                    fixed: Some("Flooding closed the main road."),
                },
                MustFlag {
                    text: "Updated 7:30 PM ET Voters queued for hours in the rain.",
                    fixed: Some("Voters queued for hours in the rain."),
                },
                MustFlag {
                    text: "The two ministers shake hands in Geneva in March 2019. File Reuters\n\nTalks resume next week.",
                    fixed: Some("The two ministers shake hands in Geneva in March 2019. Reuters file\n\nTalks resume next week."),
                },
                MustFlag {
                    text: "Firefighters work through the night in the valley. File photo Coastline Media\n\nThe fire is out.",
                    fixed: Some("Firefighters work through the night in the valley.\n\nThe fire is out."),
                },
                MustFlag {
                    text: "Advertisement The museum reopens in May after a long refit.",
                    fixed: Some("The museum reopens in May after a long refit."),
                },
                MustFlag {
                    text: "Dock workers unload grain at the port. Reuters/kp",
                    fixed: Some("Dock workers unload grain at the port."),
                },
                MustFlag {
                    text: "Fares rise by 4 percent in January. Tags: transport, fares, city council",
                    fixed: Some("Fares rise by 4 percent in January."),
                },
                MustFlag {
                    text: "Sponsored content · Plan your trip The old town is quiet in winter.",
                    fixed: Some("The old town is quiet in winter."),
                },
                MustFlag {
                    text: "The storm moved {quickly|rapidly|fast} across the bay.",
                    fixed: Some("The storm moved quickly across the bay."),
                },
                MustFlag {
                    text: "The mayor resigned,, citing health reasons.",
                    fixed: Some("The mayor resigned, citing health reasons."),
                },
                MustFlag {
                    text: "The bridge reopened on Monday.. Traffic was light.",
                    fixed: Some("The bridge reopened on Monday. Traffic was light."),
                },
                MustFlag {
                    text: "Nobody was hurt . Police are investigating.",
                    fixed: Some("Nobody was hurt. Police are investigating."),
                },
                MustFlag {
                    text: "Share on Facebook Share on X Share by email Schools close early for the summer",
                    fixed: Some("Schools close early for the summer"),
                },
                MustFlag {
                    text: "Local bakeries struggle with energy bills\n\nRead more: Flour prices hit a record\n\nBakers say they cannot pass on costs.",
                    fixed: Some("Local bakeries struggle with energy bills\n\n\n\nBakers say they cannot pass on costs."),
                },
            ],
            must_not_flag: &[
                "The data were updated on 12 May 2021 after a review.",
                "Updated 3 times since launch, the app now has a dark mode.",
                "Published in 1998, the novel sold a million copies.",
                "He paused... and then went on. Really?! she asked.",
                "The visit took place in Sochi in September 2020. AP file",
                "The Reuters report, filed from Kyiv, cited two officials.",
                "Wait!! That is not fair, the child shouted.",
                "The set {x | x > 0} is open.",
                "Smith & Co., Inc., agreed. The U.S., Canada and Mexico signed.",
                "Photo albums from the 1950s filled the attic.",
                "Advertisement revenue fell by a third last year.",
                "Tags on the crates showed the port of origin.",
                "The figures were first reported by Reuters.",
                "The file photo showed the senator in 2009, before the scandal.",
            ],
        }
    }
}

/// Names of news and photo agencies, as normalized token sequences.
const AGENCIES: &[&[&str]] = &[
    &["ap"],
    &["associated", "press"],
    &["reuters"],
    &["afp"],
    &["afp", "via", "getty", "images"],
    &["agence", "france-presse"],
    &["epa"],
    &["epa-efe"],
    &["efe"],
    &["getty", "images"],
    &["getty"],
    &["bloomberg"],
    &["xinhua"],
    &["tass"],
    &["dpa"],
    &["ansa"],
    &["pa"],
    &["pa", "wire"],
    &["pa", "images"],
    &["pa", "media"],
    &["upi"],
    &["kyodo"],
    &["yonhap"],
    &["aap"],
    &["anp"],
    &["anadolu"],
    &["anadolu", "agency"],
    &["sputnik"],
    &["ria", "novosti"],
    &["interfax"],
    &["belta"],
    &["ukrinform"],
    &["sipa"],
    &["shutterstock"],
    &["alamy"],
    &["nurphoto"],
    &["imago"],
    &["abaca"],
    &["zuma", "press"],
    &["pool"],
];

fn is_agency(words: &[&str]) -> bool {
    AGENCIES.contains(&words)
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
];

const CLOCK_WORDS: &[&str] = &[
    "am", "pm", "a.m.", "p.m.", "a.m", "p.m", "et", "est", "edt", "ct", "cst", "cdt", "mt", "mst",
    "pt", "pst", "pdt", "gmt", "utc", "bst", "cet", "cest", "eet", "eest", "msk", "ist", "jst",
    "aest", "aedt", "hkt", "sgt",
];

/// Words that introduce page metadata at a paragraph start, possibly two words long.
const METADATA_KEYS: &[&[&str]] = &[
    &["date"],
    &["dated"],
    &["published"],
    &["updated"],
    &["posted"],
    &["modified"],
    &["last", "updated"],
    &["last", "modified"],
    &["first", "published"],
    &["published", "on"],
    &["updated", "on"],
    &["posted", "on"],
    &["published", "at"],
    &["updated", "at"],
];

/// A date or time at `tokens[i..]`: returns the index past it when it contains a number and
/// looks like a date or a clock time (a month, a weekday, am/pm, or a number with - / :).
fn date_time_end(tokens: &[&Token], mut i: usize) -> Option<usize> {
    let start = i;
    let mut numbers = 0;
    let mut datelike = false;
    let mut last_good = None;
    while let Some(t) = tokens.get(i) {
        let norm = t.norm.as_str();
        let ok = match t.kind {
            TokenKind::Number => {
                numbers += 1;
                if norm.contains(['-', ':', '/']) {
                    datelike = true;
                }
                true
            }
            TokenKind::Word if MONTHS.contains(&norm) || WEEKDAYS.contains(&norm) => {
                datelike = true;
                true
            }
            TokenKind::Word if CLOCK_WORDS.contains(&norm) => {
                datelike = true;
                true
            }
            // "14th"
            TokenKind::Word
                if norm.len() <= 4
                    && norm.starts_with(|c: char| c.is_ascii_digit())
                    && ["st", "nd", "rd", "th"].iter().any(|s| norm.ends_with(s)) =>
            {
                numbers += 1;
                true
            }
            TokenKind::Punct if matches!(norm, "," | "-" | "–") => i > start,
            TokenKind::Punct if norm == "." => {
                // "Jan." keeps its dot when glued to the month.
                i > start && tokens[i - 1].span.end == t.span.start && tokens[i - 1].is_word()
            }
            TokenKind::Symbol if matches!(norm, "|" | "/") => i > start,
            _ => false,
        };
        if !ok {
            break;
        }
        if !matches!(t.kind, TokenKind::Punct | TokenKind::Symbol) || norm == "." {
            last_good = Some(i + 1);
        }
        i += 1;
    }
    let end = last_good?;
    (numbers > 0 && datelike).then_some(end)
}

fn starts_with_words(tokens: &[&Token], words: &[&str]) -> bool {
    tokens.len() >= words.len() && tokens.iter().zip(words).all(|(t, w)| t.norm == *w)
}

/// "date 2021-05-29 Text…" or "Published: 12 May 2021, 10:04 Text…" at a paragraph start.
fn metadata_at_start(
    doc: &Analysis,
    tokens: &[&Token],
    whole: &std::ops::Range<usize>,
) -> Option<Finding> {
    let key = METADATA_KEYS
        .iter()
        .filter(|k| starts_with_words(tokens, k))
        .map(|k| k.len())
        .max()?;
    let mut i = key;
    if tokens
        .get(i)
        .is_some_and(|t| matches!(t.norm.as_str(), ":" | "-" | "–" | "—"))
    {
        i += 1;
    }
    let end = date_time_end(tokens, i)?;
    let start = tokens[0].span.start;
    let span = match tokens.get(end) {
        // What follows must start something new: a capitalized word, a digit or a quote.
        Some(next) => {
            let first = next.text(doc.text).chars().next()?;
            if !(first.is_uppercase() || next.kind == TokenKind::Quote) {
                return None;
            }
            start..next.span.start
        }
        None => whole.clone(),
    };
    Some(
        Finding::new(
            RULE,
            Category::Markup,
            Severity::Minor,
            span,
            "page metadata (a date line) leaked into the text",
        )
        .confidence(0.8)
        .suggest(""),
    )
}

/// Web page furniture that ends up glued to the start of a paragraph.
const BOILERPLATE: &[&[&str]] = &[
    &["advertisement"],
    &["advertisement", "advertisement"],
    &["download", "pdf"],
    &["skip", "to", "content"],
    &["skip", "to", "main", "content"],
    &["listen", "to", "this", "article"],
    &["follow", "our", "live", "coverage"],
    &["follow", "our", "live", "blog"],
    &["follow", "live", "updates"],
    &["story", "continues", "below", "advertisement"],
    &["continue", "reading", "the", "main", "story"],
    &["sponsored", "content"],
    &["copy", "link"],
    &["print", "this", "page"],
    &["image", "caption"],
    &["media", "caption"],
];

/// "Advertisement Council leader …": page furniture before the first word of the paragraph.
fn boilerplate_at_start(doc: &Analysis, tokens: &[&Token]) -> Option<Finding> {
    let len = BOILERPLATE
        .iter()
        .filter(|k| starts_with_words(tokens, k))
        .map(|k| k.len())
        .max()?;
    // The furniture is capitalized as a label, and what follows starts something new.
    if !tokens[0].is_capitalized(doc.text) {
        return None;
    }
    // More page furniture chained by separators: "Sponsored content · Book your stay".
    let mut end = len;
    while tokens
        .get(end)
        .is_some_and(|t| matches!(t.norm.as_str(), "·" | "|" | "•"))
    {
        let mut k = end + 1;
        if !tokens
            .get(k)
            .is_some_and(|t| t.is_word() && t.is_capitalized(doc.text))
        {
            return None;
        }
        k += 1;
        while tokens
            .get(k)
            .is_some_and(|t| t.is_word() && !t.is_capitalized(doc.text))
        {
            k += 1;
        }
        end = k;
    }
    let start = tokens[0].span.start;
    let span = match tokens.get(end) {
        Some(next) if next.is_capitalized(doc.text) || next.kind == TokenKind::Quote => {
            start..next.span.start
        }
        Some(_) => return None,
        None => start..tokens[end - 1].span.end,
    };
    Some(
        Finding::new(
            RULE,
            Category::Markup,
            Severity::Minor,
            span,
            "web page text leaked into the prose",
        )
        .confidence(0.7)
        .suggest(""),
    )
}

const SOCIAL: &[&str] = &[
    "facebook",
    "x",
    "twitter",
    "whatsapp",
    "linkedin",
    "email",
    "e-mail",
    "reddit",
    "telegram",
    "pinterest",
    "messenger",
    "bluesky",
    "threads",
    "mail",
];

/// "Share on Facebook Share on X Share by email Headline…" at a paragraph start.
fn share_buttons(doc: &Analysis, tokens: &[&Token]) -> Option<Finding> {
    let mut i = 0;
    let mut items = 0;
    while tokens.get(i).is_some_and(|t| t.norm == "share")
        && tokens
            .get(i + 1)
            .is_some_and(|t| matches!(t.norm.as_str(), "on" | "via" | "by" | "to" | "with"))
        && tokens
            .get(i + 2)
            .is_some_and(|t| SOCIAL.contains(&t.norm.as_str()))
    {
        items += 1;
        i += 3;
    }
    if items == 0 {
        return None;
    }
    let start = tokens[0].span.start;
    let span = match tokens.get(i) {
        Some(next) if next.is_capitalized(doc.text) => start..next.span.start,
        Some(_) => return None,
        None => start..tokens[i - 1].span.end,
    };
    Some(
        Finding::new(
            RULE,
            Category::Markup,
            Severity::Minor,
            span,
            "share-button text leaked into the text",
        )
        .confidence(if items >= 2 { 0.85 } else { 0.7 })
        .suggest(""),
    )
}

/// A whole paragraph that is a related-article link: "Read more: Headline".
fn link_paragraph(
    doc: &Analysis,
    tokens: &[&Token],
    whole: &std::ops::Range<usize>,
) -> Option<Finding> {
    let key = [
        &["read", "more"][..],
        &["read", "also"],
        &["also", "read"],
        &["see", "also"],
        &["related"],
        &["more", "on", "this", "story"],
    ]
    .iter()
    .find(|k| starts_with_words(tokens, k))?
    .len();
    if tokens.get(key).is_none_or(|t| t.norm != ":") || tokens.len() <= key + 1 {
        return None;
    }
    let words = tokens.iter().filter(|t| t.is_word()).count();
    // A headline alone in its paragraph: short. Glued to the body, where the headline ends
    // is a guess (a name inside it looks like the body's first word): flag it, fix nothing.
    if words > 16 {
        let headline_end = (key + 2..tokens.len()).find(|&k| {
            tokens[k].is_capitalized(doc.text)
                && tokens[k - 1].is_word()
                && !tokens[k - 1].is_capitalized(doc.text)
        })?;
        return Some(
            Finding::new(
                RULE,
                Category::Markup,
                Severity::Minor,
                tokens[0].span.start..tokens[headline_end - 1].span.end,
                "related-article link leaked into the text",
            )
            .confidence(0.6),
        );
    }
    Some(
        Finding::new(
            RULE,
            Category::Markup,
            Severity::Minor,
            whole.clone(),
            "related-article link leaked into the text",
        )
        .confidence(0.75)
        .suggest(""),
    )
}

/// A photo credit closing a caption paragraph: "… 2020. File AP", "… File photo: Name",
/// "Photo: Reuters", "(AP Photo/John Doe)".
fn credit_at_end(doc: &Analysis, para: &[Sentence]) -> Option<Finding> {
    let last = para.last()?;
    let tokens: Vec<&Token> = last.tokens.iter().collect();
    let norms: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
    // Everything before the credit stays: the deletion starts after the previous sentence.
    let previous_end = para.len().checked_sub(2).map(|i| para[i].span.end);
    let delete_span = previous_end.map_or(last.span.clone(), |end| end..last.span.end);
    if norms.first() == Some(&"file") && norms.len() >= 2 {
        if is_agency(&norms[1..]) {
            // The reversed "File AP" of a caption: the credit reads "AP file".
            let agency = &doc.text[tokens[1].span.start..last.span.end];
            let file = tokens[0].text(doc.text);
            let file = if file == "FILE" { "FILE" } else { "file" };
            return Some(
                Finding::new(
                    RULE,
                    Category::WordOrder,
                    Severity::Minor,
                    last.span.clone(),
                    "photo credit in reversed order",
                )
                .confidence(0.75)
                .suggest(format!("{agency} {file}")),
            );
        }
        let photo = matches!(
            norms[1],
            "photo" | "photograph" | "image" | "picture" | "pic"
        );
        if photo && previous_end.is_some() && credit_name(&tokens[2..], doc.text) {
            return Some(
                Finding::new(
                    RULE,
                    Category::Markup,
                    Severity::Minor,
                    delete_span,
                    "photo credit leaked into the text",
                )
                .confidence(0.65)
                .suggest(""),
            );
        }
        return None;
    }
    let photo_label = matches!(
        norms.first(),
        Some(&("photo" | "photos" | "photograph" | "image" | "picture" | "credit" | "pictured"))
    ) && matches!(norms.get(1), Some(&(":" | "by")));
    if photo_label && previous_end.is_some() && credit_name(&tokens[2..], doc.text) {
        return Some(
            Finding::new(
                RULE,
                Category::Markup,
                Severity::Minor,
                delete_span,
                "photo credit leaked into the text",
            )
            .confidence(0.6)
            .suggest(""),
        );
    }
    // "Tags: cybersecurity, public transport" closing the paragraph.
    let tag_label = [
        &["tags"][..],
        &["topics"],
        &["filed", "under"],
        &["categories"],
        &["related", "topics"],
    ]
    .iter()
    .find(|k| starts_with_words(&tokens, k))
    .map(|k| k.len());
    if let Some(k) = tag_label.filter(|&k| norms.get(k) == Some(&":")) {
        let items: Vec<&[&str]> = norms[k + 1..].split(|n| *n == ",").collect();
        let listy = !items.is_empty()
            && items.iter().all(|i| (1..=4).contains(&i.len()))
            && tokens[k + 1..]
                .iter()
                .all(|t| t.is_word() || t.norm == "," || t.kind == TokenKind::Number);
        if listy {
            return Some(
                Finding::new(
                    RULE,
                    Category::Markup,
                    Severity::Minor,
                    delete_span,
                    "tag list leaked into the text",
                )
                .confidence(0.7)
                .suggest(""),
            );
        }
    }
    // A bare agency line after the caption: "Reuters", "dpa/hw" (agency and editor's initials).
    if previous_end.is_some() {
        let slash = norms.iter().position(|n| *n == "/");
        let (agency, rest) = match slash {
            Some(k) => (&norms[..k], &norms[k + 1..]),
            None => (&norms[..], &[][..]),
        };
        let initials =
            rest.len() == 1 && rest[0].len() <= 4 && rest[0].chars().all(char::is_alphabetic);
        if is_agency(agency) && (rest.is_empty() || initials || is_agency(rest)) {
            return Some(
                Finding::new(
                    RULE,
                    Category::Markup,
                    Severity::Minor,
                    delete_span,
                    "agency credit leaked into the text",
                )
                .confidence(if rest.is_empty() { 0.55 } else { 0.65 })
                .suggest(""),
            );
        }
    }
    // "(AP Photo/John Doe)" at the end of the paragraph, inside the last sentence.
    if norms.last() == Some(&")") {
        let open = norms.iter().rposition(|n| *n == "(")?;
        let inner = &norms[open + 1..norms.len() - 1];
        let credit = inner.len() >= 2
            && (1..inner.len())
                .any(|k| is_agency(&inner[..k]) && matches!(inner[k], "photo" | "/" | "via"));
        if credit {
            let start = if open == 0 {
                previous_end.unwrap_or(tokens[0].span.start)
            } else {
                tokens[open - 1].span.end
            };
            return Some(
                Finding::new(
                    RULE,
                    Category::Markup,
                    Severity::Minor,
                    start..last.span.end,
                    "photo credit leaked into the text",
                )
                .confidence(0.6)
                .suggest(""),
            );
        }
    }
    None
}

/// One to five capitalized words (or an agency), possibly joined by "/" or "via".
fn credit_name(tokens: &[&Token], text: &str) -> bool {
    let tokens = match tokens.first() {
        Some(t) if t.norm == ":" => &tokens[1..],
        _ => tokens,
    };
    !tokens.is_empty()
        && tokens.len() <= 6
        && tokens.iter().any(|t| t.is_word())
        && tokens.iter().all(|t| {
            (t.is_word()
                && (t.is_capitalized(text)
                    || matches!(
                        t.norm.as_str(),
                        "via"
                            | "for"
                            | "archive"
                            | "file"
                            | "handout"
                            | "supplied"
                            | "screenshot"
                            | "courtesy"
                    )))
                || matches!(t.norm.as_str(), "/" | "-")
        })
}

/// "{quickly|rapidly|fast}" → the first option.
fn spintax(doc: &Analysis, sentence: &Sentence, out: &mut Vec<Finding>) {
    let tokens = &sentence.tokens;
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].norm != "{" {
            i += 1;
            continue;
        }
        let Some(close) = tokens[i + 1..]
            .iter()
            .position(|t| t.norm == "}" || t.norm == "{")
            .map(|p| p + i + 1)
        else {
            break;
        };
        if tokens[close].norm == "{" {
            i = close;
            continue;
        }
        let inner = &tokens[i + 1..close];
        let options: Vec<&[Token]> = inner.split(|t| t.norm == "|").collect();
        let good = options.len() >= 2
            && options.iter().all(|o| {
                !o.is_empty()
                    && o.len() <= 6
                    && o.iter()
                        .all(|t| t.is_word() || t.kind == TokenKind::Number || t.norm == "-")
            });
        if good {
            let first = options[0];
            let replacement = &doc.text[first[0].span.start..first[first.len() - 1].span.end];
            out.push(
                Finding::new(
                    RULE,
                    Category::Markup,
                    Severity::Major,
                    tokens[i].span.start..tokens[close].span.end,
                    "leftover spintax: alternatives in braces",
                )
                .confidence(0.9)
                .suggest(replacement),
            );
        }
        i = close + 1;
    }
}

fn punct_finding(
    span: std::ops::Range<usize>,
    message: &str,
    fix: &str,
    confidence: f32,
) -> Finding {
    Finding::new(RULE, Category::Punctuation, Severity::Minor, span, message)
        .confidence(confidence)
        .suggest(fix)
}

/// Doubled commas and full stops, and a space before a punctuation mark.
fn punctuation(doc: &Analysis, out: &mut Vec<Finding>) {
    let tokens: Vec<&Token> = doc.sentences.iter().flat_map(|s| s.tokens.iter()).collect();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        let prev = i.checked_sub(1).map(|p| tokens[p]);
        let next = tokens.get(i + 1).copied();
        let glued_prev = prev.is_some_and(|p| p.span.end == t.span.start);
        let prev_is_word =
            prev.is_some_and(|p| matches!(p.kind, TokenKind::Word | TokenKind::Number));
        match t.norm.as_str() {
            ".." if glued_prev && prev_is_word => {
                out.push(punct_finding(t.span.clone(), "doubled full stop", ".", 0.8));
            }
            "," | ";" if next.is_some_and(|n| n.norm == t.norm && n.span.start == t.span.end) => {
                let mut j = i + 1;
                while tokens
                    .get(j + 1)
                    .is_some_and(|n| n.norm == t.norm && n.span.start == tokens[j].span.end)
                {
                    j += 1;
                }
                out.push(punct_finding(
                    t.span.start..tokens[j].span.end,
                    "repeated punctuation mark",
                    &t.norm,
                    0.8,
                ));
                i = j + 1;
                continue;
            }
            "." | "," | ";" | ":" | "?" | "!" if !glued_prev && prev_is_word => {
                let p = prev.expect("prev_is_word");
                let gap = &doc.text[p.span.end..t.span.start];
                let after_ok =
                    next.is_none_or(|n| n.span.start > t.span.end || n.kind == TokenKind::Quote);
                // Only a space on one line, and never a dot that starts a word (".NET").
                if gap.chars().all(|c| c == ' ') && after_ok {
                    let fix = doc.text[t.span.clone()].to_string();
                    out.push(punct_finding(
                        p.span.end..t.span.end,
                        "space before a punctuation mark",
                        &fix,
                        if matches!(t.norm.as_str(), "." | ",") {
                            0.65
                        } else {
                            0.55
                        },
                    ));
                }
            }
            _ => {}
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Auditor;
    use crate::input::Format;

    fn found(text: &str) -> Vec<(String, Option<String>)> {
        Auditor::default()
            .audit_text("t", text, Format::Text)
            .findings()
            .filter(|f| f.rule == RULE)
            .map(|f| {
                (
                    text[f.span.clone()].to_string(),
                    f.top_suggestion().map(|s| s.replacement.clone()),
                )
            })
            .collect()
    }

    #[test]
    fn date_line_includes_following_space() {
        assert_eq!(
            found(" date 2020-01-02 Snow fell."),
            [("date 2020-01-02 ".to_string(), Some(String::new()))]
        );
    }

    #[test]
    fn metadata_alone_in_a_paragraph() {
        assert_eq!(
            found("Last updated: Tue 4 Jan 2022 09:30 GMT\n\nSnow fell."),
            [(
                "Last updated: Tue 4 Jan 2022 09:30 GMT".to_string(),
                Some(String::new())
            )]
        );
    }

    #[test]
    fn reversed_file_credit_keeps_agency_text() {
        assert_eq!(
            found("Crowds gather outside the court in May. File Getty Images"),
            [(
                "File Getty Images".to_string(),
                Some("Getty Images file".to_string())
            )]
        );
    }

    #[test]
    fn bracketed_credit_is_deleted_with_its_space() {
        assert_eq!(
            found("Rescuers search the rubble. (AP Photo/Jane Roe)"),
            [(" (AP Photo/Jane Roe)".to_string(), Some(String::new()))]
        );
    }

    #[test]
    fn ellipses_and_interrobang_are_style() {
        assert!(found("So... what now?! Nothing.... Well.").is_empty());
    }

    #[test]
    fn triple_comma_collapses() {
        assert_eq!(
            found("Yes,,, he said."),
            [(",,,".to_string(), Some(",".to_string()))]
        );
    }
}
