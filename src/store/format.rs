//! The RON file formats: what each file of a workspace folder holds, the format
//! version, migrations from older versions, and parse errors that point at a
//! line and column.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::model::{
    Adoption, Answer, AssumptionTest, Conflict, Id, Item, Kind, Metric, NeedsLayer, NeedsNode,
    Note, Opportunity, Outcome, Persona, Perspective, Phase, Solution, Team,
};

/// The format version this build writes. Older versions migrate on load; a
/// newer one is refused.
///
/// - 0: `workspace.ron` without a version; personas' `jtbd`, perspectives'
///   `goal` (see [`v0`]).
/// - 1: every opportunity in `opportunities.ron`, every metric in
///   `metrics.ron`.
/// - 2: one file per opportunity (`opportunities/<id>.ron`) and per metric
///   (`metrics/<id>.ron`), like notes and the items of the discovery loop.
///   A version-1 folder is read as it is and written in this layout by its
///   next save, which removes the two list files in the same transaction.
/// - 3: the needs map, one file per layer (`needs-layers/<id>.ron`) and
///   per node (`needs/<id>.ron`); consumer teams (`teams/<id>.ron`) and
///   adoption records (`adoption/<id>.ron`), one file each; metrics may
///   link personas and be derived (a formula, or an adoption rate); a
///   note may record its answered questions (`answered`) and a solution
///   its value. A
///   version-2 folder holds none of these and is read as it is; its next
///   save writes version 3 into `workspace.ron`. (An older valuemap
///   refuses a version-3 folder rather than ignore its map, and so never
///   deletes an opportunity a node still links.)
pub const FORMAT_VERSION: u32 = 3;

/// How deep RON may nest before parsing stops with an error (the real files
/// nest a handful of levels). Keeps hostile input from exhausting the stack.
const RECURSION_LIMIT: usize = 64;

/// `workspace.ron`, as read: phases, their activities and personas in the
/// order the map shows them (see [`disk`] for how the file keeps them).
/// (Its own serde shape is the merge driver's view of the file.)
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceFile {
    pub version: u32,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub phases: Vec<Phase>,
    #[serde(default)]
    pub personas: Vec<Persona>,
    #[serde(default)]
    pub perspectives: Vec<Perspective>,
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
}

/// `workspace.ron`, as written: phases, activities and personas in map
/// order here; the file keeps them by id with their rank (see [`disk`]).
pub struct WorkspaceFileRef<'a> {
    pub version: u32,
    pub name: &'a str,
    pub description: &'a str,
    pub phases: &'a [Phase],
    pub personas: &'a [Persona],
    pub perspectives: &'a [Perspective],
    pub conflicts: Vec<&'a Conflict>,
}

impl Serialize for WorkspaceFileRef<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        disk::WorkspaceOut::new(self).serialize(s)
    }
}

/// How `workspace.ron` keeps its lists so that plain git merges additions.
///
/// Phases, the activities of each phase and personas are written sorted by
/// id, each with a `rank`: its place in the map. Two people who each add a
/// persona (or an activity to one phase) on their own branch insert their
/// entries where their random ids sort, so their additions usually land in
/// different places of the file, and git's line merge takes both; appended
/// at the end of a list, they would always collide. Only two new entries
/// whose ids sort between the same two neighbours still meet (about one
/// chance in the list's length plus one); the merge driver (`valuemap
/// git-setup`) merges those too.
///
/// Reading sorts by rank, then id (two branches may give the same rank).
/// An entry without a rank comes after the ranked ones, in file order, so a
/// file written before ranks existed, or a persona added by hand, keeps the
/// order it is written in.
pub mod disk {
    use std::cmp::Ordering;

    use serde::{Deserialize, Serialize};

    use crate::model::{Activity, Conflict, Id, Persona, Perspective, Phase, Role};

