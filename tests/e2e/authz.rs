//! Who may reach what: every staff route × every role × its own scope and a
//! foreign one, over real HTTP. A denied request gets the same "not found" as
//! a request for something that does not exist, and changes nothing. The
//! matrix must name every route the server has: adding a route without an
//! entry here fails `every_route_is_in_the_matrix`.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode, header};

use crate::helpers::{Backend, TestApp, count, id_of, workspace_root};
use crate::staff::{PASSWORD, create_user};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Region,
    Municipality,
    School,
    YouthWorker,
    Teacher,
}

const EVERYONE: [Who; 6] = [
    Who::Anonymous,
    Who::Region,
    Who::Municipality,
    Who::School,
    Who::YouthWorker,
    Who::Teacher,
];

/// Which scope a request names: the caller's own, or one of somebody else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Own,
    Foreign,
}

/// One row of the matrix: a request (path with `{school}`, `{code}`,
/// `{user}` or `{wave}` filled in per scope) and who may make it, per scope.
struct Entry {
    method: Method,
    /// The route as the server declares it.
    route: &'static str,
    path: &'static str,
    /// Form fields besides the CSRF token; chosen so that an allowed request is
    /// refused by validation (or changes only what its caller owns).
    form: &'static [(&'static str, &'static str)],
    own: &'static [Who],
    foreign: &'static [Who],
}

const STAFF: [Who; 5] = [
    Who::Region,
    Who::Municipality,
    Who::School,
    Who::YouthWorker,
    Who::Teacher,
];
const REGION: &[Who] = &[Who::Region];
const SCHOOL_ADMIN: &[Who] = &[Who::Region, Who::School];
/// The region, the village's municipality and its youth worker.
const VILLAGE_READERS: &[Who] = &[Who::Region, Who::Municipality, Who::YouthWorker];
const MUNICIPAL: &[Who] = &[Who::Region, Who::Municipality];
const FIGURES: &[Who] = &[
    Who::Region,
    Who::Municipality,
    Who::School,
    Who::YouthWorker,
];

