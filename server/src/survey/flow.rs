//! Answering the questionnaire: one section per page, the review, submission
//! and the thank-you page — as plain forms that work without JavaScript, plus
//! the JSON submission a scripted page uses.
//!
//! Answers between pages live in the student's draft (see [`super::draft`]).
//! Each page is checked against the questionnaire when it is sent; a refused
//! page is shown again with the student's input and a message at each question,
//! and nothing is saved from it.

use std::collections::{BTreeMap, HashMap};

use app::survey::document;
use app::survey::questions::{
    self, ReviewPage, ReviewView, SectionPage, ThanksPage, Villages, error_field, error_message,
    review_sections, section_view,
};
use app::survey::scripted::{ScriptedForm, scripted_view};
use app::survey::texts::{SurveyLang, SurveyText};
use axum::{
    Form, Json, Router,
    extract::{Path, Query, State, rejection::FormRejection, rejection::JsonRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use chrono::Utc;
use leptos::prelude::*;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use surveys::{AnswerCode, AnswerError, Answers, ItemKey, Questionnaire, Section};

use super::draft::{self, Draft};
use super::routes::{bad_form, expired, live_draft, refusal, site_language, unavailable};
use super::submit::{self, Stored, Submission, SubmissionId, SubmitRefusal};
use crate::entities::{municipality, school, survey_wave, village};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/survey/next", get(first_section))
        .route("/survey/form", get(scripted_form))
        .route("/survey/survey.js", get(script))
        .route(
            "/survey/section/{key}",
            get(section_page).post(save_section),
        )
        .route("/survey/review", get(review))
        .route("/survey/submit", post(submit_form))
        .route("/survey/thanks", get(thanks))
        .route("/survey/api/submissions", post(submit_json))
}

/// The questionnaire a wave asks, by the name stored with the wave.
pub fn questionnaire_named(name: &str) -> Option<&'static Questionnaire> {
    match name {
        "standard-v1" => Some(surveys::standard_v1()),
        _ => None,
    }
}

/// Everything a page after the intro needs about the student's draft.
struct Context {
    draft: Draft,
    lang: SurveyLang,
    questionnaire: &'static Questionnaire,
    answers: Answers,
    villages: Villages,
    municipality: i32,
}

impl Context {
    fn village_codes(&self) -> Vec<AnswerCode> {
        self.villages.iter().map(|(code, _)| *code).collect()
    }

    /// The sections this student gets a page for, given the answers so far.
    fn pages(&self) -> Vec<&'static Section> {
        let questionnaire = self.questionnaire;
        questionnaire
            .sections()
            .iter()
            .filter(|section| questionnaire.is_section_shown(section, &self.answers))
            .collect()
    }
}

/// Loads the context, or the response that explains why there is none.
async fn context(state: &AppState, headers: &HeaderMap) -> Result<Context, Response> {
    let site = site_language(headers);
    let draft = live_draft(state, headers, site).await?;
    let lang = SurveyLang::from_code(&draft.content.language).unwrap_or(site);
    load_context(state, draft, lang)
        .await
        .map_err(|error| unavailable(lang, error))
}

