//! Hostile input: deeply nested markup, 10 MB lines, NUL bytes, other encodings, devices,
//! symbolic-link loops, files changed under a run. Each gives a clear message naming the
//! file (and the position where there is one), exit code 2 when it is an error, no panic,
//! and the other files are still audited.

mod common;

use mtaudit::input::termbase::TermBase;
use mtaudit::input::{Document, Format};
use mtaudit::platform::symlink;
use std::fs;
use std::path::Path;

const NESTED: usize = 100_000;
const TEN_MB: usize = 10_000_000;
const GOOD: &str = "The council met on Tuesday.\n";
const FIXABLE: &str = "Officials said the forced downsizing of the jet was calm.\n";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn mtaudit(dir: &Path, args: &[&str]) -> Run {
    let out = common::mtaudit_at(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// The run reported this one error, audited `good.txt` anyway and exited with 2.
fn only_this_error(run: &Run, stderr: &str) {
    assert_eq!(run.code, Some(2));
    assert_eq!(run.stderr, stderr);
    assert!(
        run.stdout.contains("good.txt: score 100.0/100"),
        "{}",
        run.stdout
    );
}

fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("hostile-input-")
        .tempdir()
        .unwrap()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

fn nested_markdown() -> [(&'static str, String); 4] {
    [
        ("quotes.md", format!("{} deep quote.\n", ">".repeat(NESTED))),
        ("list.md", format!("{}item\n", "- ".repeat(NESTED))),
        (
            "emphasis.md",
            format!("{}word{}\n", "*".repeat(NESTED), "*".repeat(NESTED)),
        ),
        (
            "links.md",
            format!("{}x{}\n", "[".repeat(NESTED), "]".repeat(NESTED)),
        ),
    ]
}

/// Inline codes nested `NESTED` deep, the same in source and target.
fn nested_xliff() -> String {
    let nested = format!(
        "{}The council met.{}",
        "<g id=\"1\">".repeat(NESTED),
        "</g>".repeat(NESTED)
    );
    format!(
        "<xliff version=\"1.2\"><file source-language=\"fr\" target-language=\"en\"><body>\
         <trans-unit id=\"1\"><source>{nested}</source><target>{nested}</target></trans-unit>\
         </body></file></xliff>\n"
    )
}

fn nested_tmx() -> String {
    format!(
        "<tmx version=\"1.4\"><header srclang=\"fr\"/><body><tu>\
         <tuv xml:lang=\"en\"><seg>{}The council met.{}</seg></tuv></tu></body></tmx>\n",
        "<hi>".repeat(NESTED),
        "</hi>".repeat(NESTED)
    )
}

fn nested_tbx() -> String {
    format!(
        "<martif type=\"TBX\"><text><body>{}{}</body></text></martif>\n",
        "<termEntry>".repeat(NESTED),
        "</termEntry>".repeat(NESTED)
    )
}

/// Parsing runs on a thread with the 2 MB stack that spawned threads (and rayon's workers,
/// where `mtaudit check` audits) get by default: a recursive parser would overflow it.
fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(work)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn deeply_nested_markup_parses_on_a_small_stack() {
    for (name, text) in nested_markdown() {
        let doc = on_small_stack(move || Document::from_bytes(text.into_bytes(), Format::Markdown));
        assert!(doc.is_ok(), "{name}");
    }
    let xliff = on_small_stack(|| Document::from_bytes(nested_xliff().into_bytes(), Format::Xliff));
    assert_eq!(xliff.unwrap().units.len(), 1);
    let tmx = on_small_stack(|| Document::from_bytes(nested_tmx().into_bytes(), Format::Tmx));
    assert_eq!(tmx.unwrap().units.len(), 1);
    let tbx = on_small_stack(|| TermBase::parse_tbx(&nested_tbx()).map(|_| ()));
    assert!(tbx.is_ok(), "{tbx:?}");
}

#[test]
fn deeply_nested_markup_is_audited() {
    let dir = scratch();
    for (name, text) in nested_markdown() {
        write(dir.path(), name, text);
    }
    write(dir.path(), "deep.xlf", nested_xliff());
    write(dir.path(), "deep.tmx", nested_tmx());
    write(dir.path(), "terms.tbx", nested_tbx());
    let run = mtaudit(
        dir.path(),
        &["check", "--format", "json", "--termbase", "terms.tbx", "."],
    );
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 6, "{}", run.stderr);
}

#[test]
fn deeply_nested_config_is_an_error_naming_the_file_and_line() {
    let dir = scratch();
    write(dir.path(), "note.txt", GOOD);
    let configs = [
        format!("min-score = {}{}\n", "[".repeat(NESTED), "]".repeat(NESTED)),
        format!(
            "min-score = {}1{}\n",
            "{a=".repeat(NESTED),
            "}".repeat(NESTED)
        ),
        format!("{} = 1\n", vec!["a"; NESTED].join(".")),
        format!("[{}]\nb = 1\n", vec!["a"; NESTED].join(".")),
    ];
    for config in configs {
        write(dir.path(), "deep.toml", config);
        let run = mtaudit(dir.path(), &["check", "--config", "deep.toml", "note.txt"]);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(
            run.stderr.starts_with("mtaudit: error: deep.toml:1: "),
            "{}",
            run.stderr
        );
        assert!(run.stderr.len() < 300, "a short message: {}", run.stderr);
    }
}

#[test]
fn ten_megabyte_lines_in_several_formats() {
    let dir = scratch();
    // A Markdown image inlined as data, a PO string, a TSV cell and an XLIFF target, each a
    // line of 10 MB without a line break.
    let blob: String = (0..TEN_MB)
        .map(|i| (b'a' + (i % 26) as u8) as char)
        .collect();
    write(
        dir.path(),
        "inline-image.md",
        format!("The council met.\n\n![map](data:image/png;base64,{blob}) The vote was close.\n"),
    );
    write(
        dir.path(),
        "long.po",
        format!("msgid \"Le conseil\"\nmsgstr \"The council {blob}\"\n"),
    );
    write(
        dir.path(),
        "long.tsv",
        format!("Le conseil\tThe council {blob}\n"),
    );
    write(
        dir.path(),
        "long.xlf",
        format!(
            "<xliff version=\"1.2\"><file source-language=\"fr\" target-language=\"en\"><body>\
             <trans-unit id=\"1\"><source>Le conseil</source><target>The council {blob}</target>\
             </trans-unit></body></file></xliff>"
        ),
    );
    let run = mtaudit(dir.path(), &["check", "--format", "json", "."]);
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 4, "{}", run.stderr);
    for file in files {
        assert!(file["words"].as_u64().unwrap() >= 2, "{}", file["path"]);
    }
}

#[test]
fn nul_bytes_make_a_text_file_binary_with_its_position() {
    let dir = scratch();
    write(dir.path(), "docs/good.txt", GOOD);
    write(
        dir.path(),
        "docs/nul.txt",
        "The council met.\nA NUL\0 in the second line.\n",
    );
    let named = mtaudit(dir.path(), &["check", "docs/nul.txt", "docs/good.txt"]);
    only_this_error(
        &named,
        "mtaudit: error: docs/nul.txt: binary file (NUL byte at byte 22, line 2, column 6), not audited\n",
    );
    // Found in a folder, a binary file is skipped with a warning.
    let walked = mtaudit(dir.path(), &["check", "docs"]);
    assert_eq!(walked.code, Some(0), "{}", walked.stderr);
    assert!(walked.stderr.contains("mtaudit: warning: docs/nul.txt: binary file (NUL byte at byte 22, line 2, column 6), not audited"));
    assert!(walked.stdout.contains("docs/good.txt"));
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        let pair = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        bytes.extend(pair);
    }
    bytes
}

