#![cfg(unix)]
//! Issue 15's hostile cases, run on the binary: failed writes of the report, terminal
//! injection, numbers on the command line, merge bounds, safe fixes of odd files, odd file
//! names, byte order marks, and lines ended by a lone CR.

mod common;
use common::{mtaudit_at, run_in};
use std::fs::{self, File, Permissions};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const FIXABLE: &str = "Officials said the forced downsizing of the jet was calm.\n";

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn written(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(path)
        .display()
        .to_string()
}

#[test]
fn a_report_that_cannot_be_written_is_exit_2_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    written(dir.path(), "a.txt", FIXABLE);
    let corpus = repo("tests/cmd/model.in/corpus");
    let arpa = repo("tests/cmd/model.in/tiny.arpa");
    let phrases = repo("tests/cmd/eval.in/phrases.tsv");
    let shard = run_in(dir.path(), &["check", "--format", "json", "a.txt"]);
    fs::write(dir.path().join("report.json"), &shard.stdout).unwrap();
    written(dir.path(), "script.txt", "accept\nsave\n");
    written(dir.path(), "reviewed.txt", FIXABLE);
    let mut commands: Vec<Vec<&str>> = ["text", "diff", "json", "sarif", "github", "junit", "html"]
        .iter()
        .map(|format| vec!["check", "--format", format, "a.txt"])
        .collect();
    commands.extend([
        vec!["fix", "--dry-run", "a.txt"],
        vec!["fix", "a.txt"],
        vec!["model", "info"],
        vec!["model", "build", corpus.as_str(), "-o", "house.mtlm"],
        vec!["model", "import-arpa", arpa.as_str(), "-o", "tiny.mtlm"],
        vec!["eval", "--phrases", phrases.as_str()],
        vec!["config", "a.txt"],
        vec!["report", "merge", "report.json"],
        vec!["review", "--script", "script.txt", "reviewed.txt"],
    ]);
    for args in commands {
        let out = mtaudit_at(dir.path())
            .args(&args)
            .stdout(Stdio::from(File::create("/dev/full").unwrap()))
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("mtaudit: error:"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // The diff that could not be shown was not applied either.
    assert_eq!(
        fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        FIXABLE
    );
}

#[test]
fn escape_sequences_from_the_input_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "Esc \u{1b}]0;pwned\u{7}\u{1b}[2J \u{1b}]52;c;ZXZpbA==\u{7} the forced downsizing of the jet.\n";
    written(dir.path(), "a\u{1b}[31m.txt", hostile);
    for format in ["text", "github"] {
        let out = run_in(dir.path(), &["check", "--format", format, "."]);
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(report.contains("forced"), "{format}: {report}");
        assert!(
            !report.contains('\u{1b}') && !report.contains('\u{7}'),
            "{format}: {report:?}"
        );
    }
    let out = run_in(dir.path(), &["check", "no-such\u{1b}]0;x\u{7}.txt"]);
    assert!(!stderr(&out).contains('\u{1b}'), "{:?}", stderr(&out));
}