    /// `workspace.ron` exactly as the file has it (lists by id, ranks).
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct WorkspaceIn {
        version: u32,
        name: String,
        #[serde(default)]
        description: String,
        #[serde(default)]
        phases: Vec<PhaseIn>,
        #[serde(default)]
        personas: Vec<PersonaIn>,
        #[serde(default)]
        perspectives: Vec<Perspective>,
        #[serde(default)]
        conflicts: Vec<Conflict>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PhaseIn {
        id: Id,
        #[serde(default)]
        rank: Option<u32>,
        name: String,
        #[serde(default)]
        description: String,
        #[serde(default)]
        activities: Vec<ActivityIn>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ActivityIn {
        id: Id,
        #[serde(default)]
        rank: Option<u32>,
        name: String,
        #[serde(default)]
        description: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PersonaIn {
        id: Id,
        #[serde(default)]
        rank: Option<u32>,
        name: String,
        role: Role,
        #[serde(default)]
        description: String,
        #[serde(default)]
        jobs: Vec<String>,
        #[serde(default)]
        tags: Vec<String>,
    }

    /// Map order: by rank, then id; unranked entries last, in file order.
    fn in_map_order<T>(mut items: Vec<(Option<u32>, Id, T)>) -> Vec<T> {
        items.sort_by(|(ra, ia, _), (rb, ib, _)| match (ra, rb) {
            (Some(x), Some(y)) => x.cmp(y).then_with(|| ia.cmp(ib)),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        });
        items.into_iter().map(|(_, _, t)| t).collect()
    }

    impl WorkspaceIn {
        /// The format version the file declares.
        pub fn version(&self) -> u32 {
            self.version
        }
    }

    impl From<WorkspaceIn> for super::WorkspaceFile {
        fn from(f: WorkspaceIn) -> Self {
            let phases = f
                .phases
                .into_iter()
                .map(|p| {
                    let activities = in_map_order(
                        p.activities
                            .into_iter()
                            .map(|a| {
                                let act = Activity {
                                    id: a.id.clone(),
                                    name: a.name,
                                    description: a.description,
                                };
                                (a.rank, a.id, act)
                            })
                            .collect(),
                    );
                    let phase = Phase {
                        id: p.id.clone(),
                        name: p.name,
                        description: p.description,
                        activities,
                    };
                    (p.rank, p.id, phase)
                })
                .collect();
            let personas = f
                .personas
                .into_iter()
                .map(|p| {
                    let persona = Persona {
                        id: p.id.clone(),
                        name: p.name,
                        role: p.role,
                        description: p.description,
                        jobs: p.jobs,
                        tags: p.tags,
                    };
                    (p.rank, p.id, persona)
                })
                .collect();
            super::WorkspaceFile {
                version: f.version,
                name: f.name,
                description: f.description,
                phases: in_map_order(phases),
                personas: in_map_order(personas),
                perspectives: f.perspectives,
                conflicts: f.conflicts,
            }
        }
    }

    #[derive(Serialize)]
    pub(super) struct WorkspaceOut<'a> {
        version: u32,
        name: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        description: &'a str,
        phases: Vec<PhaseOut<'a>>,
        personas: Vec<PersonaOut<'a>>,
        perspectives: &'a [Perspective],
        #[serde(skip_serializing_if = "<[&Conflict]>::is_empty")]
        conflicts: &'a [&'a Conflict],
    }

    #[derive(Serialize)]
    struct PhaseOut<'a> {
        id: &'a Id,
        rank: usize,
        name: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        description: &'a str,
        activities: Vec<ActivityOut<'a>>,
    }

    #[derive(Serialize)]
    struct ActivityOut<'a> {
        id: &'a Id,
        rank: usize,
        name: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        description: &'a str,
    }

    #[derive(Serialize)]
    struct PersonaOut<'a> {
        id: &'a Id,
        rank: usize,
        name: &'a str,
        role: Role,
        #[serde(skip_serializing_if = "str::is_empty")]
        description: &'a str,
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        jobs: &'a [String],
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        tags: &'a [String],
    }

    /// Entries with their rank, sorted by id.
    fn by_id<'a, T, O>(
        items: &'a [T],
        id: impl Fn(&O) -> &'a Id,
        out: impl Fn(usize, &'a T) -> O,
    ) -> Vec<O> {
        let mut v: Vec<O> = items.iter().enumerate().map(|(i, t)| out(i, t)).collect();
        v.sort_by(|a, b| id(a).cmp(id(b)));
        v
    }

    impl<'a> WorkspaceOut<'a> {
        pub(super) fn new(f: &'a super::WorkspaceFileRef<'a>) -> Self {
            WorkspaceOut {
                version: f.version,
                name: f.name,
                description: f.description,
                phases: by_id(
                    f.phases,
                    |p: &PhaseOut<'a>| p.id,
                    |rank, p| PhaseOut {
                        id: &p.id,
                        rank,
                        name: &p.name,
                        description: &p.description,
                        activities: by_id(
                            &p.activities,
                            |a: &ActivityOut<'a>| a.id,
                            |rank, a| ActivityOut {
                                id: &a.id,
                                rank,
                                name: &a.name,
                                description: &a.description,
                            },
                        ),
                    },
                ),
                personas: by_id(
                    f.personas,
                    |p: &PersonaOut<'a>| p.id,
                    |rank, p| PersonaOut {
                        id: &p.id,
                        rank,
                        name: &p.name,
                        role: p.role,
                        description: &p.description,
                        jobs: &p.jobs,
                        tags: &p.tags,
                    },
                ),
                perspectives: f.perspectives,
                conflicts: &f.conflicts,
            }
        }
    }
}

