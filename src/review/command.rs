//! Review commands as text: the lines of a `--script` file.

use super::session::Action;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Act(Action),
    Save,
    Quit,
}

/// The commands a script may use, for error messages and the README.
pub const SCRIPT_HELP: &str = "accept, reject, pick N, edit TEXT, skip, undo, next, prev, \
critical, glossary FILE, suppress, save, quit";

/// Parses one script line. Blank lines and lines starting with `#` are `Ok(None)`.
/// `edit` keeps its text exactly as written after the single space that follows the word, so
/// `edit` alone replaces the flagged text with nothing.
pub fn parse_line(line: &str) -> Result<Option<Command>, String> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let trimmed = line.trim_start();
    if trimmed.trim_end().is_empty() || trimmed.starts_with('#') {
        return Ok(None);
    }
    let (word, rest) = match trimmed.split_once([' ', '\t']) {
        Some((w, r)) => (w, r),
        None => (trimmed, ""),
    };
    let word = word.trim_end();
    let arg = rest.trim();
    let no_arg = |command: Command| {
        if arg.is_empty() {
            Ok(Some(command))
        } else {
            Err(format!("`{word}` takes no argument"))
        }
    };
    use Action::*;
    match word {
        "accept" => no_arg(Command::Act(Accept)),
        "reject" => no_arg(Command::Act(Reject)),
        "skip" => no_arg(Command::Act(Skip)),
        "undo" => no_arg(Command::Act(Undo)),
        "next" => no_arg(Command::Act(Next)),
        "prev" => no_arg(Command::Act(Prev)),
        "critical" => no_arg(Command::Act(Critical)),
        "suppress" => no_arg(Command::Act(Suppress)),
        "save" => no_arg(Command::Save),
        "quit" => no_arg(Command::Quit),
        "pick" => match arg.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(Some(Command::Act(Pick(n)))),
            _ => Err(format!(
                "`pick` needs a suggestion number from 1, not `{arg}`"
            )),
        },
        "edit" => Ok(Some(Command::Act(Edit(
            rest.trim_end_matches(['\r', '\n']).to_owned(),
        )))),
        "glossary" if !arg.is_empty() => Ok(Some(Command::Act(Glossary(PathBuf::from(arg))))),
        "glossary" => Err("`glossary` needs a file name".into()),
        other => Err(format!("unknown command `{other}` (known: {SCRIPT_HELP})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_command() {
        let ok = |l: &str| parse_line(l).unwrap();
        assert_eq!(ok("accept"), Some(Command::Act(Action::Accept)));
        assert_eq!(ok("  reject  "), Some(Command::Act(Action::Reject)));
        assert_eq!(ok("pick 2"), Some(Command::Act(Action::Pick(2))));
        assert_eq!(
            ok("edit forced  landing "),
            Some(Command::Act(Action::Edit("forced  landing ".into())))
        );
        assert_eq!(ok("edit"), Some(Command::Act(Action::Edit(String::new()))));
        assert_eq!(
            ok("glossary house terms.tsv"),
            Some(Command::Act(Action::Glossary("house terms.tsv".into())))
        );
        assert_eq!(ok("save\r"), Some(Command::Save));
        assert_eq!(ok("# a comment"), None);
        assert_eq!(ok("   "), None);
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        assert!(parse_line("pick 0").unwrap_err().contains("from 1"));
        assert!(parse_line("pick x").is_err());
        assert!(parse_line("accept now")
            .unwrap_err()
            .contains("no argument"));
        assert!(parse_line("glossary").is_err());
        assert!(parse_line("acept")
            .unwrap_err()
            .contains("unknown command `acept`"));
    }
}
