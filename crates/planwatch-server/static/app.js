// Form errors stay on the page: when a form sent through htmx is refused (400, 409,
// 413, 422), the page is not replaced by the error page. The message from the
// server's error page is shown in the form, next to the field it names (by the
// field's label, as the server's messages begin with it), and everything typed stays.
// Without JavaScript the server's error page is shown instead.
document.addEventListener("htmx:beforeSwap", function (evt) {
  var elt = evt.detail.requestConfig ? evt.detail.requestConfig.elt : evt.detail.elt;
  var form = elt && elt.closest ? elt.closest("form") : null;
  var status = evt.detail.xhr.status;
  if (!form || status < 400 || status >= 500 || status === 403) {
    return;
  }
  evt.detail.shouldSwap = false;
  var doc = new DOMParser().parseFromString(evt.detail.xhr.responseText, "text/html");
  var found = doc.querySelector(".error");
  var message = found ? found.textContent.trim() : "提交未成功，请检查后重试";
  form.querySelectorAll(".field-error").forEach(function (e) { e.remove(); });
  form.querySelectorAll(".invalid").forEach(function (e) { e.classList.remove("invalid"); });
  var note = document.createElement("p");
  note.className = "field-error error";
  note.setAttribute("role", "alert");
  note.textContent = message;
  var place = null;
  form.querySelectorAll("label").forEach(function (label) {
    var name = label.firstChild && label.firstChild.textContent ? label.firstChild.textContent.trim() : "";
    if (!place && name && message.indexOf(name) !== -1) {
      place = label;
    }
  });
  if (place) {
    place.classList.add("invalid");
    var input = place.querySelector("input, select, textarea");
    if (input) { input.setAttribute("aria-invalid", "true"); input.focus(); }
    place.insertAdjacentElement("afterend", note);
  } else {
    form.insertAdjacentElement("afterbegin", note);
  }
});
