//! CLI tests as data: each tests/cmd/*.toml names args, input folder, expected output and exit code.
//! Regenerate expected output after an intended change with `TRYCMD=overwrite cargo test --test cli`.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}

/// The README's sample report is what the tool prints: the command after `$ ` in the block
/// under "What the report looks like" is run from the repository root, and its output must
/// match the block line for line, where a line `…` stands for any number of lines.
#[test]
fn the_readme_sample_report_is_what_the_tool_prints() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("## What the report looks like")
        .nth(1)
        .expect("the README has its sample report");
    let block = section
        .split("```")
        .nth(1)
        .expect("the sample is a code block");
    let mut lines = block.lines().skip_while(|l| l.trim().is_empty());
    let command = lines
        .next()
        .and_then(|l| l.strip_prefix("$ mtaudit "))
        .expect("a `$ mtaudit …` line");
    let expected: Vec<&str> = lines.collect();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_mtaudit"))
        .args(command.split_whitespace())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let printed = String::from_utf8(output.stdout).unwrap();
    let printed: Vec<&str> = printed.lines().collect();
    assert!(
        matches(&expected, &printed),
        "README sample:\n{}\n\nprinted:\n{}",
        expected.join("\n"),
        printed.join("\n")
    );
}

/// Whether `actual` reads `expected`, a line `…` in `expected` matching any run of lines.
fn matches(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((&"…", rest)) => (0..=actual.len()).any(|skip| matches(rest, &actual[skip..])),
        Some((line, rest)) => actual.first() == Some(line) && matches(rest, &actual[1..]),
    }
}
