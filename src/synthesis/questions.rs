//! Open questions: every `? question` line of every note in one list, with
//! the note, its persona and date, and whether it was answered (optionally
//! by a line of a later note). The answer lives in the question's own note
//! ([`crate::model::Answer`]), so marking one is an edit of that note.

use chrono::NaiveDate;

use crate::model::edit::Edit;
use crate::model::{Answer, Evidence, Id, Workspace};

/// One question of a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub note: Id,
    /// The line as the note has it (`? ...`, trimmed): the answer's key.
    pub line: String,
    pub date: NaiveDate,
    pub persona: Option<Id>,
    pub answer: Option<Answer>,
}

impl Question {
    /// The question's words: the line without its `?` marker.
    pub fn text(&self) -> String {
        let l = self.line.trim();
        l.strip_prefix('?').unwrap_or(l).trim().to_string()
    }

    pub fn is_open(&self) -> bool {
        self.answer.is_none()
    }
}

/// Which questions a list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Show {
    #[default]
    Open,
    Answered,
    All,
}

impl Show {
    pub const ALL: [Show; 3] = [Show::Open, Show::Answered, Show::All];

    pub fn label(self) -> &'static str {
        match self {
            Show::Open => "open",
            Show::Answered => "answered",
            Show::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Show> {
        Show::ALL.into_iter().find(|x| x.label() == s.trim())
    }

    /// The next way, for a key that cycles.
    pub fn next(self) -> Show {
        match self {
            Show::Open => Show::Answered,
            Show::Answered => Show::All,
            Show::All => Show::Open,
        }
    }

    pub fn admits(self, q: &Question) -> bool {
        match self {
            Show::Open => q.is_open(),
            Show::Answered => !q.is_open(),
            Show::All => true,
        }
    }
}

/// Every question of every note: newest note first, then in the note's
/// order. A line asked twice in one note is one question.
pub fn questions(ws: &Workspace) -> Vec<Question> {
    let mut notes: Vec<_> = ws.notes.values().collect();
    notes.sort_by(|a, b| (b.date, b.captured, &a.id).cmp(&(a.date, a.captured, &b.id)));
    let mut out = Vec::new();
    for n in notes {
        let mut seen: Vec<&str> = Vec::new();
        for q in n.questions() {
            if seen.contains(&q) {
                continue;
            }
            seen.push(q);
            out.push(Question {
                note: n.id.clone(),
                line: q.to_string(),
                date: n.date,
                persona: n.persona.clone(),
                answer: n.answer(q).cloned(),
            });
        }
    }
    out
}

/// Open and answered questions: (open, answered).
pub fn counts(ws: &Workspace) -> (usize, usize) {
    let all = questions(ws);
    let open = all.iter().filter(|q| q.is_open()).count();
    (open, all.len() - open)
}

/// Marks a question answered on `date`, by a line of another note or not;
/// an answered question gets the new answer. `None` when the note or the
/// question is not there.
pub fn answer(
    ws: &Workspace,
    note: &Id,
    line: &str,
    by: Option<Evidence>,
    date: NaiveDate,
) -> Option<Edit> {
    let mut n = (**ws.notes.get(note)?).clone();
    if !n.questions().any(|q| q == line) {
        return None;
    }
    n.answered.retain(|a| a.question != line);
    n.answered.push(Answer {
        question: line.to_string(),
        date,
        by,
    });
    n.sort_answers();
    Some(Edit::PutNote {
        id: note.clone(),
        note: Some(n),
    })
}

/// Opens an answered question again. `None` when it is not answered.
pub fn reopen(ws: &Workspace, note: &Id, line: &str) -> Option<Edit> {
    let mut n = (**ws.notes.get(note)?).clone();
    let before = n.answered.len();
    n.answered.retain(|a| a.question != line);
    (n.answered.len() != before).then(|| Edit::PutNote {
        id: note.clone(),
        note: Some(n),
    })
}

/// The lines that can answer a question: every line but the title of the
/// notes taken on or after the question's note (itself excepted), newest
/// first.
pub fn answer_lines(ws: &Workspace, q: &Question) -> Vec<(Id, String)> {
    let mut notes: Vec<_> = ws
        .notes
        .values()
        .filter(|n| n.id != q.note && n.date >= q.date)
        .collect();
    notes.sort_by(|a, b| (b.date, b.captured, &a.id).cmp(&(a.date, a.captured, &b.id)));
    let mut out = Vec::new();
    for n in notes {
        let parsed = crate::capture::parse(&n.body);
        for l in parsed
            .lines
            .iter()
            .skip_while(|l| l.kind != crate::capture::LineKind::Title)
            .skip(1)
        {
            let t = l.raw.trim();
            if !t.is_empty() {
                out.push((n.id.clone(), t.to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Note;
    use crate::model::edit::apply;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, day).unwrap()
    }

    fn ws() -> Workspace {
        let mut w = Workspace::new("t");
        for (id, day, body) in [
            ("n1", 1, "First\n? Who pays?\n> we do\n? Who owns it? #ops"),
            (
                "n2",
                5,
                "Second\n? Why now?\n? Who pays?\nFinance pays, says Dana.",
            ),
            ("n3", 3, "Third\nno questions\n?"),
        ] {
            w.notes.insert(
                id.into(),
                Note {
                    id: id.into(),
                    date: d(day),
                    interviewee: id.into(),
                    persona: Some("p".into()),
                    activities: vec![],
                    title: "t".into(),
                    body: body.into(),
                    tags: crate::model::ThinVec::new(),
                    dismissed: crate::model::ThinVec::new(),
                    captured: None,
                    answered: crate::model::ThinVec::new(),
                }
                .into(),
            );
        }
        w
    }

    #[test]
    fn every_question_newest_note_first() {
        let w = ws();
        let q: Vec<(String, String)> = questions(&w)
            .into_iter()
            .map(|q| (q.note.to_string(), q.text()))
            .collect();
        assert_eq!(
            q,
            [
                ("n2".into(), "Why now?".into()),
                ("n2".into(), "Who pays?".into()),
                ("n1".into(), "Who pays?".into()),
                ("n1".into(), "Who owns it? #ops".into()),
            ]
        );
        assert_eq!(counts(&w), (4, 0));
    }

    #[test]
    fn answering_by_a_later_line_and_reopening_undo() {
        let mut w = ws();
        let before = w.clone();
        let q = questions(&w).into_iter().nth(2).unwrap();
        assert_eq!(q.line, "? Who pays?");
        // Lines of later notes (n3 on the 3rd, n2 on the 5th), newest first.
        let lines = answer_lines(&w, &q);
        assert_eq!(lines[0], ("n2".into(), "? Why now?".to_string()));
        assert!(lines.iter().all(|(n, _)| n != &Id::from("n1")));
        assert!(lines.contains(&("n3".into(), "no questions".to_string())));
        let by = Evidence {
            note: "n2".into(),
            quote: "Finance pays, says Dana.".into(),
        };
        let e = answer(&w, &q.note, &q.line, Some(by.clone()), d(6)).unwrap();
        let inverse = apply(&mut w, e).unwrap();
        assert_eq!(counts(&w), (3, 1));
        let a = w.notes[&Id::from("n1")].answer("? Who pays?").unwrap();
        assert_eq!((a.date, a.by.as_ref()), (d(6), Some(&by)));
        // The same words in another note are another question.
        assert!(questions(&w)[1].is_open());
        assert_eq!(
            questions(&w)
                .iter()
                .filter(|q| Show::Answered.admits(q))
                .count(),
            1
        );
        let r = reopen(&w, &q.note, &q.line).unwrap();
        apply(&mut w, r).unwrap();
        assert_eq!(counts(&w), (4, 0));
        assert!(reopen(&w, &q.note, &q.line).is_none());
        assert!(answer(&w, &q.note, "? not asked", None, d(6)).is_none());
        apply(&mut w, inverse).unwrap();
        assert_eq!(w, before);
    }

    #[test]
    fn answers_stay_sorted_one_per_question() {
        let mut w = ws();
        for line in ["? Who owns it? #ops", "? Who pays?", "? Who owns it? #ops"] {
            let e = answer(&w, &"n1".into(), line, None, d(9)).unwrap();
            apply(&mut w, e).unwrap();
        }
        let qs: Vec<&str> = w.notes[&Id::from("n1")]
            .answered
            .iter()
            .map(|a| a.question.as_str())
            .collect();
        assert_eq!(qs, ["? Who owns it? #ops", "? Who pays?"]);
    }
}
