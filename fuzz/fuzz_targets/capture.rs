//! Bytes as a typed note, through the capture line syntax: parsing never
//! fails and loses nothing (the body round-trips), and tags, mentions,
//! suggestions and activity / persona resolution never panic.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use valuemap::capture::{self, LineKind, Resolved};
use valuemap::model::Workspace;

fn template() -> &'static Workspace {
    static WS: OnceLock<Workspace> = OnceLock::new();
    WS.get_or_init(|| {
        valuemap::template::Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let ws = template();
    let parsed = capture::parse(&text);
    assert_eq!(parsed.body(), text, "the body round-trips");
    assert_eq!(parsed.lines.len(), text.split('\n').count());
    let title = parsed.title();
    assert!(!title.contains('\n'));
    // A blank note has no title (one that is only a marker has none either).
    assert!(!text.trim().is_empty() || title.is_empty());
    for l in &parsed.lines {
        assert!(!l.raw.contains('\n'));
        if let Some(m) = l.kind.marker() {
            assert!(l.raw.trim_start().starts_with(m));
        }
        for sigil in ['#', '@'] {
            for t in capture::tokens(&l.raw, sigil) {
                // Ranges are on character boundaries and start with the sigil.
                assert!(l.raw[t.start..t.end].starts_with(sigil));
                assert!(!t.name.is_empty());
            }
        }
    }
    let tags = parsed.tags();
    let mut merged = Vec::new();
    capture::merge_tags(&mut merged, tags.iter().cloned());
    assert!(merged.len() <= tags.len());
    for m in parsed.mentions() {
        match capture::resolve_activity(ws, &m) {
            Resolved::Activity(a) => assert!(ws.activity(&a.id).is_some()),
            Resolved::Unknown => {}
            Resolved::Ambiguous(names) => assert!(names.len() > 1),
        }
    }
    for s in parsed.suggestions() {
        assert!(!s.line.is_empty());
        assert!(!s.title.contains('\n'));
    }
    let _ = parsed.of_kind(LineKind::Quote).count();
    let _ = capture::strip_tokens(&text);
    let _ = capture::resolve_activity(ws, &text);
    let _ = capture::resolve_persona(ws, &text);
});
