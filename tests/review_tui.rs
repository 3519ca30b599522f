//! `mtaudit review` on a real terminal: the binary runs in tmux, keys go in with send-keys and
//! the screen comes back with capture-pane. Skipped, with a notice, where tmux is missing.

mod review_support;

use review_support::*;

const LANDING: &str = "forced landing of the commercial flight";
const DOWNSIZING: &str = "forced downsizing of the commercial flight";

/// The fixture article under review in tmux, at its first finding; `None`, with a notice,
/// where tmux is missing.
fn reviewing_with(
    test: &str,
    args: &str,
    width: u16,
    height: u16,
) -> Option<(tempfile::TempDir, std::path::PathBuf, Tmux)> {
    if !tmux_available(test) {
        return None;
    }
    let (dir, doc) = article(ARTICLE);
    let tmux = Tmux::start(test, dir.path(), args, width, height);
    tmux.wait_for("finding 1 of 5");
    Some((dir, doc, tmux))
}

/// `review article.txt` on an 80×24 terminal.
fn reviewing(test: &str) -> Option<(tempfile::TempDir, std::path::PathBuf, Tmux)> {
    reviewing_with(test, "review article.txt", 80, 24)
}

/// Quits and checks the exit code and that the terminal left raw mode.
fn quit(tmux: &Tmux, keys: &[&str]) -> String {
    ended(tmux, keys, 0)
}

/// Sends `keys`, then checks that the review ended with `code` and the terminal is restored.
fn ended(tmux: &Tmux, keys: &[&str], code: i32) -> String {
    tmux.keys(keys);
    let screen = tmux.wait_for("[end]");
    assert!(screen.contains(&format!("[exited {code}]")), "{screen}");
    assert!(
        screen.lines().any(|l| l.trim() == "icanon"),
        "terminal not restored:\n{screen}"
    );
    screen
}

#[test]
fn screen_fits_80_by_24_and_needs_no_colour() {
    let Some((_dir, doc, tmux)) = reviewing("screen_fits_80_by_24_and_needs_no_colour") else {
        return;
    };
    let screen = tmux.screen();
    for expected in [
        "mtaudit review · article.txt · score",
        "▶ Officials said the forced [-downsizing-]{+landing+} of the commercial flight",
        "  The council met on Monday",
        "  Jensens comments came after Jensen visited the airport.",
        "major terminology · rule glossary · confidence 0.80",
        "suggestions: [1 “forced landing” (0.80)]",
        "a accept  r reject  p pick",
        "s save  ? help  q quit",
    ] {
        assert!(screen.contains(expected), "no {expected:?} in\n{screen}");
    }
    assert!(screen.lines().count() <= 24);
    assert!(screen.lines().all(|l| l.chars().count() <= 80), "{screen}");
    // The long sentence wraps instead of being cut.
    assert!(
        screen.contains("had surprised everyone aboard the board."),
        "{screen}"
    );
    // NO_COLOR: attributes such as reverse video, but no colours.
    let raw = tmux.screen_with(true);
    assert!(raw.contains("\u{1b}[7m"), "no reverse video:\n{raw:?}");
    for colour in [
        "\u{1b}[31m",
        "\u{1b}[32m",
        "\u{1b}[33m",
        "\u{1b}[36m",
        ";31m",
        ";32m",
    ] {
        assert!(!raw.contains(colour), "colour {colour:?} despite NO_COLOR");
    }
    let help = tmux.key_then("?", "accept the suggestion on show");
    assert!(
        help.contains("suppress this rule for the whole document"),
        "{help}"
    );
    tmux.key_then("Escape", "? shows every key");
    quit(&tmux, &["q"]);
    assert_eq!(read(&doc), ARTICLE);
}

#[test]
fn wide_terminal_shows_the_neighbours_in_full() {
    let Some((_dir, _doc, tmux)) = reviewing_with(
        "wide_terminal_shows_the_neighbours_in_full",
        "review article.txt",
        200,
        50,
    ) else {
        return;
    };
    let screen = tmux.key_then("Right", "finding 2 of 5");
    assert!(
        screen.contains("▶ Officials said the forced downsizing of the commercial flight had surprised everyone [-aboard the-]{+on+} board."),
        "{screen}"
    );
    quit(&tmux, &["q"]);
}

#[test]
fn accept_then_undo_any_number_of_steps() {
    let Some((_dir, doc, tmux)) = reviewing("accept_then_undo_any_number_of_steps") else {
        return;
    };
    tmux.key_then("a", "finding 2 of 5");
    tmux.key_then("a", "finding 3 of 5");
    tmux.key_then("r", "finding 4 of 5");
    tmux.key_then("u", "finding 3 of 5");
    tmux.key_then("u", "finding 2 of 5");
    let screen = tmux.key_then("u", "finding 1 of 5");
    assert!(
        screen.contains("0 accepted · 0 rejected · 5 to decide"),
        "{screen}"
    );
    assert!(!screen.contains("UNSAVED"), "{screen}");
    tmux.key_then("r", "finding 2 of 5");
    tmux.key_then("a", "finding 3 of 5");
    tmux.key_then("s", "saved article.txt: 1 edit");
    quit(&tmux, &["q"]);
    let text = read(&doc);
    assert!(text.contains(DOWNSIZING), "{text}");
    assert!(
        text.contains("everyone on board. Jensens comments"),
        "{text}"
    );
}

