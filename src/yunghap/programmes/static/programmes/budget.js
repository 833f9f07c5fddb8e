// The application form's budget: row and column totals and the shares, computed as the user types.
// The rules themselves are checked by the server (the #budget-fields block posts to the budget check via
// htmx and the answer replaces #rule-check); this script only adds up. It is set up on htmx:load, so a
// swapped-in form works like the first one; without it the form still works (totals shown after saving).
(function () {
  "use strict";

  function amount(input) {
    const digits = String(input.value || "").replace(/[^0-9０-９]/g, "").replace(/[０-９]/g, (c) => String(c.charCodeAt(0) - 0xff10));
    return digits ? parseInt(digits, 10) : 0;
  }

  function won(n) {
    return n.toLocaleString("ko-KR");
  }

  // Two decimals, rounded half up, as programmes.rules.Budget.share does (BigInt: no float drift).
  function share(part, whole) {
    if (!whole) return "0.00";
    const scaled = (BigInt(part) * 10000n * 2n + BigInt(whole)) / (BigInt(whole) * 2n);
    const text = scaled.toString().padStart(3, "0");
    return text.slice(0, -2) + "." + text.slice(-2);
  }

  function wire(form) {
    if (form.dataset.budgetWired) return;
    form.dataset.budgetWired = "1";
    const table = form.querySelector("#budget-form-table");
    if (!table) return;

    function update() {
      const sums = { government: 0, cash: 0, inkind: 0 };
      table.querySelectorAll("tr[data-budget-row]").forEach((row) => {
        let rowTotal = 0;
        row.querySelectorAll("td[data-source]").forEach((cell) => {
          const input = cell.querySelector("input");
          const value = input ? amount(input) : 0;
          sums[cell.dataset.source] += value;
          rowTotal += value;
        });
        const out = row.querySelector("[data-row-total]");
        if (out) out.textContent = won(rowTotal);
      });
      const firm = sums.cash + sums.inkind;
      const total = sums.government + firm;
      const set = (selector, text) => {
        const el = table.querySelector(selector);
        if (el) el.textContent = text;
      };
      set("[data-total=government]", won(sums.government));
      set("[data-total=cash]", won(sums.cash));
      set("[data-total=inkind]", won(sums.inkind));
      set("[data-total=all]", won(total));
      set("[data-share=government]", share(sums.government, total));
      set("[data-share=firm]", share(firm, total));
      set("[data-share=cash]", share(sums.cash, firm));
    }

    table.addEventListener("input", update);
    table.addEventListener("change", update);
    update();
  }

  function setUp(root) {
    const scope = root && root.querySelector ? root : document;
    const form = scope.id === "application-form" ? scope : scope.querySelector("#application-form") || document.getElementById("application-form");
    if (form) wire(form);
  }

  document.addEventListener("htmx:load", (event) => setUp(event.detail && event.detail.elt));
  if (document.readyState !== "loading") setUp(document);
  else document.addEventListener("DOMContentLoaded", () => setUp(document));
})();