/// `opportunities.ron` (format version 1: every opportunity in one file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpportunitiesFile {
    #[serde(default)]
    pub opportunities: Vec<Opportunity>,
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
}

impl OpportunitiesFile {
    pub fn empty() -> Self {
        OpportunitiesFile {
            opportunities: Vec::new(),
            conflicts: Vec::new(),
        }
    }
}

/// `opportunities.ron`, as written: by id, so that people adding
/// opportunities on two branches usually touch different lines.
#[derive(Serialize)]
pub struct OpportunitiesFileRef<'a> {
    pub opportunities: Vec<&'a Opportunity>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<&'a Conflict>,
}

/// `metrics.ron` (format version 1: every metric in one file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsFile {
    #[serde(default)]
    pub metrics: Vec<Metric>,
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
}

impl MetricsFile {
    pub fn empty() -> Self {
        MetricsFile {
            metrics: Vec::new(),
            conflicts: Vec::new(),
        }
    }
}

/// `metrics.ron`, as written: by id, like opportunities.
#[derive(Serialize)]
pub struct MetricsFileRef<'a> {
    pub metrics: Vec<&'a Metric>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<&'a Conflict>,
}

/// An opportunity's own file (`opportunities/<id>.ron`): the opportunity
/// under its kind's name (so the file says what it holds wherever it is
/// copied), and the merge conflicts about it, if any.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpportunityFile {
    pub opportunity: Opportunity,
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
}

/// An opportunity's file, as written.
#[derive(Serialize)]
pub struct OpportunityFileRef<'a> {
    pub opportunity: &'a Opportunity,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<&'a Conflict>,
}

/// A metric's own file (`metrics/<id>.ron`), as [`OpportunityFile`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricFile {
    pub metric: Metric,
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
}

/// A metric's file, as written.
#[derive(Serialize)]
pub struct MetricFileRef<'a> {
    pub metric: &'a Metric,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<&'a Conflict>,
}

/// A note file: one [`Note`], and the merge conflicts about it, if any.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteFile {
    pub id: Id,
    pub date: NaiveDate,
    #[serde(default)]
    pub interviewee: crate::model::CompactString,
    #[serde(default)]
    pub persona: Option<Id>,
    #[serde(default)]
    pub activities: Vec<Id>,
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub tags: crate::model::ThinVec<String>,
    #[serde(default)]
    pub dismissed: crate::model::ThinVec<String>,
    #[serde(default)]
    pub captured: Option<chrono::NaiveDateTime>,
    #[serde(default)]
    pub answered: crate::model::ThinVec<Answer>,
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
}

impl NoteFile {
    pub fn split(self) -> (Note, Vec<Conflict>) {
        let mut note = Note {
            id: self.id,
            date: self.date,
            interviewee: self.interviewee,
            persona: self.persona,
            activities: self.activities,
            title: self.title,
            body: self.body,
            tags: self.tags,
            dismissed: self.dismissed,
            captured: self.captured,
            answered: self.answered,
        };
        // Canonical: by question, one answer each (a merge may bring two).
        note.sort_answers();
        (note, self.conflicts)
    }
}

/// A note file, as written (the same fields as [`Note`], then conflicts).
#[derive(Serialize)]
pub struct NoteFileRef<'a> {
    pub id: &'a Id,
    pub date: NaiveDate,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub interviewee: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persona: Option<&'a Id>,
    #[serde(skip_serializing_if = "<[Id]>::is_empty")]
    pub activities: &'a [Id],
    pub title: &'a str,
    pub body: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub tags: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub dismissed: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured: Option<chrono::NaiveDateTime>,
    #[serde(skip_serializing_if = "<[Answer]>::is_empty")]
    pub answered: &'a [Answer],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<&'a Conflict>,
}