#[test]
fn numbers_on_the_command_line_are_validated_as_in_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    written(dir.path(), "a.txt", FIXABLE);
    for args in [
        &["check", "--min-confidence", "nan", "a.txt"][..],
        &["check", "--min-confidence", "inf", "a.txt"],
        &["check", "--min-confidence", "1.5", "a.txt"],
        &["check", "--min-score", "200", "a.txt"],
        &["check", "--min-score", "nan", "a.txt"],
        &["check", "--min-score", "inf", "a.txt"],
        &["check", "--min-score=-5", "a.txt"],
        &["check", "--format", "diff", "--confidence", "nan", "a.txt"],
        &["fix", "--confidence=-1", "a.txt"],
        &["config", "--min-score", "nan"],
        &["check", "--shard", "1/18446744073709551615", "a.txt"],
        &["eval", "--confidence", "nan", "--clean", "a.txt"],
    ] {
        let out = run_in(dir.path(), args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("out of range") || err.contains("not a"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        FIXABLE
    );
    let out = run_in(dir.path(), &["config", "--min-score", "95.5"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("min-score = 95.5"));
}

#[test]
fn a_requirement_on_a_figure_the_evaluation_lacks_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    written(dir.path(), "clean.txt", "The council met on Tuesday.\n");
    let out = run_in(
        dir.path(),
        &["eval", "--clean", "clean.txt", "--require", "bogus>=1"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("no figure bogus"), "{}", stderr(&out));
}

#[test]
fn merge_refuses_shards_out_of_bounds_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let examples = repo("corpora/examples");
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out = run_in(
            dir.path(),
            &["check", "--format", "json", "--shard", &shard, &examples],
        );
        fs::write(dir.path().join(format!("{k}.json")), &out.stdout).unwrap();
    }
    let out = run_in(
        dir.path(),
        &["report", "merge", "1.json", "2.json", "3.json"],
    );
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let third = fs::read_to_string(dir.path().join("3.json")).unwrap();
    for (field, bad) in [
        ("index", "0"),
        ("index", "4"),
        ("count", "18446744073709551615"),
        ("count", "100000000000"),
        ("count", "1000000000"),
    ] {
        let edited = third.replace(&format!("\"{field}\": 3"), &format!("\"{field}\": {bad}"));
        assert_ne!(edited, third);
        fs::write(dir.path().join("3.json"), edited).unwrap();
        let out = run_in(
            dir.path(),
            &["report", "merge", "1.json", "2.json", "3.json"],
        );
        assert_eq!(
            out.status.code(),
            Some(2),
            "{field} {bad}: {}",
            stderr(&out)
        );
        assert!(
            !stderr(&out).contains("panicked"),
            "{field} {bad}: {}",
            stderr(&out)
        );
    }
    // A byte order mark is no reason to refuse a report.
    fs::write(dir.path().join("3.json"), format!("\u{FEFF}{third}")).unwrap();
    let out = run_in(
        dir.path(),
        &["report", "merge", "1.json", "2.json", "3.json"],
    );
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
}