#[test]
fn other_encodings_are_named_and_the_rest_is_audited() {
    let dir = scratch();
    write(dir.path(), "docs/good.txt", GOOD);
    write(dir.path(), "docs/le.txt", utf16(GOOD, false));
    write(
        dir.path(),
        "docs/be.xlf",
        utf16("<xliff version=\"1.2\"></xliff>", true),
    );
    let run = mtaudit(dir.path(), &["check", "docs"]);
    assert_eq!(run.code, Some(2));
    let mut lines: Vec<&str> = run.stderr.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "mtaudit: error: docs/be.xlf: UTF-16BE text (it starts with a byte-order mark); mtaudit reads UTF-8: convert it with `iconv -f UTF-16BE -t UTF-8`",
            "mtaudit: error: docs/le.txt: UTF-16LE text (it starts with a byte-order mark); mtaudit reads UTF-8: convert it with `iconv -f UTF-16LE -t UTF-8`",
        ]
    );
    assert!(run.stdout.contains("docs/good.txt: score 100.0/100"));
}

#[test]
fn a_latin1_stretch_in_utf8_is_named_with_its_position() {
    let dir = scratch();
    let mut bytes = "Première ligne, en UTF-8.\n".as_bytes().to_vec();
    bytes.extend(b"The council met at the caf\xe9 on Tuesday.\n");
    write(dir.path(), "mixed.txt", bytes);
    write(dir.path(), "good.txt", GOOD);
    let run = mtaudit(dir.path(), &["check", "mixed.txt", "good.txt"]);
    only_this_error(
        &run,
        "mtaudit: error: mixed.txt: invalid UTF-8 at byte 53 (line 2, column 27): 0xE9, which is “é” in Latin-1; mtaudit reads UTF-8 text\n",
    );
}

