//! Errors of a request and how each becomes a response: an HTML page in zh-CN for
//! the pages, a JSON object for the API.

use askama::Template;
use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use planwatch_store::StoreError;

/// What went wrong while answering a request.
#[derive(Debug)]
pub enum AppError {
    /// Not logged in.
    Unauthorized,
    /// Logged in, but not allowed.
    Forbidden,
    /// The request's API token lacks this scope (its label).
    BadScope(&'static str),
    /// The CSRF token is missing or wrong.
    Csrf,
    /// No such page or row.
    NotFound,
    /// The input is not acceptable (message for the user).
    BadRequest(String),
    /// A named parameter or field is not acceptable (its name for programs, the
    /// message for the user).
    BadField(&'static str, String),
    /// Someone else changed the row first.
    Conflict(String),
    /// The upload is too large.
    TooLarge,
    /// Too many failed logins.
    TooManyAttempts,
    /// A file took longer to process than allowed.
    TooComplex,
    /// Every slot for heavy work is taken and the queue is full.
    Busy,
    /// An API token made too many requests; seconds until the next is allowed.
    RateLimited(u64),
    /// Something broke on our side (logged, not shown in detail).
    Internal(String),
}

impl AppError {
    /// HTTP status and zh-CN message.
    pub fn status_and_message(&self) -> (StatusCode, String) {
        match self {
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "请先登录".into()),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "您没有查看或修改此内容的权限；如需开通，请联系本单位的系统管理员".into(),
            ),
            AppError::BadScope(label) => (
                StatusCode::FORBIDDEN,
                format!("该 API 令牌没有“{label}”权限，请使用有此权限的令牌"),
            ),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "表单已失效（CSRF 校验失败），请刷新页面后重试".into(),
            ),
            AppError::NotFound => (StatusCode::NOT_FOUND, "页面或记录不存在".into()),
            AppError::BadRequest(m) | AppError::BadField(_, m) => {
                (StatusCode::BAD_REQUEST, m.clone())
            }
            AppError::Conflict(m) => (StatusCode::CONFLICT, m.clone()),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "上传的文件过大".into()),
            AppError::TooManyAttempts => (
                StatusCode::TOO_MANY_REQUESTS,
                "登录失败次数过多，请稍后再试".into(),
            ),
            AppError::TooComplex => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "文件过大或过于复杂，未能在限定时间内处理完；请拆分文件或简化格式后重试".into(),
            ),
            AppError::RateLimited(secs) => (
                StatusCode::TOO_MANY_REQUESTS,
                format!("该 API 令牌的请求过于频繁，请{secs}秒后再试"),
            ),
            AppError::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                "服务器正在处理其他文件，请稍后再试".into(),
            ),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "服务器内部错误，请联系管理员".into(),
            ),
        }
    }

    /// The error as a JSON response (`{"error": "…", "code": "not_found"}`).
    pub fn into_json(self) -> Response {
        if let AppError::Internal(m) = &self {
            // Logged here, where the error becomes a response, and nowhere else.
            tracing::error!(error = %m, "内部错误");
        }
        let (status, message) = self.status_and_message();
        let field = match &self {
            AppError::BadField(name, _) => Some(*name),
            _ => None,
        };
        let body = serde_json::json!({ "error": message, "code": self.code(), "field": field });
        let mut response = (status, Json(body)).into_response();
        if let AppError::RateLimited(secs) = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
        response
    }

    /// A stable code for programs reading the API (the message is for people).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::BadScope(_) => "token_scope",
            AppError::Csrf => "csrf",
            AppError::NotFound => "not_found",
            AppError::BadRequest(_) | AppError::BadField(..) => "invalid",
            AppError::Conflict(_) => "conflict",
            AppError::TooLarge => "too_large",
            AppError::TooManyAttempts => "too_many_attempts",
            AppError::TooComplex => "too_complex",
            AppError::Busy => "busy",
            AppError::RateLimited(_) => "rate_limited",
            AppError::Internal(_) => "internal",
        }
    }
}

impl AppError {
    /// This error, if it is about the input, as one about parameter `name`.
    pub fn on_field(self, name: &'static str) -> AppError {
        match self {
            AppError::BadRequest(m) => AppError::BadField(name, m),
            other => other,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => AppError::NotFound,
            StoreError::Conflict { .. } => AppError::Conflict(e.to_string()),
            StoreError::Invalid(m) => AppError::BadRequest(m),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<planwatch_report::ReportError> for AppError {
    fn from(e: planwatch_report::ReportError) -> Self {
        if e.is_not_found() {
            AppError::NotFound
        } else if matches!(e, planwatch_report::ReportError::NoPeriod(_)) {
            AppError::BadRequest(e.to_string())
        } else {
            AppError::Internal(e.to_string())
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(e.to_string())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    heading: &'static str,
    message: String,
}

/// What the error page's heading says for a status (people do not read status codes).
fn heading_of(status: StatusCode) -> &'static str {
    match status {
        StatusCode::FORBIDDEN => "无权访问",
        StatusCode::NOT_FOUND => "找不到页面",
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => "输入有误",
        StatusCode::PAYLOAD_TOO_LARGE => "文件过大",
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => "请稍后再试",
        StatusCode::CONFLICT => "内容已被他人修改",
        _ => "出错了",
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if matches!(self, AppError::Unauthorized) {
            return Redirect::to("/login").into_response();
        }
        if let AppError::Internal(m) = &self {
            // Logged here, where the error becomes a response, and nowhere else.
            tracing::error!(error = %m, "内部错误");
        }
        let (status, message) = self.status_and_message();
        let page = ErrorPage {
            heading: heading_of(status),
            message,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "错误",
            )
                .into_response(),
        }
    }
}

/// Result of a page handler.
pub type PageResult<T = Response> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_plan_is_404_and_a_broken_store_500() {
        let missing: AppError = planwatch_report::ReportError::PlanNotFound(99).into();
        assert_eq!(missing.status_and_message().0, StatusCode::NOT_FOUND);
        let broken: AppError =
            planwatch_report::ReportError::Store(StoreError::Invalid("x".into())).into();
        assert_eq!(
            broken.status_and_message().0,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