impl<'a> NoteFileRef<'a> {
    pub fn new(n: &'a Note, conflicts: Vec<&'a Conflict>) -> Self {
        NoteFileRef {
            id: &n.id,
            date: n.date,
            interviewee: &n.interviewee,
            persona: n.persona.as_ref(),
            activities: &n.activities,
            title: &n.title,
            body: &n.body,
            tags: &n.tags,
            dismissed: &n.dismissed,
            captured: n.captured,
            answered: &n.answered,
            conflicts,
        }
    }
}

/// An outcome's, solution's or assumption test's own file: the item under
/// the name of its kind (so the file says what it holds wherever it is
/// copied), and the merge conflicts about it, if any.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemFile {
    #[serde(default)]
    pub outcome: Option<Outcome>,
    #[serde(default)]
    pub solution: Option<Solution>,
    #[serde(default)]
    pub assumption_test: Option<AssumptionTest>,
    #[serde(default)]
    pub needs_layer: Option<NeedsLayer>,
    #[serde(default)]
    pub needs_node: Option<NeedsNode>,
    #[serde(default)]
    pub team: Option<Team>,
    #[serde(default)]
    pub adoption: Option<Adoption>,
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
}

impl ItemFile {
    /// The one item the file holds; an error names what is wrong when it
    /// holds none, several, or another kind than `expected`.
    pub fn split(self, expected: Option<Kind>) -> Result<(Item, Vec<Conflict>), String> {
        let mut found: Vec<Item> = Vec::new();
        found.extend(self.outcome.map(Item::Outcome));
        found.extend(self.solution.map(Item::Solution));
        found.extend(self.assumption_test.map(Item::Test));
        found.extend(self.needs_layer.map(Item::NeedsLayer));
        found.extend(self.needs_node.map(Item::NeedsNode));
        found.extend(self.team.map(Item::Team));
        found.extend(self.adoption.map(Item::Adoption));
        if found.len() != 1 {
            return Err(format!(
                "the file holds {} items; it should hold exactly one (outcome, solution, assumption_test, needs_layer, needs_node, team or adoption)",
                found.len()
            ));
        }
        let item = found.remove(0);
        if let Some(k) = expected.filter(|k| *k != item.kind()) {
            return Err(format!(
                "the file holds a {} but is in the folder of {}s ({}/)",
                item.kind(),
                k,
                k.dir()
            ));
        }
        Ok((item, self.conflicts))
    }
}

/// An item's file, as written.
#[derive(Serialize)]
pub struct ItemFileRef<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<&'a Outcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solution: Option<&'a Solution>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumption_test: Option<&'a AssumptionTest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs_layer: Option<&'a NeedsLayer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs_node: Option<&'a NeedsNode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<&'a Team>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adoption: Option<&'a Adoption>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<&'a Conflict>,
}

impl<'a> ItemFileRef<'a> {
    pub fn new(item: &'a Item, conflicts: Vec<&'a Conflict>) -> Self {
        let mut f = ItemFileRef {
            outcome: None,
            solution: None,
            assumption_test: None,
            needs_layer: None,
            needs_node: None,
            team: None,
            adoption: None,
            conflicts,
        };
        match item {
            Item::Outcome(o) => f.outcome = Some(o),
            Item::Solution(s) => f.solution = Some(s),
            Item::Test(t) => f.assumption_test = Some(t),
            Item::NeedsLayer(l) => f.needs_layer = Some(l),
            Item::NeedsNode(n) => f.needs_node = Some(n),
            Item::Team(t) => f.team = Some(t),
            Item::Adoption(a) => f.adoption = Some(a),
        }
        f
    }
}

/// Reads only the version of `workspace.ron`; every other field is skipped.
#[derive(Deserialize)]
struct VersionProbe {
    #[serde(default)]
    version: Option<i64>,
}

/// Format version 0: before `workspace.ron` carried a version, personas kept
/// their jobs-to-be-done under `jtbd` and perspectives their interest under
/// `goal`. Everything else is as in version 1.
mod v0 {
    use serde::Deserialize;

