//! The downloads of Peiling's dashboards: a [`Table`] as CSV or as an XLSX
//! workbook, and the codebook that says what every indicator in them counts.
//!
//! Downloads are opened in spreadsheet programs, so every text that came from
//! outside (place names, titles, headers) passes through [`neutralise`] first: a
//! municipality named `=HYPERLINK(…)` must arrive as text, never as a formula.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};
use std::fmt;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use surveys::{
    AnswerCode, Direction, Domain, Indicator, Item, ItemKind, Questionnaire, SuppressionThreshold,
};

use crate::{Cell, Language, PERCENT_DECIMALS, Table, shown_percent};

/// Written first so spreadsheet programs read the file as UTF-8 and show
/// "Súdwest-Fryslân" with its accents.
const BYTE_ORDER_MARK: char = '\u{FEFF}';

/// Excel's limits: sheet names, rows (the header takes one) and columns.
const SHEET_NAME_MAX: usize = 31;
const WORKSHEET_ROWS: usize = 1_048_576;
const WORKSHEET_COLUMNS: usize = 16_384;

/// Column widths in characters: narrow columns still fit "12.3", wide text
/// wraps instead of running across the screen.
const NARROWEST_COLUMN: usize = 6;
const WIDEST_COLUMN: usize = 60;

/// Why a workbook could not be written.
#[derive(Debug)]
pub enum ExportError {
    /// A table has more rows or columns than a worksheet holds.
    TooLarge { table: String },
    /// The XLSX writer refused the workbook (for example a text longer than a
    /// cell holds).
    Workbook(XlsxError),
}

impl ExportError {
    /// Stable key the pages translate; the cause goes to the log.
    pub fn key(&self) -> &'static str {
        match self {
            ExportError::TooLarge { .. } => "export.too_large",
            ExportError::Workbook(_) => "export.workbook",
        }
    }
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::TooLarge { table } => write!(
                f,
                "table \"{table}\" has more rows or columns than a worksheet holds"
            ),
            ExportError::Workbook(cause) => write!(f, "could not write the workbook: {cause}"),
        }
    }
}

impl std::error::Error for ExportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExportError::TooLarge { .. } => None,
            ExportError::Workbook(cause) => Some(cause),
        }
    }
}

impl From<XlsxError> for ExportError {
    fn from(cause: XlsxError) -> Self {
        ExportError::Workbook(cause)
    }
}

/// `text` as it may go into a spreadsheet cell: when a spreadsheet would take it
/// for a formula or command (it starts, after any spaces, with `=`, `+`, `-`,
/// `@`, a tab or a carriage return), it gets a leading `'`, which makes it text.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    // Spreadsheets skip leading blanks before deciding what a cell is; tab and
    // carriage return are triggers themselves, so they are not skipped.
    let first = text
        .chars()
        .find(|&c| !(c.is_whitespace() && c != '\t' && c != '\r'));
    match first {
        // The full-width forms: some spreadsheets, in East Asian locales, read
        // them as the ASCII operators.
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => {
            Cow::Owned(format!("'{text}"))
        }
        _ => Cow::Borrowed(text),
    }
}

/// The table as CSV (RFC 4180): a byte order mark, the header row, then one
/// line per row, every line ending in CRLF.
pub fn csv(table: &Table, language: Language) -> String {
    let dialect = Dialect::of(language);
    let mut out = String::new();
    out.push(BYTE_ORDER_MARK);
    write_csv_line(
        &mut out,
        dialect,
        table.columns.iter().map(|c| neutralise(c)),
    );
    for row in &table.rows {
        write_csv_line(&mut out, dialect, row.iter().map(|c| csv_field(c, dialect)));
    }
    out
}

/// How a CSV separates fields and writes decimals: as the spreadsheet of a
/// reader in that language opens it without asking. Dutch Excel reads `;`
/// between fields and a decimal comma; English reads `,` and a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dialect {
    separator: char,
    decimal: char,
}

impl Dialect {
    fn of(language: Language) -> Dialect {
        match language {
            Language::Nl => Dialect {
                separator: ';',
                decimal: ',',
            },
            Language::En => Dialect {
                separator: ',',
                decimal: '.',
            },
        }
    }
}

fn csv_field(cell: &Cell, dialect: Dialect) -> Cow<'_, str> {
    match cell {
        Cell::Text(text) | Cell::Suppressed(text) => neutralise(text),
        Cell::Percent(value) => {
            Cow::Owned(percent_for_machines(*value).replace('.', &dialect.decimal.to_string()))
        }
        Cell::Count(count) => Cow::Owned(count.to_string()),
        Cell::Empty => Cow::Borrowed(""),
    }
}

