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

  // A 409 the server retargets (HX-Retarget) carries what to show instead: 考试模式's
  // "time is up" card over the question card, 今日学习's next item after one done
  // in another tab. Swap it in rather than show the error banner.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status === 409 && xhr.getResponseHeader("HX-Retarget")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // 考试模式's countdown: the server renders the minutes left on every page and
  // fragment; this ticks them down between requests, from the seconds the server
  // counted (never the device's clock). It reads 剩余 m:ss, or whole minutes
  // when the learner asks for reduced motion; screen readers hear it only at
  // minute boundaries. At zero the page reloads and the server closes the exam.
  var calm = window.matchMedia("(prefers-reduced-motion: reduce)");
  function tickClock() {
    var clock = document.getElementById("exam-clock");
    if (!clock) { return; }
    if (!clock.examStart) {
      clock.examStart = Date.now();
      clock.examMinute = null;
    }
    var total = Number(clock.dataset.secondsLeft);
    var left = Math.max(0, Math.ceil(total - (Date.now() - clock.examStart) / 1000));
    var minutes = Math.ceil(left / 60);
    var shown = clock.querySelector(".exam-clock__left");
    if (left === 0) {
      shown.textContent = "0 分钟";
      if (!clock.examOver) {
        clock.examOver = true;
        window.location.assign(clock.dataset.overUrl);
      }
      return;
    }
    shown.textContent = calm.matches
      ? minutes + " 分钟"
      : Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    if (clock.examMinute !== null && minutes !== clock.examMinute) {
      clock.querySelector("[data-clock-announce]").textContent = "剩余 " + minutes + " 分钟";
    }
    clock.examMinute = minutes;
  }
  window.setInterval(tickClock, 1000);
  document.addEventListener("htmx:afterSettle", tickClock);
  document.addEventListener("DOMContentLoaded", tickClock);

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

  // Flashcards, as Anki users' hands expect: Space or Enter (or a click on the
  // card) flips it; on a flipped card Space or Enter rates 良好 and 1–4 rate;
  // U or Ctrl+Z takes back the last rating (撤销); ← / → and swipes page in browse mode.
  function flipDetails() { return document.querySelector(".flashcard__flip"); }
  function focusGood(details) {
    // Focus lands on 良好 (never 重来), so a second Space or Enter means 良好.
    // Browsing has no ratings: focus moves nowhere, never to a link Enter would follow.
    var good = details.querySelector('.rating[value="3"]');
    if (good) { good.focus(); }
  }
  function flip() {
    var details = flipDetails();
    if (!details || details.open) { return false; }
    details.open = true;
    focusGood(details);
    return true;
  }
  function clickIt(selector) {
    var el = document.querySelector(selector);
    if (el && !el.disabled) { el.click(); }
    return Boolean(el);
  }
  document.addEventListener("click", function (event) {
    var card = event.target.closest && event.target.closest(".flashcard");
    if (card && !event.target.closest("a, button, summary, form, input, label")) { flip(); }
  });
  document.addEventListener("toggle", function (event) {
    if (event.target.matches && event.target.matches(".flashcard__flip") && event.target.open) {
      focusGood(event.target);
    }
  }, true);
  document.addEventListener("keydown", function (event) {
    // A held key repeats: never let it rate or undo more than once.
    if (!document.querySelector(".flashcard-area") || event.altKey || event.metaKey || event.repeat) { return; }
    if (event.target.matches && event.target.matches("input, textarea, select")) { return; }
    var key = event.key;
    if ((event.ctrlKey && (key === "z" || key === "Z")) || (!event.ctrlKey && (key === "u" || key === "U"))) {
      if (clickIt("#undo-form button")) { event.preventDefault(); }
      return;
    }
    if (event.ctrlKey) { return; }
    var details = flipDetails();
    // A focused button, link or 翻面 keeps its own Space and Enter, except that
    // 翻面 on a card already flipped never folds it again: after htmx settles it
    // can take focus back from 良好 (a fast second Space then closed the card),
    // and on a flipped card Space always means 良好.
    var onControl = event.target.matches &&
      (event.target.matches("button, a") || (event.target.matches("summary") && !(details && details.open)));
    if ((key === " " || key === "Enter") && details && !onControl) {
      event.preventDefault();
      if (!flip()) { clickIt('.flashcard__flip[open] .rating[value="3"]'); }
    } else if (/^[1-4]$/.test(key)) {
      var button = details && details.open && details.querySelector('.rating[value="' + key + '"]');
      if (button) { event.preventDefault(); button.click(); }
    } else if (key === "ArrowLeft" || key === "ArrowRight") {
      var link = key === "ArrowLeft" ? ".browse-nav__previous" : ".browse-nav__next";
      if (clickIt(link)) { event.preventDefault(); }
    }
  });
  // Swipe left for the next card, right for the previous one (fingers and pens only).
  var swipeStart = null;
  document.addEventListener("pointerdown", function (event) {
    var card = event.target.closest && event.target.closest(".flashcard--browse");
    swipeStart = card && event.pointerType !== "mouse" && event.isPrimary ? { x: event.clientX, y: event.clientY } : null;
  });
  document.addEventListener("pointerup", function (event) {
    if (!swipeStart) { return; }
    var dx = event.clientX - swipeStart.x, dy = event.clientY - swipeStart.y;
    swipeStart = null;
    if (Math.abs(dx) < 60 || Math.abs(dx) < 1.5 * Math.abs(dy)) { return; }
    clickIt(dx < 0 ? ".browse-nav__next" : ".browse-nav__previous");
  });
  document.addEventListener("pointercancel", function () { swipeStart = null; });

  // The notes' contents start folded on phones, open beside the text on wide screens.
  document.addEventListener("DOMContentLoaded", function () {
    var toc = document.querySelector(".toc__details");
    if (toc && window.matchMedia("(max-width: 63.99rem)").matches) { toc.open = false; }
  });

  // The set page's question list starts folded on phones, so the four parts come first.
  document.addEventListener("DOMContentLoaded", function () {
    var questions = document.querySelector(".part__questions");
    if (questions && window.matchMedia("(max-width: 47.99rem)").matches) { questions.open = false; }
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