    use crate::model::{Id, Perspective, Phase, Role};

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct WorkspaceFile {
        pub name: String,
        #[serde(default)]
        pub description: String,
        #[serde(default)]
        pub phases: Vec<Phase>,
        #[serde(default)]
        pub personas: Vec<Persona>,
        #[serde(default)]
        pub perspectives: Vec<PerspectiveV0>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Persona {
        pub id: Id,
        pub name: String,
        pub role: Role,
        #[serde(default)]
        pub description: String,
        #[serde(default)]
        pub jtbd: Vec<String>,
        #[serde(default)]
        pub tags: Vec<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct PerspectiveV0 {
        pub persona: Id,
        pub activity: Id,
        #[serde(default)]
        pub goal: String,
        #[serde(default)]
        pub needs: Vec<String>,
        #[serde(default)]
        pub pains: Vec<String>,
        #[serde(default)]
        pub importance: Option<u8>,
        #[serde(default)]
        pub satisfaction: Option<u8>,
    }

    impl From<WorkspaceFile> for super::WorkspaceFile {
        fn from(v: WorkspaceFile) -> Self {
            super::WorkspaceFile {
                version: 1,
                name: v.name,
                description: v.description,
                phases: v.phases,
                personas: v
                    .personas
                    .into_iter()
                    .map(|p| crate::model::Persona {
                        id: p.id,
                        name: p.name,
                        role: p.role,
                        description: p.description,
                        jobs: p.jtbd,
                        tags: p.tags,
                    })
                    .collect(),
                conflicts: Vec::new(),
                perspectives: v
                    .perspectives
                    .into_iter()
                    .map(|p| Perspective {
                        persona: p.persona,
                        activity: p.activity,
                        interest: p.goal,
                        needs: p.needs,
                        pains: p.pains,
                        importance: p.importance,
                        satisfaction: p.satisfaction,
                    })
                    .collect(),
            }
        }
    }
}

/// A file that could not be read as RON of the expected shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The file, as given to the loader.
    pub path: PathBuf,
    /// 1-based line and column of the problem.
    pub line: usize,
    pub col: usize,
    pub message: String,
    /// The offending line of the file, stripped of control characters.
    pub source_line: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.col,
            self.message
        )?;
        if !self.source_line.is_empty() || self.line > 0 {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            let (shown, caret_at) = excerpt(&self.source_line, self.col);
            write!(
                f,
                "\n {pad} |\n {gutter} | {shown}\n {pad} | {}^",
                " ".repeat(caret_at)
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

/// At most 100 characters of a line around a column, and where the caret goes.
fn excerpt(line: &str, col: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let col0 = col.saturating_sub(1).min(chars.len());
    let start = col0.saturating_sub(60);
    let end = (start + 100).min(chars.len());
    let mut s: String = chars[start..end].iter().collect();
    let before: String = chars[start..col0].iter().collect();
    let mut caret = crate::text::width(&before);
    if start > 0 {
        s.insert(0, '…');
        caret += 1;
    }
    if end < chars.len() {
        s.push('…');
    }
    (s, caret)
}

/// Turns file bytes into text: refuses invalid UTF-8 with the line and
/// column of the first bad byte, and drops a UTF-8 byte-order mark.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String, ParseError> {
    decode_str(path, bytes).map(str::to_string)
}

/// Like [`decode`], without copying the text.
pub fn decode_str<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            // Safe: everything up to valid_up_to is valid UTF-8.
            let good = std::str::from_utf8(good).unwrap_or_default();
            let line = good.matches('\n').count() + 1;
            let line_start = good.rfind('\n').map_or(0, |i| i + 1);
            let col = good[line_start..].chars().count() + 1;
            Err(ParseError {
                path: path.to_path_buf(),
                line,
                col,
                message: "the file is not valid UTF-8 text (is it a binary file?)".into(),
                source_line: crate::text::sanitize(&good[line_start..]),
            })
        }
    }
}

fn options() -> ron::Options {
    ron::Options::default()
        .with_recursion_limit(RECURSION_LIMIT)
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

fn pretty() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .indentor("    ")
        .new_line("\n")
        .struct_names(false)
        .separate_tuple_members(false)
        .compact_arrays(false)
}

/// Parses RON text into `T`, with errors that point into the file.
pub fn parse<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError {
            path: path.to_path_buf(),
            line: 1,
            col: 1,
            message: "the file is empty".into(),
            source_line: String::new(),
        });
    }
    options().from_str::<T>(text).map_err(|e| {
        let line = e.span.start.line.max(1);
        let col = e.span.start.col.max(1);
        let source_line = text
            .lines()
            .nth(line - 1)
            .map(crate::text::sanitize)
            .unwrap_or_default();
        ParseError {
            path: path.to_path_buf(),
            line,
            col,
            message: out_of_range_field(describe_ron_error(&e.code), &source_line, col),
            source_line,
        }
    })
}

