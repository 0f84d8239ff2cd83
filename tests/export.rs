//! Exports: every format from the kubernetes-platform template, read back by
//! an independent parser (serde_json, the csv crate); golden snapshots of the
//! Markdown report and the HTML page; hostile text in every kind of field;
//! and `valuemap export` run as a real process on temporary folders.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

use serde_json::Value;
use valuemap::export::{self, CSV_TABLES, ExportError, Format};
use valuemap::model::{Evidence, Id, Note, Workspace};
use valuemap::store::Store;
use valuemap::template::Template;

fn template() -> Workspace {
    Template::find("kubernetes-platform")
        .unwrap()
        .workspace()
        .unwrap()
}

// ---- reading exports back ----

fn json_of(ws: &Workspace) -> Value {
    let text = export::render(ws, Format::Json).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A CSV table read back with the csv crate: its header and its rows.
fn read_csv(text: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            assert_eq!(rec.len(), header.len(), "ragged row: {rec:?}");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

fn table(ws: &Workspace, name: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    read_csv(&export::csv_table(ws, name).unwrap())
}

fn column(rows: &[BTreeMap<String, String>], name: &str) -> BTreeSet<String> {
    rows.iter().map(|r| r[name].clone()).collect()
}

fn find<'a>(v: &'a Value, list: &str, id: &str) -> &'a Value {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .unwrap_or_else(|| panic!("{list} has no {id}"))
}

// ---- JSON ----

