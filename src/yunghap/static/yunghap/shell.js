/* The page shell's behaviour (base.html); a static file, as the CSP allows no inline script.

   1. The compact header on phones: 메뉴 shows and hides the main menu and the user's links (#site-menu-panel).
      Without this script (or on wide screens) everything stays visible; the button only appears once it
      works. A disclosure button (WAI-ARIA APG): aria-expanded tells its state, opening moves focus to the
      first link, Esc closes the menu and gives focus back to the button, and so does a click outside.
   2. Wide tables scroll inside their own box (.krds-table-wrap), never the page: a table without one gets
      one, and a box that does scroll is made reachable by keyboard (tabindex, role=region, the caption as
      its name; WCAG 2.1.1). Re-run after htmx swaps, on resize and when a <details> opens. */
(function () {
  "use strict";

  function setUpMenu() {
    var button = document.getElementById("site-menu-button");
    var panel = document.getElementById("site-menu-panel");
    var header = document.getElementById("krds-header");
    if (!button || !panel || !header) return;

    function setOpen(open, focusButton) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
      if (!open && focusButton) button.focus();
    }

    header.classList.add("menu-ready");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      setOpen(open, false);
      if (open) {
        var first = panel.querySelector("a, button");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("menu-open")) setOpen(false, true);
    });
    document.addEventListener("click", function (event) {
      if (header.classList.contains("menu-open") && !header.contains(event.target)) setOpen(false, false);
    });
  }

  var tableLabel = document.documentElement.lang === "en" ? "Table (scrolls sideways)" : "표 (옆으로 스크롤)";

  function fitTables(root) {
    var main = document.getElementById("main");
    if (!main) return;
    (root || main).querySelectorAll("table").forEach(function (table) {
      var parent = table.parentElement;
      if (!parent || parent.classList.contains("krds-table-wrap")) return;
      var wrap = document.createElement("div");
      wrap.className = "krds-table-wrap";
      parent.insertBefore(wrap, table);
      wrap.appendChild(table);
    });
    main.querySelectorAll(".krds-table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", caption && caption.textContent.trim() ? caption.textContent.trim() : tableLabel);
        wrap.setAttribute("data-shell-scroll", "");
      } else if (!scrolls && wrap.hasAttribute("data-shell-scroll")) {
        ["tabindex", "role", "aria-label", "data-shell-scroll"].forEach(function (name) { wrap.removeAttribute(name); });
      }
    });
  }

  var resizeTimer = null;
  function start() {
    setUpMenu();
    fitTables();
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () { fitTables(); }, 100);
    });
    document.addEventListener("toggle", function () { fitTables(); }, true);
    document.body.addEventListener("htmx:afterSettle", function (event) { fitTables(event.target); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
