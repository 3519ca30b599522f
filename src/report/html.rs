//! The HTML report: one self-contained page (inline CSS and JavaScript, no network assets)
//! with each document's score, every sentence with its flagged spans highlighted, each
//! finding's correction as a word diff, and filters by category and severity. The filters
//! can also be set from the URL: `report.html#category=grammar,spelling&severity=major`.

use super::junit::xml as esc;
use super::text::{correction, word_changes};
use super::{Sink, Summary};
use crate::audit::{FileReport, LineIndex, SentenceReport};
use crate::finding::{Category, Finding, Severity};
use similar::ChangeTag;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::ops::Range;

pub struct HtmlSink<'a> {
    out: Box<dyn Write + 'a>,
    /// Rendered file sections, written with the page at the end.
    sections: String,
    categories: BTreeSet<Category>,
    files: usize,
}

impl<'a> HtmlSink<'a> {
    pub fn new(out: Box<dyn Write + 'a>) -> Self {
        HtmlSink {
            out,
            sections: String::new(),
            categories: BTreeSet::new(),
            files: 0,
        }
    }
}

/// The sentence with each flagged stretch in a `<mark>` naming the findings that cover it.
fn highlighted(text: &str, sentence: &SentenceReport, ids: &[String]) -> String {
    let span = sentence.span.clone();
    let mut cuts: Vec<usize> = vec![span.start, span.end];
    for f in &sentence.findings {
        cuts.push(f.span.start.clamp(span.start, span.end));
        cuts.push(f.span.end.clamp(span.start, span.end));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::new();
    for w in cuts.windows(2) {
        let piece = &text[w[0]..w[1]];
        let covering: Vec<&str> = sentence
            .findings
            .iter()
            .zip(ids)
            .filter(|(f, _)| f.span.start < w[1] && w[0] < f.span.end)
            .map(|(_, id)| id.as_str())
            .collect();
        if covering.is_empty() {
            out.push_str(&esc(piece));
        } else {
            let _ = write!(
                out,
                "<mark data-findings=\"{}\">{}</mark>",
                covering.join(" "),
                esc(piece)
            );
        }
    }
    out
}

/// A finding's correction as a word diff, or its sentence with the span marked.
fn diff_html(text: &str, sentence: &SentenceReport, finding: &Finding) -> String {
    let shown = correction(text, sentence, finding);
    let Some(after) = &shown.after else {
        let (before, flagged) = (&shown.before, shown.flagged);
        return format!(
            "{}<mark>{}</mark>{}",
            esc(&before[..flagged.start]),
            esc(&before[flagged.clone()]),
            esc(&before[flagged.end..])
        );
    };
    word_changes(&shown.before, after)
        .iter()
        .map(|(tag, value)| match tag {
            ChangeTag::Equal => esc(value),
            ChangeTag::Delete => format!("<del>{}</del>", esc(value)),
            ChangeTag::Insert => format!("<ins>{}</ins>", esc(value)),
        })
        .collect()
}

fn finding_html(
    out: &mut String,
    report: &FileReport,
    lines: &LineIndex,
    sentence: &SentenceReport,
    finding: &Finding,
    id: &str,
) {
    let (line, column) = lines.position(&report.text, finding.span.start);
    let _ = write!(
        out,
        "<li class=\"finding sev-{sev}\" id=\"{id}\" data-category=\"{cat}\" data-severity=\"{sev}\">\
         <div class=\"head\"><span class=\"badge sev-{sev}\">{sev}</span> <span class=\"cat\">{cat}</span> \
         <code class=\"rule\">{rule}</code> <span class=\"pos\">{line}:{column}</span> \
         <span class=\"conf\">confidence {conf:.2}</span></div>\
         <div class=\"msg\">{msg}</div><div class=\"diff\">{diff}</div>",
        sev = finding.severity,
        cat = finding.category,
        rule = esc(finding.rule),
        conf = finding.confidence,
        msg = esc(&finding.message),
        diff = diff_html(&report.text, sentence, finding).replace('\n', " "),
    );
    if let Some(evidence) = &finding.evidence {
        let _ = write!(out, "<div class=\"evidence\">{}</div>", esc(evidence));
    }
    if finding.suggestions.len() > 1 {
        let others: Vec<String> = finding.suggestions[1..]
            .iter()
            .map(|s| format!("“{}”", esc(&s.replacement)))
            .collect();
        let _ = write!(out, "<div class=\"also\">also: {}</div>", others.join(", "));
    }
    out.push_str("</li>");
}

/// A bilingual file's units that have a source: each target block, the unit's id and source.
fn sources(report: &FileReport) -> Vec<(&Range<usize>, Option<&str>, &str)> {
    report
        .unit_blocks
        .iter()
        .zip(&report.units)
        .filter_map(|(block, unit)| Some((block, unit.id.as_deref(), unit.source.as_deref()?)))
        .collect()
}

fn file_html(report: &FileReport, index: usize) -> String {
    let lines = report.line_index();
    let findings = report.findings().count();
    let mut out = String::new();
    let _ = write!(
        out,
        "<section class=\"file\" id=\"file-{index}\"><h2><span class=\"path\">{path}</span> \
         <span class=\"score {verdict}\">{score:.1}/100 {verdict}</span></h2>\
         <p class=\"stats\">{findings} finding{s} in {sentences} sentences, {words} words</p><ol class=\"sentences\">",
        path = esc(&report.path),
        score = report.score,
        verdict = if report.passed { "passed" } else { "failed" },
        s = if findings == 1 { "" } else { "s" },
        sentences = report.sentences.len(),
        words = report.words,
    );
    // A bilingual file is shown in its prose view: entities decoded, inline tags blanked.
    let display = if report.units.is_empty() {
        report.text.as_str()
    } else {
        report.prose.as_str()
    };
    let sources = sources(report);
    let mut next_source = sources.iter().peekable();
    for (n, sentence) in report.sentences.iter().enumerate() {
        let ids: Vec<String> = (0..sentence.findings.len())
            .map(|k| format!("f-{index}-{n}-{k}"))
            .collect();
        // A bilingual unit's source, shown with the unit's first sentence.
        let mut lead = String::new();
        while let Some((block, id, source)) = next_source.peek() {
            if block.start > sentence.span.start {
                break;
            }
            let id = id.map(|i| format!(" <code>{}</code>", esc(i)));
            let _ = write!(
                lead,
                "<div class=\"source\"><span class=\"label\">source{}</span> {}</div>",
                id.unwrap_or_default(),
                esc(source)
            );
            next_source.next();
        }
        let line = lines.position(&report.text, sentence.span.start).0;
        let flagged = if sentence.findings.is_empty() {
            ""
        } else {
            " flagged"
        };
        let _ = write!(
            out,
            "<li class=\"sentence{flagged}\">{lead}<div class=\"meta\">line {line} · score {:.1}</div>\
             <div class=\"text\">{}</div>",
            sentence.score,
            highlighted(display, sentence, &ids).replace('\n', " ")
        );
        if !sentence.findings.is_empty() {
            out.push_str("<ul class=\"findings\">");
            for (finding, id) in sentence.findings.iter().zip(&ids) {
                finding_html(&mut out, report, &lines, sentence, finding, id);
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ol></section>");
    out
}

fn filters(categories: &BTreeSet<Category>) -> String {
    let mut out = String::from("<fieldset id=\"severity-filter\"><legend>Severity</legend>");
    for s in [Severity::Critical, Severity::Major, Severity::Minor] {
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" class=\"filter\" data-kind=\"severity\" value=\"{s}\" checked> {s}</label>"
        );
    }
    out.push_str("</fieldset><fieldset id=\"category-filter\"><legend>Category</legend>");
    for c in categories {
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" class=\"filter\" data-kind=\"category\" value=\"{c}\" checked> {c}</label>"
        );
    }
    out.push_str("</fieldset>");
    out
}

const STYLE: &str = r#"
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60em;padding:1em 2em;color:#222}
header h1{margin:.2em 0} .score.passed{color:#176f2c} .score.failed{color:#b3261e}
#filters{display:flex;gap:1em;flex-wrap:wrap;position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #ddd}
fieldset{border:1px solid #ccc;border-radius:4px} label{margin-right:.8em;white-space:nowrap}
ol.sentences{padding-left:1.5em} li.sentence{margin:.6em 0}
div.source{margin:.8em 0 .2em;padding:.2em .6em;color:#555;background:#f3f3f8;border-radius:3px}
div.source .label{font-size:.75em;text-transform:uppercase;color:#888;margin-right:.4em} li.sentence:not(.flagged) .text{color:#666}
.meta{font-size:.8em;color:#888} mark{background:#ffe08a;border-radius:2px}
mark.off{background:none} ul.findings{list-style:none;padding-left:.5em}
li.finding{border-left:4px solid #999;padding:.3em .6em;margin:.4em 0;background:#fafafa}
li.finding.sev-critical{border-color:#b3261e} li.finding.sev-major{border-color:#e3901c} li.finding.sev-minor{border-color:#3b82c4}
.badge{font-size:.75em;text-transform:uppercase;padding:0 .4em;border-radius:3px;color:#fff;background:#3b82c4}
.badge.sev-critical{background:#b3261e} .badge.sev-major{background:#e3901c}
.rule,.pos,.conf{font-size:.85em;color:#555} del{background:#fdd;color:#900} ins{background:#dfd;color:#060;text-decoration:none}
.evidence,.also{font-size:.85em;color:#555} [hidden]{display:none!important}
"#;

const SCRIPT: &str = r#"
(function(){
  function boxes(){return Array.prototype.slice.call(document.querySelectorAll('input.filter'));}
  function fromHash(){
    var h=location.hash.replace(/^#/,''); if(!h) return;
    h.split('&').forEach(function(part){
      var kv=part.split('='); if(kv.length!==2) return;
      var wanted=decodeURIComponent(kv[1]).split(',');
      boxes().forEach(function(b){ if(b.dataset.kind===kv[0]) b.checked=wanted.indexOf(b.value)>=0; });
    });
  }
  function apply(){
    var on={severity:{},category:{}};
    boxes().forEach(function(b){ if(b.checked) on[b.dataset.kind][b.value]=true; });
    var shown=0, all=document.querySelectorAll('li.finding');
    Array.prototype.forEach.call(all,function(f){
      var v=!!(on.severity[f.dataset.severity]&&on.category[f.dataset.category]);
      f.hidden=!v; if(v) shown++;
    });
    Array.prototype.forEach.call(document.querySelectorAll('mark[data-findings]'),function(m){
      var v=m.dataset.findings.split(' ').some(function(id){var f=document.getElementById(id);return f&&!f.hidden;});
      m.classList.toggle('off',!v);
    });
    var c=document.getElementById('shown-count'); if(c) c.textContent=shown+' of '+all.length+' findings shown';
    document.body.dataset.shown=String(shown);
  }
  boxes().forEach(function(b){b.addEventListener('change',apply);});
  window.addEventListener('hashchange',function(){fromHash();apply();});
  fromHash(); apply();
})();
"#;

/// The inputs not audited (or empty), listed under the totals.
fn problems(summary: &Summary) -> String {
    if summary.problems.is_empty() {
        return String::new();
    }
    let items: String = summary
        .problems
        .iter()
        .map(|p| format!("<li class=\"{}\">{}</li>", p.kind.as_str(), esc(&p.message)))
        .collect();
    format!("<ul class=\"problems\">{items}</ul>")
}

impl Sink for HtmlSink<'_> {
    fn file(&mut self, report: &FileReport) -> io::Result<()> {
        self.categories
            .extend(report.findings().map(|f| f.category));
        self.sections.push_str(&file_html(report, self.files));
        self.files += 1;
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let verdict = if summary.passed { "passed" } else { "failed" };
        write!(
            self.out,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>mtaudit report</title><style>{STYLE}</style></head><body>\
             <header><h1>mtaudit report</h1><p class=\"summary\">Score \
             <span class=\"score {verdict}\" id=\"overall-score\">{score:.1}/100 {verdict}</span> · \
             {files} file{fs}, {words} words, {sentences} sentences, \
             <span id=\"finding-count\">{findings}</span> finding{ffs}</p>{problems}</header>\
             <nav id=\"filters\">{filters}<p id=\"shown-count\"></p></nav><main>{sections}</main>\
             <script>{SCRIPT}</script></body></html>\n",
            score = summary.score,
            files = summary.files,
            fs = if summary.files == 1 { "" } else { "s" },
            words = summary.words,
            sentences = summary.sentences,
            findings = summary.findings,
            ffs = if summary.findings == 1 { "" } else { "s" },
            problems = problems(summary),
            filters = filters(&self.categories),
            sections = self.sections,
        )?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Auditor;
    use crate::input::Format;

    fn page(text: &str) -> String {
        page_of("a <b>.txt", text, Format::Text)
    }

    fn page_of(path: &str, text: &str, format: Format) -> String {
        let report = Auditor::default().audit_text(path, text, format);
        let mut summary = Summary::new();
        summary.add(&report);
        let mut buf = Vec::new();
        {
            let mut sink = HtmlSink::new(Box::new(&mut buf));
            sink.file(&report).unwrap();
            sink.finish(&summary).unwrap();
        }
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn page_is_self_contained_and_escaped() {
        let html = page("The pilot made a forced downsizing of the plane. All <fine> here.");
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(!html.contains("http://") && !html.contains("https://"));
        assert!(!html.contains("<link") && !html.contains(" src="));
        assert!(html.contains("a &lt;b&gt;.txt"));
        assert!(html.contains("&lt;fine&gt;"));
        assert!(
            html.contains("<del>downsizing</del><ins>landing</ins>"),
            "{html}"
        );
        assert!(html.contains("data-category=\""));
    }

    #[test]
    fn bilingual_units_show_their_source_and_decoded_text() {
        let xlf = r#"<xliff version="1.2"><file source-language="de" target-language="en"><body>
<trans-unit id="u7"><source>Es gab 27 Verletzte &amp; Tote.</source><target>There were 72 injured &amp; dead.</target></trans-unit>
</body></file></xliff>"#;
        let html = page_of("d.xlf", xlf, Format::Xliff);
        assert!(
            html.contains("<code>u7</code></span> Es gab 27 Verletzte &amp; Tote.</div>"),
            "{html}"
        );
        // The sentence reads decoded; the diff shows what the file will hold.
        assert!(html.contains("<mark data-findings=\"f-0-0-0\">72</mark> injured &amp;     dead."));
        // The report says how the input was read: no extension (stdin) or another one
        // (`--input-format xliff` on a .txt file) keeps the source.
        for path in ["-", "d.txt"] {
            let html = page_of(path, xlf, Format::Xliff);
            assert!(
                html.contains("Es gab 27 Verletzte &amp; Tote."),
                "{path}: {html}"
            );
        }
    }

    #[test]
    fn overlapping_findings_share_a_mark() {
        let mut s = SentenceReport {
            span: 0..11,
            words: 2,
            score: 0.0,
            surprise: 0.0,
            suspicion: 0.0,
            findings: vec![],
        };
        let f = |a, b| Finding::new("r", Category::Style, Severity::Minor, a..b, "m");
        s.findings = vec![f(0, 5), f(3, 11)];
        let ids = vec!["a".to_owned(), "b".to_owned()];
        assert_eq!(
            highlighted("hello world", &s, &ids),
            "<mark data-findings=\"a\">hel</mark><mark data-findings=\"a b\">lo</mark><mark data-findings=\"b\"> world</mark>"
        );
    }
}