async fn load_context(state: &AppState, draft: Draft, lang: SurveyLang) -> Result<Context, DbErr> {
    let wave = survey_wave::Entity::find_by_id(draft.wave_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the draft's wave".into()))?;
    let questionnaire = questionnaire_named(&wave.questionnaire_version).ok_or_else(|| {
        DbErr::Custom(format!(
            "wave {} asks unknown questionnaire {}",
            wave.id, wave.questionnaire_version
        ))
    })?;
    let school = school::Entity::find_by_id(draft.content.school_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the draft's school".into()))?;
    let villages = village::Entity::find()
        .filter(village::Column::MunicipalityId.eq(school.municipality_id))
        .order_by_asc(village::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|village| (village.id, village.name))
        .collect();
    let answers = draft.content.answers.clone();
    Ok(Context {
        draft,
        lang,
        questionnaire,
        answers,
        villages,
        municipality: school.municipality_id,
    })
}

fn section_href(section: &Section) -> String {
    format!("/survey/section/{}", section.key)
}

/// `GET /survey/next`: the first page this student gets.
async fn first_section(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let context = match context(&state, &headers).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    match context.questionnaire.next_section(None, &context.answers) {
        Some(section) => Redirect::to(&section_href(section)).into_response(),
        None => Redirect::to("/survey/review").into_response(),
    }
}

/// The policy of the pages that load the survey script: the same as every
/// other survey page, plus that one script from this site and its requests.
const SCRIPT_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// Lets a survey page run `/survey/survey.js` (and nothing else).
pub(super) fn with_script(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(SCRIPT_POLICY),
    );
    response
}

/// The survey script, compiled into the server.
const SCRIPT: &str = include_str!("survey.js");

/// The script's entity tag: a digest of its bytes, so a browser that already
/// holds this version gets a 304 without the body.
fn script_tag() -> &'static str {
    static TAG: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TAG.get_or_init(|| {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(SCRIPT.as_bytes());
        let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        format!("\"{hex}\"")
    })
}

