//! The explorer's rows, stored by column and compressed, so that a page of
//! 100,000 items stays a few megabytes and opens in well under a second.
//!
//! Rows are pushed one at a time ([`Explorer::push`]). Every cell text and
//! row id goes into one string table, each distinct text once; a column is
//! then a list of numbers into that table. Filters are a list of option
//! numbers per row (several for the rule and severity filters), sort keys a
//! list of numbers per numeric column.
//!
//! In the page the table is one zlib stream and the evidence (the facts a
//! row opens to) is a zlib stream per [`CHUNK`] rows, each base64-encoded:
//! the browser inflates them with its own `DecompressionStream`, the table
//! at load and an evidence chunk when one of its rows opens. Base64 text
//! holds no `<`, `>` or `&`, so no name can end the data block early.

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;

use base64::Engine as _;
use flate2::write::ZlibEncoder;
use flate2::Compression;
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;
use serde_json::Value;

/// Rows per evidence chunk: opening a row inflates one chunk.
pub const CHUNK: usize = 500;

#[derive(Serialize)]
pub struct Column {
    pub key: &'static str,
    pub label: &'static str,
    /// Sorted as numbers (by the row's sort key of the same name when it
    /// has one, else by the cell's text read as a number).
    pub numeric: bool,
}

#[derive(Serialize)]
pub struct Filter {
    pub key: &'static str,
    pub label: &'static str,
    pub options: Vec<String>,
}

/// One row as pushed: texts in column order, filter values in filter order.
pub struct Row<'r> {
    /// The item's id: searched, and the `data-id` of its row.
    pub id: &'r str,
    /// Drawn indented, under the identity that holds it.
    pub credential: bool,
    pub cells: &'r [&'r str],
    pub sort: &'r [(&'static str, i64)],
    pub filters: &'r [&'r [&'r str]],
    /// Label and text (or list of texts) pairs.
    pub evidence: &'r [(&'static str, Value)],
}

/// The explorer: its columns, filters and rows.
pub struct Explorer {
    columns: Vec<Column>,
    filters: Vec<Filter>,
    rows: usize,
    strings: Vec<String>,
    index: HashMap<String, u32>,
    ids: Vec<u32>,
    credentials: Vec<u32>,
    cells: Vec<Vec<u32>>,
    sort: BTreeMap<&'static str, Vec<i64>>,
    options: Vec<HashMap<String, u32>>,
    /// Per filter: where each row's values start in `values` (CSR form).
    offsets: Vec<Vec<u32>>,
    values: Vec<Vec<u32>>,
    evidence: Vec<String>,
    /// The evidence of the rows since the last full chunk, as JSON.
    pending: Vec<u8>,
}

impl Explorer {
    pub fn new(columns: Vec<Column>, filters: Vec<Filter>) -> Self {
        let options = filters
            .iter()
            .map(|f| {
                f.options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| (o.clone(), i as u32))
                    .collect()
            })
            .collect();
        Explorer {
            cells: columns.iter().map(|_| Vec::new()).collect(),
            offsets: filters.iter().map(|_| vec![0]).collect(),
            values: filters.iter().map(|_| Vec::new()).collect(),
            columns,
            filters,
            rows: 0,
            strings: Vec::new(),
            index: HashMap::new(),
            ids: Vec::new(),
            credentials: Vec::new(),
            sort: BTreeMap::new(),
            options,
            evidence: Vec::new(),
            pending: Vec::new(),
        }
    }

    fn intern(&mut self, text: &str) -> u32 {
        if let Some(&n) = self.index.get(text) {
            return n;
        }
        let n = self.strings.len() as u32;
        self.strings.push(text.to_string());
        self.index.insert(text.to_string(), n);
        n
    }

    /// Adds a row. Missing cells are empty; a filter value that is not
    /// among the filter's options becomes one.
    pub fn push(&mut self, row: Row) {
        let n = self.rows;
        let id = self.intern(row.id);
        self.ids.push(id);
        if row.credential {
            self.credentials.push(n as u32);
        }
        for c in 0..self.columns.len() {
            let s = self.intern(row.cells.get(c).copied().unwrap_or(""));
            self.cells[c].push(s);
        }
        for &(key, v) in row.sort {
            let keys = self.sort.entry(key).or_insert_with(|| vec![0; n]);
            keys.resize(n, 0);
            keys.push(v);
        }
        // A key this row lacks sorts as 0.
        for keys in self.sort.values_mut() {
            keys.resize(n + 1, 0);
        }
        for f in 0..self.filters.len() {
            for &v in row.filters.get(f).copied().unwrap_or(&[]) {
                let next = self.options[f].len() as u32;
                let o = *self.options[f].entry(v.to_string()).or_insert_with(|| {
                    self.filters[f].options.push(v.to_string());
                    next
                });
                self.values[f].push(o);
            }
            self.offsets[f].push(self.values[f].len() as u32);
        }
        self.pending
            .push(if n.is_multiple_of(CHUNK) { b'[' } else { b',' });
        serde_json::to_writer(&mut self.pending, row.evidence)
            .expect("evidence serializes to memory");
        self.rows += 1;
        if self.rows.is_multiple_of(CHUNK) {
            self.pending.push(b']');
            let chunk = std::mem::take(&mut self.pending);
            self.evidence.push(pack(&chunk));
        }
    }
}

/// zlib, then base64: what the page's `DecompressionStream("deflate")` reads.
pub fn pack(bytes: &[u8]) -> String {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
    z.write_all(bytes).expect("compressing to memory");
    let packed = z.finish().expect("compressing to memory");
    base64::engine::general_purpose::STANDARD.encode(packed)
}

