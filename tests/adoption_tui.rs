//! The Adoption view (8): consumer teams × platform capabilities (then
//! activities), driven through the same event path as the terminal; and
//! the metrics each persona watches, as the perspective form lists them.

mod support;

use support::*;
use valuemap::model::{AdoptionState, Target};

/// The platform capability "Deploy a service" (the first column).
const DEPLOY: &str = "pk5dpy";

fn team(a: &valuemap::tui::app::App, name: &str) -> valuemap::model::Id {
    a.ws.items
        .teams
        .values()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no team {name}"))
        .id
        .clone()
}

#[test]
fn snapshots_at_three_sizes() {
    for (w, h) in [(60, 20), (120, 40), (200, 60)] {
        let mut a = app();
        keys(&mut a, "8");
        insta::assert_snapshot!(format!("adoption_{w}x{h}"), screen(&mut a, w, h));
        // On Payments' cell of "Deploy a service": its history and the
        // capability's rates over time.
        keys(&mut a, "jjl");
        insta::assert_snapshot!(format!("adoption_cell_{w}x{h}"), screen(&mut a, w, h));
    }
}

#[test]
fn the_grid_reads_without_colour() {
    let mut a = app();
    keys(&mut a, "8");
    let s = screen(&mut a, 200, 60);
    // Catalogue dropped the golden path and is trying it again; Payments
    // was told to use it.
    assert!(s.contains("◐ trialling"), "{s}");
    assert!(s.contains("● adopted (m)"), "{s}");
    assert!(s.contains("Checkout (7)"), "{s}");
    // Two of three teams on the golden path, one by free choice.
    assert!(s.contains("67% · 33%"), "{s}");
    // The platform's capabilities come first, then the map's activities,
    // each group named over its columns.
    // (Columns in characters: the rule and "…" take several bytes.)
    let col = |line: &str, what: &str| line[..line.find(what).unwrap()].chars().count();
    let head = s.lines().find(|l| l.contains("Team  ")).unwrap();
    let (deploy, observe, cluster) = (
        col(head, "Deploy a serv"),
        col(head, "Observe a wor"),
        col(head, "Create a clus"),
    );
    assert!(deploy < observe && observe < cluster, "{head}");
    let band = s
        .lines()
        .find(|l| l.contains("Platform capabilities"))
        .unwrap();
    assert_eq!(col(band, "Platform capabilities"), deploy, "{band}");
    assert_eq!(col(band, "Activities"), cluster, "{band}");
}

/// Recording a cell twice on one day keeps one record of that day (the
/// second replaces the first), and undo brings the first back.
#[test]
fn recording_a_cell_twice_the_same_day_keeps_one_record() {
    let mut a = app();
    let catalogue = team(&a, "Catalogue");
    let deploy = Target::Capability(DEPLOY.into());
    keys(&mut a, "8l<Enter>a<Enter>");
    let n = a.ws.items.adoptions.len();
    assert_eq!(a.ws.same_day(&catalogue, &deploy, a.env.today).len(), 1);
    let after_first = a.ws.clone();
    keys(&mut a, "<Enter>d<Enter>");
    assert_eq!(a.ws.items.adoptions.len(), n, "replaced, not added");
    let day = a.ws.same_day(&catalogue, &deploy, a.env.today);
    assert_eq!(day.len(), 1);
    assert_eq!(day[0].state, AdoptionState::Dropped);
    keys(&mut a, "u");
    assert_eq!(a.ws, after_first);
}

#[test]
fn record_a_mandated_adoption_from_a_cell_then_undo() {
    let mut a = app();
    let before = a.ws.clone();
    // Catalogue (first row), "Deploy a service" (the first capability).
    keys(&mut a, "8l<Enter>");
    keys(&mut a, "a<Tab>m<Enter>");
    let catalogue = team(&a, "Catalogue");
    let deploy = Target::Capability(DEPLOY.into());
    let s = a.ws.standing(&catalogue, &deploy, a.env.today).unwrap();
    assert_eq!(s.state, AdoptionState::Adopted);
    assert!(s.mandated);
    assert_eq!(s.since, a.env.today);
    // All three teams now; only Checkout by free choice.
    let r = a.ws.adoption_rates(&deploy, a.env.today);
    assert_eq!((r.all(), r.adopted, r.voluntary), (Some(100.0), 3, 1));
    // The rate metric follows the record.
    let free = a.ws.metric(&"m5gpfr".into()).unwrap();
    assert!((free.latest().unwrap().value - 100.0 / 3.0).abs() < 1e-9);
    let shown = screen(&mut a, 120, 40);
    assert!(shown.contains("100% · 33%"), "{shown}");
    keys(&mut a, "u");
    assert_eq!(a.ws, before);
}