/// `GET /survey/survey.js`: the script that makes the survey one page.
async fn script(headers: HeaderMap) -> Response {
    let tag = script_tag();
    // Small, and must change with the server: always revalidated, by its tag.
    let caching = [(header::CACHE_CONTROL, "no-cache"), (header::ETAG, tag)];
    let held = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if held {
        return (StatusCode::NOT_MODIFIED, caching).into_response();
    }
    (
        caching,
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

/// `GET /survey/form`: every section on one page, for the survey script.
async fn scripted_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let context = match context(&state, &headers).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    // Tells answers kept in the tab for this draft from another draft's.
    let draft = context
        .draft
        .content
        .started_at
        .timestamp_micros()
        .to_string();
    let view = scripted_view(
        context.questionnaire,
        context.lang,
        &context.villages,
        &context.answers,
        draft,
    );
    let lang = context.lang;
    let html = document::render(lang, lang.text(SurveyText::IntroTitle), move || {
        view! { <ScriptedForm view/> }
    });
    with_script(Html(html).into_response())
}

fn not_found(lang: SurveyLang) -> Response {
    refusal(
        StatusCode::NOT_FOUND,
        lang,
        SurveyText::BadRequest,
        SurveyText::BadRequest,
    )
}

/// `GET /survey/section/{key}`.
async fn section_page(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    let context = match context(&state, &headers).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    let questionnaire = context.questionnaire;
    let Some(section) = questionnaire.section(&key) else {
        return not_found(context.lang);
    };
    if !questionnaire.is_section_shown(section, &context.answers) {
        // Routing skips this page for these answers: go on to the next one.
        return match questionnaire.next_section(Some(&key), &context.answers) {
            Some(next) => Redirect::to(&section_href(next)).into_response(),
            None => Redirect::to("/survey/review").into_response(),
        };
    }
    let view = page_view(&context, section, &context.answers);
    render_section(StatusCode::OK, view)
}

fn page_view(
    context: &Context,
    section: &'static Section,
    answers: &Answers,
) -> questions::SectionView {
    let pages = context.pages();
    let position = pages
        .iter()
        .position(|page| page.key == section.key)
        .map_or(pages.len(), |index| index + 1);
    let items = context.questionnaire.shown_items(section, answers);
    section_view(
        section,
        &items,
        context.lang,
        &context.villages,
        answers,
        (position, pages.len().max(position)),
    )
}

fn render_section(status: StatusCode, view: questions::SectionView) -> Response {
    let title = view.title.clone();
    let html = document::render(view.lang, &title, move || view! { <SectionPage view/> });
    (status, Html(html)).into_response()
}

/// What a section form held, read into answers.
struct SectionForm {
    back: bool,
    answers: Answers,
    /// Every non-empty field as sent, to show again when the page is refused.
    raw: BTreeMap<String, String>,
    /// Fields whose value is not a whole number (or that came twice).
    unreadable: Vec<String>,
}

fn read_section_form(fields: Vec<(String, String)>) -> SectionForm {
    let mut form = SectionForm {
        back: false,
        answers: Answers::new(),
        raw: BTreeMap::new(),
        unreadable: Vec::new(),
    };
    for (name, value) in fields {
        if name == "nav" {
            form.back = value == "back";
            continue;
        }
        let value = value.trim();
        // An empty field is a skipped question.
        if value.is_empty() {
            continue;
        }
        if form.raw.insert(name.clone(), value.to_owned()).is_some() {
            form.unreadable.push(name);
            continue;
        }
        match value.parse::<AnswerCode>() {
            Ok(code) => {
                form.answers.insert(ItemKey::new(name), code);
            }
            Err(_) => form.unreadable.push(name),
        }
    }
    form
}

/// `POST /survey/section/{key}`: checks and keeps one page of answers, then
/// moves on (or back).
async fn save_section(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let context = match context(&state, &headers).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    let lang = context.lang;
    let questionnaire = context.questionnaire;
    let Some(section) = questionnaire.section(&key) else {
        return not_found(lang);
    };
    let form = match form {
        Ok(Form(fields)) => read_section_form(fields),
        Err(rejection) => return bad_form(lang, &rejection),
    };

    let mut errors: Vec<AnswerError> = form
        .unreadable
        .iter()
        .map(|name| AnswerError::OutOfRange(ItemKey::new(name.as_str()), AnswerCode::MIN))
        .collect();
    let checked = questionnaire.check_section(
        &key,
        &form.answers,
        &context.answers,
        &context.village_codes(),
    );
    let kept = match checked {
        Ok(kept) if errors.is_empty() => kept,
        Ok(_) => Answers::new(),
        Err(found) => {
            errors.extend(found);
            Answers::new()
        }
    };
    if !errors.is_empty() {
        return refused_section(&context, section, &form, &errors);
    }

    // This page's answers replace what the draft held for it; answers that a
    // changed route now hides (on any page) are dropped.
    let mut answers: Answers = context
        .answers
        .iter()
        .filter(|(answer_key, _)| {
            questionnaire
                .item(answer_key.as_str())
                .is_none_or(|item| !section.items.iter().any(|own| own.key == item.key))
        })
        .map(|(answer_key, code)| (answer_key.clone(), *code))
        .collect();
    answers.extend(kept);
    let answers = questionnaire.without_hidden(&answers);
    if let Err(error) = draft::save_answers(&state.db, context.draft.clone(), &answers).await {
        return unavailable(lang, error);
    }

    let target = if form.back {
        questionnaire
            .previous_section(&key, &answers)
            .map_or_else(|| "/survey/intro".to_owned(), section_href)
    } else {
        questionnaire
            .next_section(Some(&key), &answers)
            .map_or_else(|| "/survey/review".to_owned(), section_href)
    };
    Redirect::to(&target).into_response()
}

/// The page again, with what the student sent and a message at each question
/// that could not be accepted. Fields that belong to no question on this page
/// come from a tampered form: that is a bad request, not a student's mistake.
fn refused_section(
    context: &Context,
    section: &'static Section,
    form: &SectionForm,
    errors: &[AnswerError],
) -> Response {
    let lang = context.lang;
    let questionnaire = context.questionnaire;
    let mut combined = context.answers.clone();
    combined.extend(form.answers.iter().map(|(k, v)| (k.clone(), *v)));
    let mut view = page_view(context, section, &combined);
    let on_page: Vec<String> = view.questions.iter().map(|q| q.key.clone()).collect();
    for error in errors {
        let field = match error {
            AnswerError::UnknownSection(_)
            | AnswerError::UnknownItem(_)
            | AnswerError::OtherSection(_) => None,
            _ => error_field(questionnaire, error),
        };
        let field = field.or_else(|| {
            // An unreadable value of a field on this page.
            error
                .item()
                .map(ItemKey::to_string)
                .filter(|name| on_page.contains(name))
        });
        match field.filter(|name| on_page.contains(name)) {
            Some(name) => {
                let message = error_message(questionnaire, error, lang);
                view.errors.entry(name).or_insert(message);
            }
            None => {
                return refusal(
                    StatusCode::BAD_REQUEST,
                    lang,
                    SurveyText::BadRequest,
                    SurveyText::BadRequest,
                );
            }
        }
    }
    view.values = form.raw.clone();
    render_section(StatusCode::UNPROCESSABLE_ENTITY, view)
}

/// `GET /survey/review`.
async fn review(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let context = match context(&state, &headers).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    let lang = context.lang;
    let sections = review_sections(
        context.questionnaire,
        &context.answers,
        lang,
        &context.villages,
    );
    let lines = sections.iter().flat_map(|section| &section.lines);
    let questions = lines.clone().count();
    let answered = lines.filter(|line| line.answer.is_some()).count();
    let back = context.pages().last().map_or_else(
        || "/survey/intro".to_owned(),
        |section| section_href(section),
    );
    let view = ReviewView {
        lang,
        sections,
        answered,
        questions,
        submission_id: SubmissionId::new_random().as_str().to_owned(),
        municipality: context.municipality,
        back,
    };
    let html = document::render(lang, lang.text(SurveyText::ReviewTitle), move || {
        view! { <ReviewPage view/> }
    });
    Html(html).into_response()
}

/// How a submission ended.
enum Submitted {
    /// Stored now; the municipality's help page follows.
    Stored { municipality: i32 },
    /// This submission id was stored before: the same confirmation again.
    AlreadyReceived,
}

enum SubmitFailure {
    /// No live draft: the survey was never started here or has expired.
    NoDraft,
    Invalid(Vec<AnswerError>),
    ClassFull,
    WaveClosed,
    Database(DbErr),
}

impl From<DbErr> for SubmitFailure {
    fn from(error: DbErr) -> Self {
        SubmitFailure::Database(error)
    }
}

/// Submits the draft's answers (or, from a scripted page, the answers it kept)
/// exactly once per submission id.
async fn submit_answers(
    state: &AppState,
    headers: &HeaderMap,
    id: &SubmissionId,
    sent: Option<Answers>,
) -> Result<Submitted, SubmitFailure> {
    // A retry after success finds its receipt, even though the draft is gone.
    if submit::already_received(&state.db, id).await? {
        return Ok(Submitted::AlreadyReceived);
    }
    let Some(draft) = draft::from_request(&state.db, headers).await? else {
        return Err(SubmitFailure::NoDraft);
    };
    let lang = SurveyLang::from_code(&draft.content.language).unwrap_or(SurveyLang::Nl);
    let context = load_context(state, draft, lang).await?;
    let questionnaire = context.questionnaire;
    let answers = sent.unwrap_or_else(|| context.answers.clone());
    let answers = questionnaire
        .check_response(&answers, &context.village_codes())
        .map_err(SubmitFailure::Invalid)?;

    // Measured here and never stored: only the flag it may raise is.
    let seconds = (Utc::now() - context.draft.content.started_at)
        .num_seconds()
        .clamp(0, i64::from(u32::MAX));
    let flags = questionnaire.screen(
        &screened(questionnaire, &answers, context.draft.content.school_year),
        u32::try_from(seconds).unwrap_or(u32::MAX),
    );
    let answers_json = serde_json::to_string(&answers)
        .map_err(|error| DbErr::Custom(format!("answers do not serialise: {error}")))?;
    let stored = submit::store(
        &state.db,
        Submission {
            id,
            draft: &context.draft,
            answers_json,
            validity_flags: i32::try_from(flags.bits()).unwrap_or(i32::MAX),
        },
    )
    .await?;
    match stored {
        Ok(Stored::New) => Ok(Submitted::Stored {
            municipality: context.municipality,
        }),
        Ok(Stored::AlreadyReceived) => Ok(Submitted::AlreadyReceived),
        Err(SubmitRefusal::ClassFull) => Err(SubmitFailure::ClassFull),
        Err(SubmitRefusal::WaveClosed) => Err(SubmitFailure::WaveClosed),
    }
}

/// The answers the validity screen reads: the class code's school year is the
/// one the age must fit, whatever the student ticked.
fn screened(questionnaire: &Questionnaire, answers: &Answers, school_year: i16) -> Answers {
    let mut screened = answers.clone();
    if let Some(rule) = &questionnaire.validity_rules().age_for_school_year {
        screened.insert(rule.school_year.clone(), AnswerCode::from(school_year));
    }
    screened
}

#[derive(Deserialize)]
pub struct SubmitForm {
    submission_id: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    municipality: String,
}

fn thanks_href(lang: SurveyLang, municipality: Option<i32>) -> String {
    match municipality {
        Some(id) => format!("/survey/thanks?lang={}&m={id}", lang.code()),
        None => format!("/survey/thanks?lang={}", lang.code()),
    }
}

/// `POST /survey/submit`: the review page's button.
async fn submit_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<SubmitForm>, FormRejection>,
) -> Response {
    let site = site_language(&headers);
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => return bad_form(site, &rejection),
    };
    let lang = SurveyLang::from_code(&form.lang).unwrap_or(site);
    let Some(id) = SubmissionId::parse(&form.submission_id) else {
        return refusal(
            StatusCode::BAD_REQUEST,
            lang,
            SurveyText::BadRequest,
            SurveyText::BadRequest,
        );
    };
    let municipality = match submit_answers(&state, &headers, &id, None).await {
        Ok(Submitted::Stored { municipality }) => Some(municipality),
        Ok(Submitted::AlreadyReceived) => form.municipality.trim().parse().ok(),
        Err(SubmitFailure::NoDraft) => return expired(lang),
        Err(SubmitFailure::Invalid(_)) => {
            // Every page was checked when it was sent, so only a questionnaire
            // changed under a running draft ends here: show the review again.
            return Redirect::to("/survey/review").into_response();
        }
        Err(SubmitFailure::ClassFull) => {
            let text = SurveyText::ClassFull;
            return refusal(StatusCode::CONFLICT, lang, text, text);
        }
        Err(SubmitFailure::WaveClosed) => {
            let text = SurveyText::WaveClosed;
            return refusal(StatusCode::CONFLICT, lang, text, text);
        }
        Err(SubmitFailure::Database(error)) => return unavailable(lang, error),
    };
    (
        [(header::SET_COOKIE, draft::cookie(None))],
        Redirect::to(&thanks_href(lang, municipality)),
    )
        .into_response()
}

