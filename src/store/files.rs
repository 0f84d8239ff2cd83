//! The store's records of the files it loaded or wrote, by key.
//!
//! A workspace has one record per note, so a note named as valuemap names
//! it (`notes/YYYY-MM-DD-<id>.ron`, with an id that needs no escaping)
//! is kept as its hash and the date of its name, beside its id: 40 bytes
//! a note where a whole record takes 72. Every other file (and a note
//! under any other name) keeps its name. Stamps, which only the files this
//! store wrote have, are kept apart.

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};

use super::{FileKey, Id, rel_in};
use crate::model::FastMap as HashMap;

/// What the store keeps of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Kept {
    /// The file's name in its key's folder.
    pub name: compact_str::CompactString,
    pub hash: u64,
    /// `Stamp::code` of the file as this store wrote it; 0 when it did
    /// not.
    pub stamp: u64,
}

impl Kept {
    pub fn rel(&self, key: &FileKey) -> PathBuf {
        rel_in(key, &self.name)
    }
}

/// A note's record when its name is `<day>-<id>.ron`.
#[derive(Clone, Copy, Debug)]
struct NoteKept {
    hash: u64,
    /// The date in its name, as days from the common era.
    day: i32,
}

/// The records, by key.
#[derive(Clone, Debug, Default)]
pub(super) struct Files {
    notes: HashMap<Id, NoteKept>,
    /// Every other file, and notes with other names.
    other: HashMap<FileKey, Kept>,
    /// How many of `other` are notes: while none are, a note's key is
    /// looked for in `notes` only.
    other_notes: usize,
    /// Non-zero stamps, by key.
    stamps: HashMap<FileKey, u64>,
}

/// The day of a note file named `YYYY-MM-DD-<id>.ron`, for an id that is
/// written as it is; `None` for any other name.
fn plain_note_day(id: &Id, name: &str) -> Option<i32> {
    let stem = name.strip_suffix(".ron")?;
    let (date, rest) = (stem.get(..10)?, stem.get(10..)?);
    let plain = |s: &str| s != "%00" && !s.contains(['%', '~']);
    if rest.strip_prefix('-')? != id.as_str() || !plain(id.as_str()) {
        return None;
    }
    // Exactly four, two and two digits: the name is the date's own text.
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| date[r].parse::<u32>().ok())
            .flatten()
    };
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    NaiveDate::from_ymd_opt(y as i32, m, d).map(|d| d.num_days_from_ce())
}

fn note_name(id: &Id, day: i32) -> compact_str::CompactString {
    let d = NaiveDate::from_num_days_from_ce_opt(day).unwrap_or_default();
    compact_str::format_compact!(
        "{:04}-{:02}-{:02}-{}.ron",
        d.year(),
        d.month(),
        d.day(),
        id.as_str()
    )
}

impl Files {
    /// Room for `notes` more notes and `others` more other files.
    pub fn reserve(&mut self, notes: usize, others: usize) {
        self.notes.reserve(notes);
        self.other.reserve(others);
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.notes.len() + self.other.len()
    }

    pub fn contains_key(&self, key: &FileKey) -> bool {
        self.note(key).is_some() || self.other.contains_key(key)
    }

    fn note(&self, key: &FileKey) -> Option<(&Id, &NoteKept)> {
        match key {
            FileKey::Note(id) => self.notes.get_key_value(id),
            _ => None,
        }
    }

    /// Whether `other` may hold `key`.
    fn maybe_other(&self, key: &FileKey) -> bool {
        !matches!(key, FileKey::Note(_)) || self.other_notes > 0
    }

    pub fn get(&self, key: &FileKey) -> Option<Kept> {
        if let Some((id, n)) = self.note(key) {
            return Some(Kept {
                name: note_name(id, n.day),
                hash: n.hash,
                stamp: self.stamp(key),
            });
        }
        if !self.maybe_other(key) {
            return None;
        }
        self.other.get(key).map(|k| Kept {
            stamp: self.stamp(key),
            ..k.clone()
        })
    }

