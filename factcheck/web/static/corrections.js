// Selecting text in the article fills the "add claim" / "move span" quote fields, with
// where the selection starts so the server can tell a repeated phrase apart. The server
// computes the real offsets from the quote; this only helps it choose.
(function () {
  "use strict";

  function offsetIn(box, node, offset) {
    var range = document.createRange();
    range.setStart(box, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function onSelect() {
    var box = document.querySelector(".article-text");
    var sel = window.getSelection();
    if (!box || !sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
    var range = sel.getRangeAt(0);
    if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) { return; }
    var quote = range.toString();
    if (!quote.trim()) { return; }
    var near = offsetIn(box, range.startContainer, range.startOffset);
    document.querySelectorAll("[data-selection-quote]").forEach(function (field) {
      if (field.closest(".add-claim-form")) { field.value = quote; }
    });
    document.querySelectorAll(".add-claim-form [data-selection-near]").forEach(function (field) {
      field.value = String(near);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector(".article-text");
    if (box) { box.addEventListener("mouseup", onSelect); box.addEventListener("keyup", onSelect); }
  });
})();