fn matrix() -> Vec<Entry> {
    use Method as M;
    let e = |method: Method,
             route: &'static str,
             path: &'static str,
             form: &'static [(&'static str, &'static str)],
             own: &'static [Who],
             foreign: &'static [Who]| Entry {
        method,
        route,
        path,
        form,
        own,
        foreign,
    };
    vec![
        e(M::GET, "/staff", "/staff", &[], &STAFF, &STAFF),
        e(
            M::GET,
            "/staff/password",
            "/staff/password",
            &[],
            &STAFF,
            &STAFF,
        ),
        e(
            M::POST,
            "/staff/password",
            "/staff/password",
            &[("current", "x"), ("new", "y"), ("repeat", "z")],
            &STAFF,
            &STAFF,
        ),
        e(M::GET, "/staff/users", "/staff/users", &[], REGION, REGION),
        e(
            M::GET,
            "/staff/users/{id}",
            "/staff/users/{user}",
            &[],
            REGION,
            REGION,
        ),
        e(
            M::POST,
            "/staff/users/{id}",
            "/staff/users/{user}",
            &[("name", "")],
            REGION,
            REGION,
        ),
        e(
            M::POST,
            "/staff/users",
            "/staff/users",
            &[("email", "not an address")],
            REGION,
            REGION,
        ),
        e(
            M::POST,
            "/staff/users/{id}/reset",
            "/staff/users/{user}/reset",
            &[],
            REGION,
            REGION,
        ),
        e(M::GET, "/staff/waves", "/staff/waves", &[], REGION, REGION),
        e(
            M::POST,
            "/staff/waves",
            "/staff/waves",
            &[("name", "")],
            REGION,
            REGION,
        ),
        // The wave is open, so opening it again is refused as a conflict.
        e(
            M::POST,
            "/staff/waves/{id}/{step}",
            "/staff/waves/{wave}/open",
            &[],
            REGION,
            REGION,
        ),
        // A running wave's provisional count: the region coordinator's only.
        e(
            M::GET,
            "/staff/waves/{id}/provisional",
            "/staff/waves/{wave}/provisional",
            &[],
            REGION,
            REGION,
        ),
        e(
            M::GET,
            "/staff/places",
            "/staff/places",
            &[],
            REGION,
            REGION,
        ),
        e(
            M::POST,
            "/staff/places",
            "/staff/places",
            &[("what", "threshold"), ("value", "2")],
            REGION,
            REGION,
        ),
        e(M::GET, "/staff/audit", "/staff/audit", &[], REGION, REGION),
        e(
            M::GET,
            "/staff/response",
            "/staff/response",
            &[],
            REGION,
            REGION,
        ),
        e(
            M::GET,
            "/staff/classes",
            "/staff/classes",
            &[],
            &[Who::School],
            &[Who::School],
        ),
        e(
            M::GET,
            "/staff/schools/{id}/classes",
            "/staff/schools/{school}/classes",
            &[],
            SCHOOL_ADMIN,
            REGION,
        ),
        e(
            M::POST,
            "/staff/schools/{id}/classes",
            "/staff/schools/{school}/classes",
            &[("label", "")],
            SCHOOL_ADMIN,
            REGION,
        ),
        e(
            M::GET,
            "/staff/classes/{id}/sheet",
            "/staff/classes/{code}/sheet",
            &[],
            // The teacher of the class prints its sheet too.
            &[Who::Region, Who::School, Who::Teacher],
            REGION,
        ),
        e(
            M::GET,
            "/staff/counts",
            "/staff/counts",
            &[],
            &[Who::School, Who::Teacher],
            &[Who::School, Who::Teacher],
        ),
        // Everyone signed in gets the list of their dashboards (a teacher's is
        // empty); the codebook goes to whoever has a dashboard.
        e(M::GET, "/dashboard", "/dashboard", &[], &STAFF, &STAFF),
        e(
            M::GET,
            "/dashboard/codebook/{file}",
            "/dashboard/codebook/codebook.csv",
            &[],
            FIGURES,
            FIGURES,
        ),
        e(
            M::GET,
            "/dashboard/{place}",
            "/dashboard/school-{school}",
            &[],
            SCHOOL_ADMIN,
            REGION,
        ),
        e(
            M::GET,
            "/dashboard/{place}/report",
            "/dashboard/school-{school}/report",
            &[],
            SCHOOL_ADMIN,
            REGION,
        ),
        e(
            M::GET,
            "/dashboard/{place}/download/{file}",
            "/dashboard/school-{school}/download/all.xlsx",
            &[],
            SCHOOL_ADMIN,
            REGION,
        ),
        // Prevention planning: read where the figures may be read, goals set
        // by the municipality (and a school for itself), actions recorded by
        // a youth worker too, the cycle kept by the municipality.
        e(M::GET, "/planning", "/planning", &[], &STAFF, &STAFF),
        e(
            M::GET,
            "/planning/{place}",
            "/planning/village-{village}",
            &[],
            VILLAGE_READERS,
            REGION,
        ),
        e(
            M::GET,
            "/planning/{place}/download/{file}",
            "/planning/school-{school}/download/goals.csv",
            &[],
            SCHOOL_ADMIN,
            REGION,
        ),
        e(
            M::GET,
            "/planning/{place}/goals/new",
            "/planning/village-{village}/goals/new",
            &[],
            MUNICIPAL,
            REGION,
        ),
        e(
            M::POST,
            "/planning/{place}/goals",
            "/planning/village-{village}/goals",
            &[("indicator", "")],
            MUNICIPAL,
            REGION,
        ),
        // Without the confirmation a removal is refused, so the goal stays
        // for the next role.
        e(
            M::POST,
            "/planning/{place}/goals/{id}/remove",
            "/planning/village-{village}/goals/{goal}/remove",
            &[],
            MUNICIPAL,
            REGION,
        ),
        e(
            M::POST,
            "/planning/{place}/actions",
            "/planning/village-{village}/actions",
            &[("title", "")],
            VILLAGE_READERS,
            REGION,
        ),
        e(
            M::POST,
            "/planning/{place}/actions/{id}",
            "/planning/village-{village}/actions/{action}",
            &[("status", "unknown")],
            VILLAGE_READERS,
            REGION,
        ),
        e(
            M::POST,
            "/planning/{place}/cycle",
            "/planning/municipality-{municipality}/cycle",
            &[("step", "0")],
            MUNICIPAL,
            REGION,
        ),
    ]
}

