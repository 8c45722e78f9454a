//! `--format xlsx`: an Excel workbook (written by `rust_xlsxwriter`) with
//! three sheets, Inventory, Findings and Sources.
//!
//! The Inventory and Findings sheets hold the very rows of the `csv` and
//! `csv-findings` formats (see [`super::cells`]), typed: times are Excel
//! date-times in UTC (`yyyy-mm-dd hh:mm:ss`, no zone suffix to parse),
//! booleans are booleans, day counts are numbers, and every id, name and
//! other inventory text is a text cell, so an account id `012345678901`
//! keeps its leading zero and nothing is ever run as a formula. Each sheet
//! has a bold, frozen header row, an autofilter over its rows and column
//! widths fitted to their content (capped).

use std::io::Write;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::cells::Cell;
use super::View;

/// The Sources sheet's header, in order.
pub const SOURCE_COLUMNS: [&str; 8] = [
    "provider",
    "scope",
    "kind",
    "location",
    "status",
    "items",
    "api_calls",
    "error",
];

/// Excel's last row (1,048,576 rows, the header included).
const MAX_ROWS: usize = 1_048_576;
/// Excel's longest text cell, in characters.
const MAX_TEXT: usize = 32_767;
/// Column widths, in characters.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;
/// How times are shown (the cell holds an Excel serial date-time, in UTC).
const TIME_FORMAT: &str = "yyyy-mm-dd hh:mm:ss";

/// Writes the view as a workbook.
pub fn write(view: &View, w: &mut dyn Write) -> std::io::Result<()> {
    let bytes = workbook(view).map_err(|e| match e {
        WriteError::TooManyRows(sheet) => std::io::Error::other(format!(
            "the {sheet} sheet would exceed Excel's {MAX_ROWS} rows; use --format csv (or filters) for a scan this large"
        )),
        WriteError::Xlsx(e) => std::io::Error::other(format!("cannot build the workbook: {e}")),
    })?;
    w.write_all(&bytes)
}

enum WriteError {
    TooManyRows(&'static str),
    Xlsx(XlsxError),
}

impl From<XlsxError> for WriteError {
    fn from(e: XlsxError) -> Self {
        WriteError::Xlsx(e)
    }
}

/// The workbook's bytes.
fn workbook(view: &View) -> Result<Vec<u8>, WriteError> {
    let mut book = Workbook::new();
    let mut sheet = Sheet::new(
        book.add_worksheet_with_constant_memory()?,
        "Inventory",
        &super::csv::COLUMNS,
    )?;
    let mut failed = None;
    super::csv::for_each_row(view, &mut |cells| {
        if failed.is_none() {
            failed = sheet.row(cells).err();
        }
    });
    finish(sheet, failed)?;

    let mut sheet = Sheet::new(
        book.add_worksheet_with_constant_memory()?,
        "Findings",
        &super::csv_findings::COLUMNS,
    )?;
    let mut failed = None;
    super::csv_findings::for_each_row(view, &mut |cells| {
        if failed.is_none() {
            failed = sheet.row(cells).err();
        }
    });
    finish(sheet, failed)?;

    let mut sheet = Sheet::new(
        book.add_worksheet_with_constant_memory()?,
        "Sources",
        &SOURCE_COLUMNS,
    )?;
    for s in view.sources() {
        let calls: u64 = s.api_calls.values().sum();
        sheet.row(&[
            Cell::text(s.provider),
            Cell::text(&s.scope),
            Cell::text(&s.kind),
            Cell::text(&s.location),
            Cell::word(s.status),
            Cell::Int(i64::try_from(s.items).ok()),
            Cell::Int(i64::try_from(calls).ok()),
            Cell::text(s.error.as_deref().unwrap_or("")),
        ])?;
    }
    finish(sheet, None)?;
    Ok(book.save_to_buffer()?)
}

fn finish(sheet: Sheet, failed: Option<WriteError>) -> Result<(), WriteError> {
    match failed {
        Some(e) => Err(e),
        None => sheet.finish(),
    }
}

/// A worksheet being filled row by row, tracking column widths.
struct Sheet<'a> {
    sheet: &'a mut Worksheet,
    name: &'static str,
    /// The next row to write.
    next: u32,
    /// The widest cell of each column, in characters.
    widths: Vec<usize>,
    time: Format,
}