/// `GET /survey/thanks`: thanks, and the municipality's help text.
async fn thanks(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = query
        .get("lang")
        .and_then(|code| SurveyLang::from_code(code))
        .unwrap_or_else(|| site_language(&headers));
    let help = match query.get("m").and_then(|id| id.parse::<i32>().ok()) {
        Some(id) => match municipality::Entity::find_by_id(id).one(&state.db).await {
            Ok(found) => found
                .and_then(|m| m.help_text)
                .filter(|t| !t.trim().is_empty()),
            Err(error) => {
                // The default help still helps: log and go on.
                tracing::warn!(%error, "survey: could not read a help text");
                None
            }
        },
        None => None,
    };
    let html = document::render(lang, lang.text(SurveyText::ThanksTitle), move || {
        view! { <ThanksPage lang help/> }
    });
    Html(html).into_response()
}

/// A submission from a scripted page that kept the answers itself.
#[derive(Deserialize)]
pub struct SubmitRequest {
    submission_id: String,
    /// The language of the thank-you page.
    #[serde(default)]
    lang: Option<String>,
    answers: BTreeMap<String, AnswerCode>,
}

/// The JSON answer: `status` on success, `error` (one stable key) or `errors`
/// (one per answer) otherwise.
#[derive(Serialize)]
struct SubmitReply {
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    thanks: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ReplyError>,
}

