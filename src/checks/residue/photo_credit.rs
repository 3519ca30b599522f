//! `photo-credit`: a photo or agency credit closing a caption paragraph ("… 2020. File AP",
//! "File photo: Name", "Photo: Reuters", "(AP Photo/John Doe)", "Reuters/kp").

use super::{after_previous_sentence, deletion};
use crate::checks::{Analysis, Check, Examples, MustFlag};
use crate::finding::{Category, Finding, Severity};
use crate::text::{Sentence, Token};

pub struct PhotoCredit;

const RULE: &str = "photo-credit";

impl Check for PhotoCredit {
    fn rule(&self) -> &'static str {
        RULE
    }

    fn description(&self) -> &'static str {
        "A photo or agency credit (“File AP”, “Photo: Reuters”) closing a caption"
    }

    fn run(&self, doc: &Analysis, out: &mut Vec<Finding>) {
        for (para, _) in doc.paragraphs() {
            out.extend(credit_at_end(doc, para));
        }
    }

    fn examples(&self) -> Examples {
        Examples {
            must_flag: &[
                MustFlag {
                    text: "The two ministers shake hands in Geneva in March 2019. File Reuters\n\nTalks resume next week.",
                    fixed: Some("The two ministers shake hands in Geneva in March 2019. Reuters file\n\nTalks resume next week."),
                },
                MustFlag {
                    text: "Firefighters work through the night in the valley. File photo Coastline Media\n\nThe fire is out.",
                    fixed: Some("Firefighters work through the night in the valley.\n\nThe fire is out."),
                },
                MustFlag {
                    text: "Dock workers unload grain at the port. Reuters/kp",
                    fixed: Some("Dock workers unload grain at the port."),
                },
            ],
            must_not_flag: &[
                "The visit took place in Sochi in September 2020. AP file",
                "The Reuters report, filed from Kyiv, cited two officials.",
                "Photo albums from the 1950s filled the attic.",
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

/// A photo credit closing a caption paragraph: "… 2020. File AP", "… File photo: Name",
/// "Photo: Reuters", "(AP Photo/John Doe)".
fn credit_at_end(doc: &Analysis, para: &[Sentence]) -> Option<Finding> {
    let last = para.last()?;
    let tokens: Vec<&Token> = last.tokens.iter().collect();
    let norms: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
    // Everything before the credit stays: the deletion starts after the previous sentence.
    let previous_end = after_previous_sentence(para);
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
            return Some(deletion(
                RULE,
                delete_span,
                "photo credit leaked into the text",
                0.65,
            ));
        }
        return None;
    }
    let photo_label = matches!(
        norms.first(),
        Some(&("photo" | "photos" | "photograph" | "image" | "picture" | "credit" | "pictured"))
    ) && matches!(norms.get(1), Some(&(":" | "by")));
    if photo_label && previous_end.is_some() && credit_name(&tokens[2..], doc.text) {
        return Some(deletion(
            RULE,
            delete_span,
            "photo credit leaked into the text",
            0.6,
        ));
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
            return Some(deletion(
                RULE,
                delete_span,
                "agency credit leaked into the text",
                if rest.is_empty() { 0.55 } else { 0.65 },
            ));
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
            return Some(deletion(
                RULE,
                start..last.span.end,
                "photo credit leaked into the text",
                0.6,
            ));
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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::checks::matches_of;

    #[test]
    fn reversed_file_credit_keeps_agency_text() {
        assert_eq!(
            matches_of(
                RULE,
                "Crowds gather outside the court in May. File Getty Images"
            ),
            [(
                "File Getty Images".to_string(),
                Some("Getty Images file".to_string())
            )]
        );
    }

    #[test]
    fn bracketed_credit_is_deleted_with_its_space() {
        assert_eq!(
            matches_of(RULE, "Rescuers search the rubble. (AP Photo/Jane Roe)"),
            [(" (AP Photo/Jane Roe)".to_string(), Some(String::new()))]
        );
    }
}
