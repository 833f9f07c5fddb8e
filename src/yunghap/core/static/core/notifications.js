// Fills the unread-notification badge in the header after the page has loaded.
(function () {
  "use strict";
  function refresh() {
    var link = document.querySelector("[data-unread-url]");
    if (!link || !window.fetch) { return; }
    var badge = link.querySelector("[data-unread-count]");
    fetch(link.getAttribute("data-unread-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !badge) { return; }
        badge.textContent = data.unread > 0 ? String(data.unread) : "";
        badge.hidden = data.unread === 0;
        var label = badge.getAttribute("data-label");
        if (label) { badge.setAttribute("aria-label", label.replace("%s", data.unread)); }
      })
      .catch(function () { /* the badge is a convenience; the link still works */ });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
}());