#[derive(Serialize)]
struct ReplyError {
    key: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    item: Option<String>,
}

fn json_error(status: StatusCode, key: &'static str) -> Response {
    let reply = SubmitReply {
        status: None,
        thanks: None,
        error: Some(key),
        errors: Vec::new(),
    };
    (status, Json(reply)).into_response()
}

/// `POST /survey/api/submissions`: the same submission as the form, in JSON.
/// A client retries on a network error or a 5xx with the same submission id
/// until it gets 200 or 201; it stops on a 4xx and shows the error's key.
async fn submit_json(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<SubmitRequest>, JsonRejection>,
) -> Response {
    let request = match body {
        Ok(Json(request)) => request,
        Err(rejection) => {
            let status = Some(rejection.status())
                .filter(StatusCode::is_client_error)
                .unwrap_or(StatusCode::BAD_REQUEST);
            return json_error(status, "request.malformed");
        }
    };
    let Some(id) = SubmissionId::parse(&request.submission_id) else {
        return json_error(StatusCode::BAD_REQUEST, "submission.bad_id");
    };
    let answers: Answers = request
        .answers
        .into_iter()
        .map(|(key, code)| (ItemKey::new(key), code))
        .collect();
    let lang = request
        .lang
        .as_deref()
        .and_then(SurveyLang::from_code)
        .unwrap_or_else(|| site_language(&headers));
    let (status, label, municipality) =
        match submit_answers(&state, &headers, &id, Some(answers)).await {
            Ok(Submitted::Stored { municipality }) => {
                (StatusCode::CREATED, "stored", Some(municipality))
            }
            Ok(Submitted::AlreadyReceived) => (StatusCode::OK, "already_received", None),
            Err(SubmitFailure::NoDraft) => {
                return json_error(StatusCode::BAD_REQUEST, "draft.expired");
            }
            Err(SubmitFailure::ClassFull) => {
                return json_error(StatusCode::CONFLICT, "class_code.class_full");
            }
            Err(SubmitFailure::WaveClosed) => {
                return json_error(StatusCode::CONFLICT, "wave.closed");
            }
            Err(SubmitFailure::Invalid(errors)) => {
                let reply = SubmitReply {
                    status: None,
                    thanks: None,
                    error: None,
                    errors: errors
                        .iter()
                        .map(|error| ReplyError {
                            key: error.key(),
                            item: error.item().map(ItemKey::to_string),
                        })
                        .collect(),
                };
                return (StatusCode::UNPROCESSABLE_ENTITY, Json(reply)).into_response();
            }
            Err(SubmitFailure::Database(error)) => {
                tracing::error!(%error, "survey: database error at submission");
                return json_error(StatusCode::SERVICE_UNAVAILABLE, "server.unavailable");
            }
        };
    let reply = SubmitReply {
        status: Some(label),
        thanks: Some(thanks_href(lang, municipality)),
        error: None,
        errors: Vec::new(),
    };
    (
        status,
        [(header::SET_COOKIE, draft::cookie(None))],
        Json(reply),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn empty_fields_are_skipped_questions() {
        let form = read_section_form(fields(&[("age", " "), ("gender", "2"), ("nav", "next")]));
        assert!(!form.back);
        assert_eq!(form.answers.len(), 1);
        assert_eq!(form.answers.get("gender"), Some(&2));
        assert!(form.unreadable.is_empty());
    }

    #[test]
    fn words_and_repeated_fields_are_unreadable() {
        let form = read_section_form(fields(&[
            ("age", "fourteen"),
            ("gender", "1"),
            ("gender", "2"),
            ("nav", "back"),
        ]));
        assert!(form.back);
        assert_eq!(form.unreadable, vec!["age".to_owned(), "gender".to_owned()]);
    }

    #[test]
    fn the_class_school_year_is_the_one_screened() {
        let questionnaire = surveys::standard_v1();
        let mut answers = Answers::new();
        answers.insert(ItemKey::new("school_year"), 4);
        answers.insert(ItemKey::new("age"), 12);
        let screened = screened(questionnaire, &answers, 1);
        assert_eq!(screened.get("school_year"), Some(&1));
        assert!(questionnaire.screen(&screened, 3_600).is_clean());
        assert!(!questionnaire.screen(&answers, 3_600).is_clean());
    }

    #[test]
    fn the_demo_questionnaire_is_known() {
        assert!(questionnaire_named(crate::demo::QUESTIONNAIRE).is_some());
        assert!(questionnaire_named("standard-v9").is_none());
    }
}
