// Progressive enhancement of the confirmation pages (core/confirm.py): a link marked `data-confirm`
// opens its confirmation page's question and form in a modal dialog instead of a new page. Without
// JavaScript, or if the page cannot be fetched, the link simply leads to the confirmation page.
// Delegated on the document, so links in content swapped in by htmx work too.
(function () {
  "use strict";
  var dialog = null;
  var opener = null;

  function close() {
    if (dialog && dialog.open) { dialog.close(); }
  }

  function ensureDialog() {
    if (dialog) { return dialog; }
    dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-title");
    dialog.addEventListener("close", function () {
      dialog.replaceChildren();
      if (opener) { opener.focus(); opener = null; }
    });
    dialog.addEventListener("click", function (event) {
      var target = event.target;
      if (target === dialog || (target.closest && target.closest("[data-confirm-close]"))) {
        event.preventDefault();
        close();
      }
    });
    document.body.appendChild(dialog);
    return dialog;
  }

  function show(link, html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var summary = page.getElementById("confirm-summary");
    var title = page.querySelector("main h1, h1");
    if (!summary || !title) { window.location.href = link.href; return; }
    var box = ensureDialog();
    var heading = document.createElement("h2");
    heading.id = "confirm-dialog-title";
    heading.className = "modal-title";
    heading.textContent = title.textContent;
    box.replaceChildren(heading, document.importNode(summary, true));
    var form = page.getElementById("confirm-form");
    var cancel = page.getElementById("confirm-cancel");
    if (form) {
      var copy = document.importNode(form, true);
      copy.setAttribute("action", link.href);
      box.appendChild(copy);
    } else if (cancel) {
      var actions = document.createElement("div");
      actions.className = "actions";
      actions.appendChild(document.importNode(cancel, true));
      box.appendChild(actions);
    }
    var back = box.querySelector("#confirm-cancel");
    if (back) { back.setAttribute("data-confirm-close", ""); }
    opener = link;
    box.showModal();
    // The safe choice has the focus: Enter never deletes by accident; a reason field comes first.
    var first = box.querySelector("textarea, input:not([type=hidden])") || box.querySelector("#confirm-cancel");
    if (first) { first.focus(); }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-confirm]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    if (!window.fetch || !window.DOMParser || typeof HTMLDialogElement === "undefined") { return; }
    event.preventDefault();
    fetch(link.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) { show(link, html); })
      .catch(function () { window.location.href = link.href; });
  });
}());
