//! Spawning Peiling for a test: a free port, a fresh database, wait for health.

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    sync::Arc,
    time::{Duration, Instant},
};

use reqwest::cookie::{CookieStore, Jar};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

/// The database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs the same test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Postgres).await
                }
            )+
        }
    };
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits inside the workspace")
        .to_path_buf()
}

/// The release server binary built by `cargo leptos build --release`.
pub fn server_binary() -> PathBuf {
    let path = std::env::var_os("PEILING_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/release/server"));
    assert!(
        path.is_file(),
        "the server binary is missing at {}: build it first with `cargo leptos build --release` \
         (the README's test command does this)",
        path.display()
    );
    path
}

fn site_root() -> PathBuf {
    std::env::var_os("PEILING_SITE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/site"))
}

fn unique_name() -> String {
    format!("peiling_test_{}", uuid::Uuid::new_v4().simple())
}

/// The PostgreSQL server that holds the test databases.
pub fn postgres_admin_url() -> String {
    std::env::var("PEILING_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A database that exists for one test and is removed afterwards.
pub struct TestDatabase {
    pub backend: Backend,
    pub url: String,
    postgres_name: Option<String>,
    sqlite_dir: Option<PathBuf>,
}

impl TestDatabase {
    pub async fn create(backend: Backend) -> TestDatabase {
        let name = unique_name();
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).expect("temporary folder");
                TestDatabase {
                    backend,
                    url: format!("sqlite://{}/peiling.db", dir.display()),
                    postgres_name: None,
                    sqlite_dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let admin = Database::connect(&admin_url).await.unwrap_or_else(|error| {
                    panic!(
                        "PostgreSQL is needed for these tests and could not be reached at {admin_url} \
                         ({error}). Start it, or point PEILING_TEST_POSTGRES at a server where the \
                         user may create databases."
                    )
                });
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create the test database");
                admin.close().await.ok();
                let base = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |(base, _)| base);
                TestDatabase {
                    backend,
                    url: format!("{base}/{name}"),
                    postgres_name: Some(name),
                    sqlite_dir: None,
                }
            }
        }
    }

    /// The bytes of the SQLite database file and its write-ahead log, as a
    /// copy of them would hold; `None` on PostgreSQL.
    pub fn sqlite_bytes(&self) -> Option<Vec<u8>> {
        let file = PathBuf::from(self.url.strip_prefix("sqlite://")?);
        let mut bytes = std::fs::read(&file).expect("read the SQLite file");
        let mut log = file.into_os_string();
        log.push("-wal");
        // A log that was emptied and removed holds nothing.
        if let Ok(more) = std::fs::read(log) {
            bytes.extend(more);
        }
        Some(bytes)
    }

    /// A writable connection, for arranging a situation (a closed wave, a full class).
    pub async fn connect_for_writing(&self) -> DatabaseConnection {
        Database::connect(&self.url)
            .await
            .expect("connect to the test database")
    }

    /// A direct connection, for checking what the server stored.
    pub async fn connect(&self) -> DatabaseConnection {
        let url = match self.backend {
            Backend::Sqlite => format!("{}?mode=ro", self.url),
            Backend::Postgres => self.url.clone(),
        };
        Database::connect(url)
            .await
            .expect("connect to the test database")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(dir) = self.sqlite_dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some(name) = self.postgres_name.take() {
            // Drop runs outside async; a small runtime of its own does the work.
            let admin_url = postgres_admin_url();
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                runtime.block_on(async {
                    let admin = Database::connect(&admin_url).await.ok()?;
                    admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await
                        .ok()?;
                    admin.close().await.ok()
                })
            })
            .join();
        }
    }
}

/// Starts the server binary on `database_url` and a free port, with the demo
/// region unless `env` says otherwise; returns the process, its address and
/// what it printed before listening.
async fn start_server(database_url: &str, env: &[(&str, &str)]) -> (Child, String, Vec<String>) {
    let mut command = Command::new(server_binary());
    command
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("PEILING_LISTEN", "127.0.0.1:0")
        .env("PEILING_SITE_ROOT", site_root())
        .env("RUST_LOG", "warn")
        // Most tests work on the demo region; a test may ask for none.
        .env("PEILING_DEMO", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    // An empty value takes the variable away: the server's own default holds.
    for (name, value) in env {
        if value.is_empty() {
            command.env_remove(name);
        } else {
            command.env(name, value);
        }
    }
    let mut server = command.spawn().expect("start the server binary");
    let stdout = server.stdout.take().expect("piped stdout");
    let (address, startup_output) = tokio::time::timeout(Duration::from_secs(60), async {
        let mut lines = BufReader::new(stdout).lines();
        let mut before = Vec::new();
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(rest) = line.strip_prefix("Peiling is running at ") {
                // Keep reading so later output never meets a closed pipe.
                tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
                return (rest.trim_end_matches('/').to_owned(), before);
            }
            before.push(line);
        }
        panic!("the server exited before it was listening");
    })
    .await
    .expect("the server did not start within 60 s");
    (server, address, startup_output)
}

/// Runs a query that returns one row on the test database.
async fn one_row(database: &TestDatabase, sql: &str) -> sea_orm::QueryResult {
    use sea_orm::Statement;
    let db = database.connect().await;
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .expect(sql)
    .expect("the query returns a row")
}

