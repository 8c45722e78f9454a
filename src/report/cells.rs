//! Typed cells: the rows the `csv` and `csv-findings` formats write as text
//! and the `xlsx` format writes as typed spreadsheet cells, built once.
//!
//! Each row builder ([`super::csv::for_each_row`],
//! [`super::csv_findings::for_each_row`]) yields cells in its `COLUMNS`
//! order, so the column lists exist once, and CSV and XLSX cannot disagree.

use jiff::Timestamp;

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Inventory text (ids, names, owners, messages): text in every format,
    /// so an account id keeps its leading zeros. CSV defuses a cell a
    /// spreadsheet would run as a formula (see [`super::csv::text`]).
    Text(String),
    /// A word nhiscan chose (a status, a severity, a source of ownership):
    /// written as is.
    Word(String),
    Bool(bool),
    /// A whole number; empty when unknown.
    Int(Option<i64>),
    /// An instant in UTC; empty when absent.
    Time(Option<Timestamp>),
}

impl Cell {
    /// The cell as CSV text: times in RFC 3339 at whole seconds with `Z`,
    /// booleans as `true`/`false`, an unknown number or time empty.
    pub fn csv(&self) -> String {
        match self {
            Cell::Text(t) => super::csv::text(t),
            Cell::Word(w) => w.clone(),
            Cell::Bool(b) => b.to_string(),
            Cell::Int(n) => n.map(|n| n.to_string()).unwrap_or_default(),
            Cell::Time(t) => t
                .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
                .unwrap_or_default(),
        }
    }

    /// Inventory text.
    pub fn text(value: impl Into<String>) -> Self {
        Cell::Text(value.into())
    }

    /// A word of nhiscan's own (`Display` of an enum).
    pub fn word(value: impl ToString) -> Self {
        Cell::Word(value.to_string())
    }
}

/// Writes rows as RFC 4180 CSV (CRLF line ends) under `header`.
pub fn write_csv(header: &[&str], rows: impl FnOnce(&mut dyn FnMut(&[Cell]))) -> String {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    out.write_record(header).expect("write to memory");
    rows(&mut |cells: &[Cell]| {
        out.write_record(cells.iter().map(Cell::csv))
            .expect("write to memory");
    });
    let bytes = out.into_inner().expect("flush to memory");
    String::from_utf8(bytes).expect("cells are UTF-8")
}