impl<'a> Sheet<'a> {
    fn new(
        sheet: &'a mut Worksheet,
        name: &'static str,
        header: &[&str],
    ) -> Result<Self, WriteError> {
        sheet.set_name(name)?;
        let bold = Format::new().set_bold();
        for (col, title) in (0u16..).zip(header) {
            sheet.write_string_with_format(0, col, *title, &bold)?;
        }
        Ok(Sheet {
            sheet,
            name,
            next: 1,
            widths: header.iter().map(|h| h.chars().count() + 2).collect(),
            time: Format::new().set_num_format(TIME_FORMAT),
        })
    }

    /// Writes one row of typed cells.
    fn row(&mut self, cells: &[Cell]) -> Result<(), WriteError> {
        if self.next as usize >= MAX_ROWS {
            return Err(WriteError::TooManyRows(self.name));
        }
        let row = self.next;
        for (col, cell) in (0u16..).zip(cells) {
            let width = match cell {
                Cell::Text(t) | Cell::Word(t) => {
                    if t.is_empty() {
                        continue;
                    }
                    let t = clip(t);
                    self.sheet.write_string(row, col, t.as_ref())?;
                    t.chars().count()
                }
                Cell::Bool(b) => {
                    self.sheet.write_boolean(row, col, *b)?;
                    5
                }
                Cell::Int(None) | Cell::Time(None) => continue,
                Cell::Int(Some(n)) => {
                    // Day and item counts: exact as an f64.
                    self.sheet.write_number(row, col, *n as f64)?;
                    n.to_string().len()
                }
                Cell::Time(Some(t)) => {
                    match ExcelDateTime::from_timestamp(t.as_second()) {
                        Ok(dt) => {
                            self.sheet
                                .write_datetime_with_format(row, col, &dt, &self.time)?;
                        }
                        // Outside Excel's years 1900-9999: the CSV's text.
                        Err(_) => {
                            self.sheet.write_string(row, col, cell.csv())?;
                        }
                    }
                    TIME_FORMAT.len()
                }
            };
            let slot = &mut self.widths[usize::from(col)];
            *slot = (*slot).max(width);
        }
        self.next += 1;
        Ok(())
    }

    /// Freezes the header, filters every column and sets the widths.
    fn finish(self) -> Result<(), WriteError> {
        let last_col = u16::try_from(self.widths.len().saturating_sub(1)).unwrap_or(u16::MAX);
        self.sheet.set_freeze_panes(1, 0)?;
        self.sheet
            .autofilter(0, 0, self.next.saturating_sub(1).max(1), last_col)?;
        for (col, width) in (0u16..).zip(&self.widths) {
            let width = (*width + 1).clamp(MIN_WIDTH, MAX_WIDTH);
            self.sheet.set_column_width(col, width as f64)?;
        }
        Ok(())
    }
}

/// Text cut to Excel's cell limit.
fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_TEXT - 1) {
        Some((at, _)) => format!("{}…", &text[..at]).into(),
        None => text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support;

    #[test]
    fn a_workbook_is_a_zip_with_the_three_sheets() {
        let scan = test_support::scan();
        let mut out = Vec::new();
        write(&test_support::view(&scan), &mut out).unwrap();
        assert!(out.starts_with(b"PK\x03\x04"), "a zip archive");
        let text = String::from_utf8_lossy(&out);
        for sheet in ["worksheets/sheet1.xml", "worksheets/sheet3.xml"] {
            assert!(text.contains(sheet), "{sheet}");
        }
    }

    #[test]
    fn long_text_is_cut_to_excels_limit() {
        let long = "x".repeat(MAX_TEXT + 10);
        let cut = clip(&long);
        assert_eq!(cut.chars().count(), MAX_TEXT);
        assert!(cut.ends_with('…'));
        assert_eq!(clip("short"), "short");
    }
}