/// Routes open to anybody (the survey, logging in, a reset link) or about the
/// session itself; each is tested in its own module.
const NOT_SCOPED: &[&str] = &[
    "/health",
    "/language",
    "/login",
    "/logout",
    "/reset/{token}",
    "/survey",
    "/survey/intro",
    "/survey/language",
    "/survey/next",
    "/survey/form",
    "/survey/survey.js",
    "/survey/section/{key}",
    "/survey/review",
    "/survey/submit",
    "/survey/thanks",
    "/survey/api/submissions",
];

/// Every `.route("…"` the server's source declares.
fn declared_routes() -> BTreeSet<String> {
    let mut routes = BTreeSet::new();
    let mut pending = vec![workspace_root().join("server/src")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).unwrap();
                // `.route(` may be followed by a line break before the path.
                for part in source.split(".route(").skip(1) {
                    let part = part.trim_start();
                    if let Some(rest) = part.strip_prefix('"') {
                        routes.insert(rest.split('"').next().unwrap().to_owned());
                    }
                }
            }
        }
    }
    routes
}

#[test]
fn every_route_is_in_the_matrix() {
    let declared = declared_routes();
    assert!(
        declared.contains("/staff/users"),
        "the scan finds routes: {declared:?}"
    );
    let covered: BTreeSet<String> = matrix()
        .iter()
        .map(|e| e.route.to_owned())
        .chain(NOT_SCOPED.iter().map(|r| (*r).to_owned()))
        .collect();
    let missing: Vec<_> = declared.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes without an entry in the authorization matrix: {missing:?}"
    );
    let stale: Vec<_> = covered.difference(&declared).collect();
    assert!(
        stale.is_empty(),
        "matrix entries for routes that no longer exist: {stale:?}"
    );
}

/// A signed-in browser of one role.
struct Session {
    who: Who,
    http: reqwest::Client,
}

pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

/// The CSRF token in a staff page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("the page carries a CSRF token") + marker.len();
    html[start..start + 64].to_owned()
}

async fn sign_in(app: &TestApp, who: Who, email: &str) -> Session {
    let http = browser();
    if who != Who::Anonymous {
        let login = http
            .post(app.url("/login"))
            .form(&[("email", email), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), StatusCode::SEE_OTHER, "{who:?} logs in");
    }
    Session { who, http }
}

struct Ids {
    own_school: String,
    foreign_school: String,
    /// Per scope: a village, its municipality, and a goal and an action there.
    own_place: PlanningIds,
    foreign_place: PlanningIds,
    own_code: String,
    foreign_code: String,
    wave: String,
    user: String,
}

struct PlanningIds {
    village: String,
    municipality: String,
    goal: String,
    action: String,
}

