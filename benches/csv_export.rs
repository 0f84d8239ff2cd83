//! The CSV export's time follows the size of what it writes: the `notes`
//! table of a workspace holding one note of 1, 4 and 16 MB. Linear time
//! shows as each size taking about four times the one before.
//!
//! ```sh
//! cargo bench --bench csv_export
//! ```

use divan::{Bencher, black_box};
use valuemap::model::{Id, Note, Workspace};

fn main() {
    divan::main();
}

/// A workspace with one note of about `mb` megabytes, in the capture
/// syntax, with quotes and commas that make its cell quoted.
fn workspace_with_note(mb: usize) -> Workspace {
    let mut ws = Workspace::new("csv bench");
    let lines = [
        "> \"We wait two days\", she said",
        "! Every cluster is a ticket, every time",
        "+ Self-service with sane defaults",
        "plain words about the platform and its users",
    ];
    let mut body = String::from("A very long interview\n");
    let mut i = 0;
    while body.len() < mb * 1024 * 1024 {
        body.push_str(lines[i % lines.len()]);
        body.push('\n');
        i += 1;
    }
    let id = Id::new("big001");
    ws.notes.insert(
        id.clone(),
        Note {
            id,
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            interviewee: "Big".into(),
            persona: None,
            activities: Vec::new(),
            title: "A very long interview".into(),
            body,
            tags: valuemap::model::ThinVec::new(),
            dismissed: valuemap::model::ThinVec::new(),
            answered: valuemap::model::ThinVec::new(),
            captured: None,
        }
        .into(),
    );
    ws
}

#[divan::bench(args = [1, 4, 16], sample_count = 5)]
fn notes_table(bencher: Bencher, mb: usize) {
    let ws = workspace_with_note(mb);
    bencher.bench(|| valuemap::export::csv_table(black_box(&ws), "notes").unwrap());
}