#[test]
fn edit_the_replacement_with_the_line_editor() {
    let Some((_dir, doc, tmux)) = reviewing("edit_the_replacement_with_the_line_editor") else {
        return;
    };
    let prompt = tmux.key_then("e", "Replacement (Enter accepts, Esc cancels):");
    assert!(prompt.contains("> forced landing"), "{prompt}");
    tmux.keys(&["C-w"]);
    tmux.type_text("touchdown");
    tmux.keys(&["Home", "Delete"]);
    tmux.type_text("F");
    tmux.wait_for("> Forced touchdown");
    let screen = tmux.key_then("Enter", "finding 2 of 5");
    assert!(
        screen.contains("“forced downsizing” → “Forced touchdown”"),
        "{screen}"
    );
    // Esc leaves the prompt without deciding.
    tmux.key_then("e", "Replacement");
    tmux.key_then("Escape", "cancelled");
    tmux.key_then("s", "saved article.txt: 1 edit");
    quit(&tmux, &["q"]);
    let text = read(&doc);
    assert!(
        text.contains("said the Forced touchdown of the commercial flight"),
        "{text}"
    );
}

#[test]
fn glossary_add_writes_the_pair_on_save() {
    let Some((dir, doc, tmux)) = reviewing("glossary_add_writes_the_pair_on_save") else {
        return;
    };
    tmux.key_then("Right", "finding 2 of 5");
    tmux.key_then("Right", "finding 3 of 5");
    tmux.key_then("Right", "finding 4 of 5");
    tmux.key_then("g", "Add the pair to glossary file");
    tmux.type_text("house terms.tsv");
    let screen = tmux.key_then("Enter", "finding 5 of 5");
    assert!(
        screen.contains("goes into house terms.tsv on save"),
        "{screen}"
    );
    let glossary = dir.path().join("house terms.tsv");
    assert!(!glossary.exists(), "written before save");
    tmux.key_then("s", "1 glossary line added");
    quit(&tmux, &["q"]);
    let entries = mtaudit::checks::glossary::load_user_glossary(&glossary).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].bad, "profound learning");
    assert_eq!(entries[0].good, ["deep learning"]);
    assert!(read(&doc).contains("the deep learning project"));
}

#[test]
fn conflict_on_save_offers_reload_and_keeps_decisions() {
    let Some((_dir, doc, tmux)) = reviewing("conflict_on_save_offers_reload_and_keeps_decisions")
    else {
        return;
    };
    tmux.key_then("a", "finding 2 of 5");
    tmux.key_then("r", "finding 3 of 5");
    // Someone else edits the file meanwhile.
    let theirs = ARTICLE.replace("The council met on Monday", "The council met on Tuesday");
    std::fs::write(&doc, &theirs).unwrap();
    let screen = tmux.key_then("s", "changed on disk since it was opened");
    assert!(screen.contains("r reload it"), "{screen}");
    assert_eq!(read(&doc), theirs, "their edit must not be overwritten");
    let screen = tmux.key_then(
        "r",
        "reloaded: 5 findings in the new text, 2 decision(s) kept",
    );
    assert!(screen.contains("finding 3 of 5"), "{screen}");
    tmux.key_then("s", "saved article.txt: 1 edit");
    quit(&tmux, &["q"]);
    let text = read(&doc);
    assert!(text.contains("met on Tuesday"), "{text}");
    assert!(text.contains(LANDING), "{text}");
    assert!(text.contains("aboard the board"), "{text}");
}

#[test]
fn resume_where_the_first_review_stopped() {
    if !tmux_available("resume_where_the_first_review_stopped") {
        return;
    }
    let (dir, doc) = article(ARTICLE);
    {
        let tmux = Tmux::start("resume1", dir.path(), "review article.txt", 80, 24);
        tmux.wait_for("finding 1 of 5");
        tmux.key_then("r", "finding 2 of 5");
        tmux.key_then("a", "finding 3 of 5");
        tmux.key_then("s", "saved article.txt: 1 edit");
        quit(&tmux, &["q"]);
    }
    let tmux = Tmux::start("resume2", dir.path(), "review article.txt", 80, 24);
    let screen = tmux.wait_for("finding 2 of 4");
    assert!(
        screen.contains("resumed: 1 finding(s) rejected in an earlier review"),
        "{screen}"
    );
    assert!(screen.contains("[-Jensens-]{+Jensen's+}"), "{screen}");
    let back = tmux.key_then("Left", "finding 1 of 4");
    assert!(back.contains("rejected (in an earlier review)"), "{back}");
    quit(&tmux, &["q"]);
    assert!(read(&doc).contains(DOWNSIZING));
}

