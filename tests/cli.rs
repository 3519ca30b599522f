//! CLI tests as data: each tests/cmd/*.toml names args, input folder, expected output and exit code.
//! Regenerate expected output after an intended change with `TRYCMD=overwrite cargo test --test cli`.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