/// One decimal and a '.', formatted as [`Language::percent`] formats it, so
/// the download carries exactly the figure the page shows. A value that is no
/// number at all is written as an empty field rather than "NaN".
fn percent_for_machines(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.precision$}", precision = PERCENT_DECIMALS)
    } else {
        String::new()
    }
}

fn write_csv_line<'a>(
    out: &mut String,
    dialect: Dialect,
    fields: impl Iterator<Item = Cow<'a, str>>,
) {
    for (index, field) in fields.enumerate() {
        if index > 0 {
            out.push(dialect.separator);
        }
        // Quoted only when it must be: a quoted "31,1" would be text, not a
        // number, to a Dutch spreadsheet.
        if field.contains([dialect.separator, '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}

/// The tables as one XLSX workbook, one worksheet per table, named after its
/// title. Without tables it is a workbook with one empty sheet, which
/// spreadsheet programs still open.
pub fn xlsx(tables: &[Table]) -> Result<Vec<u8>, ExportError> {
    let header = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0");
    // Without "0", Excel shows counts of twelve digits and more as 1.2E+11.
    let count = Format::new().set_num_format("0");
    let wrapped = Format::new().set_text_wrap();
    let formats = Formats {
        header: &header,
        percent: &percent,
        count: &count,
        wrapped: &wrapped,
    };

    let mut workbook = Workbook::new();
    for (table, name) in tables.iter().zip(sheet_names(tables)) {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(name)?;
        write_sheet(worksheet, table, &formats)?;
    }
    Ok(workbook.save_to_buffer()?)
}

struct Formats<'a> {
    header: &'a Format,
    percent: &'a Format,
    count: &'a Format,
    wrapped: &'a Format,
}

fn write_sheet(sheet: &mut Worksheet, table: &Table, formats: &Formats) -> Result<(), ExportError> {
    let width = table
        .rows
        .iter()
        .map(Vec::len)
        .chain([table.columns.len()])
        .max()
        .unwrap_or(0);
    let too_large = || ExportError::TooLarge {
        table: table.title.clone(),
    };
    // Checked before writing, so a too large table fails without half a sheet.
    if table.rows.len() >= WORKSHEET_ROWS || width > WORKSHEET_COLUMNS {
        return Err(too_large());
    }
    let column_number = |index: usize| u16::try_from(index).map_err(|_| too_large());
    let row_number = |index: usize| u32::try_from(index).map_err(|_| too_large());

    let mut widths = vec![0usize; width];
    for (index, name) in table.columns.iter().enumerate() {
        let text = neutralise(name);
        widths[index] = widths[index].max(display_width(&text));
        sheet.write_string_with_format(0, column_number(index)?, text, formats.header)?;
    }
    for (row_index, row) in table.rows.iter().enumerate() {
        let at_row = row_number(row_index + 1)?;
        for (index, cell) in row.iter().enumerate() {
            let at_column = column_number(index)?;
            match cell {
                Cell::Text(text) | Cell::Suppressed(text) => {
                    let text = neutralise(text);
                    let shown = display_width(&text);
                    widths[index] = widths[index].max(shown);
                    if shown > WIDEST_COLUMN || text.contains('\n') {
                        sheet.write_string_with_format(at_row, at_column, text, formats.wrapped)?;
                    } else {
                        sheet.write_string(at_row, at_column, text)?;
                    }
                }
                // The number the page shows, not the share behind it: a
                // display format alone would leave every digit in the file.
                Cell::Percent(value) if value.is_finite() => {
                    widths[index] = widths[index].max(percent_for_machines(*value).len());
                    sheet.write_number_with_format(
                        at_row,
                        at_column,
                        shown_percent(*value),
                        formats.percent,
                    )?;
                }
                // Not a number at all: left empty, as in the CSV.
                Cell::Percent(_) => {}
                Cell::Count(count) => {
                    widths[index] = widths[index].max(count.to_string().len());
                    // Exact up to 2^53, far beyond any number of students.
                    sheet.write_number_with_format(
                        at_row,
                        at_column,
                        *count as f64,
                        formats.count,
                    )?;
                }
                Cell::Empty => {}
            }
        }
    }
    for (index, chars) in widths.into_iter().enumerate() {
        // Two characters of margin, so bold headers fit too.
        let width = (chars + 2).clamp(NARROWEST_COLUMN, WIDEST_COLUMN);
        sheet.set_column_width(column_number(index)?, width as f64)?;
    }
    if !table.columns.is_empty() {
        sheet.set_freeze_panes(1, 0)?;
    }
    Ok(())
}

/// The characters of the longest line, as a stand-in for the width a column
/// needs.
fn display_width(text: &str) -> usize {
    text.lines()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0)
}

/// A valid worksheet name for every table, in order: at most 31 characters,
/// none of `[]:*?/\`, not empty, no `'` at either end, and unique without
/// regard to case (as Excel compares them), "(2)", "(3)" … added where two
/// titles would give the same name.
fn sheet_names(tables: &[Table]) -> Vec<String> {
    // Excel reserves "History" for its change tracking.
    let mut taken: HashSet<String> = HashSet::from(["history".to_owned()]);
    let mut names = Vec::with_capacity(tables.len());
    for (index, table) in tables.iter().enumerate() {
        let mut base = clean_sheet_name(&table.title);
        if base.is_empty() {
            base = (index + 1).to_string();
        }
        let mut name = base.clone();
        let mut copy = 2;
        while taken.contains(&name.to_lowercase()) {
            let suffix = format!(" ({copy})");
            let room = SHEET_NAME_MAX - suffix.chars().count();
            name = format!("{}{suffix}", trim_sheet_name(&truncate(&base, room)));
            copy += 1;
        }
        taken.insert(name.to_lowercase());
        names.push(name);
    }
    names
}

fn clean_sheet_name(title: &str) -> String {
    let replaced: String = title
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let collapsed = replaced.split_whitespace().collect::<Vec<_>>().join(" ");
    trim_sheet_name(&truncate(trim_sheet_name(&collapsed), SHEET_NAME_MAX)).to_owned()
}

/// Excel refuses a name that starts or ends with an apostrophe.
fn trim_sheet_name(name: &str) -> &str {
    name.trim_matches(|c: char| c == '\'' || c.is_whitespace())
}

/// At most `limit` characters, counted as Excel counts them (UTF-16 units), so
/// an emoji in a title cannot push the name over the limit.
fn truncate(name: &str, limit: usize) -> String {
    let mut used = 0;
    name.chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= limit
        })
        .collect()
}