    /// The recorded hash of a file's bytes.
    pub fn hash(&self, key: &FileKey) -> Option<u64> {
        if let Some((_, n)) = self.note(key) {
            return Some(n.hash);
        }
        if !self.maybe_other(key) {
            return None;
        }
        self.other.get(key).map(|k| k.hash)
    }

    /// Where the record says the file is.
    pub fn rel(&self, key: &FileKey) -> Option<PathBuf> {
        if let Some((id, n)) = self.note(key) {
            return Some(rel_in(key, &note_name(id, n.day)));
        }
        if !self.maybe_other(key) {
            return None;
        }
        self.other.get(key).map(|k| k.rel(key))
    }

    fn stamp(&self, key: &FileKey) -> u64 {
        if self.stamps.is_empty() {
            return 0;
        }
        self.stamps.get(key).copied().unwrap_or(0)
    }

    /// Records `kept` for `key`, in place of any record it had.
    pub fn insert(&mut self, key: FileKey, kept: Kept) {
        self.remove(&key);
        self.insert_new(key, kept);
    }

    /// Records `kept` for a key that has no record.
    fn insert_new(&mut self, key: FileKey, kept: Kept) {
        if kept.stamp != 0 {
            self.stamps.insert(key.clone(), kept.stamp);
        }
        if let FileKey::Note(id) = &key
            && let Some(day) = plain_note_day(id, &kept.name)
        {
            let FileKey::Note(id) = key else {
                unreachable!()
            };
            self.notes.insert(
                id,
                NoteKept {
                    hash: kept.hash,
                    day,
                },
            );
            return;
        }
        if matches!(key, FileKey::Note(_)) {
            self.other_notes += 1;
        }
        self.other.insert(key, kept);
    }

    /// Records `kept` for `key` unless it has a record: then both are
    /// given back. One look-up for a note named as valuemap names it.
    pub fn insert_if_new(&mut self, key: FileKey, kept: Kept) -> Result<(), (FileKey, Kept)> {
        if let FileKey::Note(id) = &key
            && let Some(day) = plain_note_day(id, &kept.name)
            && !(self.other_notes > 0 && self.other.contains_key(&key))
        {
            let FileKey::Note(id) = key else {
                unreachable!()
            };
            return match self.notes.entry(id) {
                std::collections::hash_map::Entry::Occupied(o) => {
                    Err((FileKey::Note(o.key().clone()), kept))
                }
                std::collections::hash_map::Entry::Vacant(v) => {
                    if kept.stamp != 0 {
                        self.stamps
                            .insert(FileKey::Note(v.key().clone()), kept.stamp);
                    }
                    v.insert(NoteKept {
                        hash: kept.hash,
                        day,
                    });
                    Ok(())
                }
            };
        }
        if self.contains_key(&key) {
            return Err((key, kept));
        }
        self.insert_new(key, kept);
        Ok(())
    }

    /// Forgets `key`'s record, giving it back.
    pub fn remove(&mut self, key: &FileKey) -> Option<Kept> {
        let stamp = self.stamps.remove(key).unwrap_or(0);
        if let FileKey::Note(id) = key
            && let Some(n) = self.notes.remove(id)
        {
            return Some(Kept {
                name: note_name(id, n.day),
                hash: n.hash,
                stamp,
            });
        }
        if !self.maybe_other(key) {
            return None;
        }
        let kept = self.other.remove(key)?;
        if matches!(key, FileKey::Note(_)) {
            self.other_notes -= 1;
        }
        Some(Kept { stamp, ..kept })
    }