/// A filter's values per row: one each (`one`), or a list each (`offsets`
/// into `values`, as compressed sparse rows).
#[derive(Serialize)]
#[serde(untagged)]
enum FilterValues<'a> {
    One {
        one: &'a [u32],
    },
    Many {
        offsets: &'a [u32],
        values: &'a [u32],
    },
}

/// The table as the page inflates it.
#[derive(Serialize)]
struct Table<'a> {
    rows: usize,
    strings: &'a [String],
    ids: &'a [u32],
    credentials: &'a [u32],
    /// Per column, in column order.
    cells: &'a [Vec<u32>],
    sort: BTreeMap<&'static str, &'a [i64]>,
    /// Per filter, in filter order.
    filters: Vec<FilterValues<'a>>,
}

impl Serialize for Explorer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let sort = self.sort.iter().map(|(k, v)| (*k, &v[..])).collect();
        let filters = self
            .offsets
            .iter()
            .zip(&self.values)
            .map(|(offsets, values)| {
                if values.len() == self.rows && offsets.windows(2).all(|w| w[1] == w[0] + 1) {
                    FilterValues::One { one: values }
                } else {
                    FilterValues::Many { offsets, values }
                }
            })
            .collect();
        let table = Table {
            rows: self.rows,
            strings: &self.strings,
            ids: &self.ids,
            credentials: &self.credentials,
            cells: &self.cells,
            sort,
            filters,
        };
        let json = serde_json::to_vec(&table).map_err(serde::ser::Error::custom)?;
        let mut evidence = self.evidence.clone();
        if !self.pending.is_empty() {
            let mut last = self.pending.clone();
            last.push(b']');
            evidence.push(pack(&last));
        }
        let mut st = s.serialize_struct("Explorer", 6)?;
        st.serialize_field("columns", &self.columns)?;
        st.serialize_field("filters", &self.filters)?;
        st.serialize_field("rows", &self.rows)?;
        st.serialize_field("table", &pack(&json))?;
        st.serialize_field("chunk", &CHUNK)?;
        st.serialize_field("evidence", &evidence)?;
        st.end()
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use std::io::Read as _;

    /// Undoes [`pack`].
    pub fn unpack(text: &str) -> Value {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .expect("base64");
        let mut json = String::new();
        flate2::read::ZlibDecoder::new(&bytes[..])
            .read_to_string(&mut json)
            .expect("zlib");
        serde_json::from_str(&json).expect("JSON")
    }

    #[test]
    fn rows_come_back_by_column_with_each_text_once() {
        let mut ex = Explorer::new(
            vec![
                Column {
                    key: "name",
                    label: "Name",
                    numeric: false,
                },
                Column {
                    key: "age",
                    label: "Age",
                    numeric: true,
                },
            ],
            vec![
                Filter {
                    key: "kind",
                    label: "Kind",
                    options: vec!["user".into()],
                },
                Filter {
                    key: "rule",
                    label: "Rule",
                    options: vec![],
                },
            ],
        );
        for i in 0..(CHUNK + 3) {
            let name = format!("n{}", i % 7);
            let rules: &[&str] = if i % 2 == 0 { &["a", "b"] } else { &[] };
            ex.push(Row {
                id: &format!("id-{i}"),
                credential: i % 3 == 1,
                cells: &[&name, "5 d"],
                sort: &[("age", i as i64)],
                filters: &[&[if i == 4 { "key" } else { "user" }], rules],
                evidence: &[("id", Value::from(format!("id-{i}")))],
            });
        }
        let v = serde_json::to_value(&ex).unwrap();
        assert_eq!(v["rows"], CHUNK + 3);
        assert_eq!(
            v["filters"][0]["options"],
            serde_json::json!(["user", "key"])
        );
        assert_eq!(v["filters"][1]["options"], serde_json::json!(["a", "b"]));
        let t = unpack(v["table"].as_str().unwrap());
        let strings = t["strings"].as_array().unwrap();
        let text = |n: &Value| strings[n.as_u64().unwrap() as usize].as_str().unwrap();
        // Seven names, one "5 d" and one id per row, each once.
        assert_eq!(strings.len(), 7 + 1 + CHUNK + 3);
        assert_eq!(text(&t["cells"][0][9]), "n2");
        assert_eq!(text(&t["cells"][1][9]), "5 d");
        assert_eq!(text(&t["ids"][9]), "id-9");
        assert_eq!(t["credentials"][1], 4);
        assert_eq!(t["sort"]["age"][9], 9);
        assert_eq!(t["filters"][0]["one"][4], 1);
        assert_eq!(t["filters"][0]["one"][5], 0);
        assert_eq!(t["filters"][1]["offsets"][3], 4);
        assert_eq!(t["filters"][1]["values"], {
            let mut v = Vec::new();
            for i in 0..(CHUNK + 3) {
                if i % 2 == 0 {
                    v.extend([0, 1]);
                }
            }
            serde_json::json!(v)
        });
        // Evidence: one full chunk and the rest.
        let chunks = v["evidence"].as_array().unwrap();
        assert_eq!(chunks.len(), 2);
        assert_eq!(unpack(chunks[0].as_str().unwrap())[7][0][1], "id-7");
        let last = unpack(chunks[1].as_str().unwrap());
        assert_eq!(last.as_array().unwrap().len(), 3);
        assert_eq!(last[2][0][1], format!("id-{}", CHUNK + 2));
    }
}