/// The codebook: what each indicator of `questionnaire` counts, one row per
/// indicator, in `language`.
pub fn codebook(questionnaire: &Questionnaire, language: Language) -> Table {
    let words = Words::of(language);
    let code = language.code();
    let rows = questionnaire
        .indicators()
        .iter()
        .map(|indicator| {
            let item = questionnaire.item(indicator.item.as_str());
            vec![
                Cell::Text(indicator.key.clone()),
                Cell::Text(indicator.label.get(code).to_owned()),
                Cell::Text(words.domain(indicator.domain).to_owned()),
                Cell::Text(words.direction(indicator.direction).to_owned()),
                Cell::Text(item.map_or_else(String::new, |item| question(item, indicator, code))),
                Cell::Text(item.map_or_else(
                    || codes_as_ranges(&indicator.numerator),
                    |item| counted_answers(item, &indicator.numerator, code),
                )),
                Cell::Text(if indicator.not_shown_counts_as_no {
                    format!("{}; {}", words.denominator, words.routed_past_counts_as_no)
                } else {
                    words.denominator.to_owned()
                }),
            ]
        })
        .collect();
    Table {
        title: words.title.to_owned(),
        columns: words.columns.iter().map(|&c| c.to_owned()).collect(),
        rows,
    }
}

/// What the student read: the item's text, and for a statement of a matrix
/// also the statement, since the matrix text alone does not say what was asked.
fn question(item: &Item, indicator: &Indicator, code: &str) -> String {
    let text = item.text.get(code);
    if let ItemKind::Matrix { statements, .. } = &item.kind
        && let Some(statement) = statements.iter().find(|s| s.key == indicator.item)
    {
        return format!("{text} — {}", statement.text.get(code));
    }
    text.to_owned()
}

/// The answers in the numerator, as the student read them: option labels for
/// a scale, ranges of numbers ("5–13") for a number typed in.
fn counted_answers(item: &Item, numerator: &BTreeSet<AnswerCode>, code: &str) -> String {
    let label = |option_code: AnswerCode, text: Option<&str>| {
        text.map_or_else(|| option_code.to_string(), str::to_owned)
    };
    match &item.kind {
        ItemKind::Choice { scale } | ItemKind::Matrix { scale, .. } => numerator
            .iter()
            .map(|&c| label(c, scale.option(c).map(|o| o.text.get(code))))
            .collect::<Vec<_>>()
            .join("; "),
        ItemKind::Village { elsewhere } => numerator
            .iter()
            .map(|&c| label(c, (c == elsewhere.code).then(|| elsewhere.text.get(code))))
            .collect::<Vec<_>>()
            .join("; "),
        ItemKind::Number { .. } => codes_as_ranges(numerator),
    }
}