    /// Every key with a record.
    pub fn keys(&self) -> impl Iterator<Item = FileKey> + '_ {
        self.notes
            .keys()
            .map(|id| FileKey::Note(id.clone()))
            .chain(self.other.keys().cloned())
    }

    /// Every record, leaving none.
    pub fn take_all(&mut self) -> Vec<(FileKey, Kept)> {
        let keys: Vec<FileKey> = self.keys().collect();
        keys.into_iter()
            .filter_map(|k| self.remove(&k).map(|r| (k, r)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(name: &str, hash: u64, stamp: u64) -> Kept {
        Kept {
            name: name.into(),
            hash,
            stamp,
        }
    }

    #[test]
    fn a_note_reads_back_as_it_was_recorded_whatever_its_name() {
        let id = Id::from("k3f9q2");
        let key = FileKey::Note(id.clone());
        for name in [
            "2026-03-01-k3f9q2.ron",
            "0001-01-01-k3f9q2.ron",
            // Not the note's own name: kept whole.
            "2026-3-01-k3f9q2.ron",
            "2026-02-30-k3f9q2.ron",
            "2026-03-01-other.ron",
            "interview.ron",
            "2026-03-01-k3f9q2.RON",
            "2026-03-01_k3f9q2.ron",
            "+026-03-01-k3f9q2.ron",
        ] {
            let mut f = Files::default();
            f.insert(key.clone(), kept(name, 7, 0));
            assert_eq!(f.get(&key), Some(kept(name, 7, 0)), "{name}");
            assert_eq!(f.rel(&key), Some(PathBuf::from("notes").join(name)));
            assert_eq!(f.hash(&key), Some(7));
            assert_eq!(f.len(), 1);
            // A record in place of another moves between the two maps.
            f.insert(key.clone(), kept("2026-01-02-k3f9q2.ron", 8, 3));
            assert_eq!(f.get(&key), Some(kept("2026-01-02-k3f9q2.ron", 8, 3)));
            f.insert(key.clone(), kept(name, 9, 0));
            assert_eq!(f.get(&key), Some(kept(name, 9, 0)), "{name}");
            assert_eq!(f.len(), 1);
            assert_eq!(f.remove(&key), Some(kept(name, 9, 0)));
            assert_eq!(f.get(&key), None);
            assert_eq!(f.len(), 0);
            assert_eq!(f.other_notes, 0);
        }
    }

    #[test]
    fn only_plain_names_are_kept_as_a_day() {
        let id = Id::from("k3f9q2");
        assert!(plain_note_day(&id, "2026-03-01-k3f9q2.ron").is_some());
        for name in ["2026-02-30-k3f9q2.ron", "2026-3-1-k3f9q2.ron", "x.ron"] {
            assert_eq!(plain_note_day(&id, name), None, "{name}");
        }
        // An id written with escapes keeps its name whole.
        let odd = Id::from("a%41");
        assert_eq!(plain_note_day(&odd, "2026-03-01-a%41.ron"), None);
    }

    #[test]
    fn keys_are_every_record_once() {
        let mut f = Files::default();
        let n = FileKey::Note(Id::from("aaaaaa"));
        let odd = FileKey::Note(Id::from("bbbbbb"));
        let o = FileKey::Opportunity(Id::from("cccccc"));
        f.insert(n.clone(), kept("2026-01-01-aaaaaa.ron", 1, 0));
        f.insert(odd.clone(), kept("by-hand.ron", 2, 5));
        f.insert(o.clone(), kept("cccccc.ron", 3, 0));
        for (k, name) in [
            (&n, "2026-01-02-aaaaaa.ron"),
            (&odd, "2026-01-02-bbbbbb.ron"),
            (&odd, "x.ron"),
            (&n, "x.ron"),
        ] {
            let again = kept(name, 4, 0);
            assert_eq!(
                f.insert_if_new(k.clone(), again.clone()),
                Err((k.clone(), again))
            );
        }
        assert_eq!(f.hash(&n), Some(1));
        assert_eq!(f.rel(&odd), Some(PathBuf::from("notes/by-hand.ron")));
        let mut keys: Vec<FileKey> = f.keys().collect();
        keys.sort();
        let mut want = vec![n.clone(), odd.clone(), o.clone()];
        want.sort();
        assert_eq!(keys, want);
        let mut all = f.take_all();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(all.len(), 3);
        assert!(all.contains(&(odd, kept("by-hand.ron", 2, 5))));
        assert_eq!(f.len(), 0);
    }
}
