// Municipia's only script: progressive enhancements; every page works without it.
(function () {
  "use strict";

  // Search-as-you-type pickers (municipia/core/pickers.py): typing two letters fills the input's
  // <datalist> from its JSON endpoint; without this script the form accepts the typed name.
  function attachPicker(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-picker-url");
    if (!list || !url) return;
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var query = input.value.trim();
      if (query.length < 2 || query === last) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        last = query;
        fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            (data.results || []).forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.name;
              option.label = item.detail || "";
              list.appendChild(option);
            });
          })
          .catch(function () { /* no suggestions: the typed name still works */ });
      }, 200);
    });
  }

  // The header's menu folds behind a button on narrow screens (all of it shows without script).
  function attachMenu(button) {
    var header = button.closest(".site-header");
    var narrow = window.matchMedia("(max-width: 48rem)");
    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-closed", !open);
    }
    function update() {
      button.hidden = !narrow.matches;
      set(!narrow.matches);
    }
    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    if (narrow.addEventListener) narrow.addEventListener("change", update);
    update();
  }

  // A table wider than its box scrolls sideways; keyboard users must be able to reach and scroll
  // it, so it becomes a focusable, named region (WCAG 2.1.1; axe "scrollable-region-focusable").
  function markScrollable(wrap) {
    // As axe-core measures it: any overflow, sideways or downwards, makes the box scroll.
    var scrolls = wrap.scrollWidth > wrap.clientWidth || wrap.scrollHeight > wrap.clientHeight;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      var caption = wrap.querySelector("caption");
      var heading = wrap.closest("section, article, .card");
      var name = caption ? caption.textContent : heading && heading.querySelector("h2, h3") ? heading.querySelector("h2, h3").textContent : "";
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
        wrap.setAttribute("aria-label", (name || document.title).trim().replace(/\s+/g, " "));
      }
      wrap.setAttribute("data-made-focusable", "");
    } else if (!scrolls && wrap.hasAttribute("data-made-focusable")) {
      ["tabindex", "role", "aria-label", "data-made-focusable"].forEach(function (a) { wrap.removeAttribute(a); });
    }
  }
  function markAll() {
    document.querySelectorAll(".table-wrap, .chart").forEach(markScrollable);
  }

  document.querySelectorAll("input[data-picker-url]").forEach(attachPicker);
  document.querySelectorAll(".menu-toggle").forEach(attachMenu);
  markAll();
  // A page that follows a running job (a newsletter send) reloads itself while it runs: the
  // server sets data-refresh-seconds only then, so a finished job's page stays still.
  document.querySelectorAll("[data-refresh-seconds]").forEach(function (box) {
    var seconds = parseInt(box.getAttribute("data-refresh-seconds"), 10);
    if (seconds > 0) { window.setTimeout(function () { window.location.reload(); }, seconds * 1000); }
  });
  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(markAll, 150);
  });
})();