/// The field a value at `col` (1-based) of `line` belongs to: the name
/// before the last `:` ahead of it (`rank` in `rank: 99999999999`).
fn field_at(line: &str, col: usize) -> Option<String> {
    let before: String = line.chars().take(col.saturating_sub(1)).collect();
    let (head, _) = before.rsplit_once(':')?;
    let name: String = head
        .trim_end()
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!name.is_empty()).then_some(name)
}

/// A number out of range, said for the field it is in: RON reports only
/// "out of bounds", which fits ratings but not a rank or a version.
fn out_of_range_field(message: String, line: &str, col: usize) -> String {
    if message != RATING_OUT_OF_RANGE {
        return message;
    }
    match field_at(line, col).as_deref() {
        Some("importance" | "satisfaction") | None => message,
        Some("rank") => format!(
            "rank out of range: a rank is the entry's place in the map, a whole number from 0 to {}",
            u32::MAX
        ),
        Some("version") => format!(
            "format version out of range: this valuemap reads versions 0 to {FORMAT_VERSION}"
        ),
        Some(other) => format!("number out of range for {other}"),
    }
}

/// What RON's "out of bounds" says by default (most integers in the files
/// are ratings).
const RATING_OUT_OF_RANGE: &str = "number out of range (ratings are 1 to 5)";

/// RON's own message, with the hints a person editing the file needs.
fn describe_ron_error(e: &ron::Error) -> String {
    match e {
        ron::Error::ExceededRecursionLimit => {
            "brackets are nested too deeply: this is not a valuemap file".into()
        }
        other => plain_message(&crate::text::sanitize(&other.to_string())),
    }
}

/// RON's messages name our internal types and give advice that does not fit
/// a hand-edited file; say it in the file's terms instead.
fn plain_message(m: &str) -> String {
    let mut m = m.to_string();
    // "... in `WorkspaceFile`": the type is the file, which the location names.
    while let Some(start) = m.find(" in `") {
        let Some(len) = m[start + 5..].find('`') else {
            break;
        };
        let name = &m[start + 5..start + 5 + len];
        if name.ends_with("File")
            || name == "VersionProbe"
            || name == "Recovery"
            || name.starts_with("Perspective")
        {
            m.replace_range(start..start + 5 + len + 1, "");
        } else {
            break;
        }
    }
    if let Some(i) = m.find(", try the raw identifier") {
        m.truncate(i);
        m.push_str(" (expected a word such as Consumer or Idea)");
    }
    m = m.replace("for struct `VersionProbe`", "for the workspace");
    if m == "Expected identifier" {
        m = "expected a bare word here, without quotes (such as Pain, Idea or Consumer)".into();
    }
    if m == "Integer is out of bounds" {
        m = RATING_OUT_OF_RANGE.into();
    }
    for (chrono, plain) in [
        (
            "input is out of range",
            "not a valid date (dates are written \"YYYY-MM-DD\")",
        ),
        (
            "input contains invalid characters",
            "not a valid date (dates are written \"YYYY-MM-DD\")",
        ),
        (
            "premature end of input",
            "not a valid date (dates are written \"YYYY-MM-DD\")",
        ),
        (
            "trailing input",
            "not a valid date (dates are written \"YYYY-MM-DD\")",
        ),
    ] {
        if m == chrono || m.ends_with(chrono) {
            m = plain.to_string();
        }
    }
    m
}

/// Parses RON text with the options valuemap's files use and nothing else:
/// no error mapping, no checks. The floor that loading is measured against.
pub fn parse_bare<T: DeserializeOwned>(text: &str) -> Result<T, ron::error::SpannedError> {
    options().from_str(text)
}

/// Serialises a value the canonical way: pretty, four-space indents, `\n`
/// line ends, a final newline.
pub fn to_ron<T: Serialize>(value: &T) -> String {
    let mut s = options()
        .to_string_pretty(value, pretty())
        // Serialising plain data into a String cannot fail.
        .unwrap_or_else(|e| panic!("serialising workspace data failed: {e}"));
    s.push('\n');
    s
}

/// What `workspace.ron` declares as its version.
#[derive(Debug)]
pub enum Version {
    Current,
    /// An older version, migrated on load.
    Old(u32),
}

/// A newer format than this build understands.
#[derive(Debug)]
pub struct NewerVersion {
    pub found: i64,
}

