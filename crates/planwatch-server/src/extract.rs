//! Extractors whose refusals speak Chinese: [`Path`], [`Form`], [`Multipart`], [`Query`].
//!
//! axum's own `Path` and `Form` answer a bad request with an English plain-text body
//! (`Invalid URL: Cannot parse "abc" to a i64`). These wrappers answer with the
//! application's error page, or its JSON error object under `/api/`: a path that does
//! not parse names no page, so it is a 404; a form that does not parse is a 400.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::error::AppError;

fn refuse(api: bool, e: AppError) -> Response {
    if api {
        e.into_json()
    } else {
        e.into_response()
    }
}

/// Path parameters; a parameter that does not parse (`/plans/abc`) is a 404.
#[derive(Debug, Clone, Copy)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(_) => Err(refuse(
                parts.uri.path().starts_with("/api/"),
                AppError::NotFound,
            )),
        }
    }
}

/// A url-encoded form read into a typed struct; a body that does not fit is a 400
/// with a Chinese message. Field values are checked by the handler (see [`crate::fields`]),
/// which names the field in its message.
#[derive(Debug, Clone)]
pub struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let api = req.uri().path().starts_with("/api/");
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Form(v)),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(refuse(api, AppError::TooLarge))
            }
            Err(_) => Err(refuse(
                api,
                AppError::BadRequest("表单内容无法读取，请刷新页面后重新提交".into()),
            )),
        }
    }
}

/// A multipart form (uploads); a body that is not one is a 400 with a Chinese message.
pub struct Multipart(pub axum::extract::Multipart);

impl<S> FromRequest<S> for Multipart
where
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Multipart::from_request(req, state).await {
            Ok(m) => Ok(Multipart(m)),
            Err(_) => Err(
                AppError::BadRequest("上传的表单格式不正确，请从页面重新上传".into())
                    .into_response(),
            ),
        }
    }
}

/// Query parameters; a query that does not fit is a 400 with a Chinese message.
#[derive(Debug, Clone)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(_) => Err(refuse(
                parts.uri.path().starts_with("/api/"),
                AppError::BadRequest("查询参数无法读取".into()),
            )),
        }
    }
}
