//! Long lists shown a page at a time: `?page=N` (counted from 1) beside the list's
//! own filters, which the page links keep. A handler filters its rows as before,
//! then [`Pager::cut`] keeps the rows of the page asked for; the template includes
//! `_pager.html`, which shows "第 2/7 页" with links to the neighbouring pages.
//!
//! Lists are cut after they are read and filtered, so totals and roll-ups stay those
//! of the whole filtered list; what paging saves is rendering and sending every row.

use crate::error::AppError;

/// Rows per page of the web app's long lists.
pub const PAGE_SIZE: usize = 50;

/// Where a page sits in its list, and the query to reach its neighbours.
#[derive(Debug, Clone)]
pub struct Pager {
    /// This page, from 1.
    pub page: usize,
    /// Number of pages (at least 1).
    pub pages: usize,
    /// Rows in the whole filtered list.
    pub total: usize,
    /// Position of this page's first row in the list, from 1 (0 when the list is empty).
    pub first: usize,
    /// Position of this page's last row.
    pub last: usize,
    /// The request's other query parameters, kept by the page links.
    others: Vec<(String, String)>,
}

impl Pager {
    /// Keeps the rows of the page that `raw_query` asks for (`page=N`), `size` rows a
    /// page. A page past the end shows the last page; a page that is not a positive
    /// number is refused with a Chinese message.
    pub fn cut<T>(
        all: Vec<T>,
        raw_query: Option<&str>,
        size: usize,
    ) -> Result<(Vec<T>, Pager), AppError> {
        let mut pager = Pager::place(all.len(), raw_query, size)?;
        let rows: Vec<T> = all.into_iter().skip(pager.skip(size)).take(size).collect();
        pager.settle(rows.len(), size);
        Ok((rows, pager))
    }

    /// The page `raw_query` asks for in a list of `total` rows read a page at a time
    /// (the rows to skip are [`Pager::skip`]); [`Pager::settle`] it with the rows read.
    pub fn place(total: usize, raw_query: Option<&str>, size: usize) -> Result<Pager, AppError> {
        let (asked, others) = read_query(raw_query.unwrap_or_default())?;
        let size = size.max(1);
        let pages = total.div_ceil(size).max(1);
        Ok(Pager {
            page: asked.min(pages),
            pages,
            total,
            first: 0,
            last: 0,
            others,
        })
    }

    /// Rows before this page.
    pub fn skip(&self, size: usize) -> usize {
        (self.page - 1) * size.max(1)
    }

    /// Records the rows this page holds.
    pub fn settle(&mut self, rows: usize, size: usize) {
        let skip = self.skip(size);
        self.first = if rows == 0 { 0 } else { skip + 1 };
        self.last = skip + rows;
    }

    /// The link to the previous page, if there is one.
    pub fn previous(&self) -> Option<String> {
        (self.page > 1).then(|| self.href(self.page - 1))
    }

    /// The link to the next page, if there is one.
    pub fn next(&self) -> Option<String> {
        (self.page < self.pages).then(|| self.href(self.page + 1))
    }

    /// The link to the first page.
    pub fn first_href(&self) -> String {
        self.href(1)
    }

    /// The link to the last page.
    pub fn last_href(&self) -> String {
        self.href(self.pages)
    }

    /// The query string (with its `?`) of page `page` under the same filters.
    fn href(&self, page: usize) -> String {
        let mut pairs = self.others.clone();
        pairs.push(("page".into(), page.to_string()));
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("?{query}")
    }
}

/// The page asked for and the other parameters of a query string.
fn read_query(raw: &str) -> Result<(usize, Vec<(String, String)>), AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw)
        .map_err(|_| AppError::BadRequest("网址中的查询参数无法识别".into()))?;
    let mut page = 1;
    let mut others = Vec::new();
    for (key, value) in pairs {
        if key == "page" {
            page = parse_page(&value)?;
        } else {
            others.push((key, value));
        }
    }
    Ok((page, others))
}

fn parse_page(value: &str) -> Result<usize, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(1);
    }
    match value.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(AppError::BadRequest(format!(
            "页码应为正整数：{}",
            value.chars().take(20).collect::<String>()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(n: usize) -> Vec<usize> {
        (1..=n).collect()
    }

    #[test]
    fn a_page_holds_its_rows_and_knows_its_neighbours() {
        let (rows, pager) = Pager::cut(numbers(120), Some("department=3&page=2"), 50).unwrap();
        assert_eq!(rows.first(), Some(&51));
        assert_eq!(rows.len(), 50);
        assert_eq!((pager.page, pager.pages, pager.total), (2, 3, 120));
        assert_eq!((pager.first, pager.last), (51, 100));
        assert_eq!(pager.previous().as_deref(), Some("?department=3&page=1"));
        assert_eq!(pager.next().as_deref(), Some("?department=3&page=3"));
        assert_eq!(pager.last_href(), "?department=3&page=3");
    }

    #[test]
    fn the_last_page_is_short_and_a_page_past_the_end_shows_it() {
        let (rows, pager) = Pager::cut(numbers(120), Some("page=99"), 50).unwrap();
        assert_eq!(rows, (101..=120).collect::<Vec<_>>());
        assert_eq!((pager.page, pager.first, pager.last), (3, 101, 120));
        assert_eq!(pager.next(), None);
    }

    #[test]
    fn an_empty_list_is_one_empty_page() {
        let (rows, pager) = Pager::cut(Vec::<usize>::new(), None, 50).unwrap();
        assert!(rows.is_empty());
        assert_eq!(
            (pager.page, pager.pages, pager.first, pager.last),
            (1, 1, 0, 0)
        );
        assert_eq!(pager.previous(), None);
    }

    #[test]
    fn filters_with_chinese_and_ampersands_survive_the_links() {
        let (_, pager) =
            Pager::cut(numbers(3), Some("q=%E4%B9%A1%E6%9D%91%26x&page=1"), 1).unwrap();
        assert_eq!(pager.href(2), "?q=%E4%B9%A1%E6%9D%91%26x&page=2");
    }

    #[test]
    fn a_page_that_is_not_a_positive_number_is_refused_in_chinese() {
        for bad in ["0", "-1", "abc", "99999999999999999999999"] {
            let err = Pager::cut(numbers(3), Some(&format!("page={bad}")), 1).unwrap_err();
            let (_, message) = err.status_and_message();
            assert!(message.contains("页码应为正整数"), "{bad}: {message}");
        }
    }
}