/// Reads `workspace.ron`, migrating older versions.
pub fn parse_workspace(
    path: &Path,
    text: &str,
) -> Result<Result<(WorkspaceFile, Version), NewerVersion>, ParseError> {
    // The usual file, of this version, in one parse: looking for the
    // version first is a parse of the whole file too. Anything else (an
    // older version, a newer one, an error) is looked at as before.
    if let Ok(file) = options().from_str::<disk::WorkspaceIn>(text)
        && file.version() == FORMAT_VERSION
    {
        return Ok(Ok((file.into(), Version::Current)));
    }
    let probe: VersionProbe = parse(path, text)?;
    match probe.version {
        None | Some(0) => {
            let v0: v0::WorkspaceFile = parse(path, text)?;
            Ok(Ok((v0.into(), Version::Old(0))))
        }
        Some(v) if v == i64::from(FORMAT_VERSION) => {
            let file: disk::WorkspaceIn = parse(path, text)?;
            Ok(Ok((file.into(), Version::Current)))
        }
        // Versions 1 and 2 kept `workspace.ron` as version 3 does; only
        // the opportunities and metrics moved, then the needs map, teams
        // and adoption came (see [`FORMAT_VERSION`]).
        Some(v @ (1 | 2)) => {
            let file: disk::WorkspaceIn = parse(path, text)?;
            Ok(Ok((file.into(), Version::Old(v as u32))))
        }
        Some(v) if v > i64::from(FORMAT_VERSION) => Ok(Err(NewerVersion { found: v })),
        Some(v) => {
            let line = line_of(text, "version").unwrap_or(1);
            let source_line = text
                .lines()
                .nth(line - 1)
                .map(crate::text::sanitize)
                .unwrap_or_default();
            let col = source_line
                .find("version")
                .map_or(1, |c| source_line[..c].chars().count() + 1);
            Err(ParseError {
                path: path.to_path_buf(),
                line,
                col,
                message: format!("format version {v} does not exist"),
                source_line,
            })
        }
    }
}

fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_numbers_are_named_by_their_field() {
        let ws = |field: &str| {
            format!(
                "(\n    version: 1,\n    name: \"w\",\n    personas: [\n        (\n            id: \"p1\",\n            name: \"P\",\n            role: Consumer,\n            {field},\n        ),\n    ],\n)\n"
            )
        };
        let err = |text: &str| {
            parse_workspace(Path::new("workspace.ron"), text)
                .map(|_| ())
                .unwrap_err()
                .message
        };
        let m = err(&ws("rank: 99999999999"));
        assert!(m.starts_with("rank out of range"), "{m}");
        let m = err("(\n    version: 99999999999999999999,\n    name: \"w\",\n)\n");
        assert!(m.starts_with("format version out of range"), "{m}");
        assert_eq!(
            field_at("            importance: 300,", 25).as_deref(),
            Some("importance")
        );
        assert_eq!(field_at("x", 1), None);
    }

    #[test]
    fn errors_point_at_line_and_column_and_show_the_line() {
        let text =
            "(\n    version: 1,\n    name: \"x\",\n    phases: [ (id: \"a\" name: \"b\") ],\n)\n";
        let e = parse_workspace(Path::new("w/workspace.ron"), text).unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.col > 1);
        let shown = e.to_string();
        assert!(shown.starts_with("w/workspace.ron:4:"), "{shown}");
        assert!(shown.contains("phases: [ (id: \"a\" name"), "{shown}");
        assert!(shown.contains('^'));
    }

    #[test]
    fn a_bom_is_tolerated() {
        let text = decode(Path::new("x"), b"\xEF\xBB\xBF(version: 1, name: \"n\")").unwrap();
        let (ws, _) = parse_workspace(Path::new("x"), &text).unwrap().unwrap();
        assert_eq!(ws.name, "n");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e = decode(Path::new("x"), b"(\n  name: \"ab\xff\xfe\"").unwrap_err();
        assert_eq!((e.line, e.col), (2, 12));
        assert!(e.message.contains("not valid UTF-8"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(200_000);
        assert!(parse_workspace(Path::new("x"), &text).is_err());
        let text = format!("(version: 1, name: \"n\", phases: {})", "[".repeat(200_000));
        let e = parse_workspace(Path::new("x"), &text).err().unwrap();
        assert!(e.message.contains("nested too deeply"), "{}", e.message);
        let text = format!(
            "(version: 1, name: \"n\", phases: [{}])",
            "(".repeat(200_000)
        );
        assert!(parse_workspace(Path::new("x"), &text).is_err());
    }

    #[test]
    fn empty_files_are_reported() {
        let e = parse::<WorkspaceFile>(Path::new("x"), " \n").unwrap_err();
        assert_eq!(e.message, "the file is empty");
    }

    #[test]
    fn newer_versions_are_refused_and_impossible_ones_reported() {
        let r = parse_workspace(Path::new("x"), "(version: 9, name: \"n\", future: 1)").unwrap();
        assert_eq!(r.unwrap_err().found, 9);
        let e = parse_workspace(Path::new("x"), "(\nversion: -3, name: \"n\")")
            .err()
            .unwrap();
        assert!(e.message.contains("version -3 does not exist"));
        assert_eq!(e.line, 2);
    }

    #[test]
    fn version_zero_migrates() {
        let text = r#"(
            name: "old",
            personas: [(id: "p", name: "Dev", role: Consumer, jtbd: ["ship"])],
            perspectives: [(persona: "p", activity: "a", goal: "speed", importance: 4)],
        )"#;
        let (ws, v) = parse_workspace(Path::new("x"), text).unwrap().unwrap();
        assert!(matches!(v, Version::Old(0)));
        assert_eq!(ws.personas[0].jobs, ["ship"]);
        assert_eq!(ws.perspectives[0].interest, "speed");
        assert_eq!(ws.perspectives[0].importance, Some(4));
    }

    fn persona(id: &str, name: &str) -> Persona {
        Persona {
            id: id.into(),
            name: name.into(),
            role: crate::model::Role::Consumer,
            description: String::new(),
            jobs: Vec::new(),
            tags: Vec::new(),
        }
    }

    fn activity(id: &str, name: &str) -> crate::model::Activity {
        crate::model::Activity {
            id: id.into(),
            name: name.into(),
            description: String::new(),
        }
    }

    #[test]
    fn lists_are_kept_by_id_with_their_rank_and_read_in_map_order() {
        let personas = [persona("zz", "First"), persona("aa", "Second")];
        let phases = [Phase {
            id: "ph".into(),
            name: "Creation".into(),
            description: String::new(),
            activities: vec![activity("k", "Create"), activity("b", "Deploy")],
        }];
        let text = to_ron(&WorkspaceFileRef {
            version: FORMAT_VERSION,
            name: "w",
            description: "",
            phases: &phases,
            personas: &personas,
            perspectives: &[],
            conflicts: Vec::new(),
        });
        // In the file: by id, each with its place in the map.
        let second = text.find(r#"id: "aa""#).unwrap();
        let first = text.find(r#"id: "zz""#).unwrap();
        assert!(second < first, "{text}");
        assert!(
            text[second..].starts_with("id: \"aa\",\n            rank: 1,"),
            "{text}"
        );
        assert!(text.find(r#"id: "b""#).unwrap() < text.find(r#"id: "k""#).unwrap());
        // Read back: in map order.
        let (f, v) = parse_workspace(Path::new("x"), &text).unwrap().unwrap();
        assert!(matches!(v, Version::Current));
        assert_eq!(f.personas, personas);
        assert_eq!(f.phases, phases);
    }

    #[test]
    fn equal_ranks_are_ordered_by_id_and_unranked_entries_come_last_in_file_order() {
        let text = r#"(
            version: 1,
            name: "w",
            personas: [
                (id: "q", name: "Unranked one", role: Consumer),
                (id: "c", rank: 1, name: "Merged c", role: Consumer),
                (id: "x", rank: 0, name: "First", role: Consumer),
                (id: "b", name: "Unranked two", role: Consumer),
                (id: "a", rank: 1, name: "Merged a", role: Consumer),
            ],
        )"#;
        let (f, _) = parse_workspace(Path::new("x"), text).unwrap().unwrap();
        let names: Vec<&str> = f.personas.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "First",
                "Merged a",
                "Merged c",
                "Unranked one",
                "Unranked two"
            ]
        );
    }

    #[test]
    fn unknown_fields_are_errors_with_a_location() {
        let e = parse_workspace(Path::new("x"), "(version: 1,\n name: \"n\",\n colour: 3)")
            .err()
            .unwrap();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("colour"), "{}", e.message);
    }

    #[test]
    fn excerpt_cuts_long_lines_around_the_column() {
        let line = "x".repeat(500);
        let (s, caret) = excerpt(&line, 300);
        assert!(s.chars().count() <= 102);
        assert_eq!(s.chars().nth(caret), Some('x'));
        assert!(s.starts_with('…') && s.ends_with('…'));
        // The caret sits under the column, counted in terminal cells.
        let (_, caret) = excerpt("name: \"日本語\" oops", 13);
        assert_eq!(caret, 15);
    }
}
