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

  // Keyboard: "n" takes the next claim from the queue page.
  function shortcuts() {
    document.addEventListener("keydown", function (event) {
      var tag = (event.target && event.target.tagName) || "";
      if (/INPUT|TEXTAREA|SELECT/.test(tag) || event.ctrlKey || event.metaKey || event.altKey) {
        return;
      }
      if (event.key === "n") {
        var take = document.querySelector("form.take-next");
        if (take) { take.submit(); }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    scrollToCurrent();
    guardForms();
    shortcuts();
  });
})();
