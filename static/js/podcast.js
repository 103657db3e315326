// The podcast page: a mini-player (play/pause, −15 s / +15 s, progress, speed
// chips) that stays at the bottom of the screen, seeking by chapter or by
// transcript line, and the transcript following the audio.
// Without this script the page is the browser's own audio player and a transcript.
(function () {
  "use strict";

  function clock(seconds) {
    var t = Math.max(0, Math.floor(seconds || 0));
    var minutes = Math.floor(t / 60), rest = t % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function setup() {
    var player = document.getElementById("player");
    if (!player || player.dataset.ready) { return; }
    player.dataset.ready = "1";
    var mini = document.getElementById("mini-player");
    var lines = Array.prototype.slice.call(document.querySelectorAll(".transcript__line[data-start]"));
    var clockText = document.getElementById("current-time");
    var seek = document.getElementById("seek");
    var toggle = document.getElementById("play-toggle");
    var total = seek ? Number(seek.max) : 0;
    var dragging = false;
    var smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;

    function play(from) {
      if (from !== undefined) { player.currentTime = from; }
      var started = player.play();
      if (started && started.catch) { started.catch(function () {}); }  // e.g. no audio device
    }

    if (mini) {
      // One player: the mini-player replaces the native controls.
      player.controls = false;
      mini.hidden = false;
      toggle.addEventListener("click", function () {
        if (player.paused) { play(); } else { player.pause(); }
      });
      mini.querySelectorAll("[data-skip]").forEach(function (button) {
        button.addEventListener("click", function () {
          var end = player.duration || total;
          player.currentTime = Math.min(Math.max(0, player.currentTime + Number(button.dataset.skip)), end);
        });
      });
      var chips = Array.prototype.slice.call(mini.querySelectorAll("[data-rate]"));
      chips.forEach(function (chip) {
        chip.addEventListener("click", function () {
          player.playbackRate = Number(chip.dataset.rate);
        });
      });
      player.addEventListener("ratechange", function () {
        chips.forEach(function (chip) {
          chip.setAttribute("aria-pressed", String(Number(chip.dataset.rate) === player.playbackRate));
        });
      });
      function showState() {
        var playing = !player.paused;
        toggle.setAttribute("aria-label", playing ? "暂停" : "播放");
        toggle.querySelector(".mini-player__icon").textContent = playing ? "❚❚" : "▶";
      }
      player.addEventListener("play", showState);
      player.addEventListener("pause", showState);
      player.addEventListener("ended", showState);
      // While a finger or the mouse holds the slider, the audio does not move it back.
      seek.addEventListener("pointerdown", function () { dragging = true; });
      seek.addEventListener("pointerup", function () { dragging = false; });
      seek.addEventListener("pointercancel", function () { dragging = false; });
      seek.addEventListener("input", function () { player.currentTime = Number(seek.value); });
      player.addEventListener("loadedmetadata", function () {
        if (player.duration && isFinite(player.duration)) { total = player.duration; seek.max = String(Math.floor(total)); }
      });
    }

    document.querySelectorAll("[data-seek]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        play(Number(link.dataset.seek));
      });
    });
    lines.forEach(function (line) {
      // Each line becomes a button that plays from there (a real button keeps
      // the list a list and works with the keyboard).
      var button = document.createElement("button");
      button.type = "button";
      button.className = "transcript__button";
      button.title = "从这里播放";
      while (line.firstChild) { button.appendChild(line.firstChild); }
      line.appendChild(button);
      button.addEventListener("click", function () { play(Number(line.dataset.start)); });
    });

    var current = null;
    player.addEventListener("timeupdate", function () {
      var t = player.currentTime;
      if (clockText) { clockText.textContent = clock(t); }
      if (seek && !dragging) {
        seek.value = String(Math.floor(t));
        seek.setAttribute("aria-valuetext", clock(t) + " / " + clock(total));
      }
      var active = null;
      for (var i = 0; i < lines.length; i++) {
        if (Number(lines[i].dataset.start) <= t) { active = lines[i]; } else { break; }
      }
      if (active !== current) {
        if (current) { current.classList.remove("is-current"); current.removeAttribute("aria-current"); }
        if (active) {
          active.classList.add("is-current");
          active.setAttribute("aria-current", "true");
          if (!player.paused) { active.scrollIntoView({ block: "nearest", behavior: smooth ? "smooth" : "auto" }); }
        }
        current = active;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", setup);
  document.addEventListener("htmx:afterSettle", setup);
})();