#[test]
fn read_only_files_and_hard_links_are_fixed_only_when_forced() {
    let dir = tempfile::tempdir().unwrap();
    let path = written(dir.path(), "a.txt", FIXABLE);
    fs::set_permissions(&path, Permissions::from_mode(0o444)).unwrap();
    let out = run_in(dir.path(), &["fix", "a.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXABLE);
    let out = run_in(dir.path(), &["fix", "--force", "a.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(fs::read_to_string(&path)
        .unwrap()
        .contains("forced landing"));
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o444
    );

    let linked = written(dir.path(), "b.txt", FIXABLE);
    fs::hard_link(&linked, dir.path().join("other-name.txt")).unwrap();
    let out = run_in(dir.path(), &["fix", "b.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("hard links"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&linked).unwrap(), FIXABLE);
}

#[test]
fn fix_of_a_folder_does_not_follow_a_symlink_out_of_it_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    fs::create_dir(&tree).unwrap();
    written(&tree, "inside.txt", FIXABLE);
    let target = written(outside.path(), "elsewhere.txt", FIXABLE);
    symlink(&target, tree.join("link.txt")).unwrap();
    let out = run_in(dir.path(), &["fix", "tree"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("a symlink out of the folder"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), FIXABLE);
    assert!(fs::read_to_string(tree.join("inside.txt"))
        .unwrap()
        .contains("forced landing"));
    let out = run_in(dir.path(), &["fix", "--follow-links", "tree"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(fs::read_to_string(&target)
        .unwrap()
        .contains("forced landing"));
}

#[test]
fn a_diff_of_odd_file_names_applies_with_git() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        Command::new("git")
            .current_dir(dir.path())
            .args(args)
            .output()
    };
    if git(&["init", "-q"]).is_err() {
        return; // no git here: the quoting itself is unit-tested in src/report/diff.rs
    }
    for name in ["tab\there.txt", "new\nline.txt", "quote\"d.txt", "é.txt"] {
        written(dir.path(), name, FIXABLE);
    }
    let out = run_in(dir.path(), &["check", "--format", "diff", "."]);
    fs::write(dir.path().join("fix.patch"), &out.stdout).unwrap();
    let applied = git(&["apply", "fix.patch"]).unwrap();
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    for name in ["tab\there.txt", "new\nline.txt", "quote\"d.txt", "é.txt"] {
        let text = fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(text.contains("forced landing"), "{name}: {text}");
    }
}

#[test]
fn lines_ended_by_a_lone_cr_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let text = "The council met.\rThen it rained.\rOfficials said the forced downsizing of the jet was calm.\r";
    written(dir.path(), "mac.txt", text);
    let out = run_in(dir.path(), &["check", "mac.txt"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("mac.txt:3:20:"), "{report}");
}

#[test]
fn byte_order_marks_are_accepted_in_baseline_and_script_files() {
    let dir = tempfile::tempdir().unwrap();
    written(dir.path(), "a.txt", FIXABLE);
    let out = run_in(
        dir.path(),
        &["check", "a.txt", "--write-baseline", "base.json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let baseline = fs::read_to_string(dir.path().join("base.json")).unwrap();
    written(dir.path(), "base.json", &format!("\u{FEFF}{baseline}"));
    let out = run_in(dir.path(), &["check", "a.txt", "--baseline", "base.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    written(dir.path(), "script.txt", "\u{FEFF}accept\nsave\n");
    let out = run_in(dir.path(), &["review", "--script", "script.txt", "a.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(fs::read_to_string(dir.path().join("a.txt"))
        .unwrap()
        .contains("forced landing"));
}

#[test]
fn an_empty_review_file_holds_no_decisions() {
    let dir = tempfile::tempdir().unwrap();
    written(dir.path(), "a.txt", FIXABLE);
    written(dir.path(), "empty.json", "");
    let out = run_in(
        dir.path(),
        &["check", "a.txt", "--review-file", "empty.json"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("forced downsizing"));
    let out = run_in(
        dir.path(),
        &["check", "a.txt", "--review-file", "none.json"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no such review file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn names_that_are_not_utf8_get_their_own_review_files() {
    let dir = tempfile::tempdir().unwrap();
    let name = |bytes: &[u8]| std::ffi::OsStr::from_bytes(bytes).to_owned();
    let script = written(dir.path(), "script.txt", "reject\nsave\n");
    for file in [name(b"a\xff.txt"), name(b"a\xfe.txt")] {
        fs::write(dir.path().join(&file), FIXABLE).unwrap();
        let out = mtaudit_at(dir.path())
            .arg("review")
            .arg("--script")
            .arg(&script)
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let sidecars = fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.as_bytes().ends_with(b".mtaudit-review.json")
        })
        .count();
    assert_eq!(sidecars, 2);
}

#[test]
fn a_review_file_planted_as_a_symlink_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    written(dir.path(), "shared.txt", FIXABLE);
    let victim = written(dir.path(), "root-only", "");
    symlink(&victim, dir.path().join(".shared.txt.mtaudit-review.json")).unwrap();
    written(dir.path(), "script.txt", "reject\nsave\n");
    let out = run_in(
        dir.path(),
        &["review", "--script", "script.txt", "shared.txt"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("symlink"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&victim).unwrap(), "");
}

/// The review file of a shared document: never planted, never shared between two names.
mod review_file {
    use mtaudit::review::sidecar::{check_trusted, sidecar_path, ReviewFile};
    use std::path::Path;

    #[test]
    fn names_that_are_not_utf8_keep_distinct_review_files() {
        use std::os::unix::ffi::OsStrExt;
        let name = |bytes: &[u8]| Path::new(std::ffi::OsStr::from_bytes(bytes)).to_owned();
        let (ff, fe) = (name(b"dir/a\xff.txt"), name(b"dir/a\xfe.txt"));
        assert_ne!(sidecar_path(&ff), sidecar_path(&fe));
        assert_eq!(
            sidecar_path(&ff).as_os_str().as_bytes(),
            b"dir/.a\xff.txt.mtaudit-review.json"
        );
    }

    #[test]
    fn a_planted_review_file_is_not_trusted() {
        use std::os::unix::fs::{chown, symlink};
        let dir = tempfile::tempdir().unwrap();
        let document = dir.path().join("shared.txt");
        std::fs::write(&document, "text").unwrap();
        let sidecar = sidecar_path(&document);
        assert!(check_trusted(&sidecar, &document).is_ok(), "none yet");
        let victim = dir.path().join("root-only");
        std::fs::write(&victim, "").unwrap();
        symlink(&victim, &sidecar).unwrap();
        let err = check_trusted(&sidecar, &document).unwrap_err();
        assert!(err.problem.contains("symlink"), "{err}");
        let saved = ReviewFile::new(&document).save(&sidecar);
        assert!(saved.is_err(), "a symlink is not saved through");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "");
        std::fs::remove_file(&sidecar).unwrap();
        std::fs::write(&sidecar, "").unwrap();
        assert!(check_trusted(&sidecar, &document).is_ok(), "mine");
        // Only root can give a file away; as anyone else, the case cannot be made.
        if chown(&sidecar, Some(4242), None).is_ok() {
            let err = check_trusted(&sidecar, &document).unwrap_err();
            assert!(err.problem.contains("owned by user 4242"), "{err}");
            chown(&document, Some(4242), None).unwrap();
            assert!(
                check_trusted(&sidecar, &document).is_ok(),
                "the document's owner"
            );
        }
    }
}