/// Runs a `SELECT COUNT(*) AS n …` (or any one whole number) on the test database.
pub async fn count(database: &TestDatabase, sql: &str) -> i64 {
    let row = one_row(database, sql).await;
    // PostgreSQL gives columns their own width (INT2, INT4) and counts INT8.
    row.try_get::<i64>("", "n")
        .or_else(|_| row.try_get::<i32>("", "n").map(i64::from))
        .or_else(|_| row.try_get::<i16>("", "n").map(i64::from))
        .expect("column n")
}

/// A running Peiling server on its own database.
pub struct TestApp {
    pub address: String,
    /// What the server printed on standard output before it was listening.
    pub startup_output: Vec<String>,
    pub http: reqwest::Client,
    /// The cookies of `http`, as a browser keeps them.
    cookies: Arc<Jar>,
    pub database: TestDatabase,
    server: Child,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, &[]).await
    }

    /// Spawns with extra environment variables for the server.
    pub async fn spawn_with(backend: Backend, env: &[(&str, &str)]) -> TestApp {
        let database = TestDatabase::create(backend).await;
        let (server, address, startup_output) = start_server(&database.url, env).await;
        let cookies = Arc::new(Jar::default());
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_provider(cookies.clone())
            .build()
            .expect("HTTP client");
        let app = TestApp {
            address,
            startup_output,
            http,
            cookies,
            database,
            server,
        };
        app.wait_until_healthy().await;
        app
    }

    /// A second server process on the same database, as behind a load
    /// balancer. Its address serves the same data; it stops with the test.
    pub async fn second_instance(&self) -> (Child, String) {
        let (server, address, _) = start_server(&self.database.url, &[]).await;
        (server, address)
    }

    async fn wait_until_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(response) = self.http.get(self.url("/health")).send().await
                && response.status().is_success()
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the server never reported healthy"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("GET")
    }

    /// GET as a browser that prefers `accept_language`.
    pub async fn get_in(&self, path: &str, accept_language: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .header(reqwest::header::ACCEPT_LANGUAGE, accept_language)
            .send()
            .await
            .expect("GET")
    }

    /// The HTML of a page as a browser that prefers `accept_language`.
    pub async fn page_in(&self, path: &str, accept_language: &str) -> String {
        self.get_in(path, accept_language)
            .await
            .text()
            .await
            .expect("page body")
    }

    /// POST a form, as a browser without JavaScript does.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    /// Runs SQL against the test database, to arrange a situation.
    pub async fn arrange(&self, sql: &str) {
        let db = self.database.connect_for_writing().await;
        db.execute_unprepared(sql).await.expect(sql);
        db.close().await.ok();
    }

    /// The student's draft as the server opens it: found and unsealed with the
    /// token in this client's cookie. `None` without a live draft.
    pub async fn draft(&self) -> Option<server::survey::draft::Draft> {
        let url = self.url("/survey/").parse().expect("a URL");
        let cookies = self.cookies.cookies(&url)?;
        let token = cookies
            .to_str()
            .ok()?
            .split(';')
            .find_map(|pair| pair.trim().strip_prefix("peiling_draft="))?
            .to_owned();
        let db = self.database.connect().await;
        let draft = server::survey::draft::find(&db, &token)
            .await
            .expect("read the draft");
        db.close().await.ok();
        draft
    }

    /// The first demo class code the server printed at start.
    pub fn demo_code(&self) -> String {
        self.startup_output
            .iter()
            .skip_while(|line| !line.starts_with("Demo class codes"))
            .nth(1)
            .and_then(|line| line.split_whitespace().next())
            .expect("the demo region printed its codes")
            .to_owned()
    }

    pub fn pid(&self) -> u32 {
        self.server.id().expect("the server is running")
    }

    /// Kills the server with SIGKILL, as a crash or a power cut would.
    pub async fn kill_hard(&mut self) {
        let pid = self.pid();
        let status = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -KILL failed");
        let _ = self.server.wait().await;
    }

    /// Starts the server again on the same address and database.
    pub async fn restart(&mut self) {
        let listen = self.address.trim_start_matches("http://").to_owned();
        let env = [("PEILING_LISTEN", listen.as_str())];
        let (server, address, _) = start_server(&self.database.url, &env).await;
        assert_eq!(address, self.address, "the server came back on its address");
        self.server = server;
        self.wait_until_healthy().await;
    }

    /// Sends SIGTERM and waits for the process to end; returns its exit status.
    pub async fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.pid();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM failed");
        tokio::time::timeout(Duration::from_secs(25), self.server.wait())
            .await
            .expect("the server did not stop within 25 s of SIGTERM")
            .expect("wait for the server")
    }
}

/// The id of the one row `from` selects (`"school WHERE name = 'X'"`), as text
/// for paths and forms.
pub async fn id_of(app: &TestApp, from: &str) -> String {
    text(
        &app.database,
        &format!("SELECT CAST(id AS TEXT) AS t FROM {from}"),
    )
    .await
}

/// Runs a `SELECT … AS t` returning one text value on the test database.
pub async fn text(database: &TestDatabase, sql: &str) -> String {
    let row = one_row(database, sql).await;
    row.try_get::<String>("", "t").expect("column t")
}
