//! `mtaudit config [PATH]`: the effective configuration for a path, as TOML, each value
//! followed by where it came from (default, file:line, flag or env).

use super::settings::{GateArgs, Profiles, SettingsArgs};
use super::{error, EXIT_ERROR, EXIT_PASS};
use crate::config::{Origin, Settings, Sourced};
use clap::Args;
use std::fmt::Display;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ConfigArgs {
    /// The file or folder whose configuration to show [default: the current folder].
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub gate: GateArgs,
    /// Suggestions at or above this confidence are applied by fix and --format diff.
    #[arg(long, value_name = "0..1", value_parser = super::confidence)]
    pub confidence: Option<f32>,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// Values start in this column, origins after the value.
const ORIGIN_COLUMN: usize = 40;

fn line(out: &mut impl Write, assignment: String, origin: &Origin) -> io::Result<()> {
    let pad = ORIGIN_COLUMN
        .saturating_sub(assignment.chars().count())
        .max(1);
    writeln!(out, "{assignment}{:pad$}# {origin}", "")
}

fn value<T: Display>(out: &mut impl Write, key: &str, v: &Sourced<T>) -> io::Result<()> {
    line(out, format!("{key} = {}", v.value), &v.origin)
}

fn quoted(s: impl Display) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list<T: Display>(out: &mut impl Write, key: &str, items: &[Sourced<T>]) -> io::Result<()> {
    if items.is_empty() {
        return line(out, format!("{key} = []"), &Origin::Default);
    }
    writeln!(out, "{key} = [")?;
    for item in items {
        line(out, format!("  {},", quoted(&item.value)), &item.origin)?;
    }
    writeln!(out, "]")
}

/// `key = "path"` and its origin, or a comment saying what holds without one.
fn optional_path(
    out: &mut impl Write,
    key: &str,
    path: Option<&Sourced<PathBuf>>,
    without: &str,
) -> io::Result<()> {
    match path {
        Some(path) => line(
            out,
            format!("{key} = {}", quoted(path.value.display())),
            &path.origin,
        ),
        None => writeln!(out, "# {key}: {without}"),
    }
}

fn number<T: Into<f64> + Display + Copy>(x: T) -> String {
    if x.into().fract() == 0.0 {
        format!("{x:.1}")
    } else {
        format!("{x}")
    }
}

fn print(out: &mut impl Write, path: &Path, s: &Settings) -> io::Result<()> {
    writeln!(out, "# effective configuration for {}", path.display())?;
    match &s.file {
        Some(file) => {
            let how = match &file.origin {
                Origin::Default => format!("nearest to {}", path.display()),
                other => other.to_string(),
            };
            writeln!(out, "# config file: {} ({how})", file.value.display())?;
        }
        None => writeln!(out, "# config file: none (defaults and flags only)")?,
    }
    writeln!(out)?;
    list(out, "glossaries", &paths(&s.glossaries))?;
    optional_path(out, "model", s.model.as_ref(), "the bundled one")?;
    optional_path(out, "termbase", s.termbase.as_ref(), "none")?;
    line(
        out,
        format!("min-score = {}", number(s.min_score.value)),
        &s.min_score.origin,
    )?;
    let fail_on = s.fail_on.value.map_or("none".to_owned(), |v| v.to_string());
    line(
        out,
        format!("fail-on = {}", quoted(fail_on)),
        &s.fail_on.origin,
    )?;
    line(
        out,
        format!("min-confidence = {}", number(s.min_confidence.value)),
        &s.min_confidence.origin,
    )?;
    value(out, "thorough", &s.thorough)?;
    value(
        out,
        "report-unused-suppressions",
        &s.report_unused_suppressions,
    )?;
    list(out, "include", &s.include)?;
    list(out, "exclude", &s.exclude)?;
    writeln!(out, "\n[weights]")?;
    for (name, w) in ["minor", "major", "critical"].iter().zip(&s.weights) {
        line(out, format!("{name} = {}", number(w.value)), &w.origin)?;
    }
    writeln!(out, "\n[fix]")?;
    line(
        out,
        format!("confidence = {}", number(s.fix_confidence.value)),
        &s.fix_confidence.origin,
    )?;
    for (rule, r) in &s.rules {
        writeln!(out, "\n[rules.{rule}]")?;
        value(out, "enabled", &r.enabled)?;
        match r.severity.value {
            Some(severity) => line(
                out,
                format!("severity = {}", quoted(severity)),
                &r.severity.origin,
            )?,
            None => writeln!(out, "# severity: as each finding reports it")?,
        }
        for (assignment, origin) in r.option_lines() {
            line(out, assignment, origin)?;
        }
    }
    Ok(())
}

fn paths(items: &[Sourced<PathBuf>]) -> Vec<Sourced<String>> {
    items
        .iter()
        .map(|p| Sourced {
            value: p.value.display().to_string(),
            origin: p.origin.clone(),
        })
        .collect()
}

pub fn run(args: ConfigArgs) -> u8 {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let overrides = args.settings.overrides(&args.gate, args.confidence);
    let settings = match Profiles::new(&args.settings, overrides).settings_for(&path) {
        Ok(settings) => settings,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let mut out = io::stdout().lock();
    match print(&mut out, &path, &settings) {
        Ok(()) => EXIT_PASS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_PASS,
        Err(e) => {
            error(format!("writing the configuration: {e}"));
            EXIT_ERROR
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Overrides;

    fn settings(path: &Path) -> Settings {
        let found = Sourced {
            value: path.to_owned(),
            origin: Origin::Default,
        };
        Settings::resolve(Some(found), &Overrides::default()).unwrap()
    }

    /// Every value of the settings, without where it came from.
    fn values(s: &Settings) -> String {
        let rules: Vec<String> = s
            .rules
            .iter()
            .map(|(rule, r)| {
                let options: Vec<String> =
                    r.options.values().map(|o| o.value.to_string()).collect();
                format!(
                    "{rule} {} {:?} {options:?}",
                    r.enabled.value, r.severity.value
                )
            })
            .collect();
        format!(
            "{:?}",
            (
                s.glossaries.iter().map(|g| &g.value).collect::<Vec<_>>(),
                s.model.as_ref().map(|m| &m.value),
                s.termbase.as_ref().map(|t| &t.value),
                (s.min_score.value, s.fail_on.value, s.min_confidence.value),
                (s.thorough.value, s.report_unused_suppressions.value),
                s.include.iter().map(|g| &g.value).collect::<Vec<_>>(),
                s.exclude.iter().map(|g| &g.value).collect::<Vec<_>>(),
                s.weights.iter().map(|w| w.value).collect::<Vec<_>>(),
                s.fix_confidence.value,
                rules,
            )
        )
    }

    #[test]
    fn the_printed_configuration_reads_back_as_the_same_settings() {
        let dir = tempfile::tempdir().unwrap();
        let written = dir.path().join("mtaudit.toml");
        std::fs::write(
            &written,
            "glossaries = [\"terms/house.tsv\", \"a \\\"b\\\".tsv\"]\nmodel = \"house.mtlm\"\n\
             min-score = 85.5\nfail-on = \"major\"\nthorough = true\n\
             include = [\"**/*.md\"]\nexclude = [\"vendor/**\"]\n\
             [weights]\nmajor = 4\n[fix]\nconfidence = 0.8\n\
             [rules.quotes]\nenabled = false\n[rules.photo-credit]\nseverity = \"minor\"\n",
        )
        .unwrap();
        let first = settings(&written);
        let mut printed = Vec::new();
        print(&mut printed, dir.path(), &first).unwrap();
        let reread = dir.path().join("printed.toml");
        std::fs::write(&reread, &printed).unwrap();
        let second = settings(&reread);
        assert_eq!(
            values(&second),
            values(&first),
            "{}",
            String::from_utf8_lossy(&printed)
        );
        assert!(!second.rules["quotes"].enabled.value);
        assert_eq!(second.min_score.value, 85.5);
    }
}