/// A record dated before the team's since date is kept, and the rates
/// leave it out until then: the form says so, as `valuemap adopt` does.
#[test]
fn a_record_before_the_teams_since_date_is_kept_with_a_warning() {
    let mut a = app();
    let catalogue = team(&a, "Catalogue");
    let deploy = Target::Capability(DEPLOY.into());
    let today = a.env.today;
    let since = today + chrono::Days::new(10);
    a.ws.items.teams.get_mut(&catalogue).unwrap().since = Some(since);
    // Catalogue's cell of "Deploy a service": adopted, today.
    keys(&mut a, "8l<Enter>a<Enter>");
    assert_eq!(a.ws.same_day(&catalogue, &deploy, today).len(), 1);
    let said = a.message.clone().expect("a message");
    assert_eq!(
        said.level,
        valuemap::tui::state::Level::Warn,
        "{}",
        said.text
    );
    // On screen: the gist even where the status bar cuts the rest.
    let shown = screen(&mut a, 200, 40);
    assert!(shown.contains("this record is of"), "{shown}");
    let shown = screen(&mut a, 80, 24);
    assert!(shown.contains("Left out of the adoption rates"), "{shown}");
    assert!(
        said.text
            .starts_with(&format!("Left out of the adoption rates until {since}"))
            && said.text.contains("Catalogue counts from then")
            && said.text.contains(&format!("this record is of {today}")),
        "{}",
        said.text
    );
    // From the team's since date on, no warning.
    a.ws.items.teams.get_mut(&catalogue).unwrap().since = Some(today);
    keys(&mut a, "<Enter>d<Enter>");
    let said = a.message.as_ref().expect("a message");
    assert_eq!(
        said.level,
        valuemap::tui::state::Level::Info,
        "{}",
        said.text
    );
}

#[test]
fn add_a_team_rename_it_and_delete_it() {
    let mut a = app();
    keys(&mut a, "8aSearch<Tab>4<Enter>");
    let id = team(&a, "Search");
    assert_eq!(a.ws.items.teams[&id].size, Some(4));
    // A team added today counts in the rates from today: the past rates
    // stay as they were.
    assert_eq!(a.ws.items.teams[&id].since, Some(a.env.today));
    assert_eq!(
        a.views.adoption.team(&a.ws).map(|t| t.id.clone()),
        Some(id.clone())
    );
    // Delete asks; the team goes with its records.
    keys(&mut a, "gg");
    let catalogue = team(&a, "Catalogue");
    let records = a.ws.items.adoptions.len();
    keys(&mut a, "dy");
    assert!(!a.ws.items.teams.contains_key(&catalogue));
    assert_eq!(a.ws.items.adoptions.len(), records - 3);
    keys(&mut a, "u");
    assert!(a.ws.items.teams.contains_key(&catalogue));
    assert_eq!(a.ws.items.adoptions.len(), records);
}

#[test]
fn an_empty_workspace_says_what_to_do() {
    let mut a = valuemap::tui::app::App::new(template("empty"), None);
    a.env.today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    keys(&mut a, "8");
    let s = screen(&mut a, 80, 24);
    assert!(
        s.contains("No consumer teams yet. Press a to add one"),
        "{s}"
    );
}