#[test]
fn quit_asks_before_discarding_and_ctrl_c_too() {
    let Some((_dir, doc, tmux)) = reviewing("quit_asks_before_discarding_and_ctrl_c_too") else {
        return;
    };
    tmux.key_then("a", "UNSAVED");
    tmux.key_then("q", "Unsaved decisions.");
    tmux.key_then("Escape", "back to the review");
    tmux.key_then("C-c", "Unsaved decisions.");
    quit(&tmux, &["d"]);
    assert_eq!(read(&doc), ARTICLE);
    assert!(!sidecar(&doc).exists());
}

#[test]
fn glossary_prompt_offers_the_glossary_in_force() {
    if !tmux_available("glossary_prompt_offers_the_glossary_in_force") {
        return;
    }
    let (dir, doc) = article(ARTICLE);
    std::fs::write(
        dir.path().join("house.tsv"),
        "harbour scheme\tharbour plan\tterminology\n",
    )
    .unwrap();
    let tmux = Tmux::start(
        "glossary-in-force",
        dir.path(),
        "review --glossary house.tsv article.txt",
        80,
        24,
    );
    tmux.wait_for("finding 1 of 5");
    let prompt = tmux.key_then("g", "Add the pair to glossary file");
    assert!(prompt.contains("> house.tsv"), "{prompt}");
    tmux.key_then("Enter", "goes into house.tsv on save");
    tmux.key_then("s", "1 glossary line added");
    quit(&tmux, &["q"]);
    let entries =
        mtaudit::checks::glossary::load_user_glossary(dir.path().join("house.tsv")).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].bad, "forced downsizing");
    assert!(read(&doc).contains("forced landing"));
}

#[test]
fn a_panic_restores_the_terminal_and_writes_nothing() {
    if !tmux_available("a_panic_restores_the_terminal_and_writes_nothing") {
        return;
    }
    // The key that panics on purpose is compiled into debug builds only.
    if !cfg!(debug_assertions) {
        eprintln!("skipping a_panic_restores_the_terminal_and_writes_nothing: a release build");
        return;
    }
    let (dir, doc) = article(ARTICLE);
    let tmux = Tmux::start_with_env(
        "panic",
        dir.path(),
        "MTAUDIT_TEST_PANIC=1 RUST_BACKTRACE=0",
        "review article.txt",
        80,
        24,
    );
    tmux.wait_for("finding 1 of 5");
    tmux.key_then("a", "finding 2 of 5");
    let screen = ended(&tmux, &["!"], 101);
    assert!(screen.contains("a panic on purpose"), "{screen}");
    assert_eq!(read(&doc), ARTICLE);
    assert!(!sidecar(&doc).exists());
}

/// Keys that reach the terminal together (a paste, or a busy machine) are all handled at
/// once, not one each time another key arrives.
#[test]
fn keys_that_arrive_together_are_all_handled() {
    let Some((_dir, _doc, tmux)) = reviewing("keys_that_arrive_together_are_all_handled") else {
        return;
    };
    tmux.key_then("e", "> forced landing");
    // Stopped, the review reads nothing: the keys wait in the terminal and arrive together.
    tmux.signal("STOP");
    tmux.keys(&["C-w"]);
    tmux.type_text("touchdown");
    tmux.signal("CONT");
    tmux.wait_for("> forced touchdown");
    tmux.key_then("Escape", "cancelled");
    quit(&tmux, &["q"]);
}

/// A closed terminal window hangs up the review's terminal: the review must end, not spin
/// on a terminal that reads end-of-file for ever.
#[test]
fn a_closed_terminal_ends_the_review_and_writes_nothing() {
    let Some((_dir, doc, tmux)) = reviewing("a_closed_terminal_ends_the_review_and_writes_nothing")
    else {
        return;
    };
    tmux.key_then("a", "finding 2 of 5");
    let pid = tmux.program_pid();
    tmux.close();
    let start = std::time::Instant::now();
    while !ended_process(&pid) {
        if start.elapsed() > std::time::Duration::from_secs(15) {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid])
                .status();
            panic!("the review was still running 15 s after its terminal closed");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(read(&doc), ARTICLE);
    assert!(!sidecar(&doc).exists());
}

#[test]
fn a_termination_signal_restores_the_terminal_and_writes_nothing() {
    let Some((_dir, doc, tmux)) =
        reviewing("a_termination_signal_restores_the_terminal_and_writes_nothing")
    else {
        return;
    };
    tmux.key_then("a", "finding 2 of 5");
    tmux.signal("TERM");
    let screen = ended(&tmux, &[], 2);
    assert!(screen.contains("stopped by signal 15"), "{screen}");
    assert_eq!(read(&doc), ARTICLE);
    assert!(!sidecar(&doc).exists());
}
