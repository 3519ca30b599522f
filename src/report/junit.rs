//! JUnit XML for test dashboards: a testsuite per file, holding a `score` testcase (the gate)
//! and a testcase per sentence, which fails with one `<failure>` per finding in it.

use super::text::excerpt;
use super::{Sink, Summary};
use crate::audit::FileReport;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Text fit for an XML attribute or element: escaped, without characters XML 1.0 forbids
/// (also used for the HTML report).
pub(super) fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

pub struct JunitSink<'a> {
    out: Box<dyn Write + 'a>,
    suites: String,
    tests: usize,
    failures: usize,
}

impl<'a> JunitSink<'a> {
    pub fn new(out: Box<dyn Write + 'a>) -> Self {
        JunitSink {
            out,
            suites: String::new(),
            tests: 0,
            failures: 0,
        }
    }
}

impl Sink for JunitSink<'_> {
    fn file(&mut self, report: &FileReport) -> io::Result<()> {
        let lines = report.line_index();
        let path = xml(report.path.trim_start_matches("./"));
        let mut cases = String::new();
        let mut failures = 0;
        let verdict = format!("score {:.1}/100", report.score);
        let _ = write!(cases, "    <testcase classname=\"{path}\" name=\"score\"");
        if report.passed {
            cases.push_str("/>\n");
        } else {
            failures += 1;
            let _ = writeln!(
                cases,
                ">\n      <failure type=\"gate\" message=\"{verdict}: below the minimum score or a finding too severe\"/>\n    </testcase>"
            );
        }
        for sentence in &report.sentences {
            let (line, _) = lines.position(&report.text, sentence.span.start);
            let name = xml(&format!(
                "line {line}: {}",
                excerpt(&report.text[sentence.span.clone()], 60)
            ));
            let _ = write!(cases, "    <testcase classname=\"{path}\" name=\"{name}\"");
            if sentence.findings.is_empty() {
                cases.push_str("/>\n");
                continue;
            }
            failures += 1;
            let mut body = String::new();
            for f in &sentence.findings {
                let (fl, fc) = lines.position(&report.text, f.span.start);
                let _ = write!(
                    body,
                    "{}:{fl}:{fc}: {} {} {}: {}",
                    report.path, f.severity, f.category, f.rule, f.message
                );
                if let Some(s) = f.top_suggestion() {
                    let _ = write!(
                        body,
                        " (“{}”. {})",
                        &report.text[f.span.clone()],
                        s.action()
                    );
                }
                body.push('\n');
            }
            let rules: Vec<&str> = sentence.findings.iter().map(|f| f.rule).collect();
            let worst = sentence.findings.iter().map(|f| f.severity).max();
            let _ = writeln!(
                cases,
                ">\n      <failure type=\"{}\" message=\"{} finding{}: {}\">{}</failure>",
                worst.map_or("minor", |s| s.as_str()),
                rules.len(),
                if rules.len() == 1 { "" } else { "s" },
                xml(&rules.join(", ")),
                xml(&body)
            );
            cases.push_str("    </testcase>\n");
        }
        let tests = report.sentences.len() + 1;
        let _ = write!(
            self.suites,
            "  <testsuite name=\"{path}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n    <properties>\n      <property name=\"score\" value=\"{:.1}\"/>\n      <property name=\"words\" value=\"{}\"/>\n    </properties>\n{cases}  </testsuite>\n",
            report.score, report.words
        );
        self.tests += tests;
        self.failures += failures;
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        write!(
            self.out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mtaudit\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n{}</testsuites>\n",
            self.tests, self.failures, self.suites
        )?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Auditor;
    use crate::input::Format;

    /// A small well-formedness check: tags balance, attributes are quoted, `&` starts an entity.
    fn well_formed(doc: &str) -> Result<(), String> {
        let mut stack: Vec<&str> = Vec::new();
        let mut rest = doc
            .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .ok_or("no declaration")?;
        while let Some(open) = rest.find('<') {
            let text = &rest[..open];
            for (i, _) in text.match_indices('&') {
                let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
                if !["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(&entity) {
                    return Err(format!("bad entity {entity}"));
                }
            }
            let close = rest[open..].find('>').ok_or("unclosed tag")? + open;
            let tag = &rest[open + 1..close];
            if tag.matches('"').count() % 2 != 0 || tag.contains('<') {
                return Err(format!("bad tag {tag}"));
            }
            if let Some(name) = tag.strip_prefix('/') {
                if stack.pop() != Some(name) {
                    return Err(format!("unbalanced </{name}>"));
                }
            } else if !tag.ends_with('/') {
                stack.push(tag.split_whitespace().next().unwrap_or(""));
            }
            rest = &rest[close + 1..];
        }
        if stack.is_empty() {
            Ok(())
        } else {
            Err(format!("unclosed {stack:?}"))
        }
    }

    /// The audit of `text` as file `path`, and its JUnit document.
    fn junit(path: &str, text: &str) -> (FileReport, String) {
        let report = Auditor::default().audit_text(path, text, Format::Text);
        let mut out = Vec::new();
        {
            let mut sink = JunitSink::new(Box::new(&mut out));
            sink.file(&report).unwrap();
            sink.finish(&Summary::new()).unwrap();
        }
        (report, String::from_utf8(out).unwrap())
    }

    #[test]
    fn output_is_well_formed_with_one_failure_per_flagged_sentence() {
        let text = "The <b> & forced downsizing of a “flight”. Fine here.\n\nStoltenbergs comments about Stoltenberg were aboard the board.";
        let (report, doc) = junit("a&b.txt", text);
        well_formed(&doc).unwrap_or_else(|e| panic!("{e}\n{doc}"));
        let flagged = report
            .sentences
            .iter()
            .filter(|s| !s.findings.is_empty())
            .count();
        assert!(flagged >= 1);
        let gate = usize::from(!report.passed);
        assert_eq!(doc.matches("<failure ").count(), flagged + gate, "{doc}");
        assert_eq!(
            doc.matches("<testcase ").count(),
            report.sentences.len() + 1
        );
    }

    #[test]
    fn a_deletion_reads_as_in_the_other_reports() {
        let text = "The council approved the plans. territorial disputes remain open.";
        let (_, doc) = junit("a.txt", text);
        assert!(doc.contains("(“.”. Delete)"), "{doc}");
        assert!(!doc.contains("“”"), "{doc}");
    }

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            xml("a<b & \"c\" 'd'\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;\u{FFFD}"
        );
    }
}
