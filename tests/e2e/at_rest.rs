//! Nothing at rest links an answer to a class or a time. While a wave runs, a
//! copy of the database reads no draft, and on SQLite a submitted draft leaves
//! the files within seconds. Once the wave is closed, the SQLite files hold no
//! draft, no draft's start time and no old response, and on PostgreSQL the
//! responses' row versions (`xmin`, `ctid`, dead versions in the pages) no
//! longer follow the order in which students submitted, nor name their class.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use reqwest::{StatusCode, header};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};

use crate::authz::{browser, csrf_of};
use crate::dashboard::signed_in;
use crate::helpers::{Backend, TestApp, count};

/// Students who submit one after another, each with answers that tell their
/// place in the sequence (see [`answers_for_place`]).
const IN_ORDER: usize = 40;

/// One student's browser and the draft it started.
struct Student {
    http: reqwest::Client,
    token: String,
    /// How the database finds the draft. Drafts once held it readably beside
    /// their class code, answers and start time: where it is gone, so is the row.
    token_hash: String,
    /// The draft's start as minute, second and microsecond (`:07:41.123456`),
    /// as any text of that timestamp holds it.
    started: String,
}

fn time_marker(micros: i64) -> String {
    let seconds = micros.div_euclid(1_000_000);
    format!(
        ":{:02}:{:02}.{:06}",
        seconds / 60 % 60,
        seconds % 60,
        micros.rem_euclid(1_000_000)
    )
}

