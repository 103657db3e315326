// Only what htmx and CSS cannot do by themselves.
(function () {
  "use strict";

  // htmx 2 does not swap 4xx/5xx responses: without this a failed save is silent.
  function banner() { return document.getElementById("request-error"); }
  document.addEventListener("htmx:responseError", function () {
    var el = banner(); if (el) { el.hidden = false; }
  });
  document.addEventListener("htmx:sendError", function () {
    var el = banner(); if (el) { el.hidden = false; }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var el = banner(); if (el && event.detail.successful) { el.hidden = true; }
  });

  // The notes' contents start folded on phones, open beside the text on wide screens.
  document.addEventListener("DOMContentLoaded", function () {
    var toc = document.querySelector(".toc__details");
    if (toc && window.matchMedia("(max-width: 63.99rem)").matches) { toc.open = false; }
  });

  // Glossary tips appear on hover/focus (CSS); Escape dismisses them (WCAG 1.4.13).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll(".term-tip").forEach(function (tip) { tip.classList.add("is-dismissed"); });
  });
  ["mouseover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var term = event.target.closest && event.target.closest(".term");
      if (term && term.nextElementSibling) { term.nextElementSibling.classList.remove("is-dismissed"); }
    });
  });
})();