/// The seed's monitoring example: one activity, "Monitor a workload", and
/// a metric per persona. Each persona's perspective form lists only the
/// metrics that persona watches there (none of this activity's metrics is
/// everyone's).
#[test]
fn the_perspective_form_lists_the_metrics_its_persona_watches() {
    for (interest, watched, not) in [
        (
            "Only their own workload matters",
            "Availability minutes gained",
            ["Clusters healthy", "Value of availability gained"],
        ),
        (
            "Only when a product team escalates",
            "Clusters healthy",
            [
                "Availability minutes gained",
                "Value of availability gained",
            ],
        ),
        (
            "Hears about workload health only",
            "Value of availability gained",
            ["Clusters healthy", "Availability minutes gained"],
        ),
    ] {
        let mut a = app();
        keys(&mut a, &format!("/{interest}"));
        while a.busy() {
            a.tick();
        }
        keys(&mut a, "<Enter><Enter>");
        let s = screen(&mut a, 200, 60);
        let line = s
            .lines()
            .find(|l| l.contains("│  Metrics ") && l.contains(watched))
            .unwrap_or_else(|| panic!("{watched:?} not listed\n{s}"));
        for other in not {
            assert!(!line.contains(other), "{other:?} listed: {line}");
        }
    }
}

/// A metric made an adoption rate in its form: the capability picked by
/// name, counting free choice only. Its series is then that rate, the same
/// as the template's metric of it; a formula beside it is refused.
#[test]
fn the_metric_form_makes_a_metric_an_adoption_rate() {
    use valuemap::model::AdoptionRate;
    let mut a = app();
    keys(&mut a, "5a");
    keys(&mut a, "Golden path by choice");
    // Kind, unit, direction, baseline, target, activity, opportunity,
    // personas, formula: then "Adoption of", picked by typing.
    keys(&mut a, &"<Tab>".repeat(10));
    keys(&mut a, "<Enter>deploy a serv<Enter>");
    let form = screen(&mut a, 120, 40);
    assert!(form.contains("Adoption of     Deploy a service"), "{form}");
    keys(&mut a, "<Tab>l<Enter>");
    let m =
        a.ws.metrics
            .iter()
            .find(|m| m.name == "Golden path by choice")
            .expect("the metric is added")
            .clone();
    let rate = AdoptionRate {
        target: Target::Capability(DEPLOY.into()),
        voluntary: true,
    };
    assert_eq!(m.adoption, Some(rate.clone()));
    let template =
        a.ws.metrics
            .iter()
            .find(|t| t.id != m.id && t.adoption == Some(rate.clone()))
            .expect("the template has this rate");
    assert!(!m.observations.is_empty());
    assert_eq!(m.observations, template.observations);
    // A formula as well: refused, and the metric stays as it was.
    let at = a.ws.metrics.iter().position(|x| x.id == m.id).unwrap();
    a.views.metrics.selected = at;
    keys(&mut a, "<Enter>");
    keys(&mut a, &"<Tab>".repeat(9));
    keys(&mut a, "1<Enter>");
    let said = screen(&mut a, 120, 40);
    assert!(
        said.contains("formula or from adoption, not both"),
        "{said}"
    );
    keys(&mut a, "<Esc>");
    assert_eq!(a.ws.metric(&m.id).unwrap().formula, None);
    assert_eq!(a.ws.metric(&m.id).unwrap().adoption, Some(rate));
}

/// A metric that other formulas name keeps a name they can name: one of no
/// letters or digits is refused, and every formula stays as it was.
#[test]
fn a_metric_in_a_formula_cannot_lose_every_letter_of_its_name() {
    let mut a = app();
    keys(&mut a, "5");
    let used =
        a.ws.metrics
            .iter()
            .position(|m| m.name == "Availability minutes gained")
            .unwrap();
    let formulas: Vec<_> = a.ws.metrics.iter().map(|m| m.formula.clone()).collect();
    a.views.metrics.selected = used;
    keys(&mut a, "<Enter><C-a><C-k>👩\u{200d}💻<Enter>");
    let said = screen(&mut a, 120, 40);
    assert!(said.contains("needs a letter or a digit"), "{said}");
    keys(&mut a, "<Esc>");
    assert_eq!(a.ws.metrics[used].name, "Availability minutes gained");
    let now: Vec<_> = a.ws.metrics.iter().map(|m| m.formula.clone()).collect();
    assert_eq!(now, formulas);
}
