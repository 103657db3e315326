// Only what htmx and CSS cannot do by themselves.
(function () {
  "use strict";
  // Browser tests wait for this before pressing keys: the handlers below are attached.
  document.documentElement.dataset.js = "ready";

  // Logging out sends Clear-Site-Data ("cache", "storage"), which Chromium does
  // not apply to this tab's sessionStorage. The site keeps nothing there, so on
  // a signed-out page anything left is a previous session's: drop it.
  if (document.documentElement.dataset.visitor === "anonymous") {
    try { window.sessionStorage.clear(); } catch (e) { /* storage disabled */ }
  }

  // htmx 2 does not swap 4xx/5xx responses: without this a failed save is silent.
  // The banner says what happened; the form is left as it was, so the learner's
  // choice stays selected and one more click retries.
  var MESSAGES = {
    offline: "未保存，请重试：网络连接中断，请检查网络后再提交。",
    busy: "未保存，请重试：服务器正忙，请过几秒再提交。",
    failed: "未保存，请重试：服务器出错了。"
  };
  function showError(text) {
    var el = document.getElementById("request-error");
    if (!el) { return; }
    el.textContent = text;
    el.hidden = false;
  }
  function serverMessage(xhr) {
    // The refusal or 503 page carries its message in an alert; read it as text.
    if (!xhr || !xhr.responseText) { return ""; }
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var alert = doc.querySelector("[data-request-error], [role=alert]");
    return alert ? alert.textContent.trim() : "";
  }
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var fallback = xhr.status === 503 ? MESSAGES.busy : MESSAGES.failed;
    var text = serverMessage(xhr) || fallback;
    if (xhr.status < 500 && text.indexOf("未保存") !== 0) { text = "未保存：" + text; }
    showError(text);
  });
  document.addEventListener("htmx:sendError", function () { showError(MESSAGES.offline); });
  document.addEventListener("htmx:afterRequest", function (event) {
    var el = document.getElementById("request-error");
    if (el && event.detail.successful) { el.hidden = true; }
  });

  // After htmx swaps in a verdict or the next question, move focus where the
  // learner continues: the element marked data-autofocus (下一题 / 查看结果, the
  // new question's first option). The quiz's swaps settle at once (settle:0ms):
  // with the default 20 ms, keys pressed between swap and settle (a number key
  // focusing option 3) lost focus to this handler, so Enter went nowhere. Focus
  // moves only after settling, when htmx has wired the new content up.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || !target.querySelector) { return; }
    // An outerHTML swap reports the old (detached) element: look the new one up.
    var live = (target.id && document.getElementById(target.id)) || target;
    var next = live.querySelector("[data-autofocus]");
    if (next) { next.focus(); }
  });

  // Quiz keys: 1–9 pick an option, Enter submits (never submit on change).
  document.addEventListener("keydown", function (event) {
    var form = document.getElementById("answer-form");
    if (!form || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var fieldset = form.querySelector("fieldset");
    if (fieldset && fieldset.disabled) { return; }
    var typing = event.target.matches && event.target.matches("input[type=text], input[type=search], textarea");
    if (/^[1-9]$/.test(event.key) && !typing) {
      var inputs = form.querySelectorAll("input[name=choices]");
      var input = inputs[Number(event.key) - 1];
      if (input) { event.preventDefault(); input.focus(); input.click(); }
    } else if (event.key === "Enter" && form.contains(event.target) && event.target.matches("input")) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // Flashcards: Space or a click on the card flips it; keys 1–4 rate a flipped card.
  function flip() {
    var details = document.querySelector(".flashcard__flip");
    if (!details || details.open) { return false; }
    details.open = true;
    var first = details.querySelector(".rating, .flashcard__back a");
    if (first) { first.focus(); }
    return true;
  }
  document.addEventListener("click", function (event) {
    var card = event.target.closest && event.target.closest(".flashcard");
    if (card && !event.target.closest("a, button, summary, form, input, label")) { flip(); }
  });
  document.addEventListener("toggle", function (event) {
    if (event.target.matches && event.target.matches(".flashcard__flip") && event.target.open) {
      var first = event.target.querySelector(".rating");
      if (first) { first.focus(); }
    }
  }, true);
  document.addEventListener("keydown", function (event) {
    if (!document.querySelector(".flashcard") || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.target.matches && event.target.matches("input, textarea, select")) { return; }
    if (event.key === " " && !event.target.matches("button, a, summary")) {
      if (flip()) { event.preventDefault(); }
    } else if (/^[1-4]$/.test(event.key)) {
      var details = document.querySelector(".flashcard__flip");
      var button = details && details.open && details.querySelector('.rating[value="' + event.key + '"]');
      if (button) { event.preventDefault(); button.click(); }
    }
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