/// A goal and an action in `village`, made by the region coordinator.
async fn plan_in(
    app: &TestApp,
    region: &Session,
    token: &str,
    village: &str,
    municipality: &str,
) -> PlanningIds {
    let wave = id_of(app, "survey_wave WHERE year = 2026").await;
    let place = format!("village-{village}");
    let goal = region
        .http
        .post(app.url(&format!("/planning/{place}/goals")))
        .form(&[
            ("csrf", token),
            ("indicator", "alcohol_lifetime"),
            ("who", "all"),
            ("wave", &wave),
            ("target", "10"),
            ("target_year", "2030"),
            ("domain", "parents"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(goal.status(), StatusCode::SEE_OTHER, "a goal in {place}");
    let action = region
        .http
        .post(app.url(&format!("/planning/{place}/actions")))
        .form(&[
            ("csrf", token),
            ("title", "Ouderavond"),
            ("organisation", "GGD"),
            ("domain", "parents"),
            ("starts_on", "2026-09-01"),
            ("status", "planned"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        action.status(),
        StatusCode::SEE_OTHER,
        "an action in {place}"
    );
    PlanningIds {
        village: village.to_owned(),
        municipality: municipality.to_owned(),
        goal: id_of(app, &format!("goal WHERE place = '{place}'")).await,
        action: id_of(app, &format!("prevention_action WHERE place = '{place}'")).await,
    }
}

async fn authorization_matrix(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let heidebroek = id_of(&app, "municipality WHERE name = 'Heidebroek'").await;
    let westdorp = id_of(&app, "village WHERE name = 'Westdorp'").await;
    let own_school = id_of(&app, "school WHERE name = 'Heidecollege'").await;
    let foreign_school = id_of(&app, "school WHERE name = 'Maarland College'").await;
    let accounts = [
        (
            Who::Region,
            "regio@peiling.example",
            vec!["--role", "region-coordinator"],
        ),
        (
            Who::Municipality,
            "gemeente@peiling.example",
            vec!["--role", "municipality", "--municipality", &heidebroek],
        ),
        (
            Who::School,
            "school@peiling.example",
            vec!["--role", "school-coordinator", "--school", &own_school],
        ),
        (
            Who::YouthWorker,
            "jongerenwerk@peiling.example",
            vec![
                "--role",
                "youth-worker",
                "--municipality",
                &heidebroek,
                "--village",
                &westdorp,
            ],
        ),
        (
            Who::Teacher,
            "docent@peiling.example",
            vec!["--role", "teacher", "--school", &own_school],
        ),
    ];
    for (who, email, args) in &accounts {
        let made = create_user(&app, email, PASSWORD, args);
        assert!(
            made.status.success(),
            "{who:?}: {}",
            String::from_utf8_lossy(&made.stderr)
        );
    }
    let teacher = id_of(&app, "app_user WHERE email = 'docent@peiling.example'").await;
    let own_code = id_of(
        &app,
        &format!("class_code WHERE school_id = {own_school} ORDER BY id LIMIT 1"),
    )
    .await;
    app.arrange(&format!(
        "UPDATE class_code SET teacher_user_id = {teacher} WHERE id = {own_code}"
    ))
    .await;
    let mut sessions = vec![sign_in(&app, Who::Anonymous, "").await];
    for (who, email, _) in &accounts {
        sessions.push(sign_in(&app, *who, email).await);
    }
    // The token of each session, read from its own home page.
    let mut tokens = vec![];
    for session in &sessions {
        let home = session.http.get(app.url("/staff")).send().await.unwrap();
        tokens.push(if session.who == Who::Anonymous {
            "0".repeat(64)
        } else {
            csrf_of(&home.text().await.unwrap())
        });
    }
    let lindenmaar = id_of(&app, "municipality WHERE name = 'Lindenmaar'").await;
    let vlierbeek = id_of(&app, "village WHERE name = 'Vlierbeek'").await;
    let own_place = plan_in(&app, &sessions[1], &tokens[1], &westdorp, &heidebroek).await;
    let foreign_place = plan_in(&app, &sessions[1], &tokens[1], &vlierbeek, &lindenmaar).await;
    let ids = Ids {
        own_place,
        foreign_place,
        own_school: own_school.clone(),
        foreign_school: foreign_school.clone(),
        own_code,
        foreign_code: id_of(
            &app,
            &format!("class_code WHERE school_id = {foreign_school} ORDER BY id LIMIT 1"),
        )
        .await,
        wave: id_of(&app, "survey_wave ORDER BY id LIMIT 1").await,
        user: teacher,
    };

    let changes = "SELECT COUNT(*) AS n FROM audit_log";
    let not_found_body = {
        let region = &sessions[1];
        let response = region
            .http
            .get(app.url("/staff/schools/999999/classes"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        response.text().await.unwrap()
    };

    let mut checked = 0;
    for entry in matrix() {
        for scope in [Scope::Own, Scope::Foreign] {
            let (school, code, planned) = match scope {
                Scope::Own => (&ids.own_school, &ids.own_code, &ids.own_place),
                Scope::Foreign => (&ids.foreign_school, &ids.foreign_code, &ids.foreign_place),
            };
            let path = entry
                .path
                .replace("{village}", &planned.village)
                .replace("{municipality}", &planned.municipality)
                .replace("{goal}", &planned.goal)
                .replace("{action}", &planned.action)
                .replace("{school}", school)
                .replace("{code}", code)
                .replace("{wave}", &ids.wave)
                .replace("{user}", &ids.user);
            let allowed = match scope {
                Scope::Own => entry.own,
                Scope::Foreign => entry.foreign,
            };
            for (session, token) in sessions.iter().zip(&tokens) {
                let before = count(&app.database, changes).await;
                let mut request = session.http.request(entry.method.clone(), app.url(&path));
                if entry.method == Method::POST {
                    let mut form: Vec<(&str, &str)> = entry.form.to_vec();
                    form.push(("csrf", token));
                    request = request.form(&form);
                }
                let response = request.send().await.unwrap();
                let status = response.status();
                let location = response
                    .headers()
                    .get(header::LOCATION)
                    .map(|l| l.to_str().unwrap().to_owned());
                let body = response.text().await.unwrap();
                let context = format!("{:?} {} {path} ({scope:?})", session.who, entry.method,);
                if session.who == Who::Anonymous {
                    assert_eq!(status, StatusCode::SEE_OTHER, "{context}");
                    assert_eq!(location.as_deref(), Some("/login"), "{context}");
                } else if allowed.contains(&session.who) {
                    assert!(
                        status != StatusCode::NOT_FOUND
                            && status != StatusCode::FORBIDDEN
                            && location.as_deref() != Some("/login"),
                        "{context} is allowed, got {status}"
                    );
                } else {
                    assert_eq!(status, StatusCode::NOT_FOUND, "{context} is denied");
                    assert_eq!(
                        body, not_found_body,
                        "{context}: a denial looks like a missing page"
                    );
                    assert_eq!(
                        count(&app.database, changes).await,
                        before,
                        "{context} changed nothing"
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, matrix().len() * 2 * EVERYONE.len());

    // Within an allowed page, only the own scope shows: the teacher sees the
    // count of their own class and no other.
    let teacher = &sessions[5];
    let counts = teacher
        .http
        .get(app.url("/staff/counts"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let rows = counts.matches("<tr>").count();
    assert_eq!(
        rows,
        1 + 1,
        "a header row and the teacher's one class: {counts}"
    );
    // The teacher prints the sheet of their own class, and of no colleague's.
    let own_sheet = format!("/staff/classes/{}/sheet", ids.own_code);
    assert!(counts.contains(&own_sheet), "the counts link the sheet");
    let sheet = teacher.http.get(app.url(&own_sheet)).send().await.unwrap();
    assert_eq!(sheet.status(), StatusCode::OK);
    let colleague = id_of(
        &app,
        &format!(
            "class_code WHERE school_id = {} AND id <> {}",
            ids.own_school, ids.own_code
        ),
    )
    .await;
    let other = teacher
        .http
        .get(app.url(&format!("/staff/classes/{colleague}/sheet")))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND, "a colleague's class");
    let school = &sessions[3];
    let counts = school
        .http
        .get(app.url("/staff/counts"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        counts.matches("<tr>").count(),
        1 + 2,
        "the school's two classes: {counts}"
    );
}

crate::on_both_databases!(authorization_matrix);
