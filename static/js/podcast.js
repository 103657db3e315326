// The podcast page: seek by chapter, follow the transcript, change speed.
// Without this script the page is a plain audio player and a transcript.
(function () {
  "use strict";
  function setup() {
    var player = document.getElementById("player");
    if (!player || player.dataset.ready) { return; }
    player.dataset.ready = "1";
    var lines = Array.prototype.slice.call(document.querySelectorAll(".transcript__line[data-start]"));
    var clock = document.getElementById("current-time");
    var speed = document.getElementById("speed");
    if (speed) {
      speed.closest(".speed").hidden = false;
      speed.addEventListener("change", function () { player.playbackRate = Number(speed.value); });
    }
    document.querySelectorAll("[data-seek]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        player.currentTime = Number(link.dataset.seek);
        player.play();
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
      button.addEventListener("click", function () {
        player.currentTime = Number(line.dataset.start);
        player.play();
      });
    });
    var current = null;
    player.addEventListener("timeupdate", function () {
      var t = player.currentTime;
      var minutes = Math.floor(t / 60), seconds = Math.floor(t % 60);
      if (clock) { clock.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds; }
      var active = null;
      for (var i = 0; i < lines.length; i++) {
        if (Number(lines[i].dataset.start) <= t) { active = lines[i]; } else { break; }
      }
      if (active !== current) {
        if (current) { current.classList.remove("is-current"); current.removeAttribute("aria-current"); }
        if (active) {
          active.classList.add("is-current");
          active.setAttribute("aria-current", "true");
          if (!player.paused) { active.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
        }
        current = active;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", setup);
  document.addEventListener("htmx:afterSettle", setup);
})();
