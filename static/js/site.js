// What htmx cannot do by itself: say plainly when a request failed.
// htmx 2 does not swap 4xx/5xx responses, so without this a failed save is silent.
(function () {
  "use strict";
  function banner() { return document.getElementById("request-error"); }
  function show() { var el = banner(); if (el) { el.hidden = false; } }
  function hide() { var el = banner(); if (el) { el.hidden = true; } }
  document.addEventListener("htmx:responseError", show);
  document.addEventListener("htmx:sendError", show);
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) { hide(); }
  });
})();
