// The meeting form's attendance sheet: redraw it when the date changes (an htmx swap), tick all / none,
// live count. The set-up runs on htmx:load, so a swapped-in sheet works like the first one.
// Without this script the form still works: "이 날짜의 회원 불러오기" redraws through the server.
(function () {
  "use strict";
  // The catalogue script (jsi18n) may be missing or blocked; fall back to the Korean source text.
  const gettext = window.gettext || ((text) => text);
  const interpolate =
    window.interpolate || ((fmt, obj) => fmt.replace(/%\((\w+)\)s/g, (match, key) => String(obj[key])));
  let ticked = null; // values ticked before a swap, restored on the new sheet

  function wire(sheet) {
    if (sheet.dataset.wired) return;
    sheet.dataset.wired = "1";
    const helpers = sheet.querySelector(".attendance-helpers");
    const boxes = () => Array.from(sheet.querySelectorAll("input[name=present]"));
    const output = sheet.querySelector("#attendance-count");
    if (ticked) {
      boxes().forEach((b) => { b.checked = ticked.has(b.value); });
      ticked = null;
    }
    const total = boxes().length;
    function count() {
      if (!output) return;
      const checked = boxes().filter((b) => b.checked).length;
      const rate = (total ? ((100 * checked) / total).toFixed(1) : "0.0") + "%";
      output.textContent = interpolate(gettext("출석 %(ticked)s / %(total)s곳 (%(rate)s)"), { ticked: checked, total, rate }, true);
    }
    if (helpers) {
      helpers.hidden = false;
      helpers.addEventListener("click", (event) => {
        const mode = event.target.dataset && event.target.dataset.attendance;
        if (!mode) return;
        boxes().forEach((b) => { b.checked = mode === "all"; });
        count();
      });
    }
    sheet.addEventListener("change", count);
    count();
  }

  function setUp(root) {
    const scope = root && root.querySelector ? root : document;
    const form = scope.id === "meeting-form" ? scope : scope.querySelector("#meeting-form") || document.getElementById("meeting-form");
    if (!form) return;
    const sheet = scope.id === "attendance-sheet" ? scope : scope.querySelector("#attendance-sheet");
    if (sheet) wire(sheet);
    if (form.dataset.wired) return;
    form.dataset.wired = "1";
    const date = form.querySelector("input[name=held_on]");
    const loadButton = form.querySelector(".load-members");
    if (!window.htmx || !date) return; // the button stays: the server redraws the sheet
    if (loadButton) loadButton.closest(".form-inline-action").hidden = true;
    date.addEventListener("change", () => {
      if (!date.value) return;
      const url = new URL(form.dataset.sheetUrl, window.location.origin);
      url.searchParams.set("held_on", date.value);
      url.searchParams.set("sheet", "1");
      ticked = new Set(Array.from(form.querySelectorAll("input[name=present]:checked")).map((b) => b.value));
      window.htmx.ajax("GET", url.pathname + url.search, { target: "#attendance-sheet", swap: "outerHTML" });
    });
  }

  document.addEventListener("htmx:load", (event) => setUp(event.detail && event.detail.elt));
  document.addEventListener("DOMContentLoaded", () => setUp(document));
})();
