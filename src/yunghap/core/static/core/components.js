// Set-up of the KRDS form components (core/components.py) on the page and on every piece of content htmx
// swaps in (htmx:load fires for the first page too and for each swapped element). Without JS the forms
// still work: the server parses "1,234,000원" as well as "1234000".
(function () {
  "use strict";

  function group(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  // Money: thousands separators while typing, keeping the caret after the same digit.
  function formatMoney(input) {
    const raw = input.value;
    const negative = /^\s*[-−]/.test(raw);
    const digits = raw.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[^0-9]/g, "");
    if (/[^0-9０-９,\s원₩\-−]/.test(raw)) return; // leave what the server will refuse visible as typed
    const caret = input.selectionStart === null ? raw.length : input.selectionStart;
    const digitsBeforeCaret = raw.slice(0, caret).replace(/[^0-9０-９]/g, "").length;
    const formatted = digits ? (negative ? "-" : "") + group(digits.replace(/^0+(?=\d)/, "")) : (negative ? "-" : "");
    if (formatted === raw) return;
    input.value = formatted;
    if (document.activeElement !== input) return;
    let seen = 0;
    let position = formatted.length;
    for (let i = 0; i < formatted.length; i += 1) {
      if (seen === digitsBeforeCaret) { position = i; break; }
      if (/[0-9]/.test(formatted[i])) seen += 1;
    }
    if (seen === digitsBeforeCaret && digitsBeforeCaret === digits.length) position = formatted.length;
    input.setSelectionRange(position, position);
  }

  function setUpMoney(input) {
    if (input.dataset.componentReady) return;
    input.dataset.componentReady = "1";
    input.addEventListener("input", () => formatMoney(input));
    input.addEventListener("blur", () => formatMoney(input));
    formatMoney(input);
  }

  function init(root) {
    const scope = root && root.querySelectorAll ? root : document;
    const inputs = Array.from(scope.querySelectorAll("input[data-money]"));
    if (scope.matches && scope.matches("input[data-money]")) inputs.push(scope);
    inputs.forEach(setUpMoney);
  }

  window.yunghapComponents = { init };
  document.addEventListener("DOMContentLoaded", () => init(document));
  document.addEventListener("htmx:load", (event) => init(event.detail && event.detail.elt));
})();
