// factcheck reviewer UI: small conveniences only; every page works without JavaScript.
(function () {
  "use strict";

  // Bring the highlighted claim into view inside the article text.
  function scrollToCurrent() {
    var mark = document.querySelector(".article-text .hl-current");
    var box = document.querySelector(".article-text");
    if (mark && box) {
      box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - box.clientHeight / 3);
    }
  }

  // Warn before leaving a review form with unsent input; never after sending it.
  function guardForms() {
    document.querySelectorAll("form[data-confirm-leave]").forEach(function (form) {
      var dirty = false;
      form.addEventListener("input", function () { dirty = true; });
      form.addEventListener("submit", function () { dirty = false; });
      window.addEventListener("beforeunload", function (event) {
        if (dirty) { event.preventDefault(); event.returnValue = ""; }
      });
    });
  }

  // The shortcuts list (templates/_shortcuts.html): "?" or the footer link opens it.
  function toggleShortcuts(show) {
    var box = document.getElementById("shortcuts");
    if (!box) { return; }
    var open = show === undefined ? !box.classList.contains("open") : show;
    box.classList.toggle("open", open);
    if (!open && window.location.hash === "#shortcuts") {
      history.replaceState(null, "", window.location.pathname + window.location.search);
    }
  }

  // Keyboard: ? shortcuts, / search, n next claim, g q queue, v verdict, e evidence.
  function shortcuts() {
    var pendingG = false;
    document.addEventListener("keydown", function (event) {
      var tag = (event.target && event.target.tagName) || "";
      if (event.key === "Escape") {
        toggleShortcuts(false);
        if (/INPUT|TEXTAREA|SELECT/.test(tag)) { event.target.blur(); }
        return;
      }
      if (/INPUT|TEXTAREA|SELECT/.test(tag) || event.ctrlKey || event.metaKey || event.altKey) {
        return;
      }
      var key = event.key;
      if (pendingG) {
        pendingG = false;
        if (key === "q") { window.location.href = "/queue"; }
        return;
      }
      if (key === "?") {
        toggleShortcuts();
      } else if (key === "/") {
        var box = document.querySelector(".filters input[name=q], .topsearch input");
        if (box) { event.preventDefault(); box.focus(); box.select(); }
      } else if (key === "n") {
        var take = document.querySelector("form.take-next");
        if (take) { take.submit(); }
      } else if (key === "g") {
        pendingG = true;
      } else if (key === "v") {
        var verdict = document.querySelector("select[name=verdict]");
        if (verdict) { event.preventDefault(); verdict.focus(); }
      } else if (key === "e") {
        var url = document.querySelector(".evidence-row input[name=evidence_url]");
        if (url) { event.preventDefault(); url.focus(); }
      }
    });
    document.querySelectorAll(".shortcuts-link").forEach(function (link) {
      link.addEventListener("click", function (event) { event.preventDefault(); toggleShortcuts(true); });
    });
    document.querySelectorAll(".close-shortcuts").forEach(function (link) {
      link.addEventListener("click", function (event) { event.preventDefault(); toggleShortcuts(false); });
    });
  }

  // Evidence rows: "Add another link" clones the last row, emptied.
  function evidenceRows() {
    document.querySelectorAll(".evidence-rows").forEach(function (set) {
      var add = set.querySelector(".add-evidence");
      if (!add) { return; }
      add.hidden = false;
      add.addEventListener("click", function () {
        var rows = set.querySelectorAll(".evidence-row");
        var copy = rows[rows.length - 1].cloneNode(true);
        copy.querySelectorAll("input").forEach(function (i) { i.value = ""; });
        copy.querySelectorAll("select").forEach(function (s) { s.value = "context"; });
        set.insertBefore(copy, add);
        copy.querySelector("input").focus();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    scrollToCurrent();
    guardForms();
    shortcuts();
    evidenceRows();
  });
})();