#[test]
fn json_has_the_documented_shape_and_the_template_values() {
    let ws = template();
    let v = json_of(&ws);
    assert_eq!(v["format"], "valuemap-export");
    assert_eq!(v["version"], 1);
    assert_eq!(v["name"], "Kubernetes platform");
    assert_eq!(v["phases"].as_array().unwrap().len(), 3);
    let activities: usize = v["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["activities"].as_array().unwrap().len())
        .sum();
    assert_eq!(activities, ws.activity_count());
    assert_eq!(v["personas"].as_array().unwrap().len(), 3);
    assert_eq!(
        v["perspectives"].as_array().unwrap().len(),
        ws.perspectives.len()
    );
    assert_eq!(v["notes"].as_array().unwrap().len(), ws.notes.len());
    assert_eq!(v["opportunities"].as_array().unwrap().len(), 9);
    assert_eq!(v["metrics"].as_array().unwrap().len(), 11);
    assert_eq!(v["counts"]["evidence"], 15);
    // 46 recorded; computed: 5 minutes, 5 money, 4 + 4 adoption rates;
    // recorded since: 3 cluster health, 1 price.
    assert_eq!(v["counts"]["observations"], 68);
    assert_eq!(v["counts"]["teams"], 3);
    assert_eq!(v["counts"]["adoption_records"], 8);
    assert!(!v["blind_spots"].as_array().unwrap().is_empty());

    // Roles and a perspective's computed score: importance 5, satisfaction 1.
    assert_eq!(find(&v, "personas", "s4emgr")["role"], "customer");
    let cell = v["perspectives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["persona"] == "a2pdev" && p["activity"] == "q8upgr")
        .unwrap();
    assert_eq!(cell["score"], 9);
    assert_eq!(cell["importance"], 5);
    let unrated = v["perspectives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["persona"] == "s4emgr" && p["activity"] == "j7mwkd")
        .unwrap();
    assert!(unrated["score"].is_null() && unrated["importance"].is_null());

    // Opportunity scores and where they come from, in rank order.
    let opps = v["opportunities"].as_array().unwrap();
    let ranks: Vec<u64> = opps.iter().map(|o| o["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, (1..=9).collect::<Vec<u64>>());
    assert_eq!(opps[0]["id"], "t8dcxn");
    assert_eq!(opps[0]["score"], 12.5);
    assert_eq!(opps[0]["score_source"], "manual");
    let selfservice = find(&v, "opportunities", "93ssvc");
    assert_eq!(selfservice["score"], 8.0);
    assert_eq!(selfservice["score_source"], "outcome");
    assert_eq!(selfservice["horizon"], "now");
    let hunch = find(&v, "opportunities", "x9rphn");
    assert!(hunch["score"].is_null());
    assert_eq!(hunch["score_source"], "none");
    assert!(hunch["evidence"].as_array().unwrap().is_empty());
    let cost = find(&v, "opportunities", "52cdsh");
    assert!(cost["horizon"].is_null());
    let quotes: Vec<&str> = cost["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["quote"].as_str().unwrap())
        .collect();
    assert!(
        quotes.contains(&"> I haven't asked you for a cost export since the dashboard went live.")
    );
    let e = &cost["evidence"][2];
    assert_eq!(e["note"], "n8b3zv");
    assert_eq!(e["note_date"], "2026-10-22");
    assert_eq!(e["interviewee"], "Dana (VP Eng)");

    // Notes: parsed lines, in interview order.
    let notes = v["notes"].as_array().unwrap();
    let dates: Vec<&str> = notes.iter().map(|n| n["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    let kenji = find(&v, "notes", "n9hjwc");
    assert_eq!(
        kenji["quotes"],
        serde_json::json!(["Last week I got 212 pages and two of them mattered."])
    );
    assert_eq!(kenji["pains"].as_array().unwrap().len(), 1);
    assert_eq!(kenji["needs"].as_array().unwrap().len(), 2);
    assert_eq!(kenji["questions"].as_array().unwrap().len(), 1);
    assert_eq!(kenji["body"], ws.notes[&Id::from("n9hjwc")].body.as_str());

    // Metrics: latest observation and verdict by direction.
    let visits = find(&v, "metrics", "j4dshv");
    assert_eq!(visits["latest"]["value"], 47.0);
    assert_eq!(visits["latest"]["date"], "2026-11-23");
    assert_eq!(visits["on_track"], true);
    assert_eq!(visits["verdict"], "on-track");
    assert_eq!(visits["observations"].as_array().unwrap().len(), 26);
    let burn = find(&v, "metrics", "c3ebbn");
    assert_eq!(burn["direction"], "lower-is-better");
    assert_eq!(burn["on_track"], false);
    assert_eq!(burn["opportunity"], "q7sqaw");
    assert_eq!(find(&v, "metrics", "72uptm")["opportunity"], Value::Null);

    // Money from minutes: (99.97 - 99.82) / 100 * 43200 = 64.8 minutes in
    // August, at 180 EUR a minute.
    let money = find(&v, "metrics", "m4mony");
    assert_eq!(
        money["formula"],
        "availability_minutes_gained * cost_per_minute_of_downtime"
    );
    assert_eq!(money["personas"][0], "s4emgr");
    let aug = &money["observations"][2];
    assert_eq!(aug["date"], "2026-08-31");
    assert!(
        (aug["value"].as_f64().unwrap() - 64.8 * 180.0).abs() < 1e-6,
        "{aug}"
    );
    // The golden path (the platform capability "Deploy a service"):
    // Checkout (free) and Payments (mandated) of three teams since
    // September.
    let free = find(&v, "metrics", "m5gpfr");
    assert_eq!(free["adoption"]["target_kind"], "capability");
    assert_eq!(free["adoption"]["target"], "pk5dpy");
    assert_eq!(free["adoption"]["voluntary"], true);
    let rates = v["adoption_rates"].as_array().unwrap();
    let deploy = rates.iter().find(|r| r["target"] == "pk5dpy").unwrap();
    assert_eq!(deploy["target_kind"], "capability");
    assert_eq!(deploy["name"], "Deploy a service");
    let sep = &deploy["series"][2];
    assert_eq!(sep["date"], "2026-09-01");
    assert_eq!(
        (sep["adopted"].as_u64(), sep["voluntary"].as_u64()),
        (Some(2), Some(1))
    );
    assert!((sep["rate"].as_f64().unwrap() - 200.0 / 3.0).abs() < 1e-9);
    assert!((sep["voluntary_rate"].as_f64().unwrap() - 100.0 / 3.0).abs() < 1e-9);
    let payments = v["adoption"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "ad5pay")
        .unwrap();
    assert_eq!(payments["mandated"], true);
    assert_eq!(payments["state"], "adopted");
    assert_eq!(payments["target_kind"], "capability");
}

#[test]
fn json_is_deterministic() {
    let ws = template();
    let a = export::render(&ws, Format::Json).unwrap();
    let b = export::render(&ws.clone(), Format::Json).unwrap();
    assert_eq!(a, b);
    assert!(a.ends_with("}\n"));
}

// ---- CSV ----

#[test]
fn csv_tables_read_back_with_matching_counts_and_joining_ids() {
    let ws = template();
    let evidence: usize = ws.opportunities.iter().map(|o| o.evidence.len()).sum();
    let observations: usize = ws.metrics.iter().map(|m| m.observations.len()).sum();
    let expected = [
        ("phases", ws.phases.len(), "phase_id"),
        ("activities", ws.activity_count(), "activity_id"),
        ("personas", ws.personas.len(), "persona_id"),
        ("perspectives", ws.perspectives.len(), "persona_id"),
        // The template's notes rate nothing.
        ("ratings", 0, "persona_id"),
        ("notes", ws.notes.len(), "note_id"),
        ("opportunities", ws.opportunities.len(), "opportunity_id"),
        ("evidence", evidence, "opportunity_id"),
        ("metrics", ws.metrics.len(), "metric_id"),
        ("observations", observations, "metric_id"),
        ("outcomes", ws.items.outcomes.len(), "outcome_id"),
        ("solutions", ws.items.solutions.len(), "solution_id"),
        ("assumption_tests", ws.items.tests.len(), "test_id"),
        (
            "test_evidence",
            ws.items.tests.values().map(|t| t.evidence.len()).sum(),
            "test_id",
        ),
        ("needs_nodes", ws.items.nodes.len(), "node_id"),
        ("teams", 3, "team_id"),
        ("adoption", 8, "adoption_id"),
        // Deploy a service on 4 dates, Observe a workload on 2.
        ("adoption_rates", 6, "target_kind"),
        (
            "themes",
            valuemap::synthesis::themes::themes(&ws).len(),
            "tag",
        ),
        // Every `?` line of every note (none is answered in the template).
        (
            "questions",
            ws.notes
                .values()
                .map(|n| {
                    n.body
                        .lines()
                        .filter(|l| l.trim_start().starts_with('?'))
                        .count()
                })
                .sum(),
            "note_id",
        ),
    ];
    assert_eq!(
        CSV_TABLES,
        expected.iter().map(|e| e.0).collect::<Vec<_>>().as_slice()
    );
    let mut t = BTreeMap::new();
    for (name, rows, first) in expected {
        let (header, body) = table(&ws, name);
        assert_eq!(header[0], first, "{name}");
        assert_eq!(body.len(), rows, "{name}");
        t.insert(name, body);
    }

    let phases = column(&t["phases"], "phase_id");
    let activities = column(&t["activities"], "activity_id");
    let personas = column(&t["personas"], "persona_id");
    let notes = column(&t["notes"], "note_id");
    let opps = column(&t["opportunities"], "opportunity_id");
    let metrics = column(&t["metrics"], "metric_id");
    assert!(column(&t["activities"], "phase_id").is_subset(&phases));
    assert!(column(&t["perspectives"], "persona_id").is_subset(&personas));
    assert!(column(&t["perspectives"], "activity_id").is_subset(&activities));
    assert!(column(&t["perspectives"], "phase_id").is_subset(&phases));
    assert!(column(&t["notes"], "persona_id").is_subset(&personas));
    for n in &t["notes"] {
        for a in n["activity_ids"].split(' ') {
            assert!(activities.contains(a), "{a}");
        }
    }
    assert_eq!(column(&t["evidence"], "opportunity_id").len(), 8);
    // #finops is heard in two notes, both of the engineering manager (a
    // customer); every question of the template is still open.
    let finops = t["themes"].iter().find(|r| r["tag"] == "finops").unwrap();
    assert_eq!(
        (
            finops["notes"].as_str(),
            finops["customer"].as_str(),
            finops["consumer"].as_str()
        ),
        ("2", "2", "0")
    );
    assert!(t["questions"].iter().all(|r| r["status"] == "open"));
    assert!(column(&t["questions"], "note_id").is_subset(&notes));
    assert!(column(&t["evidence"], "opportunity_id").is_subset(&opps));
    assert!(column(&t["evidence"], "note_id").is_subset(&notes));
    assert_eq!(column(&t["observations"], "metric_id"), metrics);
    for m in &t["metrics"] {
        assert!(activities.contains(&m["activity_id"]));
        assert!(m["opportunity_id"].is_empty() || opps.contains(&m["opportunity_id"]));
    }

    // Values: plain numbers, computed scores, verdicts.
    let cell = t["perspectives"]
        .iter()
        .find(|r| r["persona_id"] == "a2pdev" && r["activity_id"] == "q8upgr")
        .unwrap();
    assert_eq!(cell["score"], "9");
    assert_eq!(cell["importance"], "5");
    assert_eq!(cell["phase_id"], "jh3run");
    let first = &t["opportunities"][0];
    assert_eq!(first["opportunity_id"], "t8dcxn");
    assert_eq!(first["score"], "12.5");
    assert_eq!(first["score_source"], "manual");
    let uptime: Vec<f64> = t["observations"]
        .iter()
        .filter(|r| r["metric_id"] == "72uptm")
        .map(|r| r["value"].parse().unwrap())
        .collect();
    assert_eq!(uptime, [99.84, 99.91, 99.97, 99.93, 99.78]);
    let visits = t["metrics"]
        .iter()
        .find(|r| r["metric_id"] == "j4dshv")
        .unwrap();
    assert_eq!(visits["verdict"], "on-track");
    assert_eq!(visits["latest_value"], "47");
    assert_eq!(visits["baseline"], "0");
    // A rate metric says what kind of target it is the rate of.
    let free = t["metrics"]
        .iter()
        .find(|r| r["metric_id"] == "m5gpfr")
        .unwrap();
    assert_eq!(
        (
            free["adoption_target_kind"].as_str(),
            free["adoption_target_id"].as_str(),
            free["adoption_voluntary"].as_str()
        ),
        ("capability", "pk5dpy", "yes")
    );
    assert_eq!(visits["adoption_target_kind"], "");
    // Evidence quotes keep their marker, neutralised when it is a formula
    // character; the text column is the quote as people read it.
    let e = t["evidence"]
        .iter()
        .find(|r| r["note_id"] == "n5w2hd" && r["opportunity_id"] == "52cdsh")
        .unwrap();
    assert_eq!(
        e["quote"],
        "'+ A cost dashboard per team and per cluster, updated daily"
    );
    assert_eq!(
        e["text"],
        "A cost dashboard per team and per cluster, updated daily"
    );
    assert_eq!(e["interviewee"], "Dana (VP Eng)");

    // The discovery loop: outcomes, solutions and tests join the
    // opportunities and metrics by id.
    let outcomes = column(&t["outcomes"], "outcome_id");
    let solutions = column(&t["solutions"], "solution_id");
    let tests = column(&t["assumption_tests"], "test_id");
    for o in &t["outcomes"] {
        for m in o["metric_ids"].split(' ') {
            assert!(metrics.contains(m), "{m}");
        }
    }
    for o in &t["opportunities"] {
        assert!(o["outcome_id"].is_empty() || outcomes.contains(&o["outcome_id"]));
        assert!(o["parent_id"].is_empty() || opps.contains(&o["parent_id"]));
    }
    let forecast = t["opportunities"]
        .iter()
        .find(|r| r["opportunity_id"] == "f2fcst")
        .unwrap();
    assert_eq!(forecast["parent_id"], "52cdsh");
    let cost = t["opportunities"]
        .iter()
        .find(|r| r["opportunity_id"] == "52cdsh")
        .unwrap();
    assert_eq!(cost["outcome_id"], "oc7mgv");
    assert_eq!(cost["delivered"], "2026-08-12");
    assert_eq!(cost["solution_count"], "1");
    assert!(column(&t["solutions"], "opportunity_id").is_subset(&opps));
    assert!(column(&t["assumption_tests"], "solution_id").is_subset(&solutions));
    assert!(column(&t["test_evidence"], "test_id").is_subset(&tests));
    assert!(column(&t["test_evidence"], "note_id").is_subset(&notes));
    let dashboard = t["solutions"]
        .iter()
        .find(|r| r["solution_id"] == "sl4cst")
        .unwrap();
    assert_eq!(dashboard["title"], "Cost dashboard");
    assert_eq!(dashboard["status"], "shipped");
    assert_eq!(dashboard["shipped"], "2026-08-12");
    assert_eq!(dashboard["test_count"], "2");
    assert_eq!(dashboard["tests_passed"], "1");
    assert_eq!(dashboard["tests_failed"], "0");
    assert_eq!(dashboard["validating_metric_ids"], "j4dshv");
    let spike = t["assumption_tests"]
        .iter()
        .find(|r| r["test_id"] == "at8dpl")
        .unwrap();
    assert_eq!(spike["kind"], "feasibility");
    assert_eq!(spike["result"], "pending");
    assert_eq!(spike["due"], "2026-12-15");
    assert_eq!(spike["evidence_count"], "1");
    let e = t["test_evidence"]
        .iter()
        .find(|r| r["test_id"] == "at5mgr")
        .unwrap();
    assert_eq!(
        e["text"],
        "I haven't asked you for a cost export since the dashboard went live."
    );
}

#[test]
fn csv_is_one_table_at_a_time() {
    let ws = template();
    assert!(matches!(
        export::render(&ws, Format::Csv),
        Err(ExportError::CsvNeedsTable)
    ));
    let e = export::csv_table(&ws, "bogus").unwrap_err().to_string();
    for t in CSV_TABLES {
        assert!(e.contains(t), "{e}");
    }
}

// ---- the library's write ----

#[test]
fn write_makes_a_file_or_a_folder_of_tables() {
    let dir = tempfile::tempdir().unwrap();
    let ws = template();
    for f in [Format::Markdown, Format::Json, Format::Html] {
        let out = dir.path().join(format!("report.{}", f.extension()));
        let written = export::write(&ws, f, &out).unwrap();
        assert_eq!(written, std::slice::from_ref(&out));
        assert_eq!(
            fs::read_to_string(&out).unwrap(),
            export::render(&ws, f).unwrap()
        );
    }
    let csv_dir = dir.path().join("tables/nested");
    let written = export::write(&ws, Format::Csv, &csv_dir).unwrap();
    assert_eq!(written.len(), CSV_TABLES.len());
    for (p, t) in written.iter().zip(CSV_TABLES) {
        assert_eq!(p, &csv_dir.join(format!("{t}.csv")));
        assert_eq!(
            fs::read_to_string(p).unwrap(),
            export::csv_table(&ws, t).unwrap()
        );
    }
    // A file where the folder should be, a folder where the file should be,
    // a missing folder: errors, and nothing written.
    let file = dir.path().join("report.md");
    assert!(matches!(
        export::write(&ws, Format::Csv, &file),
        Err(ExportError::NotAFolder { .. })
    ));
    assert!(matches!(
        export::write(&ws, Format::Html, dir.path()),
        Err(ExportError::IsAFolder { .. })
    ));
    let missing = dir.path().join("no/such/folder/report.html");
    assert!(matches!(
        export::write(&ws, Format::Html, &missing),
        Err(ExportError::NoFolder { .. })
    ));
    assert!(!dir.path().join("no").exists());
}

// ---- golden snapshots ----

#[test]
fn markdown_report_of_the_template() {
    let md = export::render(&template(), Format::Markdown).unwrap();
    insta::assert_snapshot!("template_md", md);
}

#[test]
fn html_page_of_the_template() {
    let html = export::render(&template(), Format::Html).unwrap();
    assert_self_contained(&html);
    assert!(!html.contains("http"), "nothing is loaded from anywhere");
    // One tag per line, so a change shows up as a readable diff. User text
    // is escaped, so "><" only ever sits between two tags.
    insta::assert_snapshot!("template_html", html.replace("><", ">\n<"));
}

#[test]
fn html_places_the_value_effort_matrix_as_svg() {
    let mut ws = template();
    // Hand-rated: value 5 / effort 1 is a quick win, 2 / 4 a money pit.
    ws.opportunities[0].value = Some(5);
    ws.opportunities[0].effort = Some(1);
    ws.opportunities[1].value = Some(2);
    ws.opportunities[1].effort = Some(4);
    let html = export::render(&ws, Format::Html).unwrap();
    assert_self_contained(&html);
    let svg_start = html
        .find("<svg class=\"matrix\"")
        .expect("the matrix is inline SVG");
    let svg = &html[svg_start..svg_start + html[svg_start..].find("</svg>").unwrap()];
    for q in ["quick-wins", "big-bets", "fill-ins", "money-pits"] {
        assert!(svg.contains(&format!("class=\"quad q-{q}\"")), "{svg}");
    }
    let placed = valuemap::synthesis::matrix::Matrix::of(&ws);
    assert_eq!(
        svg.matches("<circle class=\"opp\"").count() + svg.matches("<rect class=\"sol\"").count(),
        placed.placed.len()
    );
    let title = |o: &valuemap::model::Opportunity| {
        format!(
            "{} — value {}, effort {}",
            o.title,
            o.value.unwrap(),
            o.effort.unwrap()
        )
    };
    assert!(
        svg.contains(&format!("{} (quick wins)", title(&ws.opportunities[0]))),
        "{svg}"
    );
    assert!(
        svg.contains(&format!("{} (money pits)", title(&ws.opportunities[1]))),
        "{svg}"
    );
    assert!(html.contains("3 or more is high"));
}

#[track_caller]
fn assert_self_contained(html: &str) {
    let lower = html.to_lowercase();
    assert!(lower.starts_with("<!doctype html>"));
    assert!(lower.contains(r#"<meta charset="utf-8">"#));
    assert!(lower.contains(r#"<meta name="viewport""#));
    for bad in [
        "<script", "<link", "<iframe", "<img", "<object", "<embed", " src=", "@import", "url(",
    ] {
        assert!(!lower.contains(bad), "the page contains {bad}");
    }
    // No event handler attribute (` onload="...`): text cannot hold a raw `"`.
    for (i, _) in lower.match_indices(" on") {
        let rest = &lower[i + 3..];
        let name = rest.bytes().take_while(u8::is_ascii_lowercase).count();
        assert!(
            !(name > 0 && rest[name..].starts_with("=\"")),
            "{}",
            &lower[i..i + 20]
        );
    }
    // Links only lead to the page's own sections.
    for (i, _) in lower.match_indices("href=\"") {
        assert!(lower[i + 6..].starts_with('#'), "{}", &lower[i..i + 40]);
    }
}

#[test]
fn html_shows_numbers_marks_charts_and_the_roadmap() {
    let ws = template();
    let html = export::render(&ws, Format::Html).unwrap();
    // Heat is a colour and a number.
    assert!(html.contains(r#"<td class="cell heat-9""#));
    assert!(html.contains(r#"<span class="score">9</span>"#));
    assert!(html.contains("⚠ no notes"));
    assert!(html.contains("⚠ no metric"));
    assert!(html.contains("not yet understood"));
    // One chart per metric, with a dashed target (and the value / effort
    // matrix).
    assert_eq!(
        html.matches("<svg class=\"chart\"").count(),
        ws.metrics.len()
    );
    assert_eq!(html.matches("<svg class=\"matrix\"").count(), 1);
    assert_eq!(html.matches(r#"<line class="target""#).count(), 9);
    assert_eq!(html.matches(r#"<line class="baseline""#).count(), 6);
    assert!(html.contains("● adopted (mandated)"));
    assert!(html.contains("✓ on track") && html.contains("✗ off track"));
    for lane in ["Now", "Next", "Later", "Unplanned"] {
        assert!(html.contains(&format!("<h3>{lane}<span")), "{lane}");
    }
    assert!(html.contains("I haven't asked you for a cost export since the dashboard went live."));
    assert!(html.contains("⚠ No interview backs this opportunity yet."));
}

#[test]
fn html_shows_the_tree_and_marks_each_ship_date_on_the_charts() {
    let ws = template();
    let html = export::render(&ws, Format::Html).unwrap();
    assert_self_contained(&html);
    let tree = &html[html.find(r#"<section id="tree">"#).unwrap()..];
    let tree = &tree[..tree.find("</section>").unwrap()];
    // Two outcomes and "no outcome"; every opportunity once.
    assert_eq!(tree.matches(r#"<div class="tree-group">"#).count(), 3);
    assert!(tree.contains("Outcome: Management sees the platform's value"));
    assert!(tree.contains("<h3>No outcome</h3>"));
    assert_eq!(
        tree.matches(r#"<div class="node node-opp">"#).count(),
        ws.opportunities.len()
    );
    // The forecast is nested under cost data: a list inside its item.
    let cost = tree.find("Managers keep asking for cost data").unwrap();
    let forecast = tree.find("Managers cannot plan next quarter").unwrap();
    assert!(cost < forecast);
    assert!(tree[cost..forecast].contains("<ul>"), "not nested");
    // Solutions and tests with their glyph and their word.
    assert_eq!(
        tree.matches(r#"<div class="node node-solution sol-shipped">"#)
            .count(),
        2
    );
    assert!(tree.contains(r#"<span class="glyph" title="shipped">●</span>"#));
    assert!(tree.contains(r#"<span class="glyph" title="idea">○</span>"#));
    assert!(tree.contains(r#"<div class="node node-test result-passed">"#));
    assert!(tree.contains(r#"<span class="glyph" title="passed">✓</span>"#));
    assert!(tree.contains(r#"<span class="glyph" title="pending">?</span>"#));
    assert!(tree.contains("passed · desirability · due 2026-08-01"));
    // Before / after under the shipped solution, from the template's
    // figures (see model::validation's tests for the sums).
    assert!(
        tree.contains(
            "1.82 visits/week before → 31.92 visits/week after · target 30 visits/week · 11 and 13 observations"
        ),
        "{tree}"
    );

    // Markers, as the interface draws them: the Cost dashboard shipped the
    // day its opportunity was delivered (one marker, the solution's); the
    // cluster template on the time to first cluster.
    assert_eq!(html.matches(r#"<line class="shipped""#).count(), 2);
    assert_eq!(html.matches(r#"<line class="delivery""#).count(), 0);
    assert!(html.contains("<title>shipped 2026-08-12: Cost dashboard</title>"));
    assert!(html.contains("<title>shipped 2026-08-20: Cluster template in git</title>"));
    assert_eq!(html.matches(">shipped</text>").count(), 2);
    // A delivery on another day is a marker of its own.
    let mut moved = template();
    let i = moved.opportunity_index(&"52cdsh".into()).unwrap();
    moved.opportunities[i].delivered = Some("2026-09-01".parse().unwrap());
    let html = export::render(&moved, Format::Html).unwrap();
    assert_eq!(html.matches(r#"<line class="delivery""#).count(), 1);
    assert!(
        html.contains("<title>delivered 2026-09-01: Managers keep asking for cost data</title>")
    );
    assert!(html.contains("● Cost dashboard shipped 2026-08-12: </span>before <strong>1.82 visits/week</strong> (11) → after <strong>31.92 visits/week</strong> (13) <span class=\"met\">✓ meets the target</span>"), "{html}");
}

#[test]
fn markdown_nests_the_tree_with_words_and_glyphs() {
    let md = export::render(&template(), Format::Markdown).unwrap();
    let tree =
        &md[md.find("## Opportunity solution tree").unwrap()..md.find("## Roadmap").unwrap()];
    let lines: Vec<&str> = tree.lines().collect();
    let at = |needle: &str| {
        lines
            .iter()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} not in\n{tree}"))
    };
    assert_eq!(
        *at("Managers keep asking for cost data"),
        "- ◆ **Managers keep asking for cost data** — need · delivered 2026-08-12 · score 9 · 3 evidence · value 4 · effort 2"
    );
    assert!(at("Managers cannot plan").starts_with("  - ◆ **"));
    assert!(at("Spend forecast").starts_with("    - ○ Solution: "));
    assert_eq!(
        *at("Solution: Cost dashboard"),
        "  - ● Solution: Cost dashboard — shipped 2026-08-12 · effort 3 · owner Marco"
    );
    assert!(at("▲ Dashboard visits").starts_with("    - ▲ Dashboard visits: 1.82 visits/week before → 31.92 visits/week after; target 30 visits/week (11 and 13 observations"));
    assert!(at("Managers will open a dashboard").starts_with("    - ✓ Test: "));
    assert!(at("Managers will open a dashboard").contains(" — passed · desirability"));
    assert!(at("Cost per deployment").starts_with("    - ? Test: "));
    assert!(at("Cost per deployment").contains(" — pending · feasibility"));
    assert!(tree.contains("### Outcome: Management sees the platform's value"));
    assert!(tree.contains("Measured by: Dashboard visits"));
    assert!(tree.contains("### No outcome"));
    // A workspace with no loop says so instead of a list.
    let mut ws = template();
    ws.items = Default::default();
    for o in &mut ws.opportunities {
        o.outcome = None;
        o.parent = None;
    }
    let md = export::render(&ws, Format::Markdown).unwrap();
    assert!(md.contains("No outcomes or solutions yet"));
}

// ---- hostile text ----

const SCRIPT: &str = "<script>alert(1)</script>";
const FORMULA: &str = "=cmd|' /C calc'!A0";
const ESC: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2Jred";
const RTL: &str = "שלום \u{202E}evil עולם مرحبا";

const HOSTILE: &[&str] = &[
    SCRIPT,
    "\"quotes\"",
    "'single'",
    "a, b, c",
    "line one\nline two",
    "|pipes|",
    FORMULA,
    "+1",
    "-2",
    "@SUM(1)",
    ESC,
    "🚀 launch 👩‍👩‍👧",
    RTL,
    "# heading",
    "[link](javascript:alert(1))",
    "\tTab",
];

/// The template with hostile text in every kind of field: each hostile
/// string is the title of an opportunity and the name of a metric (copies are
/// added for that), and the strings take turns in every other text field.
fn hostile() -> Workspace {
    let mut ws = template();
    while ws.opportunities.len() < HOSTILE.len() {
        let mut o = ws.opportunities[ws.opportunities.len() % 8].clone();
        o.id = Id::new(format!("hostile-opp-{}", ws.opportunities.len()));
        ws.opportunities.push(o);
    }
    while ws.metrics.len() < HOSTILE.len() {
        let mut m = ws.metrics[ws.metrics.len() % 5].clone();
        m.id = Id::new(format!("hostile-metric-{}", ws.metrics.len()));
        ws.metrics.push(m);
    }
    let mut h = HOSTILE.iter().cycle().map(|s| s.to_string());
    let mut next = move || h.next().unwrap();
    ws.name = format!("{SCRIPT} | {FORMULA}");
    ws.description = format!("{ESC}\n# not a heading\n{SCRIPT}");
    for p in &mut ws.phases {
        p.name = next();
        for a in &mut p.activities {
            a.name = next();
            a.description = next();
        }
    }
    for p in &mut ws.personas {
        p.name = next();
        p.description = next();
        p.jobs = vec![next(), next()];
        p.tags = vec![next()];
    }
    for x in &mut ws.perspectives {
        x.interest = next();
        x.needs = vec![next()];
        x.pains = vec![next()];
    }
    let ids: Vec<Id> = ws.notes.keys().cloned().collect();
    for id in &ids {
        let n: &mut Note = ws.notes.get_mut(id).unwrap();
        n.interviewee = next().into();
        n.title = next();
        n.body = format!(
            "{}\n> {}\n! {}\n+ {}\n? {}\n{}",
            n.title,
            next(),
            next(),
            next(),
            next(),
            next()
        );
        n.tags = valuemap::model::thin_vec![next()];
    }
    for (i, o) in ws.opportunities.iter_mut().enumerate() {
        o.title = next();
        o.description = next();
        o.evidence = vec![Evidence {
            note: ids[i % ids.len()].clone(),
            quote: next(),
        }];
    }
    for m in &mut ws.metrics {
        m.name = next();
        m.description = next();
        m.unit = next();
        for o in &mut m.observations {
            o.comment = next();
        }
    }
    for o in ws.items.outcomes.values_mut() {
        o.name = next();
        o.description = next();
    }
    for x in ws.items.solutions.values_mut() {
        x.title = next();
        x.description = next();
        x.owner = next();
    }
    for x in ws.items.tests.values_mut() {
        x.assumption = next();
        x.method = next();
        x.criterion = next();
        x.owner = next();
        for e in &mut x.evidence {
            e.quote = next();
        }
    }
    for (o, s) in ws.opportunities.iter_mut().zip(HOSTILE) {
        o.title = s.to_string();
    }
    for (m, s) in ws.metrics.iter_mut().zip(HOSTILE) {
        m.name = s.to_string();
    }
    ws
}

#[test]
fn hostile_html_is_escaped() {
    let ws = hostile();
    let html = export::render(&ws, Format::Html).unwrap();
    assert_self_contained(&html);
    assert!(!html.to_lowercase().contains("<script"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains('\u{1b}'), "escape character in the page");
    assert!(!html.contains('\u{202E}'), "bidi override in the page");
    assert!(html.contains("🚀 launch 👩‍👩‍👧"));
    assert!(html.contains("שלום"));
    assert!(html.contains("مرحبا"));
    // The structure is intact: one card per opportunity, one chart per metric.
    assert_eq!(
        html.matches(r#"<article class="card opp">"#).count(),
        ws.opportunities.len()
    );
    assert_eq!(
        html.matches("<svg class=\"chart\"").count(),
        ws.metrics.len()
    );
}

#[test]
fn hostile_json_round_trips_exactly() {
    let ws = hostile();
    let v = json_of(&ws);
    assert_eq!(v["name"], ws.name.as_str());
    assert_eq!(v["description"], ws.description.as_str());
    for (j, p) in v["personas"].as_array().unwrap().iter().zip(&ws.personas) {
        assert_eq!(j["name"], p.name.as_str());
        assert_eq!(j["jobs"], serde_json::json!(p.jobs));
    }
    for (j, a) in v["phases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["activities"].as_array().unwrap())
        .zip(ws.activities())
    {
        assert_eq!(j["name"], a.1.name.as_str());
    }
    for j in v["notes"].as_array().unwrap() {
        let n = &ws.notes[&Id::new(j["id"].as_str().unwrap())];
        assert_eq!(j["body"], n.body.as_str());
        assert_eq!(j["title"], n.title.as_str());
        assert_eq!(j["interviewee"], n.interviewee.as_str());
        assert_eq!(j["quotes"].as_array().unwrap().len(), 1);
    }
    for j in v["opportunities"].as_array().unwrap() {
        let o = ws.opportunity(&Id::new(j["id"].as_str().unwrap())).unwrap();
        assert_eq!(j["title"], o.title.as_str());
        assert_eq!(j["evidence"][0]["quote"], o.evidence[0].quote.as_str());
    }
    for (j, m) in v["metrics"].as_array().unwrap().iter().zip(&ws.metrics) {
        assert_eq!(j["name"], m.name.as_str());
        assert_eq!(j["unit"], m.unit.as_str());
    }
    let all = export::render(&ws, Format::Json).unwrap();
    for s in HOSTILE {
        // JSON's escaping, and \uXXXX for what could take over a terminal.
        let escaped: String = serde_json::to_string(s)
            .unwrap()
            .chars()
            .map(|c| match c {
                '\u{7f}'..='\u{9f}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{61c}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}' => {
                    format!("\\u{:04x}", c as u32)
                }
                c => c.to_string(),
            })
            .collect();
        assert!(all.contains(&escaped), "{s:?} is missing");
    }
    assert!(!all.contains('\u{1b}'), "a raw escape character in JSON");
    assert!(
        !all.contains(['\u{202e}', '\u{9b}']),
        "a raw bidi override or C1 control in JSON"
    );
}

#[test]
fn hostile_csv_cells_are_neutralised() {
    let ws = hostile();
    let mut seen = BTreeSet::new();
    for name in CSV_TABLES {
        let text = export::csv_table(&ws, name).unwrap();
        assert!(!text.contains('\u{1b}'), "{name}: escape character");
        let (_, rows) = read_csv(&text);
        for row in &rows {
            for (col, cell) in row {
                if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                    assert!(
                        cell.parse::<f64>().is_ok(),
                        "{name}.{col}: {cell:?} would run as a formula"
                    );
                }
                seen.insert(cell.clone());
            }
        }
    }
    for neutralised in ["'=cmd|' /C calc'!A0", "'+1", "'-2", "'@SUM(1)"] {
        assert!(seen.contains(neutralised), "{neutralised} not found");
    }
    // Commas, quotes and line breaks survive the round trip.
    for plain in [
        "\"quotes\"",
        "'single'",
        "a, b, c",
        "line one\nline two",
        "|pipes|",
    ] {
        assert!(seen.contains(plain), "{plain:?} not found");
    }
    // Numbers stay numbers.
    let (_, obs) = table(&ws, "observations");
    assert!(obs.iter().any(|row| row["value"] == "99.84"));
    assert!(obs.iter().all(|row| row["value"].parse::<f64>().is_ok()));
}

/// The columns of a Markdown table row: pipes that are not escaped.
fn md_columns(line: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '|' => n += 1,
            _ => {}
        }
    }
    n - 1
}

#[test]
fn hostile_markdown_keeps_its_structure() {
    let ws = hostile();
    let md = export::render(&ws, Format::Markdown).unwrap();
    assert!(!md.contains('\u{1b}'));
    assert!(!md.contains('\u{202E}'));
    // Every `<` is escaped: no raw HTML.
    for (i, _) in md.match_indices('<') {
        assert_eq!(&md[i - 1..i], "\\", "raw < in {}", &md[i - 1..i + 20]);
    }
    assert!(md.contains("\\<script\\>"));
    // Every table: the same number of columns on every row.
    let lines: Vec<&str> = md.lines().collect();
    let mut tables = 0;
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with('|') {
            tables += 1;
            let width = md_columns(lines[i]);
            while i < lines.len() && lines[i].starts_with('|') {
                assert_eq!(md_columns(lines[i]), width, "{}", lines[i]);
                i += 1;
            }
        }
        i += 1;
    }
    assert_eq!(
        tables, 7,
        "map, themes, opportunities, metrics, adoption and each target's rates"
    );
    let map_width = 2 + ws.activity_count();
    let header = lines.iter().find(|l| l.starts_with("| Persona |")).unwrap();
    assert_eq!(md_columns(header), map_width);
    // Headings are only the report's own.
    let h1 = lines.iter().filter(|l| l.starts_with("# ")).count();
    let h2 = lines.iter().filter(|l| l.starts_with("## ")).count();
    let h3 = lines.iter().filter(|l| l.starts_with("### ")).count();
    assert_eq!(h1, 1);
    assert_eq!(
        h2, 11,
        "seven sections, themes, questions, the needs map and adoption"
    );
    // Personas, opportunities, the four roadmap lanes, the tree's
    // groups (each outcome and "no outcome"), the needs map's chains and
    // nodes, and one per adoption target.
    assert_eq!(
        h3,
        ws.personas.len()
            + ws.opportunities.len()
            + 4
            + ws.items.outcomes.len()
            + 1
            + 2
            + ws.adoption_targets().len()
    );
    // No line of user text starts a block of its own.
    for l in &lines {
        assert!(!l.starts_with('>'), "{l}");
        assert!(!l.starts_with("line two"), "{l}");
    }
}

#[test]
fn an_empty_workspace_exports_in_every_format() {
    let ws = Template::find("empty").unwrap().workspace().unwrap();
    for f in [Format::Markdown, Format::Json, Format::Html] {
        let s = export::render(&ws, f).unwrap();
        assert!(!s.is_empty());
    }
    let v = json_of(&ws);
    assert!(v["opportunities"].as_array().unwrap().is_empty());
    for t in CSV_TABLES {
        let (header, _) = table(&ws, t);
        assert!(!header.is_empty());
    }
    let mut bare = Workspace::new("");
    bare.metrics = template().metrics;
    bare.metrics[0].observations.clear();
    bare.metrics[1].observations.truncate(1);
    let html = export::render(&bare, Format::Html).unwrap();
    assert!(html.contains("No observations yet"));
}

// ---- the command line ----

#[path = "support/bin.rs"]
mod bin;

use bin::*;

#[track_caller]
fn assert_fails(run: &Run, needles: &[&str]) {
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.starts_with("valuemap: "), "{run:?}");
    for n in needles {
        assert!(run.stderr.contains(n), "{n:?} not in {run:?}");
    }
}

/// A temporary folder holding the template workspace at `ws`.
fn on_disk() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &template()).unwrap();
    (dir, root)
}

#[test]
fn cli_exports_every_format() {
    let (dir, _) = on_disk();
    let cwd = dir.path();
    let (_, ws, _) = Store::open(&cwd.join("ws")).unwrap();
    for f in [Format::Markdown, Format::Json, Format::Html] {
        let out = format!("out/report.{}", f.extension());
        fs::create_dir_all(cwd.join("out")).unwrap();
        let run = valuemap(cwd, &["export", "ws", "--format", f.name(), "-o", &out]);
        assert_eq!(run.code, Some(0), "{run:?}");
        let written = fs::read_to_string(cwd.join(&out)).unwrap();
        assert_eq!(written, export::render(&ws, f).unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(cwd.join(&out)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{out}");
        }
        // And to standard output without -o.
        let run = valuemap(cwd, &["export", "ws", "-f", f.name()]);
        assert_eq!(run.code, Some(0), "{run:?}");
        assert_eq!(run.stdout, written);
    }
    let run = valuemap(cwd, &["export", "ws", "-f", "markdown", "-o", "alias.md"]);
    assert_eq!(run.code, Some(0), "{run:?}");

    // CSV: every table into a folder that is created, or one table.
    let run = valuemap(cwd, &["export", "ws", "-f", "csv", "-o", "tables"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    for t in CSV_TABLES {
        let text = fs::read_to_string(cwd.join("tables").join(format!("{t}.csv"))).unwrap();
        assert_eq!(text, export::csv_table(&ws, t).unwrap());
    }
    let run = valuemap(cwd, &["export", "ws", "-f", "csv", "--table", "personas"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let (_, rows) = read_csv(&run.stdout);
    assert_eq!(rows.len(), 3);
    let run = valuemap(
        cwd,
        &[
            "export",
            "ws",
            "-f",
            "csv",
            "--table",
            "notes",
            "-o",
            "notes.csv",
        ],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let (_, rows) = read_csv(&fs::read_to_string(cwd.join("notes.csv")).unwrap());
    assert_eq!(rows.len(), ws.notes.len());
}

#[test]
fn cli_csv_needs_a_folder_or_a_table() {
    let (dir, _) = on_disk();
    let run = valuemap(dir.path(), &["export", "ws", "-f", "csv"]);
    assert_fails(&run, &["-o DIR", "--table NAME", "observations"]);
    assert!(run.stdout.is_empty(), "{run:?}");
}

#[test]
fn cli_unknown_table_lists_the_tables() {
    let (dir, _) = on_disk();
    let run = valuemap(
        dir.path(),
        &["export", "ws", "-f", "csv", "--table", "users"],
    );
    assert_fails(&run, &["users"]);
    for t in CSV_TABLES {
        assert!(run.stderr.contains(t), "{t}: {run:?}");
    }
    let run = valuemap(
        dir.path(),
        &["export", "ws", "-f", "md", "--table", "notes"],
    );
    assert_fails(&run, &["--table", "csv"]);
}

#[test]
fn cli_unloadable_workspace_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    fs::create_dir(cwd.join("broken")).unwrap();
    fs::write(cwd.join("broken/workspace.ron"), "(name: \"x\", phases: [").unwrap();
    for (f, out) in [
        ("html", "report.html"),
        ("md", "report.md"),
        ("json", "report.json"),
        ("csv", "tables"),
    ] {
        let run = valuemap(cwd, &["export", "broken", "-f", f, "-o", out]);
        assert_fails(&run, &["workspace.ron"]);
        assert!(!cwd.join(out).exists(), "{out} was written");
    }
    let run = valuemap(cwd, &["export", "nowhere", "-f", "md", "-o", "r.md"]);
    assert_fails(&run, &["no workspace"]);
    assert!(!cwd.join("r.md").exists());
    let entries: Vec<_> = fs::read_dir(cwd).unwrap().collect();
    assert_eq!(entries.len(), 1, "only the broken workspace is there");
}

#[test]
fn cli_unwritable_output_fails_clearly() {
    let (dir, _) = on_disk();
    let cwd = dir.path();
    let run = valuemap(
        cwd,
        &["export", "ws", "-f", "html", "-o", "missing/report.html"],
    );
    assert_fails(&run, &["missing", "does not exist"]);
    let run = valuemap(cwd, &["export", "ws", "-f", "html", "-o", "ws"]);
    assert_fails(&run, &["is a folder"]);
    fs::write(cwd.join("plain"), "x").unwrap();
    let run = valuemap(cwd, &["export", "ws", "-f", "csv", "-o", "plain"]);
    assert_fails(&run, &["not a folder"]);
    assert_eq!(fs::read_to_string(cwd.join("plain")).unwrap(), "x");
    // Never over the workspace's own files.
    let before = fs::read(cwd.join("ws/workspace.ron")).unwrap();
    let run = valuemap(
        cwd,
        &["export", "ws", "-f", "json", "-o", "ws/workspace.ron"],
    );
    assert_fails(&run, &["refusing", "workspace.ron"]);
    assert_eq!(fs::read(cwd.join("ws/workspace.ron")).unwrap(), before);
    // An unknown format is a usage error from the argument parser.
    let run = valuemap(cwd, &["export", "ws", "-f", "pdf"]);
    assert_ne!(run.code, Some(0));
    assert!(run.stderr.contains("md"), "{run:?}");
}

#[test]
fn cli_help_describes_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let run = valuemap(dir.path(), &["export", "--help"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    for f in ["md:", "csv:", "json:", "html:", "--table", "--output"] {
        assert!(run.stdout.contains(f), "{f}: {run:?}");
    }
}

/// Counts in the report's heading and in search agree with their number:
/// "1 persona", not "1 personas".
#[test]
fn single_counts_read_in_the_singular() {
    let mut ws = template();
    ws.personas.truncate(1);
    let first = ws.phases[0].id.clone();
    ws.phases.truncate(1);
    ws.phases[0].activities.truncate(1);
    let md = export::render(&ws, Format::Markdown).unwrap();
    let heading = md.lines().find(|l| l.contains(" · ")).unwrap();
    assert!(
        heading.starts_with("1 phase · 1 activity · 1 persona · "),
        "{heading}"
    );
    let (_, what) = valuemap::search::describe(
        &ws,
        &valuemap::model::ratings::ByCell::of(&ws),
        &valuemap::model::EntityRef::Phase(first),
    );
    assert_eq!(what, "1 activity");
}

/// The HTML report carries themes (each tag's notes by role) and the open
/// questions, as the Markdown report does; an answered question leaves
/// the list and is counted.
#[test]
fn html_report_has_themes_and_open_questions() {
    let mut ws = template();
    let html = export::render(&ws, Format::Html).unwrap();
    let themes = &html[html
        .find("<section id=\"themes\">")
        .expect("a themes section")..];
    let themes = &themes[..themes.find("</section>").unwrap()];
    // #finops: two notes, both from the engineering manager (a customer).
    assert!(
        themes.contains(
            "<td>#finops</td><td class=\"num\">2</td><td class=\"num\">2</td><td class=\"num\">0</td>"
        ),
        "{themes}"
    );
    assert_eq!(
        themes.matches("<tr>").count(),
        1 + valuemap::synthesis::themes::themes(&ws).len()
    );
    let q = "? Showback or chargeback? Dana prefers showback for now.";
    assert!(html.contains("6 open, 0 answered"), "{html}");
    assert!(html.contains("<li>Showback or chargeback? Dana prefers showback for now."));

    let e = valuemap::synthesis::questions::answer(
        &ws,
        &"n5w2hd".into(),
        q,
        None,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
    )
    .unwrap();
    valuemap::model::edit::apply(&mut ws, e).unwrap();
    let html = export::render(&ws, Format::Html).unwrap();
    assert!(html.contains("5 open, 1 answered"), "{html}");
    assert!(!html.contains("<li>Showback or chargeback?"));
}
