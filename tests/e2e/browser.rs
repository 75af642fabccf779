//! The pages in a real Chromium, driven through ChromeDriver.

use std::{
    net::TcpListener,
    process::Stdio,
    time::{Duration, Instant},
};

use fantoccini::{Client, ClientBuilder, Locator};
use tokio::process::{Child, Command};

use crate::helpers::{Backend, TestApp};

/// A headless Chromium session with a fresh profile; ends with the test.
pub struct Browser {
    pub client: Client,
    _driver: Child,
    profile: std::path::PathBuf,
}

impl Browser {
    pub async fn start() -> Browser {
        Self::launch(true).await
    }

    /// A browser with JavaScript switched off, as some school laptops are.
    pub async fn without_script() -> Browser {
        Self::launch(false).await
    }

    async fn launch(script: bool) -> Browser {
        // Two TLS back ends are compiled in; say which one the WebDriver client uses.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver =
            Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .expect("chromedriver must be installed (the README's test command installs it)");
        let profile =
            std::env::temp_dir().join(format!("peiling-chromium-{}", uuid::Uuid::new_v4()));
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic",
                    "--window-size=1280,900", "--lang=nl-NL",
                    format!("--user-data-dir={}", profile.display()),
                ],
                // A Dutch browser, like most of Peiling's users.
                "prefs": {
                    "intl.accept_languages": "nl-NL,nl",
                    "profile.managed_default_content_settings.javascript": if script { 1 } else { 2 },
                }
            }),
        );
        let webdriver = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            match ClientBuilder::rustls()
                .expect("TLS roots")
                .capabilities(capabilities.clone())
                .connect(&webdriver)
                .await
            {
                Ok(client) => break client,
                Err(error) => {
                    assert!(
                        Instant::now() < deadline,
                        "could not start Chromium: {error}"
                    );
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        };
        Browser {
            client,
            _driver: driver,
            profile,
        }
    }

    /// Waits until `css` holds an element whose text contains `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && element.text().await.is_ok_and(|t| t.contains(text))
            {
                return;
            }
            if Instant::now() > deadline {
                let source = self.client.source().await.unwrap_or_default();
                panic!("no {css:?} with text {text:?} after 20 s; page:\n{source}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the first element `css` finds.
    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|error| panic!("no {css:?} to click: {error}"))
            .click()
            .await
            .unwrap_or_else(|error| panic!("could not click {css:?}: {error}"));
    }

    /// Logs in at `/login` and waits for the staff home page.
    pub async fn log_in(&self, app: &TestApp, email: &str, password: &str) {
        let c = &self.client;
        c.goto(&app.url("/login")).await.unwrap();
        for (field, value) in [("email", email), ("password", password)] {
            c.find(Locator::Id(field))
                .await
                .unwrap()
                .send_keys(value)
                .await
                .unwrap();
        }
        self.click("form[action='/login'] button").await;
        self.wait_for_text("h1", "Welkom").await;
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

#[tokio::test]
async fn the_home_page_hydrates_and_switches_language_in_the_browser() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let c = &browser.client;
    c.goto(&app.url("/")).await.unwrap();
    browser
        .wait_for_text("h1", "Hoe gaat het met de jongeren")
        .await;

    // Only the hydrated page answers typing: the server never sees these keys.
    let field = c.find(Locator::Id("class-code")).await.unwrap();
    field.send_keys("k7qm3xp0").await.unwrap();
    browser
        .wait_for_text(
            "#class-code-feedback",
            "teken in dat klascodes niet gebruiken",
        )
        .await;
    field.clear().await.unwrap();
    field.send_keys("k7qm 3xpa").await.unwrap();
    browser
        .wait_for_text("#class-code-feedback", "Deze code ziet er goed uit")
        .await;

    // Switching language happens in place, without a page load.
    c.execute("window.__peiling_marker = 42;", vec![])
        .await
        .unwrap();
    c.find(Locator::Css("button[value='en']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait_for_text("h1", "How are the young people in your village doing?")
        .await;
    browser
        .wait_for_text("#class-code-feedback", "This code looks right")
        .await;
    let marker = c
        .execute("return window.__peiling_marker;", vec![])
        .await
        .unwrap();
    assert_eq!(
        marker,
        serde_json::json!(42),
        "the switch must not reload the page"
    );
    let lang = c
        .execute("return document.documentElement.lang;", vec![])
        .await
        .unwrap();
    assert_eq!(lang, serde_json::json!("en"));

    // The choice is remembered: a fresh load comes back in English from the server.
    c.refresh().await.unwrap();
    browser
        .wait_for_text("h1", "How are the young people in your village doing?")
        .await;

    browser.close().await;
}

#[tokio::test]
async fn staff_reach_the_login_page_from_home_and_log_in() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let created = crate::staff::create_user(
        &app,
        "anna@regio.example",
        crate::staff::PASSWORD,
        &["--role", "region-coordinator"],
    );
    assert!(created.status.success());
    let browser = Browser::start().await;
    let c = &browser.client;
    c.goto(&app.url("/")).await.unwrap();
    // Wait for hydration, so the click below meets the client-side router.
    let field = c.find(Locator::Id("class-code")).await.unwrap();
    field.send_keys("k7qm3xpa").await.unwrap();
    browser
        .wait_for_text("#class-code-feedback", "Deze code ziet er goed uit")
        .await;

    c.find(Locator::LinkText("Inloggen voor medewerkers"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait_for_text("h1", "Inloggen voor medewerkers")
        .await;
    assert!(c.current_url().await.unwrap().as_str().ends_with("/login"));
    c.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys("anna@regio.example")
        .await
        .unwrap();
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(crate::staff::PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Css("form.login-form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for_text("h1", "Welkom, Anna de Wit").await;

    browser.close().await;
}

/// Bytes the page now open and everything it loaded take over the network as a
/// first view: what was fetched (compressed, headers included), and for what
/// came from the cache its compressed size.
async fn transferred(browser: &Browser) -> f64 {
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let total = browser
        .client
        .execute(
            "const entries = performance.getEntriesByType('navigation')
               .concat(performance.getEntriesByType('resource'));
             return entries.reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0);",
            vec![],
        )
        .await
        .unwrap();
    total.as_f64().unwrap()
}

#[tokio::test]
async fn the_survey_pages_first_view_stays_under_150_kb_transferred() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::start().await;
    browser.client.goto(&app.url("/")).await.unwrap();
    let home = transferred(&browser).await;
    crate::answering_browser::enter_code(&browser, &app, &app.demo_code(), "nl").await;
    let survey = transferred(&browser).await;
    println!("first views: home page {home} bytes, first survey page {survey} bytes");
    assert!(
        survey > 1000.0,
        "the measurement sees the page ({survey} bytes)"
    );
    assert!(
        survey < 150.0 * 1024.0,
        "the first survey page: {survey} bytes"
    );
    browser.close().await;
}
