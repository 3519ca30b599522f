#![no_main]
//! A model file (`--model`, `mtaudit model info`): loaded from any bytes it is either
//! refused with an error or answers every query without panicking, including as the house
//! model of the context check. Mutated bytes almost never hold their checksum, so each input
//! is also loaded sealed (its checksum made right), to reach the parser behind the check.

use libfuzzer_sys::fuzz_target;
use mtaudit::audit::{AuditConfig, Auditor};
use mtaudit::checks::context::ContextCheck;
use mtaudit::input::Format;
use mtaudit::model::{Model, WordId};
use mtaudit::resources::Resources;
use mtaudit_fuzz::invariants;

/// Words asked about besides the model's own (the boundary markers and unknown words).
const PROBES: [&str; 5] = ["<s>", "</s>", "<unk>", "the", "zzzq"];

fuzz_target!(|data: &[u8]| {
    let mut sealed = data.to_vec();
    Model::seal(&mut sealed);
    if sealed != data {
        // The checksum does not hold: whatever else the bytes say, the load refuses them.
        assert!(Model::from_bytes(data.to_vec()).is_err(), "a model whose checksum does not hold loaded");
    }
    let Ok(model) = Model::from_bytes(sealed) else {
        return;
    };
    let _ = (model.order(), model.ngram_counts(), model.byte_len());
    let _ = model.unknown_log10();
    // Ids past the vocabulary count as unknown words.
    let ids: Vec<WordId> = (0..model.vocabulary_size().min(40) + 2)
        .map(WordId::from_index)
        .collect();
    let mut words: Vec<String> = ids
        .iter()
        .filter_map(|&id| model.word(id).map(str::to_owned))
        .collect();
    words.extend(PROBES.map(str::to_owned));
    for word in &words {
        if let Some(id) = model.word_id(word) {
            assert_eq!(model.word(id), Some(word.as_str()));
        }
        let _ = (model.contains(word), model.log10_unigram(word));
    }
    for window in words.windows(3) {
        let refs: Vec<&str> = window.iter().map(String::as_str).collect();
        let _ = model.ngram_log10(&refs);
        let _ = model.log10_prob(&refs[..2], refs[2]);
        let _ = model.pair_attested(refs[0], refs[1]);
    }
    for window in ids.windows(2) {
        let _ = model.log10_prob_detail(&window[..1], Some(window[1]));
        let _ = model.followers(window);
        let _ = model.followers(&window[..1]);
        let _ = model.pair_attested_ids(window[0], window[1]);
    }
    let resources = Resources {
        house: Some(std::sync::Arc::new(model)),
        ..Resources::default()
    };
    let check = ContextCheck::new(&resources);
    let auditor = Auditor::new(AuditConfig::default(), vec![Box::new(check)]);
    let report = auditor.audit_text(
        "house.txt",
        "The council approved the forced downsizing of the harbour on Tuesday.",
        Format::Text,
    );
    invariants::assert_spans(&report);
});
