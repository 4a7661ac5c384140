/* Lesson admin: the body's Markdown previewed beside it, as the lesson page will show it.
   The server renders it (courses.admin.LessonAdmin.preview_markdown: the same render_markdown as on save), so
   what you see is what learners get. Loaded from our static files: no inline script (Content-Security-Policy). */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setUp(source) {
    var url = source.getAttribute("data-markdown-preview");
    var wrapper = document.createElement("div");
    wrapper.className = "markdown-editor";
    source.parentNode.insertBefore(wrapper, source);
    wrapper.appendChild(source);

    var pane = document.createElement("section");
    pane.className = "markdown-preview";
    pane.tabIndex = 0; // it scrolls: keyboard users must be able to reach it
    // One preview per body field (English and Spanish): each heading's id is its field's, so ids stay unique.
    var headingId = (source.id || "markdown") + "-preview-heading";
    pane.setAttribute("aria-labelledby", headingId);
    var heading = document.createElement("h3");
    heading.id = headingId;
    // Named after its field ("Preview: Body [es]"): two previews on one page need different names.
    var label = source.id ? document.querySelector('label[for="' + source.id + '"]') : null;
    var field = label ? label.textContent.replace(/:\s*$/, "").trim() : "";
    heading.textContent = field ? "Preview: " + field : "Preview";
    var status = document.createElement("p");
    status.className = "markdown-preview-status";
    status.setAttribute("role", "status");
    var body = document.createElement("div");
    body.className = "markdown-preview-body lesson-body";
    pane.appendChild(heading);
    pane.appendChild(status);
    pane.appendChild(body);
    wrapper.appendChild(pane);

    var timer = null;
    var latest = 0;
    function refresh() {
      var ticket = ++latest;
      var data = new FormData();
      data.append("body", source.value);
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(source.form), "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (result) {
          if (ticket !== latest) return; // an older answer arriving late
          body.innerHTML = result.html; // cleaned by nh3 on the server, exactly as the site stores it
          status.textContent = "";
        })
        .catch(function () {
          status.textContent = "The preview could not be updated. Your text is not affected; save as usual.";
        });
    }
    source.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-markdown-preview]").forEach(setUp);
  });
})();