/// Consecutive codes as one range: {5, 6, 7, 9} → "5–7; 9".
fn codes_as_ranges(codes: &BTreeSet<AnswerCode>) -> String {
    let mut ranges: Vec<(AnswerCode, AnswerCode)> = Vec::new();
    for &code in codes {
        match ranges.last_mut() {
            Some((_, last)) if last.checked_add(1) == Some(code) => *last = code,
            _ => ranges.push((code, code)),
        }
    }
    ranges
        .into_iter()
        .map(|(first, last)| {
            if first == last {
                first.to_string()
            } else {
                format!("{first}–{last}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The codebook's fixed words in one language.
struct Words {
    title: &'static str,
    columns: [&'static str; 7],
    denominator: &'static str,
    routed_past_counts_as_no: &'static str,
    language: Language,
}

impl Words {
    fn of(language: Language) -> Words {
        match language {
            Language::Nl => Words {
                title: "Codeboek",
                columns: [
                    "Sleutel",
                    "Indicator",
                    "Domein",
                    "Soort",
                    "Vraag",
                    "Antwoorden die meetellen",
                    "Noemer",
                ],
                denominator: "Alle leerlingen die de vraag beantwoordden",
                routed_past_counts_as_no: "leerlingen die de vraag door de routing niet kregen, tellen als nee",
                language,
            },
            Language::En => Words {
                title: "Codebook",
                columns: [
                    "Key",
                    "Indicator",
                    "Domain",
                    "Type",
                    "Question",
                    "Answers that count",
                    "Denominator",
                ],
                denominator: "Everyone who answered the question",
                routed_past_counts_as_no: "students routed past the question count as no",
                language,
            },
        }
    }

    fn domain(&self, domain: Domain) -> &'static str {
        match (self.language, domain) {
            (Language::Nl, Domain::Outcome) => "Middelengebruik",
            (Language::Nl, Domain::Family) => "Gezin",
            (Language::Nl, Domain::Peers) => "Vrienden",
            (Language::Nl, Domain::School) => "School",
            (Language::Nl, Domain::Leisure) => "Vrije tijd",
            (Language::Nl, Domain::Wellbeing) => "Welzijn",
            (Language::En, Domain::Outcome) => "Substance use",
            (Language::En, Domain::Family) => "Family",
            (Language::En, Domain::Peers) => "Peers",
            (Language::En, Domain::School) => "School",
            (Language::En, Domain::Leisure) => "Leisure time",
            (Language::En, Domain::Wellbeing) => "Wellbeing",
        }
    }

    fn direction(&self, direction: Direction) -> &'static str {
        match (self.language, direction) {
            (Language::Nl, Direction::Outcome) => "uitkomst",
            (Language::Nl, Direction::Risk) => "risicofactor",
            (Language::Nl, Direction::Protective) => "beschermende factor",
            (Language::En, Direction::Outcome) => "outcome",
            (Language::En, Direction::Risk) => "risk factor",
            (Language::En, Direction::Protective) => "protective factor",
        }
    }
}

/// A few lines that explain the downloads' format, for the codebook sheet and
/// the download page.
pub fn codebook_notes(language: Language) -> Vec<String> {
    let minimum = SuppressionThreshold::MINIMUM;
    let usual = SuppressionThreshold::DEFAULT.get();
    match language {
        Language::Nl => vec![
            "Percentages staan met één decimaal en een punt als decimaalteken (24.5 betekent 24,5 %), \
             afgerond zoals het dashboard ze toont."
                .to_owned(),
            "Onder- en bovengrens vormen het 95 %-betrouwbaarheidsinterval volgens Wilson.".to_owned(),
            "n is het aantal leerlingen in de noemer: wie de vraag beantwoordde, en waar het \
             codeboek dat zegt ook wie de vraag door de routing niet kreeg."
                .to_owned(),
            format!(
                "Een cel die niet getoond mag worden, zegt waarom, bijvoorbeeld \
                 \"minder dan {usual} respondenten\" (de drempel is minstens {minimum}). \
                 Zo'n cel is nooit 0 en nooit leeg."
            ),
            "Een tekst die begint met ' is onschadelijk gemaakt: zonder dat teken zou een \
             spreadsheet hem als formule lezen."
                .to_owned(),
            "CSV-bestanden zijn UTF-8 met komma's als scheidingsteken.".to_owned(),
        ],
        Language::En => vec![
            "Percentages have one decimal and a '.' as decimal point (24.5 means 24.5%), \
             rounded as the dashboard shows them."
                .to_owned(),
            "Low and high are the 95% Wilson confidence interval.".to_owned(),
            "n is the number of students in the denominator: those who answered the question, \
             and where the codebook says so also those routed past it."
                .to_owned(),
            format!(
                "A cell that may not be shown says why, for example \
                 \"fewer than {usual} respondents\" (the threshold is at least {minimum}). \
                 Such a cell is never 0 and never empty."
            ),
            "A text starting with ' was neutralised: without that mark a spreadsheet would \
             read it as a formula."
                .to_owned(),
            "CSV files are UTF-8 with commas as separators.".to_owned(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

    fn text(value: &str) -> Cell {
        Cell::Text(value.to_owned())
    }

    fn table(title: &str, columns: &[&str], rows: Vec<Vec<Cell>>) -> Table {
        Table {
            title: title.to_owned(),
            columns: columns.iter().map(|&c| c.to_owned()).collect(),
            rows,
        }
    }

    /// Every sheet of a workbook, by name, as calamine reads it.
    fn read_back(bytes: Vec<u8>) -> Vec<(String, calamine::Range<Data>)> {
        let mut workbook: Xlsx<_> =
            open_workbook_from_rs(Cursor::new(bytes)).expect("a readable workbook");
        workbook.worksheets()
    }

    fn csv_lines(csv: &str) -> Vec<&str> {
        let body = csv
            .strip_prefix(BYTE_ORDER_MARK)
            .expect("a byte order mark");
        let body = body.strip_suffix("\r\n").expect("a final CRLF");
        body.split("\r\n").collect()
    }

    fn string_at(range: &calamine::Range<Data>, row: u32, column: u32) -> String {
        match range.get_value((row, column)) {
            Some(Data::String(s)) => s.clone(),
            other => panic!("expected text at ({row}, {column}), found {other:?}"),
        }
    }

    #[test]
    fn formula_triggers_get_a_quote_and_other_text_is_left_alone() {
        for formula in [
            "=1+1",
            "+31 6 1234",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "   =cmd|' /C calc'!A0",
        ] {
            assert_eq!(neutralise(formula), format!("'{formula}"), "{formula:?}");
        }
        for plain in ["Súdwest-Fryslân", "'s-Hertogenbosch", "", "10 %", "a=b"] {
            assert!(
                matches!(neutralise(plain), Cow::Borrowed(s) if s == plain),
                "{plain:?}"
            );
        }
    }

    #[test]
    fn a_formula_in_a_place_name_is_neutralised_in_csv_and_xlsx() {
        let evil = table(
            "=Villages",
            &["=HYPERLINK(\"http://x\")", "Share"],
            vec![
                vec![text("=1+1"), Cell::Percent(12.34)],
                vec![
                    text("  @SUM(A1)"),
                    Cell::Suppressed("-fewer than 10".to_owned()),
                ],
                vec![text("-1"), Cell::Percent(-3.0)],
            ],
        );

        let csv = csv(&evil, Language::En);
        let lines = csv_lines(&csv);
        assert_eq!(lines[0], "\"'=HYPERLINK(\"\"http://x\"\")\",Share");
        assert_eq!(lines[1], "'=1+1,12.3");
        assert_eq!(lines[2], "'  @SUM(A1),'-fewer than 10");
        // A negative percentage is a number, not a formula.
        assert_eq!(lines[3], "'-1,-3.0");

        let sheets = read_back(xlsx(&[evil]).expect("a workbook"));
        let (name, range) = &sheets[0];
        assert_eq!(name, "=Villages");
        assert_eq!(string_at(range, 0, 0), "'=HYPERLINK(\"http://x\")");
        assert_eq!(string_at(range, 1, 0), "'=1+1");
        assert_eq!(string_at(range, 2, 0), "'  @SUM(A1)");
        assert_eq!(string_at(range, 2, 1), "'-fewer than 10");
        assert_eq!(string_at(range, 3, 0), "'-1");
        assert_eq!(range.get_value((3, 1)), Some(&Data::Float(-3.0)));
    }

    #[test]
    fn a_dutch_csv_separates_by_semicolons_with_decimal_commas() {
        let table = table(
            "Dorpen",
            &["Plaats; kern", "Aandeel", "n"],
            vec![
                vec![text("Westdorp"), Cell::Percent(31.14), Cell::Count(61)],
                vec![text("Den Haag, centrum"), Cell::Percent(7.26), Cell::Empty],
            ],
        );
        let dutch = csv(&table, Language::Nl);
        assert_eq!(
            dutch,
            "\u{FEFF}\"Plaats; kern\";Aandeel;n\r\n\
             Westdorp;31,1;61\r\n\
             Den Haag, centrum;7,3;\r\n"
        );
        let english = csv(&table, Language::En);
        assert!(english.contains("Westdorp,31.1,61"), "{english}");
    }

    #[test]
    fn csv_quotes_commas_quotes_and_newlines() {
        let table = table(
            "Villages",
            &["Place, village", "Count"],
            vec![
                vec![text("Den Haag, \"centrum\""), Cell::Count(12)],
                vec![text("two\r\nlines"), Cell::Count(0)],
                vec![text("only\nLF"), Cell::Empty],
                vec![
                    text("plain"),
                    Cell::Suppressed("fewer than 10 respondents".to_owned()),
                ],
            ],
        );
        let csv = csv(&table, Language::En);
        assert!(csv.starts_with('\u{FEFF}'));
        assert_eq!(
            csv,
            "\u{FEFF}\"Place, village\",Count\r\n\
             \"Den Haag, \"\"centrum\"\"\",12\r\n\
             \"two\r\nlines\",0\r\n\
             \"only\nLF\",\r\n\
             plain,fewer than 10 respondents\r\n"
        );
    }

    #[test]
    fn csv_percentages_are_what_the_page_shows_with_a_point() {
        let values = [24.46, 19.95, 0.04, 100.0, 7.25, 33.333];
        let table = table(
            "Shares",
            &["Share"],
            values.iter().map(|&v| vec![Cell::Percent(v)]).collect(),
        );
        let csv = csv(&table, Language::En);
        let lines = csv_lines(&csv);
        for (line, value) in lines[1..].iter().zip(values) {
            let page = Language::En.percent(value, 1);
            assert_eq!(*line, page.trim_end_matches('%'), "{value}");
            assert!(!line.contains(','));
        }
        assert_eq!(lines[1], "24.5");
        assert_eq!(lines[4], "100.0");
    }

    #[test]
    fn xlsx_numbers_read_back_equal_the_table() {
        let tables = vec![
            table(
                "Alcohol in the last 30 days",
                &["Place", "Percent", "Low", "High", "n"],
                vec![
                    vec![
                        text("Súdwest-Fryslân"),
                        Cell::Percent(24.46),
                        Cell::Percent(19.123),
                        Cell::Percent(30.5),
                        Cell::Count(212),
                    ],
                    vec![
                        text("Tzummarum"),
                        Cell::Suppressed("fewer than 10 respondents".to_owned()),
                        Cell::Empty,
                        Cell::Empty,
                        Cell::Count(7),
                    ],
                    vec![
                        text("Change"),
                        Cell::Percent(-2.5),
                        Cell::Percent(0.0),
                        Cell::Percent(100.0),
                        Cell::Count(123_456_789_012),
                    ],
                ],
            ),
            table("Second", &["Only"], vec![vec![Cell::Count(1)]]),
        ];

        let sheets = read_back(xlsx(&tables).expect("a workbook"));
        assert_eq!(sheets.len(), tables.len());
        for ((name, range), table) in sheets.iter().zip(&tables) {
            assert_eq!(name, &table.title);
            for (column, header) in table.columns.iter().enumerate() {
                assert_eq!(&string_at(range, 0, column as u32), header);
            }
            for (row_index, row) in table.rows.iter().enumerate() {
                let at_row = row_index as u32 + 1;
                for (column, cell) in row.iter().enumerate() {
                    let found = range.get_value((at_row, column as u32));
                    match cell {
                        Cell::Text(t) | Cell::Suppressed(t) => {
                            assert_eq!(found, Some(&Data::String(t.clone())))
                        }
                        Cell::Percent(v) => {
                            assert_eq!(found, Some(&Data::Float(shown_percent(*v))))
                        }
                        Cell::Count(c) => assert_eq!(found, Some(&Data::Float(*c as f64))),
                        Cell::Empty => {
                            assert!(matches!(found, None | Some(Data::Empty)), "{found:?}")
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn xlsx_percentages_and_interval_ends_hold_what_the_page_shows_and_no_more() {
        // 19 of 61: the share, as a float, names its numerator and denominator.
        let share = surveys::Share::new(19, 61).expect("a share");
        let estimate = crate::Estimate::of(share).expect("someone answered");
        assert_eq!(estimate.percent, 31.147540983606557);
        let row = vec![
            text("Westdorp"),
            Cell::Percent(estimate.percent),
            Cell::Percent(estimate.low),
            Cell::Percent(estimate.high),
            Cell::Count(estimate.n),
        ];
        let tables = [table(
            "Drunk",
            &["Place", "%", "Low", "High", "n"],
            vec![row],
        )];
        let sheets = read_back(xlsx(&tables).expect("a workbook"));
        let range = &sheets[0].1;
        for (column, value) in [(1, estimate.percent), (2, estimate.low), (3, estimate.high)] {
            let page = Language::Nl.percent(value, PERCENT_DECIMALS);
            let Some(Data::Float(stored)) = range.get_value((1, column)) else {
                panic!("a number in column {column}");
            };
            assert_eq!(
                Language::Nl.percent(*stored, PERCENT_DECIMALS),
                page,
                "column {column}"
            );
            assert_eq!(
                format!("{stored} %").replace('.', ","),
                page,
                "column {column} holds exactly the page's number"
            );
        }
        assert_eq!(range.get_value((1, 1)), Some(&Data::Float(31.1)));
        // And the CSV writes the same digits.
        let csv = csv(&tables[0], Language::En);
        assert_eq!(csv_lines(&csv)[1], "Westdorp,31.1,20.9,43.6,61");
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let titles = [
            "Alcohol: 30 days [klas 2/3]?",
            "Alcohol: 30 days [klas 2/3]?",
            "ALCOHOL  30 DAYS  KLAS 2 3",
            "A very long title for a table that no sheet can hold in full",
            "A very long title for a table that no sheet can hold in full",
            "",
            "'quoted'",
            "***",
            "History",
            "Emoji 🍺🍺🍺🍺🍺🍺🍺🍺🍺🍺🍺🍺🍺🍺🍺🍺",
        ];
        let tables: Vec<Table> = titles.iter().map(|t| table(t, &["x"], vec![])).collect();
        let names = sheet_names(&tables);
        assert_eq!(names.len(), titles.len());

        let mut seen = HashSet::new();
        for name in &names {
            assert!(!name.is_empty());
            assert!(name.encode_utf16().count() <= 31, "{name:?}");
            assert!(
                !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
                "{name:?}"
            );
            assert!(!name.starts_with('\'') && !name.ends_with('\''), "{name:?}");
            assert!(seen.insert(name.to_lowercase()), "{name:?} twice");
        }
        assert_eq!(names[0], "Alcohol 30 days klas 2 3");
        assert_eq!(names[1], "Alcohol 30 days klas 2 3 (2)");
        assert_eq!(names[2], "ALCOHOL 30 DAYS KLAS 2 3 (3)");
        assert_eq!(names[3], "A very long title for a table t");
        assert_eq!(names[4], "A very long title for a tab (2)");
        assert_eq!(names[5], "6");
        assert_eq!(names[6], "quoted");
        assert_eq!(names[7], "8");
        assert_eq!(names[8], "History (2)");

        // And Excel's rules as the writer enforces them: the workbook is written
        // and the names read back.
        let sheets = read_back(xlsx(&tables).expect("a workbook"));
        let read: Vec<&String> = sheets.iter().map(|(name, _)| name).collect();
        assert_eq!(read, names.iter().collect::<Vec<_>>());
    }

    #[test]
    fn no_tables_still_give_a_workbook_that_opens() {
        let sheets = read_back(xlsx(&[]).expect("a workbook"));
        assert_eq!(sheets.len(), 1);
        assert!(sheets[0].1.is_empty());
    }

    #[test]
    fn a_table_too_wide_for_a_worksheet_is_refused() {
        let wide = Table {
            title: "Wide".to_owned(),
            columns: vec!["c".to_owned(); WORKSHEET_COLUMNS + 1],
            rows: vec![],
        };
        let error = xlsx(&[wide]).expect_err("too wide");
        assert!(matches!(&error, ExportError::TooLarge { table } if table == "Wide"));
        assert_eq!(error.key(), "export.too_large");
        assert!(error.to_string().contains("Wide"));
    }

    #[test]
    fn the_codebook_has_every_indicator_of_the_standard_questionnaire() {
        let questionnaire = surveys::standard_v1();
        let indicators = questionnaire.indicators();
        assert!(!indicators.is_empty());
        for language in [Language::Nl, Language::En] {
            let code = language.code();
            let book = codebook(questionnaire, language);
            assert_eq!(book.columns.len(), 7);
            assert_eq!(book.rows.len(), indicators.len(), "{code}");
            for (row, indicator) in book.rows.iter().zip(indicators) {
                assert_eq!(row.len(), book.columns.len());
                assert_eq!(row[0], text(&indicator.key));
                assert_eq!(row[1], text(indicator.label.get(code)));
                for cell in row {
                    assert!(
                        matches!(cell, Cell::Text(t) if !t.trim().is_empty()),
                        "{code} {}: {cell:?}",
                        indicator.key
                    );
                }
                let item = questionnaire
                    .item(indicator.item.as_str())
                    .expect("the indicator's item");
                let Cell::Text(question) = &row[4] else {
                    unreachable!()
                };
                assert!(question.starts_with(item.text.get(code)), "{question}");
                let Cell::Text(denominator) = &row[6] else {
                    unreachable!()
                };
                let routed = match language {
                    Language::Nl => "tellen als nee",
                    Language::En => "count as no",
                };
                assert_eq!(
                    denominator.contains(routed),
                    indicator.not_shown_counts_as_no,
                    "{denominator}"
                );
            }
        }
    }

    #[test]
    fn the_codebook_names_the_answers_that_count_in_words() {
        let questionnaire = surveys::standard_v1();
        let row_of = |book: &Table, key: &str| -> Vec<Cell> {
            book.rows
                .iter()
                .find(|row| row[0] == text(key))
                .cloned()
                .unwrap_or_else(|| panic!("no row for {key}"))
        };

        let en = codebook(questionnaire, Language::En);
        assert_eq!(en.title, "Codebook");
        let alcohol = row_of(&en, "alcohol_lifetime");
        assert_eq!(alcohol[2], text("Substance use"));
        assert_eq!(alcohol[3], text("outcome"));
        assert_eq!(
            alcohol[5],
            text(
                "1 or 2 times; 3 to 5 times; 6 to 9 times; 10 to 19 times; \
                 20 to 39 times; 40 times or more"
            )
        );
        assert_eq!(alcohol[6], text("Everyone who answered the question"));

        let first_drink = row_of(&en, "first_drink_by_13");
        assert_eq!(first_drink[5], text("5–13"));
        assert_eq!(
            first_drink[6],
            text(
                "Everyone who answered the question; students routed past the question count as no"
            )
        );

        let parents = row_of(&en, "parents_know_where");
        assert_eq!(parents[3], text("protective factor"));
        assert_eq!(parents[5], text("Often; Almost always"));
        let Cell::Text(question) = &parents[4] else {
            unreachable!()
        };
        assert!(question.ends_with("— My parents know where I am in the evening."));

        let nl = codebook(questionnaire, Language::Nl);
        assert_eq!(nl.columns[0], "Sleutel");
        let alcohol = row_of(&nl, "alcohol_lifetime");
        assert_eq!(alcohol[1], text("Ooit alcohol gedronken"));
        let Cell::Text(answers) = &alcohol[5] else {
            unreachable!()
        };
        assert!(
            answers.starts_with("1 of 2 keer; 3 tot 5 keer"),
            "{answers}"
        );
        assert!(!answers.contains("0 keer;"), "{answers}");
        assert_eq!(
            row_of(&nl, "parents_know_where")[5],
            text("Vaak; Bijna altijd")
        );
    }

    #[test]
    fn consecutive_codes_are_written_as_ranges() {
        let codes: BTreeSet<AnswerCode> = [5, 6, 7, 9, 11, 12].into();
        assert_eq!(codes_as_ranges(&codes), "5–7; 9; 11–12");
        assert_eq!(codes_as_ranges(&BTreeSet::new()), "");
    }

    #[test]
    fn the_notes_document_the_download_format_in_both_languages() {
        let en = codebook_notes(Language::En).join("\n");
        assert!(en.contains("one decimal and a '.'"));
        assert!(en.contains("95% Wilson"));
        assert!(en.contains("fewer than 10 respondents"));
        assert!(en.contains("never 0"));
        assert!(en.contains("starting with '"));
        let nl = codebook_notes(Language::Nl).join("\n");
        assert!(nl.contains("één decimaal"));
        assert!(nl.contains("Wilson"));
        assert!(nl.contains("minder dan 10 respondenten"));
        assert!(nl.contains("begint met '"));
    }
}