#[test]
fn a_device_is_not_read() {
    let dir = scratch();
    write(dir.path(), "good.txt", GOOD);
    let run = mtaudit(dir.path(), &["check", "/dev/zero", "good.txt"]);
    only_this_error(
        &run,
        "mtaudit: error: /dev/zero: a device, not a file; not read\n",
    );
}

#[test]
fn symbolic_link_loops_are_reported_and_not_followed() {
    let dir = scratch();
    let root = dir.path();
    write(root, "docs/a.txt", GOOD);
    write(root, "docs/sub/b.md", FIXABLE);
    symlink(root.join("docs"), root.join("docs/sub/loop")).unwrap();
    symlink(root.join("docs/pong.txt"), root.join("docs/ping.txt")).unwrap();
    symlink(root.join("docs/ping.txt"), root.join("docs/pong.txt")).unwrap();
    // The same file again through a link: audited and fixed once.
    symlink(root.join("docs/sub/b.md"), root.join("docs/linked.md")).unwrap();

    let run = mtaudit(root, &["check", "docs"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let mut warnings: Vec<&str> = run.stderr.lines().collect();
    warnings.sort();
    assert_eq!(warnings.len(), 3, "{}", run.stderr);
    assert!(warnings[0]
        .starts_with("mtaudit: warning: docs/ping.txt: symbolic link that cannot be followed ("));
    assert!(warnings[1]
        .starts_with("mtaudit: warning: docs/pong.txt: symbolic link that cannot be followed ("));
    assert_eq!(
        warnings[2],
        "mtaudit: warning: docs/sub/loop: symbolic link back to docs, a folder already being searched; not followed"
    );
    assert!(run.stdout.contains("docs/a.txt: score 100.0/100"));
    assert_eq!(run.stdout.matches(": score ").count(), 2, "{}", run.stdout);

    let fix = mtaudit(root, &["fix", "docs"]);
    assert_eq!(fix.code, Some(0), "{}", fix.stderr);
    assert!(
        fix.stderr.contains("applied 1 fix in 1 file"),
        "{}",
        fix.stderr
    );
    assert!(fs::read_to_string(root.join("docs/sub/b.md"))
        .unwrap()
        .contains("forced landing"));
    assert!(fs::symlink_metadata(root.join("docs/linked.md"))
        .unwrap()
        .is_symlink());

    let model = mtaudit(root, &["model", "build", "docs", "-o", "house.mtlm"]);
    assert_eq!(model.code, Some(0), "{}", model.stderr);
    assert!(model
        .stderr
        .contains("docs/sub/loop: symbolic link back to docs"));
    assert!(model.stdout.contains("in 2 files"), "{}", model.stdout);
}

#[test]
fn fix_writes_nothing_over_a_file_changed_since_it_was_read() {
    // The same file named twice is audited twice from the same bytes: by the time the second
    // fix is written, the first has changed the file.
    let dir = scratch();
    write(dir.path(), "a.md", FIXABLE);
    let run = mtaudit(dir.path(), &["fix", "a.md", "a.md"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr
            .contains("mtaudit: error: a.md: changed on disk since it was read; not overwritten"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("a.md")).unwrap(),
        FIXABLE.replace("downsizing", "landing")
    );
}
