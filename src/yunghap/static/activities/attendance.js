// The meeting form's attendance sheet: redraw it when the date changes, tick all / none, live count.
// Without this script the form still works: "이 날짜의 회원 불러오기" redraws through the server.
(function () {
  "use strict";
  // The catalogue script (jsi18n) may be missing or blocked; fall back to the Korean source text.
  const gettext = window.gettext || ((text) => text);
  const interpolate =
    window.interpolate || ((fmt, obj) => fmt.replace(/%\((\w+)\)s/g, (match, key) => String(obj[key])));
  const form = document.getElementById("meeting-form");
  if (!form) return;

  function wire() {
    const sheet = document.getElementById("attendance-sheet");
    if (!sheet) return;
    const helpers = sheet.querySelector(".attendance-helpers");
    const boxes = () => Array.from(sheet.querySelectorAll("input[name=present]"));
    const output = document.getElementById("attendance-count");
    const total = boxes().length;
    function count() {
      if (!output) return;
      const ticked = boxes().filter((b) => b.checked).length;
      const rate = (total ? ((100 * ticked) / total).toFixed(1) : "0.0") + "%";
      output.textContent = interpolate(gettext("출석 %(ticked)s / %(total)s곳 (%(rate)s)"), { ticked, total, rate }, true);
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

  const date = form.querySelector("input[name=held_on]");
  const loadButton = form.querySelector(".load-members");
  if (loadButton) loadButton.hidden = true;
  if (date) {
    date.addEventListener("change", async () => {
      if (!date.value) return;
      const url = new URL(form.dataset.sheetUrl, window.location.origin);
      url.searchParams.set("held_on", date.value);
      url.searchParams.set("sheet", "1");
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return;
      const previous = new Set(
        Array.from(form.querySelectorAll("input[name=present]:checked")).map((b) => b.value)
      );
      document.getElementById("attendance-sheet").outerHTML = await response.text();
      form.querySelectorAll("input[name=present]").forEach((b) => { b.checked = previous.has(b.value); });
      wire();
    });
  }
  wire();
})();