/// Enters the class code and a language, as a student does.
async fn begin(app: &TestApp, code: &str) -> Student {
    let http = browser();
    let started = http
        .post(app.url("/survey"))
        .form(&[("code", code)])
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let token = started.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .strip_prefix("peiling_draft=")
        .and_then(|rest| rest.split(';').next())
        .expect("the draft cookie")
        .to_owned();
    let chosen = http
        .post(app.url("/survey/language"))
        .form(&[("lang", "nl")])
        .send()
        .await
        .unwrap();
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    // The scripted page names its draft by the start time in microseconds.
    let form = page(&http, app.url("/survey/form")).await;
    let micros: i64 = form
        .split("data-draft=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|micros| micros.parse().ok())
        .expect("the form names its draft");
    Student {
        http,
        token_hash: server::secrets::hash(&token),
        token,
        started: time_marker(micros),
    }
}

async fn page(http: &reqwest::Client, url: String) -> String {
    let response = http.get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

/// Answers the first page, which the draft keeps; returns the answers as the
/// draft holds them, in the JSON that drafts once stored readably.
async fn answer_first_page(app: &TestApp, student: &Student, fields: &[(&str, &str)]) -> String {
    let mut form = fields.to_vec();
    form.push(("nav", "next"));
    let saved = student
        .http
        .post(app.url("/survey/section/background"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let db = app.database.connect().await;
    let draft = server::survey::draft::find(&db, &student.token)
        .await
        .unwrap()
        .expect("the draft opens with the student's token");
    db.close().await.ok();
    assert_eq!(
        draft.content.answers.len(),
        fields.len(),
        "the draft kept them"
    );
    serde_json::to_string(&draft.content.answers).unwrap()
}

async fn submit(app: &TestApp, student: &Student, answers: Value) {
    let body = json!({
        "submission_id": uuid::Uuid::new_v4().simple().to_string(),
        "answers": answers,
    });
    let response = student
        .http
        .post(app.url("/survey/api/submissions"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}

/// Age and life satisfaction together tell the place: 11 places per age.
fn answers_for_place(place: usize) -> Value {
    json!({"age": 10 + place / 11, "life_satisfaction": place % 11})
}

/// The place in the sequence that stored answers tell, if they are of one of
/// the students who submitted in order.
fn place_of(answers: &str) -> Option<usize> {
    let answers: Value = serde_json::from_str(answers).ok()?;
    let age = usize::try_from(answers.get("age")?.as_u64()?).ok()?;
    let life = usize::try_from(answers.get("life_satisfaction")?.as_u64()?).ok()?;
    Some((age - 10) * 11 + life)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    occurrences(haystack, needle) > 0
}

fn occurrences(haystack: &[u8], needle: &str) -> usize {
    haystack
        .windows(needle.len())
        .filter(|window| *window == needle.as_bytes())
        .count()
}

/// Spearman's rank correlation of two sequences without ties.
fn rank_correlation(a: &[u64], b: &[u64]) -> f64 {
    fn ranks(values: &[u64]) -> Vec<f64> {
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by_key(|&i| values[i]);
        let mut ranks = vec![0.0; values.len()];
        for (rank, i) in order.into_iter().enumerate() {
            ranks[i] = rank as f64;
        }
        ranks
    }
    let (a, b) = (ranks(a), ranks(b));
    let n = a.len() as f64;
    let squared: f64 = a.iter().zip(&b).map(|(x, y)| (x - y).powi(2)).sum();
    1.0 - 6.0 * squared / (n * (n * n - 1.0))
}

async fn texts(db: &DatabaseConnection, sql: &str, column: &str) -> Vec<String> {
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .expect(sql)
    .iter()
    .map(|row| row.try_get::<String>("", column).expect(column))
    .collect()
}

/// What a copy of the database shows of its drafts: the SQLite files' bytes,
/// or every draft row of PostgreSQL as text.
async fn copy_of_drafts(app: &TestApp) -> Vec<u8> {
    if let Some(bytes) = app.database.sqlite_bytes() {
        return bytes;
    }
    let db = app.database.connect().await;
    let rows = texts(&db, "SELECT CAST(d AS TEXT) AS t FROM survey_draft d", "t").await;
    db.close().await.ok();
    rows.join("\n").into_bytes()
}

/// Waits until `left` finds nothing any more; fails with what it still finds.
async fn until_gone<F, Fut>(what: &str, mut left: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Vec<String>>,
{
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found = left().await;
        if found.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: still in the files 20 s later: {found:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// The raw pages of a PostgreSQL table or index, as its files hold them.
async fn raw_pages(db: &DatabaseConnection, relation: &str) -> Vec<u8> {
    let sql = format!(
        "SELECT get_raw_page('{relation}', b) AS page FROM generate_series(0, \
         pg_relation_size('{relation}') / current_setting('block_size')::bigint - 1) AS b"
    );
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("pageinspect reads the pages")
        .iter()
        .flat_map(|row| row.try_get::<Vec<u8>>("", "page").expect("a page"))
        .collect()
}

async fn nothing_at_rest_links_an_answer_to_a_class_or_a_time(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.arrange("UPDATE class_code SET expected_size = 10000")
        .await;
    let code = app.demo_code();
    let wave = count(
        &app.database,
        "SELECT id AS n FROM survey_wave WHERE status = 'open'",
    )
    .await;

    // Two students answer the first page and leave their drafts open; two
    // answer it and then submit other answers from a scripted page; the rest
    // submit one after another.
    let mut keeping = Vec::new();
    let mut drafts_only = Vec::new();
    for _ in 0..2 {
        let student = begin(&app, &code).await;
        let fields = [("school_year", "4"), ("age", "21"), ("gender", "3")];
        drafts_only.push(answer_first_page(&app, &student, &fields).await);
        keeping.push(student);
    }
    let mut submitted = Vec::new();
    for _ in 0..2 {
        let student = begin(&app, &code).await;
        let fields = [("school_year", "3"), ("age", "20"), ("gender", "9")];
        drafts_only.push(answer_first_page(&app, &student, &fields).await);
        submit(&app, &student, json!({"age": 16, "sleep_hours": 2})).await;
        submitted.push(student);
    }
    for place in 0..IN_ORDER {
        let student = begin(&app, &code).await;
        submit(&app, &student, answers_for_place(place)).await;
        submitted.push(student);
    }
    let everyone: Vec<&Student> = keeping.iter().chain(&submitted).collect();

    // While the wave runs, a copy of the database reads no draft: not its
    // answers, not when it started.
    let copy = copy_of_drafts(&app).await;
    for student in &keeping {
        assert!(
            contains(&copy, &student.token_hash),
            "the copy holds the open drafts (the search finds what is there)"
        );
    }
    for marker in drafts_only
        .iter()
        .chain(everyone.iter().map(|s| &s.started))
    {
        assert!(
            !contains(&copy, marker),
            "a copy of the database reads {marker}"
        );
    }
    // On SQLite, submitted drafts leave the database file and its log within
    // seconds (overwritten when deleted, and the log emptied).
    let (app, submitted) = (&app, &submitted);
    if backend == Backend::Sqlite {
        until_gone("submitted drafts", move || async move {
            let bytes = app.database.sqlite_bytes().unwrap();
            submitted
                .iter()
                .map(|s| &s.token_hash)
                .filter(|hash| contains(&bytes, hash))
                .cloned()
                .collect()
        })
        .await;
    }

    let db = app.database.connect().await;
    let old_ids: BTreeSet<String> = texts(
        &db,
        &format!("SELECT id AS t FROM response WHERE wave_id = {wave}"),
        "t",
    )
    .await
    .into_iter()
    .collect();
    assert_eq!(old_ids.len(), submitted.len());
    let file_before = match backend {
        Backend::Postgres => texts(
            &db,
            "SELECT CAST(pg_relation_filenode('response') AS TEXT) AS t",
            "t",
        )
        .await
        .concat(),
        Backend::Sqlite => String::new(),
    };
    db.close().await.ok();

    // The region coordinator closes the wave.
    let staff = signed_in(app, "regio@heuvelland.example").await;
    let csrf = csrf_of(&page(&staff, app.url("/staff")).await);
    let closed = staff
        .post(app.url(&format!("/staff/waves/{wave}/close")))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(closed.status(), StatusCode::OK);

    assert_eq!(
        count(
            &app.database,
            &format!("SELECT COUNT(*) AS n FROM survey_draft WHERE wave_id = {wave}"),
        )
        .await,
        0,
        "a closed wave keeps no draft"
    );
    let db = app.database.connect().await;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT id, answers FROM response WHERE wave_id = {wave}"),
        ))
        .await
        .unwrap();
    let stored: Vec<(String, String)> = rows
        .iter()
        .map(|row| {
            (
                row.try_get::<String>("", "id").unwrap(),
                row.try_get::<String>("", "answers").unwrap(),
            )
        })
        .collect();
    assert_eq!(stored.len(), old_ids.len(), "every response is kept");
    assert!(
        stored.iter().all(|(id, _)| !old_ids.contains(id)),
        "every response has a new id"
    );
    let in_order: HashMap<usize, &str> = stored
        .iter()
        .filter_map(|(_, answers)| Some((place_of(answers)?, answers.as_str())))
        .collect();
    assert_eq!(in_order.len(), IN_ORDER);

    match backend {
        Backend::Sqlite => {
            // The files keep no draft (answers, start time, the row itself)
            // and no old response; each response is there once.
            let (drafts_only, everyone, old_ids, in_order) =
                (&drafts_only, &everyone, &old_ids, &in_order);
            until_gone("drafts and old responses", move || async move {
                let bytes = app.database.sqlite_bytes().unwrap();
                let mut left: Vec<String> = drafts_only
                    .iter()
                    .chain(everyone.iter().map(|s| &s.started))
                    .chain(everyone.iter().map(|s| &s.token_hash))
                    .chain(old_ids.iter())
                    .filter(|marker| contains(&bytes, marker))
                    .cloned()
                    .collect();
                left.extend(
                    in_order
                        .values()
                        .filter(|answers| occurrences(&bytes, answers) != 1)
                        .map(|answers| format!("{answers} not exactly once")),
                );
                left
            })
            .await;
            let bytes = app.database.sqlite_bytes().unwrap();
            let (places, offsets): (Vec<u64>, Vec<u64>) = in_order
                .iter()
                .map(|(place, answers)| {
                    let offset = bytes
                        .windows(answers.len())
                        .position(|window| window == answers.as_bytes())
                        .unwrap();
                    (*place as u64, offset as u64)
                })
                .unzip();
            let correlation = rank_correlation(&places, &offsets);
            assert!(
                correlation.abs() < 0.6,
                "the file's order follows the submission order: {correlation}"
            );
        }
        Backend::Postgres => {
            let versions = db
                .query_all_raw(Statement::from_string(
                    db.get_database_backend(),
                    format!(
                        "SELECT answers, CAST(xmin AS TEXT) AS xmin, CAST(ctid AS TEXT) AS ctid \
                         FROM response WHERE wave_id = {wave}"
                    ),
                ))
                .await
                .unwrap();
            let mut xmins = BTreeSet::new();
            let mut places = Vec::new();
            let mut positions = Vec::new();
            for row in &versions {
                xmins.insert(row.try_get::<String>("", "xmin").unwrap());
                let answers = row.try_get::<String>("", "answers").unwrap();
                let Some(place) = place_of(&answers) else {
                    continue;
                };
                // `(block,offset)`, ordered as the table's pages are.
                let ctid = row.try_get::<String>("", "ctid").unwrap();
                let (block, offset) = ctid
                    .trim_matches(|c| c == '(' || c == ')')
                    .split_once(',')
                    .unwrap();
                let block: u64 = block.parse().unwrap();
                let offset: u64 = offset.parse().unwrap();
                places.push(place as u64);
                positions.push(block * 1_000_000 + offset);
            }
            assert_eq!(
                xmins.len(),
                1,
                "one transaction wrote every response of the closed wave"
            );
            let correlation = rank_correlation(&places, &positions);
            assert!(
                correlation.abs() < 0.6,
                "ctid order follows the submission order: {correlation}"
            );
            let xmin = xmins.into_iter().next().unwrap();
            assert_eq!(
                count(
                    &app.database,
                    &format!(
                        "SELECT COUNT(*) AS n FROM class_code WHERE CAST(xmin AS TEXT) = '{xmin}'"
                    ),
                )
                .await,
                0,
                "no class counter was written by the transaction that wrote the responses"
            );
            // The pages themselves, dead row versions included: each response
            // once, no old response, in the table or its indexes.
            let writer = app.database.connect_for_writing().await;
            writer
                .execute_unprepared("CREATE EXTENSION IF NOT EXISTS pageinspect")
                .await
                .expect("PostgreSQL's pageinspect extension (part of its contrib package)");
            let heap = raw_pages(&writer, "response").await;
            for answers in in_order.values() {
                assert_eq!(occurrences(&heap, answers), 1, "{answers} in the pages");
            }
            let indexes = texts(
                &writer,
                "SELECT CAST(CAST(indexrelid AS regclass) AS TEXT) AS t FROM pg_index \
                 WHERE indrelid = CAST('response' AS regclass)",
                "t",
            )
            .await;
            assert!(!indexes.is_empty());
            let mut pages = heap;
            for index in &indexes {
                pages.extend(raw_pages(&writer, index).await);
            }
            for id in &old_ids {
                assert!(
                    !contains(&pages, id),
                    "old response {id} is still in the pages"
                );
            }
            writer.close().await.ok();
            let file_after = texts(
                &db,
                "SELECT CAST(pg_relation_filenode('response') AS TEXT) AS t",
                "t",
            )
            .await
            .concat();
            assert_ne!(file_after, file_before, "the response table has a new file");
        }
    }
    db.close().await.ok();
}

crate::on_both_databases!(nothing_at_rest_links_an_answer_to_a_class_or_a_time);
